"""The Open Referral HSDS 3.0 data model, declared once.

Storage tables, the importer (nested JSON and tabular CSV) and the exporter are
all derived from this declaration, so a field added here is stored, imported and
exported everywhere at once.

Nesting follows the HSDS 3.0 JSON schemas: a *child* is an array of records that
point back at their parent through a foreign key (``service.phones`` are phones
with ``service_id``); a *reference* is a single embedded record the parent
points at (``service.organization`` through ``service.organization_id``).
Attributes and metadata are polymorphic children: they point at any record
through ``link_id`` / ``resource_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STRING = "string"
NUMBER = "number"


@dataclass(frozen=True)
class Child:
    field: str
    entity: str
    key: str
    # For polymorphic children: the column naming the parent's entity type.
    kind_key: str | None = None


@dataclass(frozen=True)
class Ref:
    field: str
    entity: str
    key: str


@dataclass(frozen=True)
class Entity:
    name: str
    csv: str
    fields: dict[str, str]
    required: tuple[str, ...] = ("id",)
    children: tuple[Child, ...] = ()
    refs: tuple[Ref, ...] = ()
    foreign_keys: tuple[str, ...] = field(default=())

    @property
    def table(self) -> str:
        return f"hsds_{self.name}"


def _strings(*names: str) -> dict[str, str]:
    return {name: STRING for name in names}


ATTRIBUTES = Child("attributes", "attribute", "link_id", kind_key="link_entity")
METADATA = Child("metadata", "metadata", "resource_id", kind_key="resource_type")
LANGUAGES_OF = {key: Child("languages", "language", key) for key in ("service_id", "location_id", "phone_id")}

_ENTITIES = [
    Entity(
        "organization",
        "organizations.csv",
        {
            **_strings(
                "id",
                "name",
                "alternate_name",
                "description",
                "email",
                "website",
                "tax_status",
                "tax_id",
            ),
            "year_incorporated": NUMBER,
            **_strings("legal_status", "logo", "uri", "parent_organization_id"),
        },
        required=("id", "name", "description"),
        children=(
            Child("funding", "funding", "organization_id"),
            Child("contacts", "contact", "organization_id"),
            Child("phones", "phone", "organization_id"),
            Child("locations", "location", "organization_id"),
            Child("programs", "program", "organization_id"),
            Child("organization_identifiers", "organization_identifier", "organization_id"),
            Child("services", "service", "organization_id"),
            ATTRIBUTES,
            METADATA,
        ),
    ),
    Entity(
        "program",
        "programs.csv",
        _strings("id", "organization_id", "name", "alternate_name", "description"),
        required=("id", "name", "description"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "service",
        "services.csv",
        {
            **_strings(
                "id",
                "organization_id",
                "program_id",
                "name",
                "alternate_name",
                "description",
                "url",
                "email",
                "status",
                "interpretation_services",
                "application_process",
                "fees_description",
                "wait_time",
                "fees",
                "accreditations",
                "eligibility_description",
            ),
            "minimum_age": NUMBER,
            "maximum_age": NUMBER,
            **_strings("assured_date", "assurer_email", "licenses", "alert", "last_modified"),
        },
        required=("id", "name", "status"),
        children=(
            Child("phones", "phone", "service_id"),
            Child("schedules", "schedule", "service_id"),
            Child("service_areas", "service_area", "service_id"),
            Child("service_at_locations", "service_at_location", "service_id"),
            LANGUAGES_OF["service_id"],
            Child("funding", "funding", "service_id"),
            Child("cost_options", "cost_option", "service_id"),
            Child("required_documents", "required_document", "service_id"),
            Child("contacts", "contact", "service_id"),
            ATTRIBUTES,
            METADATA,
        ),
        refs=(
            Ref("organization", "organization", "organization_id"),
            Ref("program", "program", "program_id"),
        ),
    ),
    Entity(
        "location",
        "locations.csv",
        {
            **_strings(
                "id",
                "location_type",
                "url",
                "organization_id",
                "name",
                "alternate_name",
                "description",
                "transportation",
            ),
            "latitude": NUMBER,
            "longitude": NUMBER,
            **_strings("external_identifier", "external_identifier_type"),
        },
        required=("id", "location_type"),
        children=(
            LANGUAGES_OF["location_id"],
            Child("addresses", "address", "location_id"),
            Child("contacts", "contact", "location_id"),
            Child("accessibility", "accessibility", "location_id"),
            Child("phones", "phone", "location_id"),
            Child("schedules", "schedule", "location_id"),
            ATTRIBUTES,
            METADATA,
        ),
    ),
    Entity(
        "service_at_location",
        "service_at_location.csv",
        _strings("id", "service_id", "location_id", "description"),
        children=(
            Child("contacts", "contact", "service_at_location_id"),
            Child("phones", "phone", "service_at_location_id"),
            Child("schedules", "schedule", "service_at_location_id"),
            ATTRIBUTES,
            METADATA,
        ),
        refs=(Ref("location", "location", "location_id"),),
    ),
    Entity(
        "address",
        "addresses.csv",
        _strings(
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        required=(
            "id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "phone",
        "phones.csv",
        {
            **_strings(
                "id",
                "location_id",
                "service_id",
                "organization_id",
                "contact_id",
                "service_at_location_id",
                "number",
            ),
            "extension": NUMBER,
            **_strings("type", "description"),
        },
        required=("id", "number"),
        children=(LANGUAGES_OF["phone_id"], ATTRIBUTES, METADATA),
    ),
    Entity(
        "schedule",
        "schedules.csv",
        {
            **_strings(
                "id",
                "service_id",
                "location_id",
                "service_at_location_id",
                "valid_from",
                "valid_to",
                "dtstart",
            ),
            "timezone": NUMBER,
            "until": STRING,
            "count": NUMBER,
            "wkst": STRING,
            "freq": STRING,
            "interval": NUMBER,
            **_strings(
                "byday",
                "byweekno",
                "bymonthday",
                "byyearday",
                "description",
                "opens_at",
                "closes_at",
                "schedule_link",
                "attending_type",
                "notes",
            ),
        },
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "language",
        "languages.csv",
        _strings("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "cost_option",
        "cost_options.csv",
        {
            **_strings("id", "service_id", "valid_from", "valid_to", "option", "currency"),
            "amount": NUMBER,
            "amount_description": STRING,
        },
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "accessibility",
        "accessibility.csv",
        _strings("id", "location_id", "description", "details", "url"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "required_document",
        "required_documents.csv",
        _strings("id", "service_id", "document", "uri"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "contact",
        "contacts.csv",
        _strings(
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
        children=(Child("phones", "phone", "contact_id"), ATTRIBUTES, METADATA),
    ),
    Entity(
        "service_area",
        "service_areas.csv",
        _strings("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "funding",
        "funding.csv",
        _strings("id", "organization_id", "service_id", "source"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "organization_identifier",
        "organization_identifiers.csv",
        _strings("id", "organization_id", "identifier_scheme", "identifier_type", "identifier"),
        required=("id", "identifier_type", "identifier"),
        children=(ATTRIBUTES, METADATA),
    ),
    Entity(
        "taxonomy",
        "taxonomies.csv",
        _strings("id", "name", "description", "uri", "version"),
        required=("id", "name", "description"),
        children=(METADATA,),
    ),
    Entity(
        "taxonomy_term",
        "taxonomy_terms.csv",
        _strings(
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
        required=("id", "name", "description"),
        children=(METADATA,),
        refs=(Ref("taxonomy_detail", "taxonomy", "taxonomy_id"),),
    ),
    Entity(
        "attribute",
        "attributes.csv",
        _strings("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
        children=(METADATA,),
        refs=(Ref("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    ),
    Entity(
        "metadata",
        "metadata.csv",
        _strings(
            "id",
            "resource_id",
            "resource_type",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ),
        required=(
            "id",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ),
    ),
    Entity(
        "meta_table_description",
        "meta_table_descriptions.csv",
        _strings("id", "name", "language", "character_set"),
        children=(ATTRIBUTES, METADATA),
    ),
]

ENTITIES: dict[str, Entity] = {entity.name: entity for entity in _ENTITIES}
BY_CSV: dict[str, Entity] = {entity.csv: entity for entity in _ENTITIES}

# Parents before children, so that tabular exports read naturally.
ORDER: tuple[str, ...] = tuple(entity.name for entity in _ENTITIES)


def nested_keys(entity: Entity) -> set[str]:
    """Property names that hold nested records rather than scalar values."""
    return {child.field for child in entity.children} | {ref.field for ref in entity.refs}


def detect_entity(record: dict) -> str | None:
    """Guess which HSDS entity a top-level JSON object is.

    HSDS JSON files carry no type tag, so the shape decides: the most specific
    test comes first.
    """
    keys = set(record)
    if "status" in keys and "name" in keys:
        return "service"
    if ("service_id" in keys and "location_id" in keys) or ("location" in keys and "id" in keys):
        return "service_at_location"
    if "location_type" in keys:
        return "location"
    if "taxonomy_term" in keys or "link_id" in keys:
        return "attribute"
    if {"code", "taxonomy", "taxonomy_detail", "parent_id", "term_uri"} & keys and "name" in keys:
        return "taxonomy_term"
    if "version" in keys and "name" in keys and "id" in keys and "description" in keys:
        return "taxonomy"
    if {"website", "tax_status", "legal_status", "services", "programs"} & keys:
        return "organization"
    if {"name", "description", "id"} <= keys and not keys - COMMON_KEYS:
        return "organization"
    return _best_shape(keys)


COMMON_KEYS = {"id", "name", "description", "attributes", "metadata"}


def _best_shape(keys: set[str]) -> str | None:
    """The entity whose own fields explain most of the record's, among those whose required fields it has."""
    distinctive = keys - COMMON_KEYS
    best, best_score = None, 0
    for entity in _ENTITIES:
        if not set(entity.required) <= keys:
            continue
        score = len(distinctive & (set(entity.fields) | nested_keys(entity)))
        if score > best_score:
            best, best_score = entity.name, score
    return best
