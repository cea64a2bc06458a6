"""The console's API end to end, against the real console, Rasa server and action server: whole
handoffs driven by real conversations over REST, crises, Spanish, cards. Sign-in, roles, CSRF
and each desk step are tested in process on the fake (test_console_desk_api.py)."""

from __future__ import annotations

import requests

from tests.assistant import TEST_REST_KEY, customs, rest_conversation_id, texts
from tests.console.client import signed_in


def events_of(assistant, sender: str) -> list[dict]:
    return assistant.tracker(sender)["events"]


def test_a_spanish_speaking_caller_is_marked_spanish_in_the_queue(assistant, sender):
    console = signed_in(assistant, name="Sam")
    assistant.say(sender, "hola, necesito un psicólogo para mi hijo")
    reply = assistant.say(sender, "quiero hablar con una persona")
    assert [c for c in customs(reply, "handoff") if c["state"] == "waiting"]
    entry = console.queued(sender)
    assert entry["language"] == "es"
    assert "speaks Spanish" in entry["needs_line"]


def test_a_whole_handoff_from_a_real_conversation(assistant, sender):
    console = signed_in(assistant, name="Sam")
    other = signed_in(assistant, name="Ana")
    first = assistant.say(sender, "I need a therapist who takes Medicaid near 19143")
    assert first
    reply = assistant.say(sender, "talk to a person")
    waiting = [c for c in customs(reply, "handoff") if c["state"] == "waiting"]
    assert waiting and waiting[0]["position"] >= 1
    assert any(event["event"] == "pause" for event in events_of(assistant, sender))

    entry = console.queued(sender)
    assert entry["state"] == "waiting" and entry["reason"] == "caller_request"
    assert "19143" in entry["needs_line"] or "counsel" in entry["needs_line"].lower()
    assert entry["language"] == "en"

    # While waiting, the caller's words reach the queue's transcript, and the caller hears they
    # are still in line (no turn ends silent), not the bot taking the conversation back.
    still = assistant.say(sender, "hello? is anyone there")
    assert len(still) == 1 and still[0]["text"].startswith("You're still in line for an advocate (number ")
    assert "988" in still[0]["text"]
    view = console.get(f"/api/handoffs/{entry['id']}").json()
    assert [t["text"] for t in view["transcript"] if t["who"] == "caller"][-1] == "hello? is anyone there"

    assert console.post(f"/api/handoffs/{entry['id']}/claim").status_code == 200
    taken = other.post(f"/api/handoffs/{entry['id']}/claim")
    assert taken.status_code == 409 and "already taken" in taken.json()["error"]
    assert other.post(f"/api/handoffs/{entry['id']}/messages", {"text": "hi"}).status_code == 409

    sent = console.post(f"/api/handoffs/{entry['id']}/messages", {"text": "Hi, I'm Sam. How can I help?"})
    assert sent.status_code == 200
    # A REST caller collects what was said between its requests from the channel's outbox, once.
    outbox = assistant.rest_url.rsplit("/", 1)[0] + "/outbox"
    key = {"Authorization": f"Bearer {TEST_REST_KEY}"}
    waiting_for_caller = requests.get(outbox, params={"sender": sender}, headers=key, timeout=30).json()
    assert [m.get("text") for m in waiting_for_caller] == [
        "Sam, an advocate, has joined the chat.",
        "Hi, I'm Sam. How can I help?",
    ]
    assert waiting_for_caller[1]["custom"] == {
        "type": "advocate_message",
        "language": "en",
        "advocate": "Sam",
    }
    assert requests.get(outbox, params={"sender": sender}, headers=key, timeout=30).json() == []
    assert requests.get(outbox, headers=key, timeout=30).status_code == 400
    bot_texts = [e.get("text") for e in events_of(assistant, sender) if e["event"] == "bot"]
    assert "Sam, an advocate, has joined the chat." in bot_texts
    assert "Hi, I'm Sam. How can I help?" in bot_texts
    assert console.post(f"/api/handoffs/{entry['id']}/messages", {"text": "   "}).status_code == 400

    assert (
        console.post(f"/api/handoffs/{entry['id']}/notes", {"text": "Prefers evenings."}).status_code == 200
    )
    view = console.get(f"/api/handoffs/{entry['id']}").json()
    assert [n["text"] for n in view["notes"]] == ["Prefers evenings."]
    advocate_turns = [t for t in view["transcript"] if t["who"] == "advocate"]
    assert (
        advocate_turns[-1]["text"] == "Hi, I'm Sam. How can I help?"
        and advocate_turns[-1]["advocate"] == "Sam"
    )

    assert console.post(f"/api/handoffs/{entry['id']}/hand-back").status_code == 200
    events = events_of(assistant, sender)
    assert any(e["event"] == "resume" for e in events)
    assert "You're back with the assistant" in " ".join(
        e.get("text") or "" for e in events if e["event"] == "bot"
    )
    assert texts(assistant.say(sender, "what can you do")), "the assistant answers again"

    resolved = console.post(f"/api/handoffs/{entry['id']}/resolve", {"disposition": "referred"})
    assert resolved.status_code == 200 and resolved.json()["handoff"]["state"] == "resolved"
    history = console.get("/api/history", disposition="referred").json()["handoffs"]
    assert entry["id"] in [h["id"] for h in history]
    assert entry["id"] not in [
        h["id"] for h in console.get("/api/history", disposition="abandoned").json()["handoffs"]
    ]


def test_resolve_needs_a_known_disposition(assistant, sender):
    console = signed_in(assistant)
    assistant.say(sender, "talk to a person")
    entry = console.queued(sender)
    console.post(f"/api/handoffs/{entry['id']}/claim")
    assert console.post(f"/api/handoffs/{entry['id']}/resolve", {"disposition": "done"}).status_code == 400
    closed = console.post(f"/api/handoffs/{entry['id']}/resolve", {"disposition": "information_given"})
    assert closed.status_code == 200
    bot_texts = " ".join(e.get("text") or "" for e in events_of(assistant, sender) if e["event"] == "bot")
    assert "has closed this chat" in bot_texts and "You're back with the assistant" in bot_texts
    assert console.queued(sender) is None


def test_a_crisis_while_waiting_gets_the_crisis_lines_at_once_and_goes_to_the_top(assistant, sender):
    console = signed_in(assistant)
    assistant.say(sender, "talk to a person")
    assert console.queued(sender)["priority"] == "normal"
    reply = assistant.say(sender, "i want to kill myself")
    crisis = [c for c in customs(reply) if c.get("crisis") is True]
    assert crisis, "the caller in crisis must not wait in silence"
    assert "988" in texts(reply)
    entry = console.queued(sender)
    assert entry["priority"] == "urgent"
    # Ahead of every request that is not urgent (older urgent ones from other tests may come first).
    queue = console.get("/api/queue").json()["handoffs"]
    place = [h["conversation_id"] for h in queue].index(rest_conversation_id(sender))
    assert all(h["priority"] == "urgent" for h in queue[:place])


def test_a_crisis_while_an_advocate_holds_the_conversation_still_gets_the_crisis_lines(assistant, sender):
    console = signed_in(assistant)
    assistant.say(sender, "talk to a person")
    entry = console.queued(sender)
    console.post(f"/api/handoffs/{entry['id']}/claim")
    reply = assistant.say(sender, "I took a whole bottle of pills")
    assert any(c.get("crisis") is True for c in customs(reply))
    held = console.queued(sender)
    assert held["priority"] == "urgent" and held["state"] == "with_advocate"


def test_a_spanish_caller_is_told_in_spanish_who_joined_and_who_closed(assistant, sender):
    console = signed_in(assistant)
    assistant.say(sender, "hola, quiero hablar con una persona por favor")
    entry = console.queued(sender)
    assert entry["language"] == "es"
    assert console.post(f"/api/handoffs/{entry['id']}/claim").status_code == 200
    told = [e["data"]["custom"] for e in events_of(assistant, sender) if e["event"] == "bot"][-1]
    assert told == {
        "type": "handoff",
        "language": "es",
        "state": "with_advocate",
        "position": None,
        "advocates_online": None,
        "advocate": "Sam",
    }
    bot_texts = [e.get("text") for e in events_of(assistant, sender) if e["event"] == "bot"]
    assert "Sam, de nuestro equipo, se unió al chat." in bot_texts


def test_a_directory_result_is_sent_as_a_referral_card(assistant, sender):
    console = signed_in(assistant)
    assistant.say(sender, "talk to a person")
    entry = console.queued(sender)
    console.post(f"/api/handoffs/{entry['id']}/claim")
    needs = console.get("/api/directory/needs").json()
    assert any(n["code"] == "counseling" for n in needs)
    query = {"need": "counseling", "location": "19143", "payment": "medicaid"}
    found = console.get("/api/directory/search", **query).json()["results"]
    assert found
    sent = console.post(
        f"/api/handoffs/{entry['id']}/referral", {"service_id": found[0]["id"], "query": query}
    )
    assert sent.status_code == 200
    cards = [
        e["data"]["custom"]
        for e in events_of(assistant, sender)
        if e["event"] == "bot" and (e.get("data") or {}).get("custom", {}).get("type") == "referrals"
    ]
    assert cards[-1]["services"][0]["id"] == found[0]["id"]
    assert cards[-1]["intro"] == "Sam sent you a service:" and cards[-1]["language"] == "en"
    unknown = console.get("/api/directory/search", need="counseling", location="00000")
    assert unknown.status_code == 400 and unknown.json()["error"]


def test_caller_html_comes_back_as_plain_text_in_the_transcript(assistant, sender):
    console = signed_in(assistant)
    assistant.say(sender, "talk to a person")
    assistant.say(sender, "<script>alert(1)</script> help")
    entry = console.queued(sender)
    turns = console.get(f"/api/handoffs/{entry['id']}").json()["transcript"]
    assert "<script>alert(1)</script> help" in [t["text"] for t in turns]
    page = console.get("/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
