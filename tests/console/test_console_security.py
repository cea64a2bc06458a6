"""The console's security review (issue 10), each finding against the real console: live feeds end
with their session, sign-in is throttled, the Origin check ignores the Host header, pages and
files carry their security headers, callers never see an advocate's sign-in name, and odd
static paths are 404s."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests

from bot.console.live import SESSION_ENDED
from tests.assistant import TEST_REST_KEY, rest_conversation_id
from tests.console.client import (
    PASSWORD,
    Console,
    LiveFeed,
    accounts_of,
    new_user,
    signed_in,
    start_console,
)
from tests.polling import eventually

# -- the live feed ends with its session ------------------------------------------------------


@pytest.fixture(scope="module")
def console_that_rarely_rechecks(assistant):
    """A console whose live feeds re-check their session only hourly: a feed that closes within
    the test was closed by the sign-out or the disabling itself."""
    yield from start_console(assistant, WAYFINDER_CONSOLE_LIVE_CHECK_SECONDS="3600")


def open_feed(console: Console) -> LiveFeed:
    feed = LiveFeed(console)
    assert feed.opened.wait(30) and feed.failure is None, feed.failure
    feed.next(lambda message: message["type"] == "queue")
    return feed


def test_signing_out_closes_that_sessions_live_feed_at_once(assistant, console_that_rarely_rechecks):
    username = new_user(assistant)
    console = Console(console_that_rarely_rechecks)
    assert console.sign_in(username).status_code == 200
    feed = open_feed(console)

    assert console.post("/api/logout").status_code == 200
    assert feed.wait_closed(30) == SESSION_ENDED


def test_an_admin_disabling_an_account_closes_its_live_feed_at_once(assistant, console_that_rarely_rechecks):
    username = new_user(assistant)
    advocate = Console(console_that_rarely_rechecks)
    assert advocate.sign_in(username).status_code == 200
    feed = open_feed(advocate)
    admin = Console(console_that_rarely_rechecks)
    assert admin.sign_in(new_user(assistant, "admin", "Ada")).status_code == 200

    assert advocate.post(f"/api/users/{username}/disable").status_code == 403, "advocates manage no accounts"
    assert advocate.get("/api/users").status_code == 403
    assert admin.post(f"/api/users/{username}/disable").status_code == 200
    assert feed.wait_closed(30) == SESSION_ENDED
    assert advocate.get("/api/me").status_code == 401
    assert admin.post("/api/users/nobody-at-all/disable").status_code == 404
    listed = {u["username"]: u for u in admin.get("/api/users").json()["users"]}
    assert listed[username]["active"] is False
    audit = admin.get("/api/audit").json()["audit"]
    assert {"username": username} in [a["detail"] for a in audit if a["action"] == "user_disabled"]


def test_an_account_disabled_elsewhere_loses_its_live_feed_at_the_next_check(assistant):
    username = new_user(assistant)
    console = Console(assistant.console_url)
    assert console.sign_in(username).status_code == 200
    feed = open_feed(console)

    # As `python -m bot.console disable-user` does, in another process: only the store changes.
    accounts = accounts_of(assistant)
    try:
        accounts.set_active(username, False)
    finally:
        accounts.engine.dispose()
    assert feed.wait_closed(60) == SESSION_ENDED


# -- sign-in is throttled ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def console_that_slows_accounts(assistant):
    """Two free failures per account, then waits of 2 s and 4 s, and the fifth failure locks it
    (for the default 15 minutes); addresses are allowed plenty."""
    yield from start_console(
        assistant,
        WAYFINDER_SIGNIN_ACCOUNT_FREE="2",
        WAYFINDER_SIGNIN_ACCOUNT_LOCK_AFTER="5",
        WAYFINDER_SIGNIN_DELAY_SECONDS="2",
        WAYFINDER_SIGNIN_ADDRESS_FREE="100",
        WAYFINDER_SIGNIN_ADDRESS_LOCK_AFTER="200",
    )


def wrong_password_until_counted(console: Console, username: str) -> list[int]:
    """Sign in with a wrong password until a try is checked (401), through the 429s of the wait
    before it; the Retry-After of each 429 in order."""
    waits: list[int] = []

    def counted() -> bool:
        reply = console.sign_in(username, "not the password")
        if reply.status_code == 429:
            waits.append(int(reply.headers["Retry-After"]))
            return False
        assert reply.status_code == 401, reply.text
        return True

    assert eventually(counted, timeout=30)
    return waits


def test_failed_sign_ins_wait_longer_each_time_then_lock_the_account_even_for_the_right_password(
    assistant, console_that_slows_accounts
):
    supervisor = Console(console_that_slows_accounts)
    assert supervisor.sign_in(new_user(assistant, "supervisor", "Lee")).status_code == 200
    username = new_user(assistant)
    console = Console(console_that_slows_accounts)

    assert [wrong_password_until_counted(console, username) for _ in range(3)] == [[], [], []]
    first_wait = wrong_password_until_counted(console, username)
    second_wait = wrong_password_until_counted(console, username)
    assert first_wait and second_wait, "a failure beyond the free ones makes the next try wait"
    assert first_wait[0] < second_wait[0], "each wait is longer than the one before"

    locked = console.sign_in(username)
    assert locked.status_code == 429, "the right password during a lockout is refused"
    assert int(locked.headers["Retry-After"]) > 60 and "paused" in locked.json()["error"]
    assert console.get("/api/me").status_code == 401
    assert Console(console_that_slows_accounts).sign_in(new_user(assistant)).status_code == 200, (
        "another account from the same address signs in"
    )

    audit = [a for a in supervisor.get("/api/audit").json()["audit"] if a["actor"] == username]
    assert [a["action"] for a in audit].count("sign_in_failed") == 5
    [lock] = [a for a in audit if a["action"] == "sign_in_locked"]
    assert lock["detail"]["by"] == "account" and lock["detail"]["address"] == "127.0.0.1"


def test_signing_in_forgets_the_accounts_failures(assistant, console_that_slows_accounts):
    username = new_user(assistant)
    console = Console(console_that_slows_accounts)
    for _ in range(2):
        assert console.sign_in(username, "not the password").status_code == 401
    assert console.sign_in(username).status_code == 200
    # Two more failures are free again: without the reset the first would make the second wait.
    assert [console.sign_in(username, "not the password").status_code for _ in range(2)] == [401, 401]


@pytest.fixture
def console_that_slows_addresses(assistant):
    """An address locks after four failures, whichever accounts they were for."""
    yield from start_console(
        assistant,
        WAYFINDER_SIGNIN_ADDRESS_FREE="2",
        WAYFINDER_SIGNIN_ADDRESS_LOCK_AFTER="4",
        WAYFINDER_SIGNIN_DELAY_SECONDS="0.2",
    )


def test_an_address_trying_many_accounts_is_locked_out(assistant, console_that_slows_addresses):
    supervisor = Console(console_that_slows_addresses)
    assert supervisor.sign_in(new_user(assistant, "supervisor", "Lee")).status_code == 200
    guesses = [f"guess-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    for username in guesses:
        wrong_password_until_counted(Console(console_that_slows_addresses), username)

    refused = Console(console_that_slows_addresses).sign_in(new_user(assistant))
    assert refused.status_code == 429, "a real account with its right password, from the locked address"
    assert int(refused.headers["Retry-After"]) > 60
    audit = supervisor.get("/api/audit").json()["audit"]
    [lock] = [a for a in audit if a["action"] == "sign_in_locked" and a["actor"] in guesses]
    assert lock["detail"]["by"] == "address" and lock["actor"] == guesses[-1]


# -- the Origin check -------------------------------------------------------------------------


def test_an_origin_that_only_matches_a_forged_host_header_is_refused(assistant):
    forged = {"Host": "evil.example", "Origin": "http://evil.example"}
    login = requests.post(
        f"{assistant.console_url}/api/login",
        json={"username": new_user(assistant), "password": PASSWORD},
        headers=forged,
        timeout=30,
    )
    assert login.status_code == 403

    console = signed_in(assistant)
    # requests picks cookies by the Host header: the session cookie is written out by hand.
    cookie = "; ".join(f"{c.name}={c.value}" for c in console.http.cookies)
    sign_out = requests.post(
        f"{assistant.console_url}/api/logout",
        headers={**forged, "Cookie": cookie, "X-CSRF-Token": console.csrf},
        timeout=30,
    )
    assert sign_out.status_code == 403
    assert console.get("/api/me").status_code == 200, "the refused sign-out ended nothing"
    # The console's own address, as the browser sends it, is its origin.
    assert console.post("/api/logout", Origin=assistant.console_url).status_code == 200


# -- security headers -------------------------------------------------------------------------


def policy(reply: requests.Response) -> dict[str, list[str]]:
    directives = [d.split() for d in reply.headers["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def inline_script_hashes(html: str) -> set[str]:
    bodies = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in bodies
    }


def test_pages_and_files_carry_their_security_headers(assistant):
    console = signed_in(assistant)
    for path in ("/demo", "/login", "/"):
        page = console.get(path)
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        rules = policy(page)
        assert rules["frame-ancestors"] == ["'none'"] and page.headers["X-Frame-Options"] == "DENY"
        assert "'unsafe-inline'" not in rules["script-src"] and "'self'" in rules["script-src"]
        assert inline_script_hashes(page.text) <= set(rules["script-src"]), "inline scripts run by hash"
        assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["Referrer-Policy"]

    demo = console.get("/demo")
    assert inline_script_hashes(demo.text), "the demo's settings are an inline script"
    rasa = urlsplit(assistant.api_url).netloc
    assert {f"http://{rasa}", f"ws://{rasa}"} <= set(policy(demo)["connect-src"])

    for path, content_type in [
        ("/widget/wayfinder.js", "text/javascript"),
        ("/widget/wayfinder.css", "text/css"),
        ("/static/console/main.js", "text/javascript"),
        ("/static/console/queue.js", "text/javascript"),
        ("/api/me", "application/json"),
    ]:
        reply = console.get(path)
        assert reply.status_code == 200 and reply.headers["Content-Type"].startswith(content_type)
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert console.get("/api/me").headers["Cache-Control"] == "no-store"


# -- what reaches the caller ------------------------------------------------------------------


def test_the_caller_sees_the_advocates_display_name_never_their_sign_in_name(assistant, sender):
    username = new_user(assistant, name="Sam")
    console = Console(assistant.console_url)
    assert console.sign_in(username).status_code == 200
    assistant.say(sender, "talk to a person")
    entry = console.queued(rest_conversation_id(sender))
    assert console.post(f"/api/handoffs/{entry['id']}/claim").status_code == 200
    assert console.post(f"/api/handoffs/{entry['id']}/messages", {"text": "Hi, I'm here."}).status_code == 200

    outbox = requests.get(
        assistant.rest_url.rsplit("/", 1)[0] + "/outbox",
        params={"sender": sender},
        headers={"Authorization": f"Bearer {TEST_REST_KEY}"},
        timeout=30,
    ).json()
    assert [m.get("text") for m in outbox] == ["Sam, an advocate, has joined the chat.", "Hi, I'm here."]
    assert username not in json.dumps(outbox)
    # The console's transcript still shows who wrote.
    turns = console.get(f"/api/handoffs/{entry['id']}").json()["transcript"]
    assert [t["advocate"] for t in turns if t["text"] == "Hi, I'm here."] == ["Sam"]


# -- odd paths and bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/static/console/",
        "/static/console/../",
        "/static/console/%2e%2e/",
        "/static/console/nothing.js",
        "/widget/",
    ],
)
def test_odd_static_paths_are_not_found(assistant, path):
    address = urlsplit(assistant.console_url)
    # http.client sends the path exactly as written (requests would normalise the dots away).
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request("GET", path)
        reply = connection.getresponse()
        assert reply.status == 404
        assert reply.getheader("X-Content-Type-Options") == "nosniff"
    finally:
        connection.close()


def test_a_huge_sign_in_body_is_refused_before_it_is_read(assistant):
    reply = requests.post(
        f"{assistant.console_url}/api/login",
        data=b'{"username": "' + b"a" * 100_000 + b'"}',
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 413
