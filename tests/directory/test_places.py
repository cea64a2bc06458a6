"""Where a caller is: ZIP codes (offline) and the gazetteer of the region's places."""

from __future__ import annotations

import pytest
from fixtures import ALWAYS, ids, load, result_for, search, service, uid

from bot.directory import PlaceError
from bot.directory.places import Gazetteer, default_gazetteer, distance_miles, zip_index


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def test_zip_in_the_region(gazetteer):
    place = gazetteer.resolve_zip("19143")

    assert place.in_region
    assert place.postal_code == "19143"
    assert place.kind == "zip"
    assert "Philadelphia" in place.label
    assert distance_miles(place.latitude, place.longitude, 39.9448, -75.2288) < 1


@pytest.mark.parametrize("text", ["19143-1234", " 19143 ", "19143"])
def test_zip_plus_four_and_spaces_are_accepted(gazetteer, text):
    assert gazetteer.resolve(text).postal_code == "19143"


@pytest.mark.parametrize(
    "zip_code, in_region",
    [("19104", True), ("19401", True), ("08103", True), ("19380", True), ("90210", False), ("10001", False)],
    ids=["philadelphia", "montgomery-county", "camden-nj", "chester-county", "beverly-hills", "new-york"],
)
def test_region_membership_follows_the_counties(gazetteer, zip_code, in_region):
    place = gazetteer.resolve_zip(zip_code)

    assert place.postal_code == zip_code
    assert place.in_region is in_region


def test_real_zip_outside_the_region_resolves(gazetteer):
    place = gazetteer.resolve_zip("90210")

    assert place.in_region is False
    assert "Beverly Hills" in place.label and "CA" in place.label


@pytest.mark.parametrize("text", ["00000", "1914", "191433", "abcde", "19 143", ""])
def test_unknown_or_malformed_zip_is_an_unknown_zip(gazetteer, text):
    with pytest.raises(PlaceError) as raised:
        gazetteer.resolve_zip(text)

    assert raised.value.kind == "unknown_zip"


@pytest.mark.parametrize("text", ["00000", "1914", "191433"])
def test_digits_given_as_a_place_are_an_unknown_zip_too(gazetteer, text):
    with pytest.raises(PlaceError) as raised:
        gazetteer.resolve(text)

    assert raised.value.kind == "unknown_zip"
    assert text in str(raised.value)


@pytest.mark.parametrize(
    "text, label, kind",
    [
        ("Kensington", "Kensington", "neighborhood"),
        ("near Temple", "Temple University", "landmark"),
        ("west philly", "West Philadelphia", "neighborhood"),
        ("WEST PHILLY!", "West Philadelphia", "neighborhood"),
        ("around the Kensington", "Kensington", "neighborhood"),
        ("k&a", "Kensington", "neighborhood"),
    ],
)
def test_place_names_resolve_through_the_gazetteer(gazetteer, text, label, kind):
    place = gazetteer.resolve(text)

    assert place.label == label
    assert place.kind == kind
    assert place.in_region
    assert place.postal_code and zip_index()[place.postal_code]


@pytest.mark.parametrize("text", ["Atlantis", "near the moon", ""])
def test_unknown_place_name(gazetteer, text):
    with pytest.raises(PlaceError) as raised:
        gazetteer.resolve(text)

    assert raised.value.kind == "unknown_place"
    assert gazetteer.region_name in str(raised.value)


def test_gazetteer_places_are_consistent(gazetteer):
    """Every name and alias means one place; every place's ZIP exists, is near it, and is in a region
    county exactly when the place is not marked ``in_region: false``."""
    for place in gazetteer.places:
        for name in [place["name"], *place.get("aliases", [])]:
            assert gazetteer.resolve_name(name).label == place["name"], f"{name!r} names another place"
    for place in gazetteer.places:
        entry = zip_index()[str(place["zip"])]
        assert entry["state"] == place["state"], place["name"]
        assert gazetteer.in_region(entry["state"], entry["county"]) is place.get("in_region", True), place[
            "name"
        ]
        assert gazetteer.resolve_name(place["name"]).in_region is place.get("in_region", True)
        assert distance_miles(float(entry["lat"]), float(entry["long"]), place["lat"], place["lon"]) < 10, (
            place["name"]
        )


@pytest.mark.parametrize(
    "text, label",
    [
        ("Squirrel Hill in Pittsburgh", "Squirrel Hill"),
        ("squirrel hill, pittsburgh, pa", "Squirrel Hill"),
        ("Pittsburgh", "Pittsburgh"),
        ("pittsburgh pa", "Pittsburgh"),
        ("near Oakland", "Oakland"),
        ("Shadyside", "Shadyside"),
        ("lawrenceville, pittsburgh", "Lawrenceville"),
        ("allegheny county", "Pittsburgh"),
    ],
)
def test_pittsburgh_and_its_neighbourhoods_are_outside_the_region_in_allegheny_county(gazetteer, text, label):
    place = gazetteer.resolve(text)

    assert place.label == label
    assert place.in_region is False
    assert (place.state, place.county) == ("PA", "Allegheny County")
    assert distance_miles(place.latitude, place.longitude, 40.4406, -79.9959) < 6


@pytest.mark.parametrize(
    "text, label, state, county",
    [
        ("Harrisburg", "Harrisburg", "PA", "Dauphin County"),
        ("allentown", "Allentown", "PA", "Lehigh County"),
        ("Reading, PA", "Reading, PA", "PA", "Berks County"),
        ("erie pa", "Erie, PA", "PA", "Erie County"),
        ("Scranton", "Scranton", "PA", "Lackawanna County"),
        ("lancaster, pa", "Lancaster, PA", "PA", "Lancaster County"),
        ("State College", "State College", "PA", "Centre County"),
        ("Wilmington, DE", "Wilmington", "DE", "New Castle County"),
        ("Trenton", "Trenton", "NJ", "Mercer County"),
        ("atlantic city", "Atlantic City", "NJ", "Atlantic County"),
        ("NYC", "New York City", "NY", "New York County"),
        ("baltimore md", "Baltimore, MD", "MD", "Baltimore city"),
    ],
)
def test_major_places_outside_the_region_have_their_state_and_county(gazetteer, text, label, state, county):
    place = gazetteer.resolve(text)

    assert (place.label, place.state, place.county) == (label, state, county)
    assert place.in_region is False
    assert place.kind == "town"


def test_a_place_named_with_its_town_must_be_in_that_town(gazetteer):
    assert gazetteer.resolve("kensington, philly").label == "Kensington"
    assert gazetteer.resolve("Kensington, Philadelphia, PA").in_region
    with pytest.raises(PlaceError):
        gazetteer.resolve("Kensington in Pittsburgh")
    with pytest.raises(PlaceError):
        gazetteer.resolve("Squirrel Hill, NJ")


@pytest.mark.parametrize(
    "text, meaning",
    [
        ("erie ave", "Broad and Erie"),
        ("baltimore ave", "Cedar Park"),
        ("reading terminal", "Reading Terminal Market"),
    ],
)
def test_philadelphia_streets_are_not_the_towns_of_the_same_name(gazetteer, text, meaning):
    """A bare "erie", "lancaster", "baltimore" or "reading" is too often a street or a word here."""
    assert gazetteer.resolve(text).label == meaning
    for word in ("erie", "lancaster", "baltimore", "reading"):
        with pytest.raises(PlaceError):
            gazetteer.resolve(word)


def test_distance_is_great_circle_miles():
    philadelphia, new_york = (39.9526, -75.1652), (40.7128, -74.0060)

    assert distance_miles(*philadelphia, *new_york) == pytest.approx(80.5, abs=1)
    assert distance_miles(*philadelphia, *philadelphia) == 0


# --- what search does with places ---------------------------------------------------------


def test_outside_the_region_only_virtual_services_with_a_notice(reused_directory, tmp_path):
    directory = reused_directory
    load(
        directory,
        tmp_path,
        service("clinic", needs=["counseling"]),
        service("phone-line", needs=["counseling"], at=None, hours=[ALWAYS]),
    )

    response = search(directory, need="counseling", zip_code="90210")

    assert ids(response) == ["phone-line"]
    assert response.place.in_region is False
    assert len(response.notices) == 1
    assert "outside our service region" in response.notices[0]
    assert "90210" in response.notices[0]


def test_physical_location_without_coordinates_is_not_a_phone_or_online_service(reused_directory, tmp_path):
    """A clinic whose directory left out its coordinates is still a place you have to go to."""
    clinic = service("clinic-without-coordinates")
    location = clinic["service_at_locations"][0]["location"]
    del location["latitude"], location["longitude"]
    load(reused_directory, tmp_path, clinic, service("phone-line", at=None))

    outside = search(reused_directory, need="counseling", zip_code="90210")
    inside = search(reused_directory, need="counseling", zip_code="19143")

    assert ids(outside) == ["phone-line"]
    assert "by phone or online" not in result_for(inside, "clinic-without-coordinates").reasons


@pytest.mark.parametrize("place", ["Squirrel Hill in Pittsburgh", "Pittsburgh"])
def test_in_pittsburgh_a_philadelphia_only_service_is_not_offered(reused_directory, tmp_path, place):
    load(
        reused_directory,
        tmp_path,
        service("philly-clinic", service_areas=[_area("philly-clinic", "Philadelphia County, PA")]),
        service("philly-line", at=None, service_areas=[_area("philly-line", "Philadelphia County, PA")]),
        service("philly-by-name", at=None, service_areas=[_area("philly-by-name", "City of Philadelphia")]),
        service("pittsburgh-line", at=None, service_areas=[_area("pittsburgh-line", "Allegheny County")]),
        service(
            "pittsburgh-by-name", at=None, service_areas=[_area("pittsburgh-by-name", "City of Pittsburgh")]
        ),
        service("pa-line", at=None, service_areas=[_area("pa-line", "Pennsylvania (statewide)")]),
        service("anywhere", at=None),
    )

    there = search(reused_directory, need="counseling", zip_code=None, place=place, limit=20)
    philadelphia = search(reused_directory, need="counseling", limit=20)

    assert sorted(ids(there)) == ["anywhere", "pa-line", "pittsburgh-by-name", "pittsburgh-line"]
    assert there.place.in_region is False and there.place.county == "Allegheny County"
    assert "outside our service region" in there.notices[0]
    assert sorted(ids(philadelphia)) == [
        "anywhere",
        "pa-line",
        "philly-by-name",
        "philly-clinic",
        "philly-line",
    ]


def _area(service_id: str, text: str) -> dict:
    return {"id": uid(f"{service_id}/area"), "name": text, "extent": text, "extent_type": "text"}


def test_inside_the_region_there_is_no_notice(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("clinic"), service("phone-line", at=None))

    response = search(reused_directory, need="counseling", zip_code="19143")

    assert sorted(ids(response)) == ["clinic", "phone-line"]
    assert response.notices == []


@pytest.mark.parametrize("zip_code", ["00000", "1914"])
def test_search_with_an_unknown_zip_raises(reused_directory, tmp_path, zip_code):
    load(reused_directory, tmp_path, service("clinic"))

    with pytest.raises(PlaceError) as raised:
        search(reused_directory, need="counseling", zip_code=zip_code)

    assert raised.value.kind == "unknown_zip"


def test_search_near_a_named_place_measures_from_it(reused_directory, tmp_path):
    kensington = default_gazetteer().resolve("Kensington")
    load(
        reused_directory, tmp_path, service("k-clinic", at=(kensington.latitude, kensington.longitude + 0.01))
    )

    response = search(
        reused_directory, need="counseling", zip_code=None, place="near Kensington", radius_miles=2
    )

    assert ids(response) == ["k-clinic"]
    assert response.results[0].distance_miles < 1
    with pytest.raises(PlaceError) as raised:
        search(reused_directory, need="counseling", zip_code=None, place="Narnia")
    assert raised.value.kind == "unknown_place"
