"""Opening hours from HSDS schedules (bot/directory/hours.py). Every moment is fixed: no wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fixtures import ALWAYS, EASTERN, WEEKDAYS_9_TO_5, ids, load, result_for, search, service, weekly

from bot.directory import hours
from bot.directory.hours import WeeklyHours, format_time

# 2025-06-02 is a Monday; NOW in fixtures.py is Wednesday 2025-06-04 at 2 pm.
MONDAY = datetime(2025, 6, 2, tzinfo=EASTERN)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in the week of 2 June 2025, Eastern time: day 0 = Monday."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


WED, THU, FRI, SAT, SUN = 2, 3, 4, 5, 6
WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def week_of(*schedules, tz: str = "America/New_York") -> WeeklyHours:
    """Hours as the search index stores them: parsed, encoded and decoded again."""
    return WeeklyHours.decode(hours.encode(hours.blocks_from_schedules(list(schedules)), tz))


# --- open or closed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment, is_open",
    [
        (at(WED, 9), True),
        (at(WED, 14), True),
        (at(WED, 16, 59), True),
        (at(WED, 8, 59), False),
        (at(WED, 17), False),
        (at(SAT, 12), False),
    ],
    ids=["at-opening", "afternoon", "last-minute", "before-opening", "at-closing", "saturday"],
)
def test_open_within_hours_and_closed_outside(moment, is_open):
    assert week_of(WEEKDAYS_9_TO_5).is_open(moment) is is_open


def test_moment_in_another_time_zone_is_converted():
    nine_thirty_eastern_in_utc = at(WED, 9, 30).astimezone(timezone.utc)

    assert week_of(WEEKDAYS_9_TO_5).is_open(nine_thirty_eastern_in_utc)


@pytest.mark.parametrize(
    "moment, is_open",
    [
        (at(THU, 2), True),
        (at(THU, 6, 59), True),
        (at(THU, 7), False),
        (at(THU, 12), False),
        (at(WED, 19), True),
        (at(WED, 18), False),
    ],
    ids=["2am-next-day", "just-before-7", "at-7", "noon-next-day", "at-opening", "before-opening"],
)
def test_overnight_block_runs_past_midnight(moment, is_open):
    shelter = week_of(weekly("MO,TU,WE,TH,FR,SA,SU", "19:00", "07:00"))

    assert shelter.is_open(moment) is is_open


def test_overnight_block_belongs_to_the_day_it_opens():
    friday_nights = week_of(weekly("FR", "19:00", "07:00"))

    assert friday_nights.is_open(at(SAT, 2))
    assert not friday_nights.is_open(at(FRI, 2))  # Thursday night is not open
    assert friday_nights.today(at(FRI, 12)) == "7 pm-7 am"


def test_twenty_four_seven():
    always = week_of(ALWAYS)

    for moment in (at(WED, 0), at(WED, 3, 30), at(SAT, 23, 59), at(SAT, 12)):
        assert always.is_open(moment)
    assert always.is_always_open()
    assert always.status(at(WED, 3)) == "open 24 hours"
    assert always.today(at(WED, 3)) == "open 24 hours"
    assert always.week() == [f"{day}: open 24 hours" for day in WEEK]


def test_midnight_to_midnight_is_also_open_24_hours():
    assert week_of(weekly("MO,TU,WE,TH,FR,SA,SU", "00:00", "00:00")).status(at(WED, 3)) == "open 24 hours"


def test_every_day_but_one_is_not_24_7():
    six_days = week_of(weekly("MO,TU,WE,TH,FR,SA", "00:00", "23:59"))

    assert not six_days.is_always_open()
    assert six_days.status(at(WED, 3)).startswith("open until midnight")
    assert six_days.today(at(SUN, 3)) == "closed today"


# --- what to tell the caller ---------------------------------------------------------------


@pytest.mark.parametrize(
    "moment, status",
    [
        (at(WED, 14), "open until 5 pm today"),
        (at(WED, 8), "opens at 9 am today"),
        (at(WED, 18), "opens at 9 am tomorrow"),
        (at(FRI, 18), "opens at 9 am Monday"),
        (at(SAT, 10), "opens at 9 am Monday"),
        (at(SUN, 10), "opens at 9 am tomorrow"),
    ],
    ids=["during", "before-opening", "evening", "friday-evening", "saturday", "sunday"],
)
def test_status_says_when_it_closes_or_opens(moment, status):
    assert week_of(WEEKDAYS_9_TO_5).status(moment) == status


def test_status_of_an_overnight_block():
    shelter = week_of(weekly("MO,TU,WE,TH,FR,SA,SU", "19:00", "07:00"))

    assert shelter.status(at(WED, 20)) == "open until 7 am tomorrow"
    assert shelter.status(at(THU, 2)) == "open until 7 am today"
    assert shelter.status(at(THU, 12)) == "opens at 7 pm today"


def test_status_when_closing_at_midnight_does_not_say_tomorrow():
    """Open 9 am to 11:59 pm: at 8 pm it is open until midnight tonight, not until tomorrow's midnight."""
    late = week_of(weekly("MO,TU,WE,TH,FR", "09:00", "23:59"))

    status = late.status(at(WED, 20))

    assert status.startswith("open until midnight")
    assert "tomorrow" not in status


def test_lunch_break():
    clinic = week_of(weekly("MO,TU,WE,TH,FR", "09:00", "12:00"), weekly("MO,TU,WE,TH,FR", "13:00", "17:00"))

    assert not clinic.is_open(at(WED, 12, 30))
    assert clinic.status(at(WED, 12, 30)) == "opens at 1 pm today"
    assert clinic.status(at(WED, 10)) == "open until noon today"
    assert clinic.today(at(WED, 10)) == "9 am-noon, 1 pm-5 pm"
    assert clinic.week()[0] == "Monday: 9 am-noon, 1 pm-5 pm"
    assert clinic.week()[6] == "Sunday: closed"


def test_today_on_a_closed_day():
    assert week_of(WEEKDAYS_9_TO_5).today(at(SAT, 10)) == "closed today"


@pytest.mark.parametrize(
    "minutes, text",
    [(0, "midnight"), (720, "noon"), (570, "9:30 am"), (1020, "5 pm"), (1440, "midnight"), (45, "12:45 am")],
)
def test_format_time(minutes, text):
    assert format_time(minutes) == text


# --- reading HSDS schedules --------------------------------------------------------------


def test_numeric_hsds_timezone_offset_is_honoured():
    # 13:30 UTC is 9:30 am in Philadelphia in June (UTC-4) but 8:30 am at UTC-5.
    moment = datetime(2025, 6, 4, 13, 30, tzinfo=timezone.utc)
    schedule = weekly("MO,TU,WE,TH,FR", "09:00", "17:00", timezone=-5)

    assert hours.timezone_of([schedule], "America/New_York") == "-5"
    assert not week_of(schedule, tz=hours.timezone_of([schedule], "America/New_York")).is_open(moment)
    assert week_of(WEEKDAYS_9_TO_5).is_open(moment)


def test_schedules_without_a_timezone_use_the_default():
    assert hours.timezone_of([WEEKDAYS_9_TO_5], "America/New_York") == "America/New_York"


@pytest.mark.parametrize(
    "valid, is_open",
    [
        ({"valid_from": "2025-07-01"}, False),
        ({"valid_to": "2025-05-31"}, False),
        ({"valid_from": "2025-06-01", "valid_to": "2025-06-30"}, True),
        ({"valid_from": "2025-06-04", "valid_to": "2025-06-04"}, True),
        ({"valid_from": "2025-06-04T00:00:00Z"}, True),
    ],
    ids=["not-yet", "expired", "within", "single-day", "datetime-text"],
)
def test_valid_from_and_valid_to_are_respected(valid, is_open):
    summer = week_of(weekly("MO,TU,WE,TH,FR", "09:00", "17:00", **valid))

    assert summer.is_open(at(WED, 14)) is is_open


def test_status_skips_days_before_a_schedule_starts():
    starting_thursday = week_of(weekly("MO,TU,WE,TH,FR", "09:00", "17:00", valid_from="2025-06-05"))

    assert starting_thursday.status(at(WED, 14)) == "opens at 9 am tomorrow"
    assert not starting_thursday.is_always_open()


@pytest.mark.parametrize(
    "schedule, days",
    [
        (weekly("1MO,-1FR", "09:00", "17:00"), (0, 4)),
        ({"freq": "DAILY", "opens_at": "08:00", "closes_at": "20:00"}, tuple(range(7))),
        ({"byday": "SA,SU", "opens_at": "10:00", "closes_at": "14:00"}, (5, 6)),
        (weekly("tu, th", "09:00:00", "17:00:00"), (1, 3)),
    ],
    ids=["ordinals", "daily", "no-freq", "lowercase-and-seconds"],
)
def test_weekly_and_daily_schedules_are_read(schedule, days):
    blocks = hours.blocks_from_schedules([schedule])

    assert [block.days for block in blocks] == [days]


@pytest.mark.parametrize(
    "schedule",
    [
        {"freq": "MONTHLY", "byday": "1MO", "opens_at": "09:00", "closes_at": "17:00"},
        {"freq": "WEEKLY", "byday": "MO", "description": "by appointment"},
        {"freq": "WEEKLY", "byday": "MO", "opens_at": "9am", "closes_at": "5pm"},
        {"opens_at": "09:00", "closes_at": "17:00"},
    ],
    ids=["monthly", "no-times", "unparseable-times", "no-freq-no-days"],
)
def test_schedules_that_are_not_weekly_hours_are_ignored(schedule):
    assert hours.blocks_from_schedules([schedule]) == []
    assert hours.encode(hours.blocks_from_schedules([schedule]), "America/New_York") is None


# --- hours in search ---------------------------------------------------------------------


def test_search_honours_the_numeric_timezone_of_a_schedule(reused_directory, tmp_path):
    directory = reused_directory
    load(
        directory,
        tmp_path,
        service("eastern", hours=[WEEKDAYS_9_TO_5]),
        service("utc-minus-5", hours=[weekly("MO,TU,WE,TH,FR", "09:00", "17:00", timezone=-5)]),
    )
    moment = datetime(2025, 6, 4, 13, 30, tzinfo=timezone.utc)

    response = search(directory, need="counseling", open_now=True, now=moment)

    assert ids(response) == ["eastern"]


def test_search_reports_hours_today_and_status(reused_directory, tmp_path):
    load(reused_directory, tmp_path, service("clinic", hours=[WEEKDAYS_9_TO_5]))

    result = result_for(search(reused_directory, need="counseling", now=at(WED, 14)), "clinic")

    assert result.open_now is True
    assert result.hours_today == "9 am-5 pm"
    assert "open until 5 pm today" in result.reasons


# --- in Spanish ---------------------------------------------------------------------------------


def test_hours_are_told_in_spanish_with_the_same_times():
    clinic = week_of(WEEKDAYS_9_TO_5)

    assert format_time(17 * 60 + 30, "es") == "5:30 p. m."
    assert clinic.status(at(WED, 14), "es") == "abierto hoy hasta las 5 p. m."
    assert clinic.status(at(FRI, 18), "es") == "abre el lunes a las 9 a. m."
    assert clinic.next_opening(at(WED, 18), "es")[1] == "abre mañana a las 9 a. m."
    assert clinic.today(at(SUN, 10), "es") == "cerrado hoy"
    assert clinic.week("es")[0] == "lunes: 9 a. m.-5 p. m."
    assert clinic.week("es")[6] == "domingo: cerrado"


def test_a_spanish_speakers_results_say_why_they_fit_in_spanish(reused_directory, tmp_path):
    load(
        reused_directory,
        tmp_path,
        service(
            "clinic",
            payments=("medicaid",),
            languages=(("es", "Spanish"),),
            minimum_age=18,
            access=("walk_in",),
        ),
    )

    result = result_for(
        search(
            reused_directory,
            need="counseling",
            payment="medicaid",
            age=30,
            walk_in=True,
            prefer_language="es",
            reply_language="es",
            now=at(WED, 14),
        ),
        "clinic",
    )

    assert result.reasons[:5] == [
        "ofrece terapia y consejería",
        "acepta Medicaid (Asistencia Médica)",
        "el personal habla español",
        "atienden sin cita",
        "atiende desde los 18 años",
    ]
    assert not any(word in " ".join(result.reasons) for word in ("offers", "accepts", "miles", "open until"))
    assert "abierto hoy hasta las 5 p. m." in result.reasons
    assert result.hours_today == "9 a. m.-5 p. m."
