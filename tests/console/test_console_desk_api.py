"""The console's API in process, over the handoff desk and the fake conversations: sign-in,
CSRF, roles, every handoff step, transfer and presence. The end-to-end tests beside this
(test_console_api.py, test_console_live.py) drive the same routes against the real Rasa server."""

from __future__ import annotations

import asyncio

import pytest

from tests.console.inprocess import PASSWORD, InProcessConsole

WEB_ID = "web:" + "7" * 32


@pytest.fixture
def console(tmp_path):
    built = InProcessConsole.build(tmp_path)
    yield built
    built.app.ctx.queue.close()


def waiting(console, conversation_id=WEB_ID, **summary):
    return console.queue.request(
        conversation_id, reason="caller_request", paused=True, summary={"need": "counseling", **summary}
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/queue",
        "/api/me",
        "/api/advocates",
        "/api/history",
        "/api/audit",
        "/api/canned",
        "/api/callbacks",
        "/api/handoffs/1",
    ],
)
def test_anonymous_reads_get_401(console, path):
    reply = console.anonymous().get(path)
    assert reply.status == 401 and reply.body["error"]


def test_anonymous_changes_get_401_not_a_csrf_error(console):
    assert console.anonymous().post("/api/handoffs/1/claim", csrf=False).status == 401


def test_the_console_page_needs_a_session(console):
    reply = console.anonymous().request("GET", "/")
    assert reply.status in (302, 303)
    browser, _ = console.signed_in()
    assert browser.request("GET", "/").status == 200


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(console):
    username = console.user()
    wrong = console.anonymous().post("/api/login", {"username": username, "password": "not it"}, csrf=False)
    unknown = console.anonymous().post("/api/login", {"username": "nobody", "password": "not it"}, csrf=False)
    assert wrong.status == unknown.status == 401
    assert wrong.body == unknown.body


def test_the_session_cookie_is_http_only_and_strict(console):
    username = console.user()

    async def sign_in():
        _request, response = await console.app.asgi_client.post(
            "/api/login", json={"username": username, "password": PASSWORD}
        )
        return response

    cookie = asyncio.run(sign_in()).headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_signing_out_ends_the_session(console):
    browser, _ = console.signed_in()
    assert browser.post("/api/logout").status == 200
    assert browser.get("/api/me").status == 401


def test_an_advocate_cannot_read_the_audit_log_but_a_supervisor_can(console):
    advocate, _ = console.signed_in()
    supervisor, _ = console.signed_in("supervisor", "Lee")
    assert advocate.get("/api/audit").status == 403
    reply = supervisor.get("/api/audit")
    assert reply.status == 200
    assert any(entry["action"] == "signed_in" for entry in reply.body["audit"])


def test_only_supervisors_manage_canned_replies(console):
    advocate, _ = console.signed_in()
    supervisor, _ = console.signed_in("supervisor", "Lee")
    body = {"title": "Hours", "text": "We're here weekdays 9 to 5."}
    assert advocate.post("/api/canned", body).status == 403
    assert supervisor.post("/api/canned", body).status == 200
    assert body["text"] in [c["text"] for c in advocate.get("/api/canned").body["canned"]]
    assert supervisor.post("/api/canned", {"title": "", "text": "x"}).status == 400


def test_a_change_without_the_csrf_token_or_from_another_site_is_refused(console):
    browser, _ = console.signed_in()
    handoff_id = waiting(console)
    assert browser.post(f"/api/handoffs/{handoff_id}/claim", csrf=False).status == 403
    assert (
        browser.post(f"/api/handoffs/{handoff_id}/claim", csrf=False, **{"X-CSRF-Token": "guess"}).status
        == 403
    )
    foreign = browser.post(f"/api/handoffs/{handoff_id}/claim", Origin="https://evil.example")
    assert foreign.status == 403
    assert console.queue.get(handoff_id)["state"] == "waiting"
    assert console.conversations.said == []


def test_a_claim_answers_with_the_record_as_pages_read_it_and_tells_the_caller(console):
    browser, username = console.signed_in(name="Ana R.")
    handoff_id = waiting(console, payment="sliding_fee", speaks="es")
    reply = browser.post(f"/api/handoffs/{handoff_id}/claim")
    assert reply.status == 200
    shown = reply.body["handoff"]
    assert (shown["state"], shown["holder"], shown["holder_name"]) == ("with_advocate", username, "Ana R.")
    assert (shown["channel"], shown["language"]) == ("web", "es")
    assert "sliding_fee" not in shown["needs_line"]
    [said] = console.conversations.told(WEB_ID)
    assert said.text.startswith("Ana R., de nuestro equipo") and said.advocate_name == "Ana R."


def test_a_second_advocate_gets_409_with_the_holders_display_name(console):
    first, _ = console.signed_in(name="Ana R.")
    second, _ = console.signed_in(name="Ben T.")
    handoff_id = waiting(console)
    first.post(f"/api/handoffs/{handoff_id}/claim")
    reply = second.post(f"/api/handoffs/{handoff_id}/claim")
    assert reply.status == 409 and "Ana R." in reply.body["error"]
    assert second.post(f"/api/handoffs/{handoff_id}/messages", {"text": "hi"}).status == 409


def test_releasing_a_colleagues_conversation_is_403_for_an_advocate_and_fine_for_a_supervisor(console):
    holder, _ = console.signed_in(name="Ana R.")
    colleague, _ = console.signed_in()
    supervisor, _ = console.signed_in("supervisor")
    handoff_id = waiting(console)
    holder.post(f"/api/handoffs/{handoff_id}/claim")
    assert colleague.post(f"/api/handoffs/{handoff_id}/release").status == 403
    assert colleague.post(f"/api/handoffs/{handoff_id}/take-over").status == 403
    taken = supervisor.post(f"/api/handoffs/{handoff_id}/take-over")
    assert taken.status == 200 and taken.body["handoff"]["holder_name"] == "Sam"


def test_messages_are_checked_before_they_reach_the_caller(console):
    browser, _ = console.signed_in()
    handoff_id = waiting(console)
    assert browser.post(f"/api/handoffs/{handoff_id}/messages", {"text": "hi"}).status == 400  # not claimed
    browser.post(f"/api/handoffs/{handoff_id}/claim")
    assert browser.post(f"/api/handoffs/{handoff_id}/messages", {"text": " "}).status == 400
    assert browser.post(f"/api/handoffs/{handoff_id}/messages", {"text": "x" * 2001}).status == 400
    sent = browser.post(f"/api/handoffs/{handoff_id}/messages", {"text": "<b>hello</b>"})
    assert sent.status == 200 and sent.body["sent"] is True
    assert [s.text for s in console.conversations.told(WEB_ID)][-1] == "<b>hello</b>"


def test_resolving_without_a_disposition_is_a_clear_400(console):
    browser, _ = console.signed_in()
    handoff_id = waiting(console)
    browser.post(f"/api/handoffs/{handoff_id}/claim")

    reply = browser.request("POST", f"/api/handoffs/{handoff_id}/resolve", None)
    assert reply.status == 400 and "disposition" in reply.body["error"]


def test_a_transfer_goes_to_a_colleague_with_a_note_and_shows_who_it_is_for(console):
    ana, _ = console.signed_in(name="Ana R.")
    _, ben = console.signed_in(name="Ben T.")
    handoff_id = waiting(console)
    ana.post(f"/api/handoffs/{handoff_id}/claim")
    assert ana.post(f"/api/handoffs/{handoff_id}/transfer", {"to": ben}).status == 400  # no note
    assert ana.post(f"/api/handoffs/{handoff_id}/transfer", {"to": "nobody", "note": "x"}).status == 400
    assert ana.post(f"/api/handoffs/{handoff_id}/transfer", {"language": "fr", "note": "x"}).status == 400
    moved = ana.post(f"/api/handoffs/{handoff_id}/transfer", {"to": ben, "note": "Knows the shelters."})
    assert moved.status == 200
    shown = moved.body["handoff"]
    assert (shown["state"], shown["offered_to"], shown["offered_to_name"]) == ("waiting", ben, "Ben T.")
    view = ana.get(f"/api/handoffs/{handoff_id}").body
    assert view["notes"][-1]["text"] == "Knows the shelters."


def test_presence_follows_signing_in_choosing_away_and_signing_out(console):
    browser, username = console.signed_in(name="Ana R.")
    me = browser.get("/api/me").body
    assert me["presence"]["status"] == "available"
    advocates = {a["username"]: a for a in browser.get("/api/advocates").body["advocates"]}
    assert advocates[username]["on_shift"] is True and advocates[username]["display_name"] == "Ana R."
    away = browser.put("/api/presence", {"status": "away", "languages": ["en", "es"]})
    assert away.status == 200 and away.body["presence"] == {
        **away.body["presence"],
        "status": "away",
        "languages": ["en", "es"],
        "on_shift": False,
    }
    assert browser.put("/api/presence", {"status": "offline"}).status == 400
    assert browser.put("/api/presence", {"languages": ["xx"]}).status == 400
    assert not console.app.ctx.presence.available()
    browser.put("/api/presence", {"status": "available"})
    assert [a.username for a in console.app.ctx.presence.available("es")] == [username]
    browser.post("/api/logout")
    assert not console.app.ctx.presence.available()


def test_hand_back_and_resolve_tell_the_assistant(console):
    browser, _ = console.signed_in()
    first = waiting(console)
    second_id = "web:" + "8" * 32
    second = waiting(console, second_id)
    browser.post(f"/api/handoffs/{first}/claim")
    browser.post(f"/api/handoffs/{first}/hand-back")
    assert ("hand_back", WEB_ID) in console.conversations.steps
    browser.post(f"/api/handoffs/{second}/claim")
    resolved = browser.post(f"/api/handoffs/{second}/resolve", {"disposition": "referred"})
    assert resolved.status == 200 and resolved.body["handoff"]["state"] == "resolved"
    assert console.conversations.steps[-1] == ("hand_back", second_id)


def test_the_assistant_down_is_a_502_and_the_conversation_stays_in_line(console):
    browser, _ = console.signed_in()
    handoff_id = waiting(console)
    console.conversations.down = True
    assert browser.post(f"/api/handoffs/{handoff_id}/claim").status == 502
    assert console.queue.get(handoff_id)["state"] == "waiting"
    view = browser.get(f"/api/handoffs/{handoff_id}")
    assert view.status == 200 and view.body["transcript"] == []


def test_the_directory_search_takes_every_filter_and_refuses_what_it_cannot_read(console):
    browser, _ = console.signed_in()
    fine = browser.get(
        "/api/directory/search", need="counseling", language="es", open_now="1", walk_in="1", telehealth="1"
    )
    assert fine.status == 200 and fine.body["results"] == []
    assert browser.get("/api/directory/search", language="klingon").status == 400
    assert browser.get("/api/directory/search", age="old").status == 400
