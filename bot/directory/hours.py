"""Weekly opening hours from HSDS schedules: "open now", "open on Tuesday", "open until 5 pm".

HSDS 3.0 describes regular hours as iCalendar-style recurrence fields
(``freq``, ``byday``, ``opens_at``, ``closes_at``). Wayfinder reads the weekly
and daily ones, which is how directories describe opening hours; other
schedules keep their ``description`` for people to read. A block that closes
at or before it opens runs past midnight (a shelter open 19:00-07:00).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.copy import DEFAULT_LANGUAGE, say

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Block:
    """Open on ``days`` (0 = Monday) from ``opens`` to ``closes``, in minutes after midnight.

    ``closes`` beyond 1440 means the block ends on the following day.
    """

    days: tuple[int, ...]
    opens: int
    closes: int
    valid_from: str | None = None
    valid_to: str | None = None

    def valid_on(self, day: date) -> bool:
        iso = day.isoformat()
        return (self.valid_from is None or self.valid_from[:10] <= iso) and (
            self.valid_to is None or iso <= self.valid_to[:10]
        )


def _minutes(value: str | None) -> int | None:
    if not value:
        return None
    parts = value.strip().split(":")
    try:
        hours, minutes = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return None
    if not (0 <= hours <= 24 and 0 <= minutes < 60):
        return None
    return hours * 60 + minutes


def blocks_from_schedules(schedules: list[dict]) -> list[Block]:
    blocks = []
    for schedule in schedules:
        freq = (schedule.get("freq") or "").upper()
        byday = schedule.get("byday")
        if freq not in ("WEEKLY", "DAILY", "") or (freq == "" and not byday):
            continue
        opens, closes = _minutes(schedule.get("opens_at")), _minutes(schedule.get("closes_at"))
        if opens is None or closes is None:
            continue
        if closes == MINUTES_PER_DAY - 1:
            closes = MINUTES_PER_DAY  # "23:59" means until midnight
        if closes <= opens:
            closes += MINUTES_PER_DAY
        if byday and freq != "DAILY":
            # "MO", "1MO" and "-1FR" all name Monday/Friday; the ordinal is ignored.
            days = tuple(
                sorted(
                    {
                        DAYS.index(code.strip()[-2:].upper())
                        for code in byday.split(",")
                        if code.strip()[-2:].upper() in DAYS
                    }
                )
            )
        else:
            days = tuple(range(7))
        if days:
            blocks.append(Block(days, opens, closes, schedule.get("valid_from"), schedule.get("valid_to")))
    return blocks


def timezone_of(schedules: list[dict], default: str) -> str:
    """HSDS gives a schedule's time zone as a UTC offset in hours; most give none."""
    for schedule in schedules:
        offset = schedule.get("timezone")
        if isinstance(offset, (int, float)) and -14 <= offset <= 14:
            return f"{offset:+g}"
    return default


def encode(blocks: list[Block], tz: str) -> str | None:
    if not blocks:
        return None
    return json.dumps(
        {"tz": tz, "blocks": [[list(b.days), b.opens, b.closes, b.valid_from, b.valid_to] for b in blocks]},
        separators=(",", ":"),
    )


def _tzinfo(name: str):
    if name[:1] in "+-":
        return timezone(timedelta(hours=float(name)))
    return ZoneInfo(name)


def format_time(minutes: int, language: str = DEFAULT_LANGUAGE) -> str:
    """A time of day as a caller reads it: "8:30 am", "noon"; "8:30 a. m." in Spanish."""
    minutes %= MINUTES_PER_DAY
    if minutes == 0:
        return say("time.midnight", language)
    if minutes == 12 * 60:
        return say("time.noon", language)
    hour, minute = divmod(minutes, 60)
    clock = f"{hour % 12 or 12}:{minute:02d}" if minute else f"{hour % 12 or 12}"
    return say("time.am" if hour < 12 else "time.pm", language, time=clock)


def clock_text(clock: str, language: str = DEFAULT_LANGUAGE) -> str:
    """ "18:00" (or "18:00:00") as "6 pm", "6 p. m." in Spanish."""
    hour, minute = (int(part) for part in clock.split(":")[:2])
    return format_time(hour * 60 + minute, language)


def day_name(weekday: int, language: str = DEFAULT_LANGUAGE) -> str:
    return say(f"day.{DAYS[weekday]}", language)


def _spans_text(spans: list[tuple[int, int]], language: str) -> str:
    return ", ".join(f"{format_time(o, language)}-{format_time(c, language)}" for o, c in spans)


@dataclass(frozen=True)
class WeeklyHours:
    blocks: tuple[Block, ...]
    tz: str

    @classmethod
    def decode(cls, text: str | None) -> WeeklyHours | None:
        if not text:
            return None
        data = json.loads(text)
        return cls(tuple(Block(tuple(d), o, c, f, t) for d, o, c, f, t in data["blocks"]), data["tz"])

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(_tzinfo(self.tz))

    def _open_spans(self, day: date) -> list[tuple[int, int]]:
        """Spans open on ``day`` in minutes after its midnight, overnight blocks included."""
        spans = []
        weekday = day.weekday()
        yesterday = day - timedelta(days=1)
        for block in self.blocks:
            if weekday in block.days and block.valid_on(day):
                spans.append((block.opens, block.closes))
            if (
                block.closes > MINUTES_PER_DAY
                and yesterday.weekday() in block.days
                and block.valid_on(yesterday)
            ):
                spans.append((0, block.closes - MINUTES_PER_DAY))
        return sorted(spans)

    def is_open(self, moment: datetime) -> bool:
        local = self.local(moment)
        minute = local.hour * 60 + local.minute
        return any(opens <= minute < closes for opens, closes in self._open_spans(local.date()))

    def open_on(self, weekday: int) -> bool:
        return any(weekday in block.days for block in self.blocks)

    def is_always_open(self) -> bool:
        covered = [False] * 7
        for block in self.blocks:
            if (
                block.opens == 0
                and block.closes >= MINUTES_PER_DAY
                and block.valid_from is None
                and block.valid_to is None
            ):
                for day in block.days:
                    covered[day] = True
        return all(covered)

    def _starting(self, day: date) -> list[tuple[int, int]]:
        """Spans that begin on ``day`` (an overnight block belongs to the day it opens)."""
        return sorted((b.opens, b.closes) for b in self.blocks if day.weekday() in b.days and b.valid_on(day))

    def today(self, moment: datetime, language: str = DEFAULT_LANGUAGE) -> str:
        """Today's hours, for a card: "9 am-5 pm", "open 24 hours", "closed today"."""
        if self.is_always_open():
            return say("open.all_day", language)
        spans = self._starting(self.local(moment).date())
        if not spans:
            return say("open.closed_today", language)
        return _spans_text(spans, language)

    def status(self, moment: datetime, language: str = DEFAULT_LANGUAGE) -> str:
        """A phrase for "why it fits": "open until 5 pm today", "opens at 9 am today"."""
        if self.is_always_open():
            return say("open.all_day", language)
        local = self.local(moment)
        minute = local.hour * 60 + local.minute
        spans = self._open_spans(local.date())
        for opens, closes in spans:
            if opens <= minute < closes:
                if closes == MINUTES_PER_DAY:
                    return say("open.until_midnight", language)
                key = "open.until_tomorrow" if closes > MINUTES_PER_DAY else "open.until_today"
                return say(key, language, time=format_time(closes, language))
        for opens, _closes in spans:
            if opens > minute:
                return say("open.at_today", language, time=format_time(opens, language))
        for ahead in range(1, 8):
            day = local.date() + timedelta(days=ahead)
            later = [opens for opens, _closes in self._starting(day)]
            if later:
                time = format_time(min(later), language)
                if ahead == 1:
                    return say("open.at_tomorrow", language, time=time)
                return say("open.at_day", language, time=time, day=day_name(day.weekday(), language))
        return say("open.closed", language)

    def spans_on(self, weekday: int) -> list[tuple[int, int]]:
        """Spans open on a weekday (any week), in minutes after its midnight; overnight ones included."""
        spans = [(b.opens, b.closes) for b in self.blocks if weekday in b.days]
        spans += [
            (0, b.closes - MINUTES_PER_DAY)
            for b in self.blocks
            if b.closes > MINUTES_PER_DAY and (weekday - 1) % 7 in b.days
        ]
        return sorted(spans)

    def window(
        self, weekday: int, after: int | None = None, before: int | None = None
    ) -> tuple[int, int] | None:
        """The first span on ``weekday`` open at some moment after ``after`` and before ``before``."""
        for opens, closes in self.spans_on(weekday):
            if (after is None or closes > after) and (before is None or opens < before):
                return opens, closes
        return None

    def window_today(
        self, moment: datetime, after: int | None = None, before: int | None = None
    ) -> tuple[int, int] | None:
        """The same for the rest of today (from ``moment`` on, this date's exceptions included)."""
        local = self.local(moment)
        start = max(local.hour * 60 + local.minute, after or 0)
        for opens, closes in self._open_spans(local.date()):
            if closes > start and (before is None or opens < before):
                return opens, closes
        return None

    def next_opening(self, moment: datetime, language: str = DEFAULT_LANGUAGE) -> tuple[int, str] | None:
        """(minutes from now, "opens tomorrow at 8:30 am") when closed now; None when open or never."""
        if self.is_open(moment):
            return None
        local = self.local(moment)
        minute = local.hour * 60 + local.minute
        for ahead in range(0, 8):
            day = local.date() + timedelta(days=ahead)
            starts = [opens for opens, _closes in self._starting(day) if ahead or opens > minute]
            if starts:
                first = min(starts)
                time = format_time(first, language)
                if ahead > 1:
                    words = say("open.next_day", language, time=time, day=day_name(day.weekday(), language))
                else:
                    words = say(
                        "open.next_today" if ahead == 0 else "open.next_tomorrow", language, time=time
                    )
                return ahead * MINUTES_PER_DAY + first - minute, words
        return None

    def open_state(self, moment: datetime) -> str:
        """ "open" now, opens "later" today, or "closed" for the rest of today: the ranking's words-free part."""
        if self.is_always_open():
            return "open"
        local = self.local(moment)
        minute = local.hour * 60 + local.minute
        spans = self._open_spans(local.date())
        if any(opens <= minute < closes for opens, closes in spans):
            return "open"
        return "later" if any(opens > minute for opens, _closes in spans) else "closed"

    def week(self, language: str = DEFAULT_LANGUAGE) -> list[str]:
        """One line a day, Monday first: "Monday: 9 am-5 pm"."""
        lines = []
        for weekday in range(7):
            spans = sorted((b.opens, b.closes) for b in self.blocks if weekday in b.days)
            text = _spans_text(spans, language) if spans else say("open.closed", language)
            if spans and all(o == 0 and c >= MINUTES_PER_DAY for o, c in spans):
                text = say("open.all_day", language)
            lines.append(f"{day_name(weekday, language)}: {text}")
        return lines
