"""The organisation's own programs: what to say about them, and what callers sign up for.

The organisation's name, phone and advocates' hours come from ``data/organization.yml``;
what the assistant says about each program is in the copy catalog (``program.<name>`` in
``data/copy/caller.yml``), in English and Spanish. Sign-ups and advocacy intakes are
stored only with the caller's consent, with the time consent was given.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import yaml

from bot.config import PROJECT_ROOT, app_database_url
from bot.copy import say
from bot.db import engine_with_tables
from bot.directory.hours import DAYS, clock_text

logger = logging.getLogger(__name__)

ORGANIZATION_FILE = PROJECT_ROOT / "data" / "organization.yml"
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
MAX_SUMMARY = 4000

metadata = sa.MetaData()

newsletter_signup = sa.Table(
    "wf_newsletter_signup",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("channel", sa.String(64)),
)

advocacy_intake = sa.Table(
    "wf_advocacy_intake",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("contact", sa.Text),
    sa.Column("consented_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("channel", sa.String(64)),
    sa.Column("status", sa.String(32), nullable=False, default="new"),
)


@lru_cache(maxsize=1)
def organization() -> dict:
    return yaml.safe_load(ORGANIZATION_FILE.read_text(encoding="utf-8"))


def program_text(program: str, language: str = "en") -> str:
    """What to tell a caller about one of the organisation's programs (the catalog's program.<name>)."""
    return say(f"program.{program}", language)


def advocates_on_shift() -> bool:
    """Whether a person can join now: an advocate is signed in to the console and available
    (bot.handoff.presence). WAYFINDER_ADVOCATE_HOURS=always|never overrides, for a demo without
    staff and for tests that must not depend on who is signed in.
    """
    override = os.environ.get("WAYFINDER_ADVOCATE_HOURS", "").strip().lower()
    if override in ("always", "never"):
        return override == "always"
    try:
        return bool(_presence().available())
    except Exception:  # the crisis reply asks this too: a database hiccup must never stop it
        logger.exception("could not read who is on shift; telling callers no one is")
        return False


@lru_cache(maxsize=1)
def _presence():
    from bot.handoff.presence import Presence

    return Presence.open()


def within_advocate_hours(now: datetime | None = None) -> bool:
    """Whether ``now`` falls in the advocates' usual hours (``advocate_hours``): what callers
    are told about when to come back, not whether someone is there now."""
    hours = organization()["advocate_hours"]
    local = (now or datetime.now(timezone.utc)).astimezone(ZoneInfo(hours["timezone"]))
    opens, closes = (time.fromisoformat(hours[key]) for key in ("opens", "closes"))
    return DAYS[local.weekday()] in hours["days"] and opens <= local.time() < closes


def advocate_hours_text(language: str = "en") -> str:
    """When advocates are on shift, in the caller's words: "weekdays 9 am to 5 pm"."""
    hours = organization()["advocate_hours"]
    days = hours["days"]
    if days == ["MO", "TU", "WE", "TH", "FR"]:
        day_text = say("hours.weekdays", language)
    elif len(days) == 7:
        day_text = say("hours.every_day", language)
    else:
        day_text = ", ".join(say(f"day.{day}", language) for day in days)
    return say(
        "hours.span",
        language,
        days=day_text,
        opens=clock_text(str(hours["opens"]), language),
        closes=clock_text(str(hours["closes"]), language),
    )


def valid_phone(text: str | None) -> str | None:
    """A North American phone number as 215-555-0100, or None when it is not one."""
    digits = re.sub(r"\D", "", text or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def valid_email(text: str | None) -> str | None:
    candidate = (text or "").strip().strip("<>").strip()
    if len(candidate) > 254 or not EMAIL.match(candidate):
        return None
    return candidate.lower()


@dataclass
class ProgramStore:
    engine: sa.engine.Engine

    @classmethod
    def open(cls, url: str | None = None) -> ProgramStore:
        return cls(engine_with_tables(metadata, url or app_database_url()))

    def sign_up(self, email: str, channel: str | None, now: datetime | None = None) -> bool:
        """Store a consented newsletter sign-up; False when the address was already signed up."""
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(newsletter_signup.c.id).where(newsletter_signup.c.email == email)
            ).first()
            if exists:
                return False
            conn.execute(
                newsletter_signup.insert().values(
                    email=email, consented_at=now or datetime.now(timezone.utc), channel=channel
                )
            )
            return True

    def record_intake(
        self,
        conversation_id: str,
        summary: str,
        contact: str | None,
        channel: str | None,
        now: datetime | None = None,
    ) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                advocacy_intake.insert().values(
                    conversation_id=conversation_id,
                    summary=summary[:MAX_SUMMARY],
                    contact=contact,
                    consented_at=now or datetime.now(timezone.utc),
                    channel=channel,
                    status="new",
                )
            )
            return int(result.inserted_primary_key[0])

    def signups(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(sa.select(newsletter_signup))]

    def intakes(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(sa.select(advocacy_intake))]
