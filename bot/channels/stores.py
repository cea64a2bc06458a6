"""Rasa's SQL tracker store and SQL event broker, pointed at Wayfinder's databases.

endpoints.yml names these classes, so the embedded default needs no settings:
trackers in ``var/tracker.sqlite3`` and broker events in ``var/events.sqlite3``;
with ``WAYFINDER_DATABASE_URL`` both move to that server (PostgreSQL). The
console reads the broker's table to see callers' messages as they arrive.
"""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import declarative_base

from bot.config import events_database_url, tracker_database_url

BROKER_TABLE = "rasa_broker_events"


class WayfinderTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, **_ignored: Any) -> None:
        super().__init__(domain=domain, host=tracker_database_url(), event_broker=event_broker)


class WayfinderEventBroker(SQLEventBroker):
    # Its own table name: on a shared PostgreSQL database, the tracker store already owns "events".
    Base = declarative_base()

    class SQLBrokerEvent(Base):
        __tablename__ = BROKER_TABLE
        id = Column(Integer, primary_key=True)
        sender_id = Column(String(255), index=True)
        data = Column(Text)

    def __init__(self, **_ignored: Any) -> None:
        super().__init__(host=events_database_url())

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Any = None
    ) -> WayfinderEventBroker:
        return cls()
