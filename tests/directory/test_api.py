"""The HSDS 3.0 read API (bot.directory.api.hsds_blueprint) on a real Sanic app."""

from __future__ import annotations

import uuid

import pytest
from fixtures import empty, load, service, uid
from sanic import Sanic

from bot.directory.api import MAX_PER_PAGE, hsds_blueprint
from bot.directory.conformance import checker
from bot.directory.taxonomy import NEEDS, PAYMENT, default_taxonomy, term_id

NAMES = ["Alder Clinic", "Birch Counseling", "Cedar Pantry", "Dogwood Recovery", "Elm Peer Center"]
NEEDS_OF = {"Alder Clinic": ["counseling"], "Birch Counseling": ["counseling"], "Cedar Pantry": ["food"]}


@pytest.fixture(scope="module")
def client(shared_directory, tmp_path_factory):
    """A Sanic app serving the blueprint over a directory of five services (read-only: shared by the module)."""
    directory = empty(shared_directory)
    services = [
        service(
            uid(name),
            name,
            needs=NEEDS_OF.get(name, ["peer_support"]),
            payments=["medicaid"] if n == 0 else [],
        )
        for n, name in enumerate(NAMES)
    ]
    services[3]["description"] = "Outpatient drug and alcohol treatment (IOP)."
    load(directory, tmp_path_factory.mktemp("api"), *reversed(services))
    app = Sanic(f"hsds_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(hsds_blueprint(directory))
    return app.test_client


def get(client, url, status=200):
    _request, response = client.get(url)
    assert response.status == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json


def test_profile(client):
    profile = get(client, "/api/hsds/")

    assert profile["version"] == "3.0"
    assert profile["profile"].startswith("https://")
    assert profile["openapi_url"].endswith("openapi.json")


def test_services_first_page(client):
    page = get(client, "/api/hsds/services")

    assert {key: page[key] for key in page if key != "contents"} == {
        "total_items": 5,
        "total_pages": 1,
        "page_number": 1,
        "size": 5,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }
    assert [record["name"] for record in page["contents"]] == NAMES  # ordered by name


@pytest.mark.parametrize(
    "page_number, names, first, last, empty",
    [
        (1, NAMES[0:2], True, False, False),
        (2, NAMES[2:4], False, False, False),
        (3, NAMES[4:5], False, True, False),
        (4, [], False, True, True),
    ],
)
def test_services_pagination(client, page_number, names, first, last, empty):
    page = get(client, f"/api/hsds/services?per_page=2&page={page_number}")

    assert [record["name"] for record in page["contents"]] == names
    assert page["total_items"] == 5
    assert page["total_pages"] == 3
    assert page["page_number"] == page_number
    assert page["size"] == len(names)
    assert (page["first_page"], page["last_page"], page["empty"]) == (first, last, empty)


@pytest.mark.parametrize(
    "search, names",
    [
        ("counseling", ["Birch Counseling"]),
        ("COUNSEL", ["Birch Counseling"]),
        ("alcohol", ["Dogwood Recovery"]),  # the description counts too
        ("test service", [name for name in NAMES if name != "Dogwood Recovery"]),
        ("nothing like this", []),
    ],
)
def test_services_search(client, search, names):
    page = get(client, f"/api/hsds/services?search={search.replace(' ', '+')}")

    assert [record["name"] for record in page["contents"]] == names
    assert page["total_items"] == len(names)
    assert page["empty"] is (not names)


@pytest.mark.parametrize("search", ["%25", "_"], ids=["percent", "underscore"])
def test_services_search_is_literal_text(client, search):
    """SQL LIKE wildcards typed by a user match themselves, not everything."""
    page = get(client, f"/api/hsds/services?search={search}")

    assert page["total_items"] == 0
    assert page["contents"] == []


def test_services_filtered_by_taxonomy_term(client):
    counseling = get(client, f"/api/hsds/services?taxonomy_term_id={term_id(NEEDS, 'counseling')}")
    medicaid = get(client, f"/api/hsds/services?taxonomy_term_id={term_id(PAYMENT, 'medicaid')}&per_page=1")
    unknown = get(client, "/api/hsds/services?taxonomy_term_id=no-such-term")

    assert [record["name"] for record in counseling["contents"]] == ["Alder Clinic", "Birch Counseling"]
    assert [record["name"] for record in medicaid["contents"]] == ["Alder Clinic"]
    assert (unknown["total_items"], unknown["empty"]) == (0, True)


def test_one_service_is_the_full_nested_record(client, hsds_dir):
    alder = uid("Alder Clinic")
    record = get(client, f"/api/hsds/services/{alder}")

    assert record["id"] == alder and record["name"] == "Alder Clinic"
    assert record["organization"]["id"] == uid(f"{alder}/organization")
    location = record["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "19143"
    assert record["phones"][0]["number"] == "215-555-0100"
    tagged = {attribute["taxonomy_term"]["code"] for attribute in record["attributes"]}
    assert tagged == {"counseling", "medicaid"}
    assert checker(hsds_dir / "schema")("service", record) == []


def test_listed_services_are_nested_too(client, hsds_dir):
    page = get(client, "/api/hsds/services?per_page=1")

    check = checker(hsds_dir / "schema")
    assert page["contents"][0]["organization"]["name"] == f"Organization of {uid('Alder Clinic')}"
    assert check("service", page["contents"][0]) == []


def test_unknown_service_is_a_json_404(client):
    body = get(client, "/api/hsds/services/no-such-service", status=404)

    assert "no-such-service" in body["error"]


@pytest.mark.parametrize(
    "query, word",
    [
        ("per_page=0", "per_page"),
        (f"per_page={MAX_PER_PAGE + 1}", "per_page"),
        ("per_page=1000", "per_page"),
        ("per_page=-5", "per_page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=1.5", "page"),
        ("search=" + "x" * 201, "search"),
    ],
)
def test_bad_parameters_are_a_json_400(client, query, word):
    body = get(client, f"/api/hsds/services?{query}", status=400)

    assert f"'{word}'" in body["error"]


def test_largest_page_size_is_accepted(client):
    assert get(client, f"/api/hsds/services?per_page={MAX_PER_PAGE}")["size"] == 5


def test_absurd_page_number_is_not_a_server_error(client):
    _request, response = client.get("/api/hsds/services?page=10000000000000000000")

    assert response.status in (200, 400)
    assert response.headers["content-type"].startswith("application/json")
    if response.status == 200:
        assert response.json["contents"] == [] and response.json["empty"] is True


def test_taxonomy_terms_lists_our_terms(client):
    taxonomy = default_taxonomy()
    first = get(client, "/api/hsds/taxonomy_terms?per_page=100")
    total = first["total_items"]
    contents = first["contents"]
    if total > 100:
        contents += get(client, "/api/hsds/taxonomy_terms?per_page=100&page=2")["contents"]

    ours = {(term.taxonomy, term.code): term for term in taxonomy.terms.values()}
    listed = {(record["taxonomy"], record["code"]): record for record in contents}
    assert total == len(ours)
    assert set(listed) == set(ours)
    counseling = listed[(NEEDS, "counseling")]
    assert counseling["id"] == term_id(NEEDS, "counseling")
    assert counseling["name"] == ours[(NEEDS, "counseling")].name
    assert counseling["parent_id"] == term_id(NEEDS, "mental_health")


def test_taxonomy_terms_search_and_children(client):
    found = get(client, "/api/hsds/taxonomy_terms?search=medicaid")
    family = get(
        client, f"/api/hsds/taxonomy_terms?taxonomy_term_id={term_id(NEEDS, 'substance_use')}&per_page=100"
    )

    codes = [record["code"] for record in found["contents"]]
    assert "medicaid" in codes and "food" not in codes
    for record in found["contents"]:
        assert "medicaid" in f"{record['name']} {record['description']} {record['code']}".lower()
    expected = default_taxonomy().with_descendants(NEEDS, "substance_use")
    assert {record["code"] for record in family["contents"]} == expected


def test_one_taxonomy_term(client, hsds_dir):
    record = get(client, f"/api/hsds/taxonomy_terms/{term_id(NEEDS, 'food')}")

    assert record["code"] == "food"
    assert record["taxonomy_detail"]["name"] == NEEDS
    assert checker(hsds_dir / "schema")("taxonomy_term", record) == []
    assert "no-such-term" in get(client, "/api/hsds/taxonomy_terms/no-such-term", status=404)["error"]
