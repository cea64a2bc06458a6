"""Handoff records as the console's pages read them: names, the needs line, wait, channel, language."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.console.accounts import Accounts
from bot.console.http import plain
from bot.directory.taxonomy import Taxonomy
from bot.handoff.desk import caller_language
from bot.handoff.summary import summary_line
from bot.identity import channel_of


class RecordView:
    def __init__(self, accounts: Accounts, taxonomy: Taxonomy) -> None:
        self.accounts = accounts
        self.taxonomy = taxonomy
        self._names: dict[str, str] = {}

    def name_of(self, username: str | None) -> str | None:
        """An advocate's display name (what callers and colleagues see), not their sign-in name."""
        if username and username not in self._names:
            self._names.update({u["username"]: u["display_name"] for u in self.accounts.users()})
        return self._names.get(username, username) if username else None

    def needs_line(self, record: dict) -> str:
        return summary_line(record["summary"] or {}, self.taxonomy)

    def public(self, record: dict) -> dict:
        shown = plain(record)
        shown["holder_name"] = self.name_of(record["holder"])
        shown["offered_to_name"] = self.name_of(record.get("offered_to"))
        shown["needs_line"] = self.needs_line(record)
        # The language the caller writes in: the queue marks Spanish, and a Spanish speaker can filter by it.
        shown["language"] = caller_language(record)
        shown["channel"] = channel_of(record["conversation_id"]) or record.get("channel") or "rest"
        shown["wait_seconds"] = int((datetime.now(timezone.utc) - record["requested_at"]).total_seconds())
        return shown
