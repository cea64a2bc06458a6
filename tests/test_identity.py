"""Conversation ids, resume tokens and REST keys (bot/identity.py), without servers."""

from __future__ import annotations

import os
import stat

import pytest

from bot.identity import (
    ANONYMOUS_CLIENT,
    RestKeys,
    ResumeTokens,
    channel_of,
    keys_file,
    new_rest_key,
    new_web_conversation,
    output_channel_for,
    phone_of,
    rest_conversation,
    sms_conversation,
)

T0 = 1_800_000_000.0


def test_each_id_names_the_channel_that_reaches_it():
    assert output_channel_for(sms_conversation("+12155550123")) == "twilio"
    assert output_channel_for(new_web_conversation()) == "socketio"
    assert output_channel_for(rest_conversation("partner", "+12155550123")) == "rest"
    assert output_channel_for("+12155550123") == "latest"  # an id no channel issued
    assert channel_of("sms") is None and channel_of("smsx:1") is None
    assert phone_of(sms_conversation("+12155550123")) == "+12155550123"


def test_web_ids_are_128_random_bits():
    ids = {new_web_conversation() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == len("web:") + 32 for i in ids)


def test_a_resume_token_gives_back_its_own_conversation_only():
    tokens = ResumeTokens(b"k" * 32, max_age_seconds=3600)
    conversation = new_web_conversation()
    token = tokens.issue(conversation, now=T0)
    assert tokens.verify(token, now=T0 + 10) == conversation
    other = new_web_conversation()
    conversation_id, issued, mac = token.split(".")
    assert tokens.verify(f"{other}.{issued}.{mac}", now=T0) is None  # the mac is bound to the id
    assert tokens.verify(f"{conversation_id}.{int(issued) + 1000}.{mac}", now=T0) is None
    assert tokens.verify(token, now=T0 + 3601) is None  # expired
    assert ResumeTokens(b"x" * 32).verify(token, now=T0) is None  # another server's secret
    for junk in (None, 42, "", "web:abc", token + ".", "a" * 500):
        assert tokens.verify(junk, now=T0) is None


def test_rest_keys_name_their_client_and_nothing_else(monkeypatch):
    monkeypatch.setenv("WAYFINDER_REST_KEYS", "partner:key-one, other:key-two")
    monkeypatch.delenv("WAYFINDER_REST_ANONYMOUS", raising=False)
    keys = RestKeys.from_environment()
    assert keys.client_for("Bearer key-one") == "partner"
    assert keys.client_for("bearer key-two") == "other"
    assert keys.client_for("Bearer key-three") is None
    assert keys.client_for("Basic key-one") is None
    assert keys.client_for(None) is None
    monkeypatch.setenv("WAYFINDER_REST_ANONYMOUS", "1")
    assert RestKeys.from_environment().client_for(None) == ANONYMOUS_CLIENT


def test_a_new_key_is_shown_once_and_only_its_digest_is_kept(monkeypatch):
    monkeypatch.delenv("WAYFINDER_REST_KEYS", raising=False)
    key = new_rest_key("partner")
    stored = keys_file().read_text()
    assert key not in stored and stored.startswith("partner ")
    assert stat.S_IMODE(os.stat(keys_file()).st_mode) == 0o600
    assert RestKeys.from_environment().client_for(f"Bearer {key}") == "partner"
    with pytest.raises(ValueError):
        new_rest_key("anonymous")
    with pytest.raises(ValueError):
        new_rest_key("Has Spaces")
