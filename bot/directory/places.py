"""Where a caller is: ZIP codes (offline, from the ``zipcodes`` package) and place names.

The gazetteer in ``data/directory/places.yml`` names the service region's
neighbourhoods, towns and landmarks ("Kensington", "near Temple"), the
counties that make up the region, and the major places outside it that callers
name ("Pittsburgh", "Squirrel Hill in Pittsburgh"). A place is in the region
when its ZIP code's county is one of the region's. An unknown ZIP code and a
real ZIP code outside the region are different answers: the first is a typo to
correct, the second a caller we can still help by phone or online.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
import zipcodes

from bot.config import DATA_DIR
from bot.copy import say

PLACES_FILE = DATA_DIR / "places.yml"
EARTH_RADIUS_MILES = 3958.8
ZIP_PATTERN = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
# How callers name the states of the places the gazetteer knows, after a town ("trenton, nj").
STATE_WORDS = {
    "pa": "PA", "penna": "PA", "pennsylvania": "PA", "nj": "NJ", "new jersey": "NJ",
    "de": "DE", "delaware": "DE", "md": "MD", "maryland": "MD", "ny": "NY", "new york": "NY",
}  # fmt: skip


class PlaceError(ValueError):
    """A place we cannot put on the map. ``kind`` is "unknown_zip" or "unknown_place".

    Its message is a sentence of the copy catalog (``key``, filled from ``params``), in
    English; ``said_in`` gives it in the caller's language."""

    def __init__(self, kind: str, key: str, **params: object):
        self.kind = kind
        self.key = key
        self.params = params
        super().__init__(say(key, "en", **params))

    def said_in(self, language: str | None) -> str:
        return say(self.key, language, **self.params)


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    postal_code: str | None
    in_region: bool
    kind: str  # zip | neighborhood | town | landmark
    state: str | None = None  # two letters, for service areas
    county: str | None = None  # as the zipcodes package names it: "Philadelphia County"


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=8192)
def zip_entry(code: str) -> dict | None:
    """The zipcodes package's entry for a US ZIP code with a centroid, or None. Looked up in
    the package's compiled index one code at a time: the whole list as Python dicts (``zip_index``)
    costs each process that holds it about 145 MB."""
    if not ZIP_PATTERN.fullmatch(code or ""):
        return None
    entry = next(iter(zipcodes.matching(code)), None)
    return entry if entry and entry.get("lat") and entry.get("long") else None


@lru_cache(maxsize=1)
def zip_index() -> dict[str, dict]:
    """Every US ZIP code with a centroid, keyed by code (about 40,000 entries, 145 MB): for tools
    and benchmarks that walk them all; a server looks codes up with ``zip_entry``."""
    index = {}
    for entry in zipcodes.list_all():
        if entry.get("lat") and entry.get("long"):
            index[entry["zip_code"]] = entry
    return index


def _normalise(text: str) -> str:
    text = text.casefold().replace("’", "'")
    text = re.sub(r"[^\w&'\- ]+", " ", text)
    text = re.sub(r"^(?:near|around|by|in|at|close to|next to)\s+", "", text.strip())
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


class Gazetteer:
    def __init__(
        self,
        region_name: str,
        timezone: str,
        counties: set[tuple[str, str]],
        places: list[dict],
        state: str | None = None,
    ):
        self.region_name = region_name
        self.timezone = timezone
        self.counties = counties
        self.places = places
        # The region's own state (most of its counties' when not given): a caller whose place is
        # unknown is taken to live in it, so a statewide service of it serves them.
        states = [s for s, _county in sorted(counties)]
        self.state = state or (max(states, key=states.count) if states else None)
        self._by_name: dict[str, dict] = {}
        for place in places:
            for name in [place["name"], *place.get("aliases", [])]:
                self._by_name.setdefault(_normalise(name), place)

    @classmethod
    def load(cls, path: Path = PLACES_FILE) -> Gazetteer:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        region = document["region"]
        counties = {(c["state"], c["county"]) for c in region["counties"]}
        return cls(
            region["name"],
            region.get("timezone", "America/New_York"),
            counties,
            document["places"],
            region.get("state"),
        )

    def names(self) -> list[str]:
        """Every name and alias, for the NLU entity ruler."""
        return sorted(self._by_name)

    def in_region(self, state: str | None, county: str | None) -> bool:
        return (state, county) in self.counties

    def resolve_zip(self, text: str) -> Place:
        match = ZIP_PATTERN.match(text or "")
        if not match:
            raise PlaceError("unknown_zip", "place.not_a_zip", text=repr(text))
        code = match.group(1)
        entry = zip_entry(code)
        if entry is None:
            raise PlaceError("unknown_zip", "place.no_such_zip", code=code)
        return Place(
            label=f"{code} ({entry['city'].title()}, {entry['state']})",
            latitude=float(entry["lat"]),
            longitude=float(entry["long"]),
            postal_code=code,
            in_region=self.in_region(entry["state"], entry.get("county")),
            kind="zip",
            state=entry["state"],
            county=entry.get("county") or None,
        )

    def _named(self, text: str) -> dict | None:
        """The place a name means: "squirrel hill", or "squirrel hill in pittsburgh" /
        "squirrel hill, pittsburgh, pa" (the first part, when every other part it is said with
        is a place in the same county or its state)."""
        key = _normalise(text)
        if key in self._by_name:
            return self._by_name[key]
        parts = [_normalise(part) for part in re.split(r"\s*,\s*|\s+in\s+", text.casefold())]
        parts = [part for part in parts if part]
        if len(parts) < 2 or parts[0] not in self._by_name:
            return None
        place = self._by_name[parts[0]]
        where = self._located(place)
        for part in parts[1:]:
            other = self._by_name.get(part)
            if other is not None and self._located(other) == where:
                continue
            if where is not None and STATE_WORDS.get(part) == where[0]:
                continue
            return None
        return place

    @staticmethod
    def _located(place: dict) -> tuple[str, str] | None:
        entry = zip_entry(str(place.get("zip") or ""))
        return (entry["state"], entry.get("county")) if entry else None

    def resolve_name(self, text: str) -> Place:
        place = self._named(text or "")
        if place is None:
            raise PlaceError("unknown_place", "place.unknown", text=repr(text), region=self.region_name)
        entry = zip_entry(str(place.get("zip") or "")) or {}
        state = place.get("state") or entry.get("state")
        county = entry.get("county") or None
        return Place(
            label=place["name"],
            latitude=float(place["lat"]),
            longitude=float(place["lon"]),
            postal_code=str(place["zip"]) if place.get("zip") else None,
            # Inside when its ZIP's county is one of the region's (``in_region: false`` in
            # places.yml says so for the places outside; a test keeps the two in agreement).
            in_region=self.in_region(entry["state"], county) if entry else bool(place.get("in_region", True)),
            kind=place.get("kind", "neighborhood"),
            state=state,
            county=county,
        )

    def county_of(self, text: str) -> tuple[str, str] | None:
        """(state, "philadelphia county") of a place the gazetteer names, from its ZIP; or None."""
        place = self._by_name.get(_normalise(re.sub(r"\s+", " ", text or "")))
        entry = zip_entry(str(place.get("zip") or "")) if place else None
        if not entry or not entry.get("county"):
            return None
        return entry["state"], entry["county"].casefold()

    def resolve(self, text: str) -> Place:
        """A ZIP code or a place name."""
        if ZIP_PATTERN.match(text or ""):
            return self.resolve_zip(text)
        if re.fullmatch(r"\s*\d+\s*", text or ""):
            raise PlaceError("unknown_zip", "place.not_a_zip", text=repr(text.strip()))
        return self.resolve_name(text)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()
