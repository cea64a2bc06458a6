"""Where a caller is: ZIP codes (offline) and the gazetteer of the region's places."""

from __future__ import annotations

import pytest
from fixtures import ALWAYS, ids, load, result_for, search, service

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
    """Every name and alias means one place; every place's ZIP exists, is in the region and is near it."""
    for place in gazetteer.places:
        for name in [place["name"], *place.get("aliases", [])]:
            assert gazetteer.resolve_name(name).label == place["name"], f"{name!r} names another place"
    for place in gazetteer.places:
        entry = zip_index()[str(place["zip"])]
        assert gazetteer.in_region(entry["state"], entry["county"]), place["name"]
        assert distance_miles(float(entry["lat"]), float(entry["long"]), place["lat"], place["lon"]) < 10, (
            place["name"]
        )


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
