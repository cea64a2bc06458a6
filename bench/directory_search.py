"""Benchmark: import a synthetic directory of N services, then time a realistic mix of searches.

    cd /work/main && .venv/bin/python bench/directory_search.py
    .venv/bin/python bench/directory_search.py --services 10000 --queries 500 --backends sqlite

For each backend (SQLite in a temporary folder, PostgreSQL when one is reachable)
two fresh child processes run one after the other:

1. import: generate N HSDS services deterministically (``--seed``), read them with
   the importer (``read_document``) and load them with ``Directory.import_parsed``.
   Prints the time of each step, the row counts and the import's peak RSS.
2. search: a new process, like the assistant's action server, opens the directory,
   runs a warm-up, then the timed query mix. Prints p50/p95/p99/max latency, queries
   per second, results per query, where the time went (candidate fetch, ranking,
   relaxations) and the search process's peak RSS.

A benchmark, not a test: it never fails on time, and exits 0 unless it cannot run
at all. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import math
import os
import pstats
import random
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from machine import load_average  # noqa: E402  (bench/, the script's own folder)
from percentiles import percentile  # noqa: E402

import bot.directory.directory  # noqa: E402
import bot.directory.index  # noqa: E402
from bot.db import create_engine  # noqa: E402
from bot.directory.directory import Directory  # noqa: E402
from bot.directory.importer import Parsed, read_document  # noqa: E402
from bot.directory.places import default_gazetteer, distance_miles, zip_index  # noqa: E402
from bot.directory.search import SearchQuery  # noqa: E402
from bot.directory.store import metadata  # noqa: E402
from bot.directory.taxonomy import ACCESS, NEEDS, PAYMENT, POPULATION, default_taxonomy, term_id  # noqa: E402

# Every search is asked "now" = a Wednesday afternoon in Philadelphia, and verification
# dates are spread over the three years before it, so results never depend on the clock.
NOW = datetime(2025, 3, 12, 14, 30, tzinfo=ZoneInfo("America/New_York"))
PHILADELPHIA_SHARE = 0.10  # of services placed in the service region's ZIP codes
VIRTUAL_SHARE = 0.005  # phone/online-only services (crisis lines, warmlines): no coordinates
QUERY_REGION_SHARE = 0.85  # of queries asked from a ZIP in the region (the rest: elsewhere)
JITTER_MILES = 3.0

LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("ru", "Russian"),
    ("ase", "American Sign Language"),
    ("ar", "Arabic"),
    ("ht", "Haitian Creole"),
]
LANGUAGE_WEIGHTS = [0, 50, 10, 8, 8, 6, 6, 5]  # extra languages after English
PAYMENT_ODDS = {"medicaid": 0.6, "private_insurance": 0.4, "medicare": 0.3, "sliding_fee": 0.25, "free": 0.2}
POPULATION_ODDS = {
    "youth": 0.12,
    "adults": 0.1,
    "seniors": 0.06,
    "veterans": 0.04,
    "lgbtq": 0.04,
    "spanish_speaking": 0.03,
    "deaf_hard_of_hearing": 0.02,
}
ACCESS_ODDS = {"walk_in": 0.25, "telehealth": 0.2, "same_day": 0.15, "wheelchair_accessible": 0.5}
AGE_RANGES = [(None, 17), (5, 21), (12, 25), (18, None), (18, 64), (60, None), (65, None), (0, 5)]
ORG_WORDS = [
    "Community",
    "Family",
    "Riverside",
    "Northeast",
    "Unity",
    "Hope",
    "Bridge",
    "Harbor",
    "Liberty",
    "Keystone",
    "Beacon",
    "Cornerstone",
    "Pathways",
    "Horizon",
    "New Start",
    "Greenway",
    "Summit",
]
ORG_KINDS = [
    "Health Center",
    "Services",
    "Counseling Center",
    "Alliance",
    "Clinic",
    "Outreach",
    "Recovery Center",
    "Family Services",
    "Support Network",
    "Wellness Center",
    "Legal Aid",
]
STREETS = [
    "Market",
    "Chestnut",
    "Walnut",
    "Broad",
    "Main",
    "Oak",
    "Maple",
    "Church",
    "Park",
    "Washington",
    "Lincoln",
    "Girard",
    "Spring Garden",
    "Lancaster",
    "Germantown",
    "Baltimore",
    "Frankford",
]
STREET_KINDS = ["St", "Ave", "Rd", "Blvd", "Pike", "Ln"]
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


# --- the synthetic directory ----------------------------------------------


@dataclass
class ZipSets:
    region: list[str]  # standard ZIP codes of the service region (Greater Philadelphia)
    elsewhere: list[str]  # every other standard ZIP code in the country
    entries: dict[str, dict]


def zip_sets() -> ZipSets:
    gazetteer = default_gazetteer()
    entries = zip_index()
    region, elsewhere = [], []
    for code in sorted(entries):
        entry = entries[code]
        if entry.get("zip_code_type") != "STANDARD" or not entry.get("active", True):
            continue  # PO boxes and single-building ZIPs share another ZIP's centroid
        (region if gazetteer.in_region(entry["state"], entry.get("county")) else elsewhere).append(code)
    return ZipSets(region, elsewhere, entries)


class Generator:
    """HSDS 3.0 services as nested JSON, the way a directory's API or export would give them."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.taxonomy = default_taxonomy()
        self.zips = zip_sets()
        needs = self.taxonomy.codes(NEEDS)
        self.need_leaves = [c for c in needs if self.taxonomy.with_descendants(NEEDS, c) == {c}]
        self.need_parents = [c for c in needs if c not in self.need_leaves]
        self.term_ids = {
            (taxonomy, code): term_id(taxonomy, code)
            for taxonomy in (NEEDS, PAYMENT, POPULATION, ACCESS)
            for code in self.taxonomy.codes(taxonomy)
        }
        self.today = NOW.date()

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def services(self, count: int) -> list[dict]:
        rng = self.rng
        documents: list[dict] = []
        organization: dict | None = None
        location: dict | None = None
        remaining = 0
        while len(documents) < count:
            if rng.random() < VIRTUAL_SHARE:
                documents.append(self.service(self.organization(None), None, virtual=True))
                continue
            if remaining == 0:
                # An organization with 1-4 services offered at one site.
                in_region = rng.random() < PHILADELPHIA_SHARE
                zip_code = rng.choice(self.zips.region if in_region else self.zips.elsewhere)
                organization = self.organization(zip_code)
                location = self.location(organization, zip_code)
                remaining = rng.choice((1, 1, 1, 2, 2, 3, 4))
            documents.append(self.service(organization, location))
            remaining -= 1
        return documents

    def organization(self, zip_code: str | None) -> dict:
        rng = self.rng
        city = self.zips.entries[zip_code]["city"].title() if zip_code else "National"
        name = f"{rng.choice([city, *ORG_WORDS])} {rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)}"
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:24]
        return {
            "id": self.uid(),
            "name": name,
            "description": f"{name} is a nonprofit serving {city} and the surrounding area.",
            "website": f"https://{slug}.example.org",
            "email": f"info@{slug}.example.org",
        }

    def location(self, organization: dict, zip_code: str) -> dict:
        rng = self.rng
        entry = self.zips.entries[zip_code]
        lat, lon = float(entry["lat"]), float(entry["long"])
        miles = JITTER_MILES * math.sqrt(rng.random())
        bearing = rng.random() * 2 * math.pi
        lat += miles * math.cos(bearing) / 69.0
        lon += miles * math.sin(bearing) / (69.17 * math.cos(math.radians(lat)))
        return {
            "id": self.uid(),
            "location_type": "physical",
            "name": organization["name"],
            "organization_id": organization["id"],
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
            "addresses": [
                {
                    "id": self.uid(),
                    "address_1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}",
                    "city": entry["city"].title(),
                    "state_province": entry["state"],
                    "postal_code": zip_code,
                    "country": "US",
                    "address_type": "physical",
                }
            ],
        }

    def service(self, organization: dict, location: dict | None, virtual: bool = False) -> dict:
        rng = self.rng
        needs = self.needs(virtual)
        need_name = self.taxonomy.term(NEEDS, needs[0]).name
        service_id = self.uid()
        verified = self.today - timedelta(days=int(rng.random() ** 1.5 * 1100))
        document: dict = {
            "id": service_id,
            "name": f"{need_name} at {organization['name']}",
            "description": f"{need_name} for residents; call to ask about eligibility.",
            "status": "active" if rng.random() < 0.97 else "inactive",
            "url": f"{organization['website']}/services/{needs[0].replace('_', '-')}",
            "email": organization["email"],
            "assured_date": verified.isoformat(),
            "last_modified": f"{verified.isoformat()}T12:00:00Z",
            "organization": organization,
            "phones": [{"id": self.uid(), "number": self.phone(location), "type": "voice"}],
            "schedules": self.schedules(virtual),
            "languages": [{"id": self.uid(), "name": name, "code": code} for code, name in self.languages()],
            "attributes": self.attributes(needs, virtual),
        }
        if rng.random() < 0.3:
            minimum, maximum = rng.choice(AGE_RANGES)
            if minimum is not None:
                document["minimum_age"] = minimum
            if maximum is not None:
                document["maximum_age"] = maximum
        if rng.random() < 0.1:
            document["cost_options"] = [
                {"id": self.uid(), "option": "Sliding scale", "amount_description": "Sliding fee by income"}
            ]
        if virtual:
            place = {"id": self.uid(), "location_type": "virtual", "name": f"{organization['name']} (phone)"}
        else:
            place = location
        document["service_at_locations"] = [{"id": self.uid(), "location": place}]
        return document

    def needs(self, virtual: bool) -> list[str]:
        rng = self.rng
        if virtual:
            return [rng.choice(["crisis_lines", "warmline", "crisis_lines", "benefits"])]
        first = rng.choice(self.need_leaves) if rng.random() < 0.9 else rng.choice(self.need_parents)
        codes = [first]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            parent = self.taxonomy.term(NEEDS, first).parent
            pool = (
                sorted(self.taxonomy.with_descendants(NEEDS, parent))
                if parent and rng.random() < 0.7
                else None
            )
            code = rng.choice(pool or self.need_leaves)
            if code not in codes:
                codes.append(code)
        return codes

    def attributes(self, needs: list[str], virtual: bool) -> list[dict]:
        rng = self.rng
        tags = [(NEEDS, code) for code in needs]
        payments = [code for code, odds in PAYMENT_ODDS.items() if rng.random() < odds] or ["medicaid"]
        tags += [(PAYMENT, code) for code in payments]
        tags += [(POPULATION, code) for code, odds in POPULATION_ODDS.items() if rng.random() < odds]
        tags += [(ACCESS, code) for code, odds in ACCESS_ODDS.items() if rng.random() < odds and not virtual]
        if virtual:
            tags.append((ACCESS, "telehealth"))
        return [
            {
                "id": self.uid(),
                "taxonomy_term_id": self.term_ids[(taxonomy, code)],
                "link_type": taxonomy,
                "value": code,
            }
            for taxonomy, code in tags
        ]

    def languages(self) -> list[tuple[str, str]]:
        rng = self.rng
        chosen = [LANGUAGES[0]]
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
            if language not in chosen:
                chosen.append(language)
        if rng.random() < 0.05:
            chosen = chosen[1:] or [LANGUAGES[1]]  # a Spanish-only (or other) service now and then
        return chosen

    def schedules(self, virtual: bool) -> list[dict]:
        rng = self.rng
        kind = rng.random()
        if virtual or kind < 0.08:
            blocks = [("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")]  # 24/7
        elif kind < 0.13:
            blocks = [("MO,TU,WE,TH,FR,SA,SU", "19:00", "07:00")]  # overnight shelter
        elif kind < 0.85:
            opens = rng.choice(("07:30", "08:00", "08:30", "09:00", "09:00", "10:00"))
            closes = rng.choice(("16:00", "16:30", "17:00", "17:00", "18:00", "20:00"))
            blocks = [("MO,TU,WE,TH,FR", opens, closes)]
            if rng.random() < 0.4:
                blocks.append(rng.choice([("SA", "10:00", "14:00"), ("TU,TH", "17:00", "20:00")]))
        else:
            days = ",".join(sorted(rng.sample(DAY_CODES[:6], rng.randint(2, 4)), key=DAY_CODES.index))
            blocks = [(days, "09:00", "12:00"), (days, "13:00", "17:00")]
        return [
            {
                "id": self.uid(),
                "freq": "WEEKLY",
                "byday": byday,
                "opens_at": opens,
                "closes_at": closes,
                "description": f"{byday} {opens}-{closes}",
            }
            for byday, opens, closes in blocks
        ]

    def phone(self, location: dict | None) -> str:
        rng = self.rng
        area = "800"
        if location is not None:
            codes = self.zips.entries[location["addresses"][0]["postal_code"]].get("area_codes") or ["215"]
            area = rng.choice(codes)
        return f"({area}) 555-{rng.randint(0, 9999):04d}"


# --- the query mix --------------------------------------------------------


def query_mix(seed: int, count: int, salt: str = "queries") -> list[SearchQuery]:
    """Realistic searches: a need (leaf or category), a ZIP, a radius, and half of them filtered."""
    rng = random.Random(f"{seed}/{salt}")
    taxonomy = default_taxonomy()
    zips = zip_sets()
    needs = taxonomy.codes(NEEDS)
    leaves = [c for c in needs if taxonomy.with_descendants(NEEDS, c) == {c}]
    parents = [c for c in needs if c not in leaves]
    queries = []
    for _ in range(count):
        need = rng.choice(leaves) if rng.random() < 0.7 else rng.choice(parents)
        zip_code = rng.choice(zips.region if rng.random() < QUERY_REGION_SHARE else zips.elsewhere)
        query = SearchQuery(
            need=need, zip_code=zip_code, radius_miles=rng.choices((5.0, 10.0, 25.0), (3, 5, 2))[0]
        )
        if rng.random() < 0.5:
            for name in rng.sample(
                ["payment", "age", "language", "open_now", "walk_in"], rng.choice((1, 1, 2, 3))
            ):
                if name == "payment":
                    query.payment = rng.choice(
                        ["medicaid", "medicaid", "private_insurance", "medicare", "sliding_fee", "free"]
                    )
                elif name == "age":
                    query.age = rng.randint(8, 80)
                elif name == "language":
                    query.language = "es"
                else:
                    setattr(query, name, True)
        queries.append(query)
    return queries


# --- phases (each in its own process) -------------------------------------


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class GcPauses:
    """Collections of each generation, and the time they took, while active."""

    def __init__(self):
        self.count = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.count[info["generation"]] += 1
            self.seconds[info["generation"]] += time.perf_counter() - self._started

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


def density(documents: list[dict], zip_code: str = "19107") -> str:
    """How many generated services lie within 5, 10 and 25 miles of a ZIP (19107: Center City)."""
    entry = zip_index()[zip_code]
    lat, lon = float(entry["lat"]), float(entry["long"])
    points = [
        (place["latitude"], place["longitude"])
        for document in documents
        for place in (sal["location"] for sal in document["service_at_locations"])
        if place.get("latitude") is not None
    ]
    counts = [sum(1 for a, b in points if distance_miles(lat, lon, a, b) <= radius) for radius in (5, 10, 25)]
    return f"services within 5 / 10 / 25 miles of {zip_code} ({entry['city'].title()}): " + " / ".join(
        f"{n:,}" for n in counts
    )


def print_profile(profiler: cProfile.Profile, what: str, lines: int) -> None:
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(lines)
        print(f"\n  cProfile of {what}, by {order}:")
        print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


def timed(function, name: str, sink: dict[str, float]):
    """``function``, adding the seconds each call takes to ``sink[name]``."""

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            sink[name] = sink.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def phase_import(args, url: str) -> dict:
    print(f"  import phase starts ({load_average()})", flush=True)
    started = time.perf_counter()
    documents = Generator(args.seed).services(args.services)
    generated = time.perf_counter()
    print("  " + density(documents), flush=True)
    parsed = Parsed(files=["synthetic"])
    read_document(documents, "synthetic", parsed)
    del documents
    read = time.perf_counter()
    child_lists = getattr(parsed, "child_lists", None)
    if child_lists and args.skip_stale_children:
        print(f"  leaving out the stale-children check of {len(child_lists):,} child lists", flush=True)
        parsed.child_lists = set()
    print(
        f"  generated {args.services:,} services in {generated - started:.1f} s; "
        f"read into {parsed.count():,} flat HSDS records in {read - generated:.1f} s",
        flush=True,
    )

    engine = create_engine(url)
    metadata.drop_all(engine)  # a fresh database every run
    engine.dispose()
    directory = Directory(url)

    # Time the steps of import_parsed by wrapping the functions it calls (no change to bot/).
    steps: dict[str, float] = {}
    wrapped = [(bot.directory.index, "rebuild"), (bot.directory.directory, "remove_stale_children")]
    originals = {}
    for module, name in wrapped:
        if hasattr(module, name):
            originals[(module, name)] = getattr(module, name)
            setattr(module, name, timed(getattr(module, name), name, steps))
    profiler = cProfile.Profile() if args.profile_import else None
    before = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    report = directory.import_parsed(parsed, progress=True)
    if profiler is not None:
        profiler.disable()
    imported = time.perf_counter()
    for (module, name), original in originals.items():
        setattr(module, name, original)
    rebuild_s = steps.get("rebuild", 0.0)
    stale_s = steps.get("remove_stale_children", 0.0)
    counts = {name: report.inserted.get(name, 0) + report.updated.get(name, 0) for name in report.inserted}
    print(
        f"  imported in {imported - before:.1f} s{' (under cProfile: slower)' if profiler else ''}: "
        f"stale-children check {stale_s:.1f} s, {report.records:,} HSDS records upserted in "
        f"{imported - before - rebuild_s - stale_s:.1f} s, search index of {report.indexed:,} rows "
        f"rebuilt in {rebuild_s:.1f} s",
        flush=True,
    )
    print("  rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()), flush=True)
    for warning in report.warnings[:5]:
        print(f"  warning: {warning}")
    if directory.engine.dialect.name == "postgresql":
        # Autovacuum analyses the new tables within a minute or so anyway; doing it now keeps it
        # from running in the middle of the timed searches. (SQLite never analyses by itself: not done.)
        with directory.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
        print(f"  ran ANALYZE (PostgreSQL) in {time.perf_counter() - imported:.1f} s", flush=True)
    directory.close()
    if profiler is not None:
        print_profile(profiler, "the import", args.profile_lines)
    return {
        "generate_s": generated - started,
        "read_s": read - generated,
        "import_s": imported - before,
        "rebuild_s": rebuild_s,
        "stale_s": stale_s,
        "records": report.records,
        "search_rows": report.indexed,
        "rows": counts,
        "import_peak_rss_mb": peak_rss_mb(),
        "profiled": bool(profiler),
    }


class Breakdown:
    """Wall time per step of Searcher.search, by wrapping the instance's methods (no change to bot/)."""

    def __init__(self, searcher):
        self.candidates: list[float] = []
        self.candidate_rows: list[int] = []
        self.rank: list[float] = []
        self.relax: list[float] = []
        self._in_relax = False
        self._current = {"candidates": 0.0, "rows": 0, "rank": 0.0, "relax": 0.0}
        self._wrap(searcher)

    def _wrap(self, searcher) -> None:
        candidates, rank, relaxations = searcher._eligible, searcher._rank, searcher.relaxations

        def timed_candidates(*a, **k):
            start = time.perf_counter()
            eligible = candidates(*a, **k)
            if not self._in_relax:
                self._current["candidates"] += time.perf_counter() - start
                self._current["rows"] += len(eligible[0])
            return eligible

        def timed_rank(*a, **k):
            start = time.perf_counter()
            ranked = rank(*a, **k)
            if not self._in_relax:
                self._current["rank"] += time.perf_counter() - start
            return ranked

        def timed_relaxations(*a, **k):
            start = time.perf_counter()
            self._in_relax = True
            try:
                return relaxations(*a, **k)
            finally:
                self._in_relax = False
                self._current["relax"] += time.perf_counter() - start

        searcher._eligible, searcher._rank, searcher.relaxations = (
            timed_candidates,
            timed_rank,
            timed_relaxations,
        )

    def start(self) -> None:
        self._current = {"candidates": 0.0, "rows": 0, "rank": 0.0, "relax": 0.0}

    def stop(self) -> None:
        self.candidates.append(self._current["candidates"])
        self.candidate_rows.append(self._current["rows"])
        # _rank calls _eligible: its own time is what remains.
        self.rank.append(self._current["rank"] - self._current["candidates"])
        self.relax.append(self._current["relax"])


def phase_search(args, url: str) -> dict:
    print(f"  search phase starts ({load_average()})", flush=True)
    opened = time.perf_counter()
    directory = Directory(url)
    warmup = query_mix(args.seed, args.warmup, salt="warmup")
    queries = query_mix(args.seed, args.queries)
    for query in warmup:
        directory.search(query, now=NOW, record_unmet=False)
    print(
        f"  opened and warmed up ({args.warmup} queries) in {time.perf_counter() - opened:.1f} s", flush=True
    )

    breakdown = Breakdown(directory.searcher)
    profiler = cProfile.Profile() if args.profile else None
    latencies: list[float] = []
    results: list[int] = []
    totals: list[int] = []
    pauses = GcPauses()
    wall_start = time.perf_counter()
    with pauses:
        for query in queries:
            breakdown.start()
            if profiler is not None:
                profiler.enable()
            start = time.perf_counter()
            response = directory.search(query, now=NOW, record_unmet=False)
            elapsed = time.perf_counter() - start
            if profiler is not None:
                profiler.disable()
            breakdown.stop()
            latencies.append(elapsed * 1000)
            results.append(len(response.results))
            totals.append(response.total)
    wall = time.perf_counter() - wall_start
    directory.close()

    summary = {
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
        "qps": len(queries) / wall,
        "mean_results": statistics.fmean(results),
        "mean_total": statistics.fmean(totals),
        "empty": sum(1 for n in results if n == 0),
        "search_peak_rss_mb": peak_rss_mb(),
        "profiled": bool(profiler),
    }
    print(
        f"  {len(queries)} queries in {wall:.2f} s{' (under cProfile: slower)' if profiler else ''}: "
        f"p50 {summary['p50_ms']:.2f} ms, p95 {summary['p95_ms']:.2f} ms, p99 {summary['p99_ms']:.2f} ms, "
        f"max {summary['max_ms']:.2f} ms, {summary['qps']:.0f} queries/s"
    )
    print(
        f"  results shown per query {summary['mean_results']:.2f} (of {summary['mean_total']:.1f} matching on "
        f"average); {summary['empty']} with none (those also run the relaxation searches)"
    )
    print(f"  peak RSS of the search process {summary['search_peak_rss_mb']:.0f} MB")
    print("  where the time goes, per query (mean / p95, ms):")
    parts = [
        ("filters on the in-memory index", [t * 1000 for t in breakdown.candidates]),
        ("scoring and the top rows' details", [t * 1000 for t in breakdown.rank]),
        ("relaxations (no results only)", [t * 1000 for t in breakdown.relax]),
    ]
    accounted = [sum(p[1][i] for p in parts) for i in range(len(latencies))]
    parts.append(
        ("the rest (connect, locate, GC, ...)", [t - a for t, a in zip(latencies, accounted, strict=True)])
    )
    for label, values in parts:
        print(f"    {label:<34} {statistics.fmean(values):7.2f} / {percentile(values, 0.95):7.2f}")
        summary[f"breakdown_{label.split()[0]}_mean_ms"] = statistics.fmean(values)
    rows = breakdown.candidate_rows
    print(
        f"    candidate rows fetched per query: mean {statistics.fmean(rows):,.0f}, "
        f"p95 {percentile(rows, 0.95):,.0f}, max {max(rows):,}"
    )
    summary["mean_candidate_rows"] = statistics.fmean(rows)
    print(
        "    garbage collector during the timed queries: "
        + ", ".join(f"gen{g} {pauses.count[g]}x {pauses.seconds[g] * 1000:.0f} ms" for g in range(3))
    )
    summary["gc_ms"] = sum(pauses.seconds) * 1000
    taxonomy = default_taxonomy()
    slow = sorted(range(len(queries)), key=latencies.__getitem__)[-max(1, len(queries) // 20) :]
    categories = sum(
        1 for i in slow if taxonomy.with_descendants(NEEDS, queries[i].need) != {queries[i].need}
    )
    wide = sum(1 for i in slow if queries[i].radius_miles == 25.0)
    print(
        f"  the slowest 5% ({len(slow)} queries): {categories} ask for a category (with narrower needs), {wide} "
        f"within 25 miles; {statistics.fmean(rows[i] for i in slow):,.0f} candidate rows and "
        f"{statistics.fmean(totals[i] for i in slow):,.0f} matches on average"
    )
    by_radius: dict[float, list[float]] = {}
    for query, latency in zip(queries, latencies, strict=True):
        by_radius.setdefault(query.radius_miles, []).append(latency)
    region = {code for code in zip_sets().region}
    inside = [t for q, t in zip(queries, latencies, strict=True) if q.zip_code in region]
    outside = [t for q, t in zip(queries, latencies, strict=True) if q.zip_code not in region]
    print(
        "  p50 / p95 by radius: "
        + ", ".join(
            f"{r:g} mi {percentile(v, 0.5):.1f} / {percentile(v, 0.95):.1f} ms (n={len(v)})"
            for r, v in sorted(by_radius.items())
        )
    )
    if inside and outside:
        print(
            f"  p50 / p95 in the region {percentile(inside, 0.5):.1f} / {percentile(inside, 0.95):.1f} ms "
            f"(n={len(inside)}); outside it (phone/online services only) "
            f"{percentile(outside, 0.5):.1f} / {percentile(outside, 0.95):.1f} ms (n={len(outside)})"
        )
    print(f"  search phase ends ({load_average()})")
    if profiler is not None:
        print_profile(profiler, "the timed queries", args.profile_lines)
    return summary


# --- orchestration --------------------------------------------------------


@dataclass
class Outcome:
    backend: str
    url: str | None = None
    skipped: str | None = None
    imported: dict = field(default_factory=dict)
    searched: dict = field(default_factory=dict)


def postgres_url(args) -> tuple[str | None, str | None]:
    """(url, None) or (None, why PostgreSQL is skipped)."""
    url = args.postgres_url or os.environ.get("WAYFINDER_BENCH_POSTGRES_URL")
    how = "given"
    if not url:
        how = "from scripts/postgres.sh"
        try:
            done = subprocess.run(
                ["bash", str(PROJECT_ROOT / "scripts" / "postgres.sh"), "wayfinder_bench"],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=PROJECT_ROOT,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"scripts/postgres.sh could not run ({error})"
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            reason = (
                done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}"
            ).splitlines()[-1]
            return None, f"scripts/postgres.sh failed: {reason}"
        url = lines[-1].strip()
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:
        return None, f"cannot connect to PostgreSQL ({how}): {str(error).splitlines()[0]}"
    return url, None


def child(args, phase: str, backend: str, url: str, outcome: Outcome) -> bool:
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as handle:
        result_path = handle.name
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        phase,
        "--url",
        url,
        "--result-file",
        result_path,
        "--services",
        str(args.services),
        "--queries",
        str(args.queries),
        "--seed",
        str(args.seed),
        "--warmup",
        str(args.warmup),
        "--profile-lines",
        str(args.profile_lines),
    ]
    if args.profile:
        command.append("--profile")
    if args.profile_import:
        command.append("--profile-import")
    if args.skip_stale_children:
        command.append("--skip-stale-children")
    try:
        done = subprocess.run(command, cwd=PROJECT_ROOT)
        text = Path(result_path).read_text() if Path(result_path).exists() else ""
        if done.returncode != 0 or not text:
            outcome.skipped = f"the {phase} phase failed (exit code {done.returncode}); see its output above"
            return False
        getattr(outcome, "imported" if phase == "import" else "searched").update(json.loads(text))
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(result_path)


def run_backend(args, backend: str) -> Outcome:
    outcome = Outcome(backend)
    print(f"\n== {backend} ==", flush=True)
    scratch = None
    if backend == "sqlite":
        if args.sqlite_path:
            path = Path(args.sqlite_path).resolve()
        else:
            scratch = tempfile.mkdtemp(prefix="wayfinder-bench-")
            path = Path(scratch) / "directory.sqlite3"
        outcome.url = f"sqlite:///{path}"
    else:
        outcome.url, outcome.skipped = postgres_url(args)
        if outcome.url is None:
            print(f"  PostgreSQL skipped: {outcome.skipped}")
            return outcome
    print(f"  database: {create_engine(outcome.url).url.render_as_string(hide_password=True)}", flush=True)
    try:
        if args.reuse:
            print("  --reuse: searching the directory already there (no generation, no import)")
        elif not child(args, "import", backend, outcome.url, outcome):
            return outcome
        child(args, "search", backend, outcome.url, outcome)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return outcome


def table(outcomes: list[Outcome], args) -> str:
    lines = [
        "| backend | services | queries | p50 ms | p95 ms | p99 ms | qps | peak RSS MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for outcome in outcomes:
        s = outcome.searched
        if not s:
            lines.append(f"| {outcome.backend} | {args.services:,} | skipped: {outcome.skipped} | | | | | |")
            continue
        lines.append(
            f"| {outcome.backend} | {args.services:,} | {args.queries:,} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} "
            f"| {s['p99_ms']:.2f} | {s['qps']:.0f} | {s['search_peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000, help="services to generate (default 100000)")
    parser.add_argument("--queries", type=int, default=2000, help="timed searches (default 2000)")
    parser.add_argument("--warmup", type=int, default=100, help="untimed searches first (default 100)")
    parser.add_argument("--seed", type=int, default=20250312, help="for the directory and the queries")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--sqlite-path", help="SQLite file to use (default: a temporary folder, removed after)"
    )
    parser.add_argument(
        "--postgres-url", help="default: WAYFINDER_BENCH_POSTGRES_URL, else scripts/postgres.sh"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip generation and import: search the directory already in the database",
    )
    parser.add_argument(
        "--profile", action="store_true", help="run the timed searches under cProfile and print it"
    )
    parser.add_argument(
        "--skip-stale-children",
        action="store_true",
        help="leave out the import's stale-children check (a no-op on fresh tables)",
    )
    parser.add_argument(
        "--profile-import", action="store_true", help="run the import under cProfile and print it"
    )
    parser.add_argument("--profile-lines", type=int, default=30, help="functions to list per cProfile view")
    # Internal: one phase in a child process.
    parser.add_argument("--phase", choices=("import", "search"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.backends = [b.strip().lower() for b in args.backends.split(",") if b.strip()]
    aliases = {"postgres": "postgresql", "pg": "postgresql", "sqlite3": "sqlite"}
    args.backends = [aliases.get(b, b) for b in args.backends]
    unknown = set(args.backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.phase:
        result = phase_import(args, args.url) if args.phase == "import" else phase_search(args, args.url)
        Path(args.result_file).write_text(json.dumps(result))
        return 0

    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    print(
        f"Directory search benchmark: {args.services:,} services, {args.queries:,} queries "
        f"(+{args.warmup} warm-up), seed {args.seed}, now = {NOW.isoformat()}"
    )
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    outcomes = [run_backend(args, backend) for backend in args.backends]

    print("\n## Results\n")
    print(table(outcomes, args))
    for outcome in outcomes:
        i = outcome.imported
        if i:
            print(
                f"\n{outcome.backend}: generated in {i['generate_s']:.1f} s, read in {i['read_s']:.1f} s, "
                f"imported in {i['import_s']:.1f} s ({i['records']:,} HSDS records; of that, stale-children "
                f"check {i['stale_s']:.1f} s, search index rebuild of {i['search_rows']:,} rows "
                f"{i['rebuild_s']:.1f} s); "
                f"import peak RSS {i['import_peak_rss_mb']:.0f} MB"
            )
        if outcome.skipped and not outcome.searched:
            print(f"\n{outcome.backend}: skipped ({outcome.skipped})")
    if any(o.searched.get("profiled") for o in outcomes):
        print("\n(latencies above were measured under cProfile, which slows Python code down)")
    print(f"\nCommand: cd {PROJECT_ROOT} && {command}")
    print(
        "peak RSS MB = the search process's peak resident memory (resource.getrusage); "
        "import peak RSS is printed per backend above."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
