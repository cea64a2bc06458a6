"""The staff console in a real browser, against the real assistant, action server and console.

An advocate signs in, sees a real conversation arrive in the queue live, claims it,
writes to the caller (who receives it through the website's socket.io channel),
hands back to the assistant; a crisis while waiting raises an urgent entry and an
alert; a caller's HTML is shown as text and never runs.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.console.client import Console, new_user
from tests.console.conftest import Caller, add_console_user, handoff_id, sign_in

XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def queue_entry(page, handoff: int):
    return page.locator(f'#queue-list [data-handoff-id="{handoff}"]')


def test_sign_in_refuses_a_wrong_password_then_lets_the_advocate_in(new_page, advocate):
    page = new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))  # the console sends anonymous visitors to sign in
    expect(page.get_by_role("heading", name="Wayfinder console")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()

    page.get_by_label("Username").fill(advocate.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_have_text("wrong username or password")
    assert page.url.endswith("/login")

    sign_in(page, advocate)
    expect(page.get_by_role("tab", name="Queue")).to_have_attribute("aria-selected", "true")


def test_anonymous_requests_get_401_and_signing_out_ends_the_session(new_page, advocate, console_url):
    page = new_page()
    assert page.request.get("/api/queue").status == 401
    page.goto("/")
    expect(page).to_have_url(f"{console_url}/login")

    sign_in(page, advocate)
    assert page.request.get("/api/queue").status == 200
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{console_url}/login")
    assert page.request.get("/api/queue").status == 401


def test_an_open_console_returns_to_sign_in_when_an_admin_disables_the_account(
    new_page, assistant, console_url
):
    advocate = add_console_user(assistant, "advocate", "Kim")
    page = new_page()
    sign_in(page, advocate)
    admin = Console(console_url)
    assert admin.sign_in(new_user(assistant, "admin", "Ada")).status_code == 200

    assert admin.post(f"/api/users/{advocate.username}/disable").status_code == 200
    # The server closes the live connection; the page finds its session gone and leaves.
    expect(page).to_have_url(f"{console_url}/login")


def test_an_advocate_does_not_see_the_audit_log_and_a_supervisor_does(signed_in, new_page, supervisor):
    expect(signed_in.locator("#tab-audit")).to_be_hidden()
    expect(signed_in.get_by_role("tab", name="Audit log")).to_have_count(0)

    page = new_page()
    sign_in(page, supervisor)
    page.get_by_role("tab", name="Audit log").click()
    expect(page.locator("#audit-body")).to_contain_text(supervisor.username)
    expect(page.locator("#audit-body")).to_contain_text("Signed in")


def test_advocate_claims_writes_to_the_caller_and_hands_back(signed_in, caller: Caller, assistant):
    page = signed_in
    before = caller.say("talk to a person")
    caller.wait_for_text("connecting you to a human advocate", before)
    handoff = handoff_id(assistant, caller.conversation_id)

    # The request arrives in the open console without a reload.
    entry = queue_entry(page, handoff)
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Asked for a person")
    expect(entry).to_contain_text("Website chat")
    expect(entry).to_contain_text("waiting")

    entry.click()
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text("talk to a person")
    expect(transcript).to_contain_text("connecting you to a human advocate")
    expect(page.get_by_label("Message to the caller")).to_be_disabled()

    before = len(caller.received())
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#conv-meta")).to_contain_text("With an advocate: you")
    caller.wait_for_text("Sam, an advocate, has joined the chat.", before)

    # Enter sends; the caller receives the advocate's words through their own channel.
    words = f"Hi, this is Sam. How can I help? ({uuid.uuid4().hex[:6]})"
    box = page.get_by_label("Message to the caller")
    expect(box).to_be_enabled()
    before = len(caller.received())
    box.fill(words)
    box.press("Enter")
    received = caller.wait_for_text(words, before)
    assert received["custom"]["type"] == "advocate_message"
    expect(box).to_have_value("")
    expect(transcript.locator(".turn-advocate").filter(has_text=words)).to_be_visible()

    # The advocate sees the caller typing, then the reply, live; the assistant stays quiet meanwhile.
    caller.typing()
    expect(page.get_by_text("The caller is typing…")).to_be_visible()
    expect(entry.locator(".entry-typing")).to_be_visible()
    reply = f"thanks, I need help with rent {uuid.uuid4().hex[:6]}"
    before_reply = caller.say(reply)
    expect(transcript.locator(".turn-caller").filter(has_text=reply)).to_be_visible()
    expect(page.locator("#typing")).to_be_hidden()

    page.get_by_role("button", name="Hand back to assistant").click()
    expect(page.locator("#conv-info")).to_have_text("Handed back to the assistant.")
    back = caller.wait_for_text("You're back with the assistant", before_reply)
    assert caller.received().index(back) == before_reply, "the assistant answered while the advocate held it"
    expect(transcript).to_contain_text("You're back with the assistant")
    expect(page.locator("#conv-meta")).to_contain_text("Back with the assistant")
    expect(entry).to_have_count(0)

    # The assistant answers the caller again.
    before = caller.say("I need food")
    answer = caller.wait_for(lambda message: bool(message.get("text")), before, "a reply from the assistant")
    assert "advocate" not in (answer.get("custom") or {}).get("type", "")
    expect(transcript.locator(".turn-caller").filter(has_text="I need food")).to_be_visible()


def test_a_crisis_while_waiting_raises_an_urgent_entry_and_an_alert(signed_in, caller: Caller, assistant):
    page = signed_in
    before = caller.say("talk to a person")
    caller.wait_for_text("connecting you to a human advocate", before)
    handoff = handoff_id(assistant, caller.conversation_id)
    entry = queue_entry(page, handoff)
    expect(entry).to_be_visible()
    expect(entry.locator(".badge")).to_have_text("Normal")

    before = caller.say("I want to kill myself")
    caller.wait_for(lambda message: "988" in (message.get("text") or ""), before, "the crisis lines (988)")

    # Urgent in words, not colour alone, and first in line among waiting requests.
    expect(entry.locator(".badge")).to_have_text("URGENT")
    alert = page.locator(f'#alerts [data-key="handoff-{handoff}"]')
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(re.compile("URGENT|CRISIS"))
    expect(page.locator("#alerts")).to_have_attribute("role", "alert")

    # The banner opens the conversation, where the crisis message is shown.
    alert.get_by_role("button", name="Open conversation").click()
    expect(page.locator("#conv-title")).to_have_text(f"Conversation #{handoff}")
    expect(page.locator("#conv-meta")).to_contain_text("URGENT")
    expect(page.locator("#transcript .turn-caller").filter(has_text="I want to kill myself")).to_be_visible()


def test_a_callers_html_is_shown_as_text_and_never_runs(signed_in, assistant, sender):
    page = signed_in
    assistant.say(sender, "talk to a person")
    handoff = handoff_id(assistant, sender)
    entry = queue_entry(page, handoff)
    expect(entry).to_be_visible()  # queued over REST, shown live
    entry.click()
    expect(page.locator("#conv-title")).to_have_text(f"Conversation #{handoff}")

    # Live, over the websocket...
    assistant.say(sender, XSS)
    turn = page.locator("#transcript .turn-caller .turn-text").filter(has_text="window.pwned=1")
    expect(turn).to_have_text(XSS)
    assert page.locator("#transcript script, #transcript img").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"

    # ...and from the transcript the server keeps.
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live updates on")
    expect(page.locator("#conv-title")).to_have_text(f"Conversation #{handoff}")
    expect(
        page.locator("#transcript .turn-caller .turn-text").filter(has_text="window.pwned=1")
    ).to_have_text(XSS)
    assert page.locator("#transcript script, #transcript img").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_an_advocate_resolves_with_a_disposition_and_finds_it_in_history(signed_in, assistant, sender):
    page = signed_in
    assistant.say(sender, "talk to a person")
    handoff = handoff_id(assistant, sender)
    queue_entry(page, handoff).click()
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#conv-meta")).to_contain_text("With an advocate: you")

    # The choices are the server's own list (GET /api/me), in words.
    dispositions = page.get_by_label("Disposition (to resolve)")
    expect(dispositions.locator("option")).to_have_text(
        [
            "Choose…",
            "Referred",
            "Information given",
            "Advocacy case opened",
            "Crisis handled",
            "Abandoned",
            "Other",
        ]
    )
    dispositions.select_option(label="Information given")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#conv-info")).to_have_text("Resolved: Information given.")

    page.get_by_role("tab", name="History").click()
    page.get_by_label("Disposition", exact=True).select_option(label="Information given")
    page.get_by_role("button", name="Search history").click()
    found = page.locator(f'#history-list [data-handoff-id="{handoff}"]')
    expect(found).to_contain_text("Information given")
