"""The SMS store on SQLite and PostgreSQL: opt-outs, handled MessageSids, numbered menus."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.sms.store import SmsStore

PHONE = "+12155550123"


@pytest.fixture
def stores(database_url):
    """Two stores on one database, as two Rasa processes would have."""
    first, second = SmsStore.open(database_url), SmsStore.open(database_url)
    yield first, second
    first.close()
    second.close()


def test_a_message_sid_is_handled_once_across_processes(stores):
    first, second = stores
    assert first.first_time("SM1") is True
    assert second.first_time("SM1") is False
    assert first.first_time("SM1") is False
    assert second.first_time("SM2") is True


def test_old_message_sids_are_forgotten(database_url):
    store = SmsStore.open(database_url)
    long_ago = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert store.first_time("SM-old", now=long_ago)
    store.first_time("SM-new", now=long_ago + timedelta(days=10))
    assert store.first_time("SM-old", now=long_ago + timedelta(days=10, hours=2)) is True
    store.close()


def test_stop_opts_out_once_and_start_opts_back_in(stores):
    first, second = stores
    assert first.is_opted_out(PHONE) is False
    assert first.opt_in(PHONE, "YES") is False  # never opted out: nothing to confirm
    assert first.opt_out(PHONE, "stop") is True
    assert second.is_opted_out(PHONE) is True
    assert second.opt_out(PHONE, "QUIT") is False  # one confirmation only
    assert second.opt_in(PHONE, "START") is True
    assert first.is_opted_out(PHONE) is False
    assert first.opt_in(PHONE, "START") is False
    assert first.opt_out(PHONE, "STOP") is True  # a second opt-out after opting in is confirmed again
    assert first.is_opted_out("+12155550999") is False


def test_the_last_menu_per_number_replaces_the_one_before(stores):
    first, second = stores
    assert first.menu(PHONE) == {}
    first.set_menu(PHONE, {"1": "/affirm", "2": "/deny"})
    assert second.menu(PHONE) == {"1": "/affirm", "2": "/deny"}
    second.set_menu(PHONE, {"1": '/inform{"payment": "medicaid"}'})
    assert first.menu(PHONE) == {"1": '/inform{"payment": "medicaid"}'}
    first.clear_menu(PHONE)
    assert second.menu(PHONE) == {}
    second.clear_menu(PHONE)  # clearing nothing is fine
