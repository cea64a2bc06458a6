"""The search index: one flat row per place a service is offered, derived from HSDS.

Search reads only these rows, so a query needs no joins: facets (needs,
payment, population, access, languages) are stored as "|code|code|" strings
and opening hours as compact JSON. Rows are rebuilt inside the import's
transaction, so the index never disagrees with the HSDS tables.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.config import service_timezone
from bot.directory import hours
from bot.directory.areas import parse_areas
from bot.directory.places import default_gazetteer, zip_entry
from bot.directory.store import Snapshot, bump_index_version, chunks, search_row
from bot.directory.taxonomy import ACCESS, FACETS, NEEDS, PAYMENT, POPULATION, Taxonomy

INDEXED_ENTITIES = (
    "organization",
    "service",
    "service_at_location",
    "location",
    "address",
    "phone",
    "schedule",
    "language",
    "cost_option",
    "attribute",
    "taxonomy_term",
    "service_area",
)

# Language names as directories write them, to ISO 639 codes.
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "vietnamese": "vi",
    "russian": "ru",
    "arabic": "ar",
    "french": "fr",
    "haitian creole": "ht",
    "portuguese": "pt",
    "korean": "ko",
    "american sign language": "ase",
    "asl": "ase",
    "urdu": "ur",
    "polish": "pl",
    "ukrainian": "uk",
}


# HSDS allows ISO 639-1 or ISO 639-3 codes; search speaks 639-1 where one exists.
ISO_639_3 = {
    "eng": "en", "spa": "es", "vie": "vi", "zho": "zh", "chi": "zh", "cmn": "zh", "yue": "zh", "rus": "ru",
    "ukr": "uk", "ara": "ar", "fra": "fr", "fre": "fr", "hat": "ht", "por": "pt", "kor": "ko", "khm": "km",
    "pol": "pl", "urd": "ur", "ita": "it", "deu": "de", "ger": "de", "tgl": "tl", "hin": "hi", "ben": "bn",
}  # fmt: skip


def language_code(record: dict) -> str | None:
    code = (record.get("code") or "").strip().lower()
    if code:
        code = code.split("-")[0] if code != "ase" else code
        return ISO_639_3.get(code, code)
    name = (record.get("name") or "").strip().casefold()
    return LANGUAGE_CODES.get(name) or (name or None)


def packed(codes) -> str:
    return "|" + "|".join(sorted(set(codes))) + "|" if codes else ""


def _valid_coordinates(location: dict) -> tuple[float, float] | None:
    lat, lon = location.get("latitude"), location.get("longitude")
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return float(lat), float(lon)


def _address_text(address: dict | None) -> tuple[str | None, str | None]:
    if address is None:
        return None, None
    street = ", ".join(part for part in (address.get("address_1"), address.get("address_2")) if part)
    region = " ".join(part for part in (address.get("state_province"), address.get("postal_code")) if part)
    text = ", ".join(part for part in (street, address.get("city"), region) if part)
    return text or None, address.get("postal_code")


def _first_phone(*groups: list[dict]) -> str | None:
    for group in groups:
        voice = [p for p in group if (p.get("type") or "voice") in ("voice", "hotline", "text")]
        for phone in voice or group:
            if phone.get("number"):
                number = phone["number"].strip().strip('"')
                if phone.get("extension"):
                    number += f" ext. {phone['extension']}"
                return number
    return None


def service_facets(snapshot: Snapshot, taxonomy: Taxonomy, service: dict) -> dict[str, set[str]]:
    facets: dict[str, set[str]] = {facet: set() for facet in FACETS.values()}
    for attribute in snapshot.children("attribute", "link_id", service["id"]):
        term = snapshot.get("taxonomy_term", attribute.get("taxonomy_term_id"))
        if term is None:
            continue
        ours = taxonomy.identify(term.get("taxonomy"), term.get("taxonomy_id"), term.get("code"))
        if ours is not None:
            facets[FACETS[ours.taxonomy]].add(ours.code)
    for cost in snapshot.children("cost_option", "service_id", service["id"]):
        words = " ".join(str(cost.get(key) or "") for key in ("option", "amount_description")).casefold()
        # An amount of 0 can mean "covered by your insurance", which is not free to everyone.
        covered = re.search(r"cover|insurance|medicaid|medicare|copay", words)
        if re.search(r"\bfree\b|no cost", words) or (cost.get("amount") == 0 and not covered):
            facets[FACETS[PAYMENT]].add("free")
        if "sliding" in words:
            facets[FACETS[PAYMENT]].add("sliding_fee")
    if not facets[FACETS[PAYMENT]]:
        # Many 211 exports say what they accept only in words.
        facets[FACETS[PAYMENT]] |= payments_from_fees(service.get("fees_description"))
    return facets


PAYMENT_WORDS = {
    "medicaid": r"medicaid|medical assistance|healthchoices|health choices|familycare|\bchip\b|\bcbh\b",
    "medicare": r"medicare",
    "private_insurance": r"private|commercial|employer|most (?:major )?insurance|most health insurance",
    "sliding_fee": r"sliding|income[- ]based|based on income|reduced fee",
}
FREE_WORDS = re.compile(r"\bfree\b|gratis|no[- ]cost|no charge|without charge|\$0\b")
# Free (or no cost) only for some: the uninsured, low incomes. They fit the uninsured caller, not everyone.
FREE_FOR_SOME = re.compile(r"uninsured|no insurance|income|poverty|eligible|qualify")
NEGATION = re.compile(r"\bnot\b|n't\b|\bno\b(?! one)|\bnever\b|\bexcept\b")


def payments_from_fees(text: str | None) -> set[str]:
    """Payment codes read from a ``fees_description``: "Free.", "Accepts Medical Assistance and
    Medicare. Private insurance is NOT accepted." A sentence that says no names nothing."""
    found: set[str] = set()
    for sentence in re.split(r"[.;]\s+|[.;]$|\n", (text or "").casefold()):
        if not sentence.strip():
            continue
        if FREE_WORDS.search(sentence) and not re.search(r"\bnot free\b", sentence):
            found.add("sliding_fee" if FREE_FOR_SOME.search(sentence) else "free")
            continue
        if NEGATION.search(sentence):
            continue
        found |= {code for code, words in PAYMENT_WORDS.items() if re.search(words, sentence)}
        if re.search(r"uninsured", sentence) and re.search(r"sliding|reduced|discount", sentence):
            found.add("sliding_fee")
    return found


def build_rows(snapshot: Snapshot, taxonomy: Taxonomy, service_ids=None) -> list[dict]:
    default_tz = service_timezone()
    rows = []
    services = snapshot.records.get("service", {})
    for service_id in service_ids if service_ids is not None else services:
        service = services.get(service_id)
        if service is None:
            continue
        facets = service_facets(snapshot, taxonomy, service)
        languages = {language_code(lang) for lang in snapshot.children("language", "service_id", service_id)}
        organization = snapshot.get("organization", service.get("organization_id")) or {}
        area = parse_areas(snapshot.children("service_area", "service_id", service_id), default_gazetteer())
        service_phones = snapshot.children("phone", "service_id", service_id)
        service_schedules = snapshot.children("schedule", "service_id", service_id)
        verified = service.get("assured_date") or (service.get("last_modified") or "")[:10] or None
        base = {
            "service_id": service_id,
            "active": (service.get("status") or "").casefold() == "active",
            "minimum_age": service.get("minimum_age"),
            "maximum_age": service.get("maximum_age"),
            "needs": packed(facets[FACETS[NEEDS]]),
            "payments": packed(facets[FACETS[PAYMENT]]),
            "populations": packed(facets[FACETS[POPULATION]]),
            "verified_on": verified,
            "name": service["name"],
            "organization": organization.get("name"),
            "organization_id": service.get("organization_id"),
            "areas": area.encode() if area else None,
            "url": service.get("url"),
        }
        places = snapshot.children("service_at_location", "service_id", service_id)
        for place in places or [None]:
            location = snapshot.get("location", place.get("location_id")) if place else None
            location = location or {}
            coordinates = _valid_coordinates(location)
            addresses = snapshot.children("address", "location_id", location["id"]) if location else []
            physical = [a for a in addresses if a.get("address_type") in ("physical", None)] or addresses
            address, postal_code = _address_text(physical[0] if physical else None)
            located_by = "coordinates" if coordinates else None
            if coordinates is None and postal_code:
                # A clinic whose directory left out its coordinates is still a clinic: place it at its ZIP.
                centroid = zip_entry(postal_code.strip()[:5])
                if centroid:
                    coordinates, located_by = (float(centroid["lat"]), float(centroid["long"])), "postal_code"
            place_phones = snapshot.children("phone", "service_at_location_id", place["id"]) if place else []
            location_phones = snapshot.children("phone", "location_id", location["id"]) if location else []
            schedules = (
                (snapshot.children("schedule", "service_at_location_id", place["id"]) if place else [])
                or service_schedules
                or (snapshot.children("schedule", "location_id", location["id"]) if location else [])
            )
            access = set(facets[FACETS[ACCESS]])
            is_virtual = not location or (location.get("location_type") or "") == "virtual"
            if is_virtual:
                access.add("telehealth")
            row_languages = languages | {
                language_code(lang)
                for lang in snapshot.children("language", "location_id", location.get("id", ""))
            }
            rows.append(
                {
                    **base,
                    "location_id": location.get("id"),
                    "latitude": coordinates[0] if coordinates else None,
                    "longitude": coordinates[1] if coordinates else None,
                    "is_virtual": is_virtual,
                    "located_by": located_by,
                    "access": packed(access),
                    "languages": packed({code for code in row_languages if code}),
                    "hours": hours.encode(
                        hours.blocks_from_schedules(schedules), hours.timezone_of(schedules, default_tz)
                    ),
                    "phone": _first_phone(service_phones, place_phones, location_phones)
                    or _first_phone(
                        snapshot.children("phone", "organization_id", organization.get("id", ""))
                    ),
                    "address": address,
                    "postal_code": postal_code,
                }
            )
    return rows


def rebuild(conn: Connection, taxonomy: Taxonomy) -> int:
    """Replace the whole index from the HSDS tables. Returns the number of rows."""
    snapshot = Snapshot.load(conn, INDEXED_ENTITIES)
    rows = build_rows(snapshot, taxonomy)
    conn.execute(sa.delete(search_row))
    for batch in chunks(rows, 5000):
        conn.execute(search_row.insert(), batch)
    bump_index_version(conn)
    return len(rows)
