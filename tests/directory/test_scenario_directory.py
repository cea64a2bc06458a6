"""The scenario directory (a fictional 211 export, tests/scenarios/directory/) imported as an
operator would, through the AIRS/211 crosswalk and one for the 211's local attributes: the
search failures issue 11 describes do not happen."""

from __future__ import annotations

import pytest
from fixtures import CROSSWALK_DIR, NOW, ids

from bot.config import PROJECT_ROOT
from bot.directory import Directory, SearchQuery

SCENARIOS = PROJECT_ROOT / "tests" / "scenarios" / "directory"
CROSSWALKS = [CROSSWALK_DIR / "airs_211.yml", SCENARIOS / "dv211_local.yml"]

ADULT_PHP = "2cdf6907-9b0e-51a6-93cd-3347e1f4229f"
TEEN_PHP = "b70240a2-95f7-586d-b83a-305e719197e2"
PHILLY_TEEN_TEXTLINE = "a1e96539-d146-57df-99e2-1846e9d1d276"
ALLEGHENY_TEEN_LINE = "68b50e04-b12f-5d25-8f49-598def0286c6"
CAMDEN_OUTPATIENT = "d9aed9eb-020a-58cc-9d95-a2e3d5720a12"
PA_WARMLINE = "2c858c83-8d7c-5207-9a0d-38a6624f46fd"
MAYFAIR_CLOSED = "b0b471f1-6ac1-515b-a06d-a7124026534b"
ADULT_SHELTER = "ad4f978f-6a13-520e-aa68-31ce1061828c"
YOUNG_ADULT_SHELTER = "b41aa35a-e01a-59f3-8ca6-8beb2f0cc414"
RIVERWARD_THERAPY = "e58647eb-0cac-5177-85e8-794916795236"


@pytest.fixture(scope="module")
def dv211(tmp_path_factory):
    if not (SCENARIOS / "services.json").exists():
        pytest.skip("the scenario directory is not there")
    directory = Directory(f"sqlite:///{tmp_path_factory.mktemp('dv211') / 'directory.sqlite3'}")
    report = directory.import_path(SCENARIOS / "services.json", crosswalk=CROSSWALKS)
    assert report.indexed > 0
    yield directory
    directory.close()


def find(directory, **query) -> list[str]:
    query.setdefault("limit", 50)
    return ids(directory.search(SearchQuery(**query), now=NOW))


def test_a_therapist_on_medicaid_is_not_offered_partial_hospitalization(dv211):
    found = find(dv211, need="counseling", zip_code="19143", payment="medicaid", age=35)

    assert RIVERWARD_THERAPY in found
    assert ADULT_PHP not in found and TEEN_PHP not in found
    assert ADULT_PHP in find(dv211, need="intensive_mental_health", zip_code="19143", age=35)


def test_a_philadelphia_teen_line_does_not_reach_pittsburgh(dv211):
    pittsburgh = find(dv211, need="mental_health", zip_code="15213", age=44)

    assert PHILLY_TEEN_TEXTLINE not in pittsburgh
    assert ALLEGHENY_TEEN_LINE not in pittsburgh  # ages 12-19
    assert ALLEGHENY_TEEN_LINE in find(dv211, need="mental_health", zip_code="15213", age=15)
    assert PHILLY_TEEN_TEXTLINE not in find(dv211, need="mental_health", zip_code="15213", age=15)


def test_a_new_jersey_clinic_is_for_new_jersey_callers(dv211):
    assert CAMDEN_OUTPATIENT not in find(dv211, need="counseling", zip_code="19143", payment="medicaid")
    # PAY-MA-NJ is Medicaid: the service area keeps it to New Jersey.
    assert CAMDEN_OUTPATIENT in find(dv211, need="counseling", zip_code="08102", payment="medicaid")


def test_a_free_line_fits_a_caller_with_any_insurance(dv211):
    for payment in ("medicaid", "medicare", "private_insurance", "sliding_fee"):
        assert PA_WARMLINE in find(dv211, need="warmline", zip_code="19143", payment=payment, age=40)


def test_a_closed_service_is_never_offered(dv211):
    assert MAYFAIR_CLOSED not in find(dv211, need="mental_health", zip_code="19149")


def test_an_age_limited_shelter_waits_for_the_age(dv211):
    unknown = dv211.search(SearchQuery(need="shelter", zip_code="19107", limit=50), now=NOW)
    order = ids(unknown)
    assert order.index(ADULT_SHELTER) < order.index(YOUNG_ADULT_SHELTER)
    young = next(r for r in unknown.results if r.service_id == YOUNG_ADULT_SHELTER)
    assert "for ages 18-24: check" in young.caveats
    assert YOUNG_ADULT_SHELTER not in find(dv211, need="shelter", zip_code="19107", age=41)
