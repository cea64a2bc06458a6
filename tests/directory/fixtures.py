"""Small, hand-written HSDS 3.0 data for the directory tests.

Everything here is built in Python so each test shows the few facts it depends
on: ``service("a", needs=["counseling"], payments=["medicaid"], at=near(1.0))``
is a complete HSDS service record (organization, location, address, phone and
taxonomy attributes nested the way HSDS JSON nests them).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.config import DATA_DIR
from bot.directory import SearchQuery
from bot.directory.store import metadata
from bot.directory.taxonomy import ACCESS, NEEDS, PAYMENT, POPULATION, term_id

SAMPLE_FILE = DATA_DIR / "sample" / "services.json"
CROSSWALK_DIR = DATA_DIR / "crosswalks"

EASTERN = ZoneInfo("America/New_York")
# A Wednesday afternoon in the service region's time zone: every search that
# depends on opening hours is pinned to it (or to another fixed moment).
NOW = datetime(2025, 6, 4, 14, 0, tzinfo=EASTERN)
RECENTLY = "2025-05-01"  # verified a month before NOW: no caveat, full points

# ZIP 19143 (West Philadelphia) as the zipcodes package places it.
HOME = (39.9448, -75.2288)
HOME_ZIP = "19143"
MILES_PER_DEGREE_LATITUDE = 69.0


def near(north_miles: float, east_miles: float = 0.0) -> tuple[float, float]:
    """A point this many miles north (and east) of ZIP 19143's centroid."""
    lat, lon = HOME
    miles_per_degree_longitude = 69.17 * 0.7667  # cos(39.94 degrees)
    return (
        round(lat + north_miles / MILES_PER_DEGREE_LATITUDE, 6),
        round(lon + east_miles / miles_per_degree_longitude, 6),
    )


def uid(name: str) -> str:
    """A stable UUID for a readable name: HSDS JSON Schemas require ids to be UUIDs."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://wayfinder.example/tests/{name}"))


def attribute(owner_id: str, taxonomy: str, code: str) -> dict:
    """An HSDS attribute tagging a record with one of our taxonomy terms."""
    return {
        "id": uid(f"{owner_id}/{taxonomy}/{code}"),
        "taxonomy_term_id": term_id(taxonomy, code),
        "link_type": taxonomy,
        "value": code,
    }


def weekly(byday: str, opens_at: str, closes_at: str, **fields) -> dict:
    """A weekly schedule without an id (``service`` numbers them)."""
    return {"freq": "WEEKLY", "byday": byday, "opens_at": opens_at, "closes_at": closes_at, **fields}


WEEKDAYS_9_TO_5 = weekly("MO,TU,WE,TH,FR", "09:00", "17:00")
ALWAYS = weekly("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")


def service(
    service_id: str,
    name: str | None = None,
    *,
    needs=("counseling",),
    payments=(),
    populations=(),
    access=(),
    at: tuple[float, float] | None = HOME,
    postal_code: str = HOME_ZIP,
    status: str = "active",
    hours=(WEEKDAYS_9_TO_5,),
    languages=(),
    cost_options=(),
    assured_date: str | None = RECENTLY,
    minimum_age: float | None = None,
    maximum_age: float | None = None,
    phone: str = "215-555-0100",
    **fields,
) -> dict:
    """A full HSDS service. ``at=None`` makes it a virtual (phone/online) service.

    The records nested in it get UUIDs derived from the service id: ``uid(f"{service_id}/location")``.
    """
    record = {
        "id": service_id,
        "name": name or f"Service {service_id}",
        "description": f"Test service {service_id}.",
        "status": status,
        "organization": {
            "id": uid(f"{service_id}/organization"),
            "name": f"Organization of {service_id}",
            "description": "A test organization.",
        },
        "phones": [{"id": uid(f"{service_id}/phone"), "number": phone, "type": "voice"}],
        "attributes": [
            attribute(service_id, taxonomy, code)
            for taxonomy, codes in (
                (NEEDS, needs),
                (PAYMENT, payments),
                (POPULATION, populations),
                (ACCESS, access),
            )
            for code in codes
        ],
    }
    if assured_date is not None:
        record["assured_date"] = assured_date
    if minimum_age is not None:
        record["minimum_age"] = minimum_age
    if maximum_age is not None:
        record["maximum_age"] = maximum_age
    if hours:
        record["schedules"] = [
            {"id": uid(f"{service_id}/hours/{n}"), **block} for n, block in enumerate(hours)
        ]
    if languages:
        record["languages"] = [
            {"id": uid(f"{service_id}/language/{code}"), "code": code, "name": name}
            for code, name in languages
        ]
    if cost_options:
        record["cost_options"] = [
            {"id": uid(f"{service_id}/cost/{n}"), **option} for n, option in enumerate(cost_options)
        ]
    if at is not None:
        location = {
            "id": uid(f"{service_id}/location"),
            "location_type": "physical",
            "name": f"Office of {service_id}",
            "latitude": at[0],
            "longitude": at[1],
            "addresses": [
                {
                    "id": uid(f"{service_id}/address"),
                    "address_1": "1 Test Street",
                    "city": "Philadelphia",
                    "state_province": "PA",
                    "postal_code": postal_code,
                    "country": "US",
                    "address_type": "physical",
                }
            ],
        }
    else:
        location = {"id": uid(f"{service_id}/location"), "location_type": "virtual", "name": "By phone"}
    record["service_at_locations"] = [{"id": uid(f"{service_id}/service_at_location"), "location": location}]
    record.update(fields)
    return record


def write_json(path: Path, document) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(directory, folder: Path, *services: dict, name: str = "services.json", **import_options):
    """Write the services as one HSDS JSON file in ``folder`` and import it."""
    return directory.import_path(write_json(folder / name, list(services)), **import_options)


def search(directory, now: datetime = NOW, record_unmet: bool = False, **query):
    """Search as the assistant does, at a fixed moment, by default without recording unmet needs."""
    query.setdefault("zip_code", HOME_ZIP)
    return directory.search(SearchQuery(**query), now=now, record_unmet=record_unmet)


def ids(response) -> list[str]:
    return [result.service_id for result in response.results]


def result_for(response, service_id: str):
    matches = [result for result in response.results if result.service_id == service_id]
    assert matches, f"{service_id} is not among the results {ids(response)}"
    return matches[0]


def records(directory) -> dict[str, dict[str, dict]]:
    """Every HSDS record in the directory: what 'byte-for-byte unchanged' compares."""
    return directory.snapshot().records


def database_state(directory) -> dict[str, list[tuple]]:
    """Every row of every table (HSDS, search index, unmet needs), in primary-key order.

    Leaves out wf_meta: its index version counts rebuilds, which a successful re-import makes.
    """
    state = {}
    with directory.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name == "wf_meta":
                continue
            statement = sa.select(table).order_by(*table.primary_key.columns)
            state[table.name] = [tuple(row) for row in conn.execute(statement)]
    return state


def empty(directory):
    """Delete every row of every table: the directory is then as a fresh one."""
    with directory.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return directory


def round_trip(directory, export_path: Path):
    """Export, empty the database (then as a fresh one) and import the export back.

    Returns (records before, records after, the import's report).
    """
    before = records(directory)
    directory.export(export_path)
    empty(directory)
    report = directory.import_path(export_path)
    return before, records(directory), report
