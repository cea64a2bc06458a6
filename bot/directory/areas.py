"""Service areas: where a service's callers must live, read from HSDS ``service_area`` records.

Directories write areas as text ("Philadelphia County, PA", "Camden County, NJ",
"Pennsylvania (statewide)", "Southeastern Pennsylvania", "19121, 19122, 19132"),
sometimes as GeoJSON. ``parse_areas`` turns a service's areas into an ``Area``
at import time (stored as JSON in the search row); ``Area.contains`` decides at
search time whether the caller's place is inside. An area that cannot be read
("Statewide" without a state, "see description") never excludes anybody: the
service is then treated as open to every place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import zipcodes

from bot.copy import DEFAULT_LANGUAGE, listing, say

STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
    "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
    "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR",
}  # fmt: skip
ABBREVIATIONS = set(STATES.values())
# Regions directories name, as the counties they cover (named as the zipcodes package names them).
REGIONS = {
    "southeastern pennsylvania": [
        ("PA", c) for c in ("Philadelphia", "Delaware", "Montgomery", "Bucks", "Chester")
    ],
    "southeast pennsylvania": [
        ("PA", c) for c in ("Philadelphia", "Delaware", "Montgomery", "Bucks", "Chester")
    ],
    "southeastern pa": [("PA", c) for c in ("Philadelphia", "Delaware", "Montgomery", "Bucks", "Chester")],
    "south jersey": [
        ("NJ", c)
        for c in ("Camden", "Burlington", "Gloucester", "Salem", "Cumberland", "Atlantic", "Cape May")
    ],
    "southern new jersey": [
        ("NJ", c)
        for c in ("Camden", "Burlington", "Gloucester", "Salem", "Cumberland", "Atlantic", "Cape May")
    ],
}
STATE_NAMES = {code: name for name, code in STATES.items()}
# The names of REGIONS, one for each group of counties, as a caveat says them.
# Regions named as a whole in descriptions (area.region.* in the copy catalog).
_NAMED_REGIONS = {"southeastern_pennsylvania": REGIONS["southeastern pennsylvania"],
                  "south_jersey": REGIONS["south jersey"]}  # fmt: skip
EVERYWHERE = re.compile(
    r"\b(nationwide|national|united states|usa|u\.s\.|anywhere|worldwide|no restrictions?)\b"
)
UNSURE = re.compile(r"\b(except|excluding|outside|not including|but not)\b")
_STATE_NAMES = "|".join(sorted((re.escape(name) for name in STATES), key=len, reverse=True))
# "County"/"Counties" and the state that may follow it ("Camden County, NJ", "Bucks County (PA)").
COUNTY_WORD = re.compile(
    rf"\b(Count(?:y|ies))\b(?:\s*,?\s*\(?((?i:{_STATE_NAMES})|[A-Z]{{2}})\b)?", re.IGNORECASE
)


@lru_cache(maxsize=1)
def known_counties() -> dict[str, set[str]]:
    """Every county name the zipcodes package knows (lower case), with the states that have one."""
    found: dict[str, set[str]] = {}
    # One pass over every entry, none of them kept (an importer's cost, not a server's).
    for entry in zipcodes.filter_by():
        if entry.get("county"):
            found.setdefault(entry["county"].casefold(), set()).add(entry["state"])
    return found


def _known_county(words: str) -> str | None:
    """The longest run of last words that names a county: "serves camden" -> "camden county"."""
    parts = re.findall(r"[\w.'-]+", words)
    for size in (3, 2, 1):
        if len(parts) >= size:
            name = _county(" ".join(parts[-size:]))
            if name in known_counties():
                return name
    return None


def _state_code(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    if text.upper() in ABBREVIATIONS and len(text) == 2:
        return text.upper()
    return STATES.get(text.casefold())


def _county(name: str) -> str:
    return f"{name.strip()} County".casefold()


def _title(name: str) -> str:
    """ "district of columbia" -> "District of Columbia", "mckean" -> "Mckean" (as the zipcodes package)."""
    return " ".join(w if w in ("of", "and", "the") else w[:1].upper() + w[1:] for w in name.split(" "))


@dataclass
class Area:
    """Where a service's callers may live: any of these counties, states, ZIP codes or shapes."""

    counties: set[tuple[str, str]] = field(default_factory=set)  # (state or "*", "philadelphia county")
    states: set[str] = field(default_factory=set)
    zips: set[str] = field(default_factory=set)
    zip_prefixes: set[str] = field(default_factory=set)
    shapes: list[dict] = field(default_factory=list)  # GeoJSON geometries

    def __bool__(self) -> bool:
        return bool(self.counties or self.states or self.zips or self.zip_prefixes or self.shapes)

    def merge(self, other: Area) -> None:
        self.counties |= other.counties
        self.states |= other.states
        self.zips |= other.zips
        self.zip_prefixes |= other.zip_prefixes
        self.shapes += other.shapes

    def encode(self) -> str:
        data = {
            "counties": sorted(f"{s}:{c}" for s, c in self.counties),
            "states": sorted(self.states),
            "zips": sorted(self.zips),
            "zip_prefixes": sorted(self.zip_prefixes),
            "shapes": self.shapes,
        }
        return json.dumps({k: v for k, v in data.items() if v}, separators=(",", ":"), sort_keys=True)

    @classmethod
    def decode(cls, text: str | None) -> Area | None:
        if not text:
            return None
        data = json.loads(text)
        return cls(
            counties={tuple(item.split(":", 1)) for item in data.get("counties", [])},
            states=set(data.get("states", [])),
            zips=set(data.get("zips", [])),
            zip_prefixes=set(data.get("zip_prefixes", [])),
            shapes=list(data.get("shapes", [])),
        )

    def holds_region(self, counties, state: str | None = None) -> bool:
        """Whether a caller somewhere in the service region, place unknown, is surely inside.

        ``counties`` are the region's (state, "Philadelphia County") pairs: an area holding each of
        them holds every caller of the region. A statewide area of the region's own ``state`` holds
        them too (a caller whose place is unknown is taken to be in that state), as a national one does.
        """
        if state is not None and state in self.states:
            return True
        return bool(counties) and all(
            region_state in self.states
            or (region_state, county.casefold()) in self.counties
            or ("*", county.casefold()) in self.counties
            for region_state, county in counties
        )

    def describe(self, home_state: str | None = None, language: str = DEFAULT_LANGUAGE) -> str:
        """Who lives inside, in a caller's words: "Philadelphia County residents", "residents of
        ZIP codes 19121 and 19122". Counties outside ``home_state`` carry their state."""
        names: list[str] = []
        counties = set(self.counties)
        for region, members in _NAMED_REGIONS.items():
            wanted = {(state, _county(county)) for state, county in members}
            if wanted <= counties:
                names.append(say(f"area.region.{region}", language))
                counties -= wanted
        by_state: dict[str, list[str]] = {}
        for state, county in sorted(counties, key=lambda item: (item[0] != "*", item[0], item[1])):
            by_state.setdefault(state, []).append(_title(county.removesuffix(" county")))
        for state, short in sorted(by_state.items(), key=lambda item: (item[0] != home_state, item[0])):
            key = "area.counties" if len(short) > 1 else "area.county"
            if state in ("*", home_state):
                names.append(say(key, language, names=listing(short, language)))
            else:
                names.append(say(f"{key}_in_state", language, names=listing(short, language), state=state))
        names += [_title(STATE_NAMES.get(code, code)) for code in sorted(self.states)]
        others = []
        if self.zips:
            shown = sorted(self.zips)
            listed = (
                shown
                if len(shown) <= 6
                else [*shown[:5], say("area.zip_more", language, count=len(shown) - 5)]
            )
            key = "area.zip_codes" if len(shown) > 1 else "area.zip_code"
            others.append(say(key, language, zips=listing(listed, language)))
        if self.zip_prefixes:
            prefixes = listing(sorted(self.zip_prefixes), language, last="or")
            others.append(say("area.zip_prefixes", language, prefixes=prefixes))
        if self.shapes:
            others.append(say("area.map", language))
        if not others:
            return say("area.residents", language, places=listing(names, language, last="or"))
        return say("area.residents_of", language, places=listing(names + others, language, last="or"))

    def contains(self, place) -> bool:
        """Whether a caller at ``place`` (a places.Place) lives inside. Unknown places are inside."""
        if place is None:
            return True
        state, county = getattr(place, "state", None), (getattr(place, "county", None) or "").casefold()
        postal_code = getattr(place, "postal_code", None)
        if self.shapes and any(_in_shape(shape, place.longitude, place.latitude) for shape in self.shapes):
            return True
        if postal_code and (postal_code in self.zips or postal_code[:3] in self.zip_prefixes):
            return True
        if state and state in self.states:
            return True
        if county and ((state, county) in self.counties or ("*", county) in self.counties):
            return True
        known = state or county or postal_code
        # A place we know nothing about (no state, county or ZIP) is judged only by shapes.
        return not known and not self.shapes


def parse_text(text: str, gazetteer=None) -> Area | None:
    """An area written in words; None when it cannot be read (it then excludes nobody)."""
    if not text or not text.strip():
        return None
    if EVERYWHERE.search(text.casefold()) or UNSURE.search(text.casefold()):
        return None
    area = Area()
    rest = text
    for name, counties in REGIONS.items():
        pattern = re.compile(re.escape(name), re.IGNORECASE)
        if pattern.search(rest):
            area.counties |= {(state, _county(county)) for state, county in counties}
            rest = pattern.sub(" ", rest)
    if gazetteer is not None and re.search(re.escape(gazetteer.region_name), rest, re.IGNORECASE):
        area.counties |= {(state, county.casefold()) for state, county in gazetteer.counties}
        rest = re.sub(re.escape(gazetteer.region_name), " ", rest, flags=re.IGNORECASE)

    pieces = []
    position = 0
    for match in COUNTY_WORD.finditer(rest):
        before = re.split(r"[.;:()]", rest[position : match.start()])[-1]
        state = _state_code(match.group(2)) or "*"
        names = (
            re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|/", before)
            if match.group(1).lower() == "counties"
            else [before]
        )
        for name in names:
            county = _known_county(name)
            if county is not None:
                area.counties.add((state, county))
        pieces.append(rest[position : match.start() - len(before)])
        position = match.end()
    pieces.append(rest[position:])
    rest = " ".join(pieces)
    area.zips |= set(re.findall(r"\b(\d{5})(?:-\d{4})?\b", rest))
    area.zip_prefixes |= set(re.findall(r"\b(\d{3})xx\b", rest, flags=re.IGNORECASE))
    for name, code in STATES.items():
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        if pattern.search(rest):
            area.states.add(code)
            rest = pattern.sub(" ", rest)
    area.states |= {word for word in re.findall(r"\b[A-Z]{2}\b", rest) if word in ABBREVIATIONS}
    if not area and gazetteer is not None:
        # A town the gazetteer knows ("Philadelphia", "City of Camden"): the county it is in.
        words = re.sub(r"\(.*?\)|\b(city of|residents of|only|area)\b", " ", text, flags=re.IGNORECASE)
        for part in re.split(r",|;|\band\b|/", words):
            located = gazetteer.county_of(part)
            if located is not None:
                area.counties.add(located)
    return area or None


def parse_geojson(extent) -> Area | None:
    try:
        data = json.loads(extent) if isinstance(extent, str) else extent
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    geometries = []
    if data.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") for f in data.get("features") or [] if isinstance(f, dict)]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry")]
    else:
        geometries = [data]
    shapes = [g for g in geometries if isinstance(g, dict) and g.get("type") in ("Polygon", "MultiPolygon")]
    return Area(shapes=shapes) if shapes else None


def parse_area(record: dict, gazetteer=None) -> Area | None:
    """One HSDS service_area record."""
    extent, kind = record.get("extent"), (record.get("extent_type") or "").casefold()
    if kind in ("geojson", "topojson") or (isinstance(extent, str) and extent.lstrip().startswith("{")):
        return parse_geojson(extent)
    if isinstance(extent, str) and extent.strip() and kind in ("", "text"):
        return parse_text(extent, gazetteer)
    return parse_text(record.get("name") or "", gazetteer)


def parse_areas(records: list[dict], gazetteer=None) -> Area | None:
    """A service's areas together; None (everywhere) when it has none or one cannot be read."""
    if not records:
        return None
    merged = Area()
    for record in records:
        area = parse_area(record, gazetteer)
        if area is None:
            return None
        merged.merge(area)
    return merged or None


def _in_ring(ring: list, x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_shape(shape: dict, x: float, y: float) -> bool:
    polygons = shape["coordinates"] if shape.get("type") == "MultiPolygon" else [shape.get("coordinates")]
    for polygon in polygons:
        rings = [[tuple(point[:2]) for point in ring] for ring in polygon or []]
        if rings and _in_ring(rings[0], x, y) and not any(_in_ring(hole, x, y) for hole in rings[1:]):
            return True
    return False
