"""Wayfinder's taxonomy (needs, payment, populations, access) and crosswalks onto it.

The taxonomy lives in ``data/directory/taxonomy.yml``. In HSDS terms each of
its four parts is a ``taxonomy`` and each code a ``taxonomy_term``; a service is
tagged with a term through an ``attribute``. Ids are derived from names, so
every installation gives the same term the same id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import DATA_DIR

TAXONOMY_FILE = DATA_DIR / "taxonomy.yml"
ID_BASE = "https://wayfinder.example/taxonomy/"

NEEDS = "wayfinder-needs"
PAYMENT = "wayfinder-payment"
POPULATION = "wayfinder-population"
ACCESS = "wayfinder-access"
# The crosswalk's keys and the search row's columns, by taxonomy.
FACETS = {NEEDS: "needs", PAYMENT: "payment", POPULATION: "population", ACCESS: "access"}


def taxonomy_id(taxonomy: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ID_BASE + taxonomy))


def term_id(taxonomy: str, code: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ID_BASE}{taxonomy}/{code}"))


@dataclass(frozen=True)
class Term:
    taxonomy: str
    code: str
    name: str
    parent: str | None
    description: str
    synonyms: tuple[str, ...]
    intensive: bool = False  # needs: a higher level of care, offered only when asked for
    restricts: bool = False  # populations: a service tagged with it serves only that group
    for_population: str | None = None  # needs: care of the parent's kind for this group
    ages: tuple[float | None, float | None] | None = None  # populations: the ages it stands for
    # Spanish: the name callers read, and the words they use for it.
    name_es: str | None = None
    synonyms_es: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return term_id(self.taxonomy, self.code)

    def label(self, language: str = "en") -> str:
        """The term's name in the caller's language, in lower case as a sentence uses it."""
        return (self.name_es if language == "es" and self.name_es else self.name).lower()


@dataclass
class Taxonomy:
    descriptions: dict[str, str]
    terms: dict[tuple[str, str], Term]
    _children: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = TAXONOMY_FILE) -> Taxonomy:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        descriptions: dict[str, str] = {}
        terms: dict[tuple[str, str], Term] = {}
        for part in document["taxonomies"]:
            name = part["name"]
            descriptions[name] = part.get("description") or name
            for raw in part["terms"]:
                term = Term(
                    taxonomy=name,
                    code=raw["code"],
                    name=raw["name"],
                    parent=raw.get("parent"),
                    description=raw.get("description") or raw["name"],
                    synonyms=tuple(raw.get("synonyms") or ()),
                    intensive=bool(raw.get("intensive")),
                    restricts=bool(raw.get("restricts")),
                    for_population=raw.get("for_population"),
                    ages=tuple(raw["ages"]) if raw.get("ages") else None,
                    name_es=raw.get("name_es"),
                    synonyms_es=tuple(raw.get("synonyms_es") or ()),
                )
                terms[(name, term.code)] = term
        taxonomy = cls(descriptions, terms)
        for term in terms.values():
            if term.parent is not None:
                if (term.taxonomy, term.parent) not in terms:
                    raise ValueError(f"{path}: term {term.code} has unknown parent {term.parent}")
                taxonomy._children.setdefault((term.taxonomy, term.parent), []).append(term.code)
        return taxonomy

    def codes(self, taxonomy: str) -> list[str]:
        return [code for (name, code) in self.terms if name == taxonomy]

    def term(self, taxonomy: str, code: str) -> Term:
        try:
            return self.terms[(taxonomy, code)]
        except KeyError:
            raise KeyError(f"unknown {taxonomy} code {code!r}") from None

    def with_descendants(self, taxonomy: str, code: str) -> set[str]:
        """The code and every code below it: a search for a category includes its children."""
        self.term(taxonomy, code)
        found = {code}
        pending = [code]
        while pending:
            for child in self._children.get((taxonomy, pending.pop()), []):
                if child not in found:
                    found.add(child)
                    pending.append(child)
        return found

    def intensive_needs(self) -> set[str]:
        """Needs marked ``intensive`` and everything below them: higher levels of care."""
        found: set[str] = set()
        for (name, code), term in self.terms.items():
            if name == NEEDS and term.intensive:
                found |= self.with_descendants(NEEDS, code)
        return found

    def ancestors(self, taxonomy: str, code: str) -> list[str]:
        chain = []
        parent = self.term(taxonomy, code).parent
        while parent is not None:
            chain.append(parent)
            parent = self.term(taxonomy, parent).parent
        return chain

    def identify(self, taxonomy_name: str | None, taxonomy_ref: str | None, code: str | None):
        """Which of our terms an HSDS taxonomy_term is, if it is one of ours."""
        for name in self.descriptions:
            ours = taxonomy_name == name or taxonomy_ref == taxonomy_id(name)
            if ours and code and (name, code) in self.terms:
                return self.terms[(name, code)]
        return None

    def hsds_records(self) -> dict[str, list[dict]]:
        """Our taxonomies and terms as HSDS taxonomy and taxonomy_term records."""
        taxonomies = [
            {
                "id": taxonomy_id(name),
                "name": name,
                "description": description,
                "uri": ID_BASE + name,
                "version": "1",
            }
            for name, description in self.descriptions.items()
        ]
        terms = []
        for term in self.terms.values():
            record = {
                "id": term.id,
                "code": term.code,
                "name": term.name,
                "description": term.description,
                "taxonomy": term.taxonomy,
                "taxonomy_id": taxonomy_id(term.taxonomy),
                "language": "en",
            }
            if term.parent:
                record["parent_id"] = term_id(term.taxonomy, term.parent)
            terms.append(record)
        return {"taxonomy": taxonomies, "taxonomy_term": terms}


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return Taxonomy.load()


@dataclass(frozen=True)
class Mapping:
    code: str | None
    name: str | None
    targets: dict[str, tuple[str, ...]]

    def matches(self, code: str | None, name: str | None) -> bool:
        if self.code is not None and code:
            if self.code.endswith("*"):
                return code.upper().startswith(self.code[:-1].upper())
            return code.upper() == self.code.upper()
        if self.name is not None and name:
            return self.name.casefold() == name.strip().casefold()
        return False


@dataclass(frozen=True)
class Crosswalk:
    """Maps an external taxonomy's terms (211/AIRS, Open Eligibility, a local one) onto ours."""

    source: str
    taxonomy_names: tuple[str, ...]
    mappings: tuple[Mapping, ...]

    @classmethod
    def load(cls, path: Path, taxonomy: Taxonomy | None = None) -> Crosswalk:
        taxonomy = taxonomy or default_taxonomy()
        try:
            document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ValueError(f"{path}: not valid YAML: {error}") from None
        if not isinstance(document, dict) or not isinstance(document.get("mappings"), list):
            raise ValueError(f"{path}: a crosswalk needs a 'mappings' list")
        source = document.get("source") or {}
        names = tuple(name.casefold() for name in source.get("taxonomy_names") or ())
        facet_taxonomy = {facet: name for name, facet in FACETS.items()}
        mappings = []
        for index, raw in enumerate(document["mappings"]):
            where = f"{path}: mappings[{index}]"
            if not isinstance(raw, dict) or not (raw.get("code") or raw.get("name")):
                raise ValueError(f"{where}: needs a 'code' or a 'name' to match")
            targets: dict[str, tuple[str, ...]] = {}
            for facet, codes in (raw.get("to") or {}).items():
                if facet not in facet_taxonomy:
                    raise ValueError(f"{where}: unknown target {facet!r}")
                for code in codes:
                    if (facet_taxonomy[facet], code) not in taxonomy.terms:
                        raise ValueError(f"{where}: {code!r} is not a {facet} code of ours")
                targets[facet] = tuple(codes)
            if not targets:
                raise ValueError(f"{where}: maps to nothing ('to' is empty)")
            mappings.append(
                Mapping(
                    code=str(raw["code"]) if raw.get("code") else None,
                    name=raw.get("name") if not raw.get("code") else None,
                    targets=targets,
                )
            )
        return cls(str(path), names, tuple(mappings))

    def applies_to(self, taxonomy_name: str | None) -> bool:
        if not self.taxonomy_names:
            return True
        return bool(taxonomy_name) and taxonomy_name.casefold() in self.taxonomy_names

    def map_term(self, term: dict, taxonomy_name: str | None) -> list[tuple[str, str]]:
        """(taxonomy, code) pairs of ours that an external term stands for."""
        if not self.applies_to(taxonomy_name):
            return []
        found: list[tuple[str, str]] = []
        facet_taxonomy = {facet: name for name, facet in FACETS.items()}
        for mapping in self.mappings:
            if mapping.matches(term.get("code"), term.get("name")):
                for facet, codes in mapping.targets.items():
                    found.extend((facet_taxonomy[facet], code) for code in codes)
        return found
