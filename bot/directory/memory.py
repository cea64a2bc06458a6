"""The search index held in memory as arrays, for searches in a few milliseconds.

``wf_search_row`` (one row per place a service is offered) is loaded once per
index version into numpy arrays: coordinates, ages, and each facet as a bit
mask, plus a derived facet of each row's most specific needs, and each distinct
service area once. A search applies every filter that does not depend on the
clock as array operations, scores the survivors' clock-free parts the same way,
reads opening hours only for the rows that can still reach the top, and leaves
the words of the reasons to ``Searcher._fit`` for the results alone. The index
reloads when an import anywhere bumps ``wf_meta.index_version``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.directory.areas import Area
from bot.directory.hours import WeeklyHours
from bot.directory.store import index_version, search_row
from bot.directory.taxonomy import NEEDS, Taxonomy

EARTH_RADIUS_MILES = 3958.8
EPOCH = date(1970, 1, 1)
FACETS = ("needs", "payments", "populations", "access", "languages")
SPECIFIC = "specific_needs"  # derived: needs without those a narrower tag of the same row implies


def _codes(packed: str) -> list[str]:
    return [code for code in packed.split("|") if code]


@dataclass
class MemoryIndex:
    version: int
    rows: list
    service: np.ndarray  # a small integer per service, to keep the best row of each
    latitude: np.ndarray
    longitude: np.ndarray
    has_coordinates: np.ndarray
    virtual: np.ndarray
    active: np.ndarray
    minimum_age: np.ndarray
    maximum_age: np.ndarray
    verified_day: np.ndarray  # days since 1970, -1 when never verified
    need_count: np.ndarray
    masks: dict[str, np.ndarray]
    bits: dict[str, dict[str, int]]
    area_group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # into ``areas``
    areas: list[Area | None] = field(default_factory=list)  # each distinct service area; None = anywhere
    organization_id: list[str | None] = field(default_factory=list)
    _hours: dict[int, WeeklyHours | None] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, taxonomy: Taxonomy | None = None) -> MemoryIndex:
        version = index_version(conn)
        rows = conn.execute(sa.select(search_row).order_by(search_row.c.id)).all()
        bits: dict[str, dict[str, int]] = {facet: {} for facet in (*FACETS, SPECIFIC)}
        masks = {facet: np.zeros(len(rows), dtype=np.uint64) for facet in (*FACETS, SPECIFIC)}
        ancestors: dict[str, set[str]] = {}
        if taxonomy is not None:
            ancestors = {code: set(taxonomy.ancestors(NEEDS, code)) for code in taxonomy.codes(NEEDS)}
        area_texts: dict[str | None, int] = {None: 0}
        area_group = np.zeros(len(rows), dtype=np.int64)
        for index, row in enumerate(rows):
            area_group[index] = area_texts.setdefault(row.areas or None, len(area_texts))
            needs = _codes(row.needs)
            broader = set().union(*(ancestors.get(code, set()) for code in needs)) if needs else set()
            facets = {facet: _codes(getattr(row, facet)) for facet in FACETS}
            # The most specific needs: a programme tagged "mental health" and "partial hospitalization"
            # is a partial hospitalization programme (see Searcher, intensive needs).
            facets[SPECIFIC] = [code for code in needs if code not in broader]
            for facet, codes in facets.items():
                value = 0
                for code in codes:
                    bit = bits[facet].setdefault(code, len(bits[facet]))
                    if bit < 64:
                        value |= 1 << bit
                masks[facet][index] = value
        services: dict[str, int] = {}

        def floats(name: str) -> np.ndarray:
            return np.array(
                [math.nan if getattr(r, name) is None else getattr(r, name) for r in rows], dtype=float
            )

        return cls(
            version=version,
            rows=rows,
            service=np.array(
                [services.setdefault(r.service_id, len(services)) for r in rows], dtype=np.int64
            ),
            latitude=floats("latitude"),
            longitude=floats("longitude"),
            has_coordinates=np.array([r.latitude is not None and not r.is_virtual for r in rows], dtype=bool),
            virtual=np.array([bool(r.is_virtual) for r in rows], dtype=bool),
            active=np.array([bool(r.active) for r in rows], dtype=bool),
            minimum_age=floats("minimum_age"),
            maximum_age=floats("maximum_age"),
            verified_day=np.array([_day(r.verified_on) for r in rows], dtype=np.int64),
            need_count=np.array([len(_codes(r.needs)) for r in rows], dtype=np.int64),
            masks=masks,
            bits=bits,
            area_group=area_group,
            areas=[Area.decode(text) for text in area_texts],
            organization_id=[r.organization_id for r in rows],
        )

    def mask_of(self, facet: str, codes) -> int:
        """The bit mask for these codes; 0 when none is known (nothing has them)."""
        value = 0
        for code in codes:
            bit = self.bits[facet].get(code)
            if bit is not None and bit < 64:
                value |= 1 << bit
        return value

    def has(self, facet: str, codes) -> np.ndarray:
        return (self.masks[facet] & np.uint64(self.mask_of(facet, codes))) != 0

    def within(self, place) -> np.ndarray:
        """Rows whose service area holds ``place`` (each distinct area judged once)."""
        inside = np.array([area is None or area.contains(place) for area in self.areas], dtype=bool)
        return inside[self.area_group]

    def hours(self, index: int) -> WeeklyHours | None:
        """Decoded once per row and kept: opening hours are read on every search."""
        if index not in self._hours:
            self._hours[index] = WeeklyHours.decode(self.rows[index].hours)
        return self._hours[index]

    def distances(self, indices: np.ndarray, latitude: float, longitude: float) -> np.ndarray:
        """Great-circle miles from a point to the given rows (haversine, as places.distance_miles)."""
        phi1 = math.radians(latitude)
        phi2 = np.radians(self.latitude[indices])
        dphi = phi2 - phi1
        dlambda = np.radians(self.longitude[indices] - longitude)
        a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
        return 2 * EARTH_RADIUS_MILES * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _day(verified_on: str | None) -> int:
    if not verified_on:
        return -1
    try:
        return (date.fromisoformat(verified_on[:10]) - EPOCH).days
    except ValueError:
        return -1
