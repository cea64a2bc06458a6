"""Phone numbers for a call back, when advocates are on shift, and how their hours read."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot import programs
from bot.handoff.presence import Presence
from bot.programs import advocate_hours_text, advocates_on_shift, valid_phone, within_advocate_hours


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("215-555-0123", "215-555-0123"),
        ("2155550123", "215-555-0123"),
        ("(215) 555-0123", "215-555-0123"),
        ("215.555.0123", "215-555-0123"),
        ("+1 (215) 555-0123", "215-555-0123"),
        ("1-215-555-0123", "215-555-0123"),
        ("  my number is 215 555 0123 ", "215-555-0123"),
    ],
)
def test_a_north_american_number_is_normalised(text, phone):
    assert valid_phone(text) == phone


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "no phone",
        "555-0123",  # seven digits
        "215-555-012",  # nine
        "215-555-01234",  # eleven, not starting with 1
        "2-215-555-0123",  # eleven, country code 2
        "1-215-555-01234",  # twelve
        "015-555-0123",  # area codes start 2-9
        "115-555-0123",
        "215-055-0123",  # exchanges start 2-9
        "215-155-0123",
        "215-555-0123 ext 4",
    ],
)
def test_anything_else_is_not_a_phone(text):
    assert valid_phone(text) is None


HOURS = {
    "timezone": "America/New_York",
    "days": ["MO", "TU", "WE", "TH", "FR"],
    "opens": "09:00",
    "closes": "17:00",
}


@pytest.fixture
def hours(monkeypatch):
    """The organisation's file with advocate hours the test sets."""
    configured = dict(HOURS)
    monkeypatch.setattr(programs, "organization", lambda: {"advocate_hours": configured})
    monkeypatch.delenv("WAYFINDER_ADVOCATE_HOURS", raising=False)
    return configured


def test_the_organisations_hours_read_as_weekdays():
    assert advocate_hours_text() == "weekdays 9 am to 5 pm"


@pytest.mark.parametrize(
    ("days", "opens", "closes", "text"),
    [
        (["MO", "TU", "WE", "TH", "FR"], "09:00", "17:00", "weekdays 9 am to 5 pm"),
        (["MO", "TU", "WE", "TH", "FR", "SA", "SU"], "08:30", "20:00", "every day 8:30 am to 8 pm"),
        (["MO", "WE", "SA"], "00:00", "12:00", "Monday, Wednesday, Saturday midnight to noon"),
        (["SU"], "12:15", "23:45", "Sunday 12:15 pm to 11:45 pm"),
    ],
)
def test_advocate_hours_in_the_callers_words(hours, days, opens, closes, text):
    hours.update(days=days, opens=opens, closes=closes)
    assert advocate_hours_text() == text


@pytest.mark.parametrize(
    ("moment", "on"),
    [
        (datetime(2024, 3, 4, 14, 0, tzinfo=timezone.utc), True),  # Monday 9:00 EST, opening
        (datetime(2024, 3, 4, 13, 59, tzinfo=timezone.utc), False),  # Monday 8:59 EST
        (datetime(2024, 3, 4, 21, 59, tzinfo=timezone.utc), True),  # Monday 16:59 EST
        (datetime(2024, 3, 4, 22, 0, tzinfo=timezone.utc), False),  # Monday 17:00 EST, closed
        (datetime(2024, 7, 1, 13, 30, tzinfo=timezone.utc), True),  # Monday 9:30 EDT (summer time)
        (datetime(2024, 1, 8, 13, 30, tzinfo=timezone.utc), False),  # Monday 8:30 EST (winter)
        (datetime(2024, 3, 9, 15, 0, tzinfo=timezone.utc), False),  # Saturday 10:00
        (datetime(2024, 3, 9, 2, 0, tzinfo=timezone.utc), False),  # Friday 21:00 EST, Saturday in UTC
        (datetime(2024, 3, 5, 3, 0, tzinfo=timezone.utc), False),  # Monday 22:00 EST, Tuesday in UTC
    ],
)
def test_the_organisations_usual_hours_follow_its_time_zone(hours, moment, on):
    assert within_advocate_hours(moment) is on


@pytest.mark.parametrize(
    ("setting", "on"), [("always", True), ("never", False), (" Always ", True), ("NEVER", False)]
)
def test_the_environment_overrides_who_is_signed_in(hours, monkeypatch, setting, on):
    monkeypatch.setenv("WAYFINDER_ADVOCATE_HOURS", setting)
    assert advocates_on_shift() is on


@pytest.mark.parametrize("setting", ["", "sometimes", "weekdays"])
def test_otherwise_someone_is_on_shift_only_when_an_advocate_is_signed_in_and_available(
    hours, monkeypatch, database_url, setting
):
    """The clock says nothing about whether a person is there: at 10 on a Monday with nobody
    signed in, callers are not promised a person; at 3 am with one available, they are."""
    monkeypatch.setenv("WAYFINDER_ADVOCATE_HOURS", setting)
    presence = Presence.open(database_url)
    monkeypatch.setattr(programs, "_presence", lambda: presence)
    assert advocates_on_shift() is False
    presence.set("ana", "available")
    assert advocates_on_shift() is True
    presence.set("ana", "away")
    assert advocates_on_shift() is False
    presence.set("ana", "available")
    presence.go_offline({"ana"})
    assert advocates_on_shift() is False
    presence.close()


def test_a_presence_store_that_fails_means_no_one_is_promised_and_nothing_breaks(hours, monkeypatch):
    """The crisis reply asks who is on shift: a broken database must not stop it."""

    class Broken:
        def available(self):
            raise RuntimeError("database is locked")

    monkeypatch.setattr(programs, "_presence", lambda: Broken())
    assert advocates_on_shift() is False
