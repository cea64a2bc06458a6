"""The staff console in a real browser, against the real assistant, action server and console.

An advocate signs in, sees a real conversation arrive in the queue live, claims it,
writes to the caller (who receives it through the website's socket.io channel),
hands back to the assistant; a crisis while waiting raises an urgent entry and an
alert; a caller's HTML is shown as text and never runs.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from bot.config import PROJECT_ROOT
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
    # One strip counts the urgent requests; it is announced politely, never one assertive alert each.
    strip = page.locator("#alerts")
    expect(strip).to_be_visible()
    expect(strip.locator("#alerts-summary")).to_have_text(re.compile(r"^\d+ urgent requests?$"))
    assert strip.get_attribute("role") != "alert" and strip.get_attribute("aria-live") != "assertive"
    strip.get_by_role("button", name="Show").click()
    alert = page.locator(f'#alert-list [data-handoff-id="{handoff}"]')
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(re.compile("URGENT|CRISIS"))

    # The strip opens the conversation, where the crisis message is shown.
    alert.get_by_role("button", name=f"Open conversation #{handoff}").click()
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


# -- a busy night: many urgent requests, filters, counts, the layout ---------------------------

LAPTOP = {"width": 1366, "height": 768}
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the whole page, one line each (as the widget's tests)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make setup does)")
    if not page.evaluate("typeof window.axe === 'object'"):
        # The test's own channel: the page's Content-Security-Policy refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def in_viewport(page, selector: str) -> bool:
    """Wholly inside the window as it is now (no scrolling)."""
    return page.locator(selector).evaluate(
        "node => { const r = node.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


def page_does_not_scroll(page) -> bool:
    return page.evaluate(
        "window.scrollY === 0 && document.scrollingElement.scrollHeight <= window.innerHeight + 1"
    )


def open_counts(page) -> tuple[int, int]:
    """Waiting and urgent-waiting requests, as the server counts them now."""
    handoffs = page.request.get("/api/queue").json()["handoffs"]
    waiting = [h for h in handoffs if h["state"] == "waiting"]
    return len(waiting), sum(1 for h in waiting if h["priority"] == "urgent")


def title_for(waiting: int, urgent: int) -> str:
    parts = [f"{waiting} waiting"] if waiting else []
    if urgent:
        parts.append(f"{urgent} urgent")
    return (f"({', '.join(parts)}) " if parts else "") + "Wayfinder console"


def test_an_alert_flood_stays_usable(new_page, advocate, supervisor, put_in_queue):
    flood = uuid.uuid4().hex[:6]
    made = [
        put_in_queue(
            f"rest:flood-{flood}:{n}", reason="crisis", priority="urgent", summary={"need": "housing"}
        )
        for n in range(200)
    ]
    page = new_page()
    page.set_viewport_size(LAPTOP)
    sign_in(page, advocate)
    expect(queue_entry(page, made[-1])).to_have_count(1)

    # One strip, whatever the count; the queue's heading stays in view, the page itself does not scroll.
    strip = page.locator("#alerts")
    expect(strip.locator("#alerts-summary")).to_have_text(re.compile(r"^\d+ urgent requests$"))
    assert int(strip.locator("#alerts-summary").inner_text().split()[0]) >= 200
    assert in_viewport(page, "#queue-heading"), "the queue's heading is pushed off the screen"
    assert page_does_not_scroll(page)
    visible_cards = page.evaluate(
        "Array.from(document.querySelectorAll('#queue-list > li')).filter(li => {"
        " const r = li.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }).length"
    )
    assert visible_cards >= 10, f"only {visible_cards} queue cards fit on a laptop screen"
    waiting, urgent = open_counts(page)
    expect(page).to_have_title(title_for(waiting, urgent))
    assert page.locator('link[rel="icon"]').get_attribute("href").startswith("data:image/png")

    # Show lists them compactly (the strip does not push the queue away); Dismiss all empties it.
    strip.get_by_role("button", name="Show").click()
    assert page.locator("#alert-list > li").count() >= 200
    assert in_viewport(page, "#queue-heading")
    expect(page.locator("#alert-list")).not_to_contain_text("plan_or_means")
    strip.get_by_role("button", name="Dismiss all").click()
    expect(strip).to_be_hidden()
    expect(page.locator("#alert-list > li")).to_have_count(0)

    # The dismissal is this advocate's, and survives a reload...
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live updates on")
    expect(queue_entry(page, made[-1])).to_have_count(1)
    expect(page.locator("#queue-count")).not_to_have_text("")
    page.wait_for_timeout(1000)  # alerts are gathered for 300 ms before the strip shows
    expect(strip).to_be_hidden()

    # ...a colleague still sees them.
    other = new_page()
    other.set_viewport_size(LAPTOP)
    sign_in(other, supervisor)
    expect(other.locator("#alerts-summary")).to_have_text(re.compile(r"^\d+ urgent requests$"))


def test_filters_and_search_narrow_the_queue(new_page, advocate, put_in_queue):
    token = f"zq{uuid.uuid4().hex[:6]}"
    sms = put_in_queue(f"sms:+1215555{uuid.uuid4().int % 10_000:04d}", summary={"location": f"{token}-sms"})
    web = put_in_queue(f"web:{uuid.uuid4().hex}", priority="high", summary={"location": f"{token}-web"})
    spanish = put_in_queue(
        f"rest:test:{token}",
        reason="crisis",
        priority="urgent",
        summary={"location": f"{token}-rest", "speaks": "es"},
    )
    page = new_page()
    page.set_viewport_size(LAPTOP)
    sign_in(page, advocate)
    for number in (sms, web, spanish):
        expect(queue_entry(page, number)).to_have_count(1)
    expect(queue_entry(page, spanish)).to_contain_text("Español")
    expect(queue_entry(page, sms)).to_contain_text("SMS")

    def shown() -> set[int]:
        return {number for number in (sms, web, spanish) if queue_entry(page, number).count() == 1}

    # The search reads the needs line and the conversation id.
    search = page.get_by_role("searchbox", name="Search needs or conversation id")
    search.fill(f"{token}-web")
    expect(queue_entry(page, sms)).to_have_count(0)
    assert shown() == {web}
    search.fill(token)
    expect(queue_entry(page, sms)).to_have_count(1)
    assert shown() == {sms, web, spanish}
    expect(page.locator("#queue-count")).to_have_text(re.compile(r"^\(3 of \d+\)$"))

    page.get_by_label("Channel").select_option("sms")
    expect(queue_entry(page, web)).to_have_count(0)
    assert shown() == {sms}
    page.get_by_label("Channel").select_option("")
    page.get_by_label("Callers' language").select_option("es")
    expect(queue_entry(page, sms)).to_have_count(0)
    assert shown() == {spanish}
    page.get_by_label("Callers' language").select_option("")
    page.get_by_label("Urgent", exact=True).check()
    expect(queue_entry(page, web)).to_have_count(0)
    assert shown() == {spanish}
    page.get_by_label("Urgent", exact=True).uncheck()
    page.get_by_label("Mine", exact=True).check()
    expect(queue_entry(page, spanish)).to_have_count(0)
    assert shown() == set()
    expect(page.locator("#queue-empty")).to_have_text("No request matches these filters.")
    page.get_by_role("button", name="Clear", exact=True).click()
    expect(page.get_by_label("Mine", exact=True)).not_to_be_checked()
    expect(search).to_have_value("")

    # The tab's title counts what waits.
    waiting, urgent = open_counts(page)
    assert waiting >= 3 and urgent >= 1
    expect(page).to_have_title(title_for(waiting, urgent))


# Notifications made by the page, recorded (an init script runs outside the page's CSP).
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  if (!Real) return;
  window.notified = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.notified.push({ title: title, body: (options && options.body) || "" });
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Recorded;
})();
"""


def test_notifications_once_turned_on_tell_of_new_urgent_requests(
    new_page, advocate, console_url, assistant, sender
):
    page = new_page()
    page.context.grant_permissions(["notifications"], origin=console_url)
    page.context.add_init_script(RECORD_NOTIFICATIONS)
    sign_in(page, advocate)
    page.get_by_role("button", name="Turn on notifications").click()
    expect(page.get_by_role("button", name="Turn off notifications")).to_be_visible()
    page.wait_for_timeout(500)  # what was already urgent is not news
    page.evaluate("window.notified = []")

    # A real crisis while waiting (the live feed follows conversation events).
    assistant.say(sender, "talk to a person")
    assistant.say(sender, "I want to kill myself")
    page.wait_for_function("() => window.notified.length > 0")
    # One notification a batch: this crisis, or it with others that arrived with it.
    titles = [note["title"] for note in page.evaluate("window.notified")]
    assert all(re.fullmatch(r"Crisis alert|Urgent request|\d+ new urgent requests", t) for t in titles), (
        titles
    )

    # Remembered: the next visit keeps them on without asking again.
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live updates on")
    expect(page.get_by_role("button", name="Turn off notifications")).to_be_visible()


def test_the_composer_and_action_bar_stay_in_view_of_a_long_transcript(new_page, advocate, assistant, sender):
    assistant.say(sender, "talk to a person")
    handoff = handoff_id(assistant, sender)
    for n in range(14):
        assistant.say(sender, f"still here, message {n} " + "and some more words " * 6)
    page = new_page()
    page.set_viewport_size(LAPTOP)
    sign_in(page, advocate)
    queue_entry(page, handoff).click()
    expect(page.locator("#transcript .turn-caller").filter(has_text="message 13")).to_be_visible()
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#conv-meta")).to_contain_text("With an advocate: you")

    pane = page.locator("#transcript-log")
    assert pane.evaluate("node => node.scrollHeight > node.clientHeight"), (
        "the transcript is too short to scroll"
    )
    pane.hover()
    page.mouse.wheel(0, -20_000)
    page.wait_for_function("() => document.getElementById('transcript-log').scrollTop === 0")
    for selector in ("#btn-claim", "#btn-transfer", "#btn-resolve", "#message-text", "#message-send"):
        assert in_viewport(page, selector), f"{selector} scrolled out of view"
    assert page_does_not_scroll(page)
    page.mouse.move(5, 700)
    page.mouse.wheel(0, 5_000)
    page.wait_for_timeout(200)
    assert page_does_not_scroll(page)
    assert in_viewport(page, "#message-text")
    # The transcript is a log around a list: both roles hold.
    assert page.locator('[role="log"] > ol#transcript').count() == 1


def test_a_sent_referral_shows_at_once_among_referrals_already_given(new_page, advocate, assistant, sender):
    assistant.say(sender, "talk to a person")
    handoff = handoff_id(assistant, sender)
    page = new_page()
    page.set_viewport_size(LAPTOP)
    sign_in(page, advocate)
    queue_entry(page, handoff).click()
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#conv-meta")).to_contain_text("With an advocate: you")

    # Every filter the directory takes is offered.
    search = page.locator("#directory-form")
    for label in (
        "Need",
        "Location (ZIP or town)",
        "Payment",
        "Age",
        "Provider speaks",
        "Open now",
        "Walk-in",
        "Telehealth",
    ):
        expect(search.get_by_label(label, exact=True)).to_be_visible()
    assert "sliding_fee" not in search.get_by_label("Payment", exact=True).inner_text()
    search.get_by_label("Need", exact=True).select_option("counseling")
    search.get_by_label("Location (ZIP or town)").fill("19143")
    search.get_by_label("Payment", exact=True).select_option("medicaid")
    page.get_by_role("button", name="Search the directory").click()
    expect(page.locator("#directory-status")).to_have_text(re.compile(r"^\d+ results?\.$"))
    first = page.locator("#directory-results .card").first
    name = first.locator(".card-name").inner_text()
    first.get_by_role("button", name=re.compile("^Send ")).click()
    expect(first.get_by_role("button", name=re.compile("^Send "))).to_have_text("Sent")
    expect(page.locator("#summary")).to_contain_text("Referrals already given")
    expect(page.locator("#summary")).to_contain_text(name)


def test_axe_finds_nothing_serious_on_any_console_view(new_page, supervisor, assistant, sender, put_in_queue):
    page = new_page()
    page.set_viewport_size(LAPTOP)
    page.goto("/login")
    assert axe_violations(page) == [], "login"

    put_in_queue(
        f"rest:test:axe-{uuid.uuid4().hex[:6]}",
        reason="crisis",
        priority="urgent",
        summary={"need": "housing"},
    )
    assistant.say(sender, "talk to a person")
    handoff = handoff_id(assistant, sender)
    sign_in(page, supervisor)
    expect(queue_entry(page, handoff)).to_have_count(1)
    page.locator("#alerts").get_by_role("button", name="Show").click()
    assert axe_violations(page) == [], "queue"

    queue_entry(page, handoff).click()
    expect(page.locator("#conv-title")).to_have_text(f"Conversation #{handoff}")
    expect(page.locator("#canned-form")).to_be_visible()  # a supervisor edits canned responses
    assert axe_violations(page) == [], "conversation"
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#conv-meta")).to_contain_text("With an advocate: you")
    page.get_by_role("button", name="Search the directory").click()
    expect(page.locator("#directory-status")).to_have_text(re.compile(r"^\d+ results?\.$"))
    assert axe_violations(page) == [], "conversation with directory results"
    page.get_by_role("button", name="Transfer").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert axe_violations(page) == [], "transfer dialog"
    page.get_by_role("button", name="Cancel", exact=True).click()
    page.set_viewport_size({"width": 800, "height": 900})
    assert axe_violations(page) == [], "conversation on a narrow screen"
    page.set_viewport_size(LAPTOP)

    page.get_by_role("tab", name="History").click()
    expect(page.locator("#history-status")).to_have_text(re.compile(r"conversations?\.$"))
    page.locator("#history-list button").first.click()
    expect(page.locator("#history-detail")).to_be_visible()
    assert axe_violations(page) == [], "history"

    page.get_by_role("tab", name="Callbacks").click()
    expect(page.locator("#panel-callbacks")).to_be_visible()
    assert axe_violations(page) == [], "callbacks"

    page.get_by_role("tab", name="Audit log").click()
    expect(page.locator("#audit-body tr").first).to_be_visible()
    assert axe_violations(page) == [], "audit log"


# -- presence and transfers (GET /api/advocates, PUT /api/presence, POST .../transfer) ------------


def queue_order(page) -> list[int]:
    return [
        int(n)
        for n in page.locator("#queue-list [data-handoff-id]").evaluate_all(
            "nodes => nodes.map(node => node.dataset.handoffId)"
        )
    ]


def test_presence_is_kept_by_the_server_and_a_spanish_speaker_sees_spanish_callers_first(
    new_page, assistant, put_in_queue
):
    pat = add_console_user(assistant, "advocate", "Pat")
    rene = add_console_user(assistant, "advocate", "Rene")
    english = put_in_queue(f"rest:test:en-{uuid.uuid4().hex[:6]}", summary={"need": "housing"})
    spanish = put_in_queue(
        f"rest:test:es-{uuid.uuid4().hex[:6]}", summary={"need": "housing", "speaks": "es"}
    )

    page = new_page()
    sign_in(page, pat)
    expect(queue_entry(page, spanish)).to_have_count(1)
    order = queue_order(page)
    assert order.index(english) < order.index(spanish), "the longest wait comes first"
    page.get_by_label("Status", exact=True).select_option("away")
    page.get_by_label("I speak Spanish").check()
    expect(page.locator("#presence-error")).to_have_text("")
    # Spanish-speaking callers first now; the server keeps the choice, not this browser.
    page.wait_for_function(
        f"() => {{ const ids = Array.from(document.querySelectorAll('#queue-list [data-handoff-id]'))"
        f".map(n => Number(n.dataset.handoffId)); return ids.indexOf({spanish}) < ids.indexOf({english}); }}"
    )
    mine = [
        a for a in page.request.get("/api/advocates").json()["advocates"] if a["username"] == pat.username
    ]
    assert mine and mine[0]["status"] == "away" and "es" in mine[0]["languages"]

    page.reload()
    expect(page.locator("#connection")).to_have_text("Live updates on")
    expect(page.get_by_label("Status", exact=True)).to_have_value("away")
    expect(page.get_by_label("I speak Spanish")).to_be_checked()
    # Signing in makes an advocate available; the languages they speak stay.
    other = new_page()
    sign_in(other, pat)
    expect(other.get_by_label("Status", exact=True)).to_have_value("available")
    expect(other.get_by_label("I speak Spanish")).to_be_checked()
    page.get_by_label("Status", exact=True).select_option("away")

    # A colleague sees it in the transfer dialog.
    colleague = new_page()
    sign_in(colleague, rene)
    queue_entry(colleague, english).click()
    colleague.get_by_role("button", name="Claim").click()
    expect(colleague.locator("#conv-meta")).to_contain_text("With an advocate: you")
    colleague.get_by_role("button", name="Transfer").click()
    expect(colleague.locator("#transfer-to")).to_contain_text("Pat (Away, speaks Spanish)")
    expect(colleague.locator("#transfer-to")).not_to_contain_text("Rene (")


def test_a_transfer_offers_the_conversation_to_a_colleague_with_a_note(new_page, assistant, put_in_queue):
    pat = add_console_user(assistant, "advocate", "Pat")
    rene = add_console_user(assistant, "advocate", "Rene")
    offered = put_in_queue(f"rest:test:tr-{uuid.uuid4().hex[:6]}", summary={"need": "housing"})
    spanish = put_in_queue(f"rest:test:tr-es-{uuid.uuid4().hex[:6]}", summary={"need": "housing"})
    receiver = new_page()
    sign_in(receiver, pat)
    sender_page = new_page()
    sign_in(sender_page, rene)

    queue_entry(sender_page, offered).click()
    sender_page.get_by_role("button", name="Claim").click()
    expect(sender_page.locator("#conv-meta")).to_contain_text("With an advocate: you")
    sender_page.get_by_role("button", name="Transfer").click()
    dialog = sender_page.get_by_role("dialog")
    dialog.get_by_label("Offer it to").select_option(f"user:{pat.username}")
    dialog.get_by_role("button", name="Send transfer").click()
    expect(dialog.locator("#transfer-error")).to_contain_text("Write a note")  # the note is required
    dialog.get_by_label("Note for the colleague (required)").fill("Needs housing tonight; called twice.")
    dialog.get_by_role("button", name="Send transfer").click()
    expect(dialog).to_be_hidden()
    expect(sender_page.locator("#conv-info")).to_have_text("Offered to Pat.")

    card = queue_entry(receiver, offered)
    expect(card).to_contain_text("for you")
    expect(queue_entry(sender_page, offered)).to_contain_text("for Pat")
    receiver.get_by_label("Mine", exact=True).check()
    expect(card).to_be_visible()

    queue_entry(sender_page, spanish).click()
    expect(sender_page.locator("#conv-title")).to_have_text(f"Conversation #{spanish}")
    sender_page.get_by_role("button", name="Claim").click()
    expect(sender_page.locator("#conv-meta")).to_contain_text("With an advocate: you")
    sender_page.get_by_role("button", name="Transfer").click()
    dialog.get_by_label("Offer it to").select_option(label="Any Spanish-speaking advocate")
    dialog.get_by_label("Note for the colleague (required)").fill("Caller prefers Spanish.")
    dialog.get_by_role("button", name="Send transfer").click()
    expect(dialog).to_be_hidden()
    expect(queue_entry(sender_page, spanish)).to_contain_text("needs Spanish")


def test_a_supervisor_takes_over_a_colleagues_conversation(new_page, assistant, put_in_queue):
    holder = add_console_user(assistant, "advocate", "Kim")
    lead = add_console_user(assistant, "supervisor", "Lou")
    held = put_in_queue(f"rest:test:to-{uuid.uuid4().hex[:6]}", summary={"need": "counseling"})
    kim = new_page()
    sign_in(kim, holder)
    queue_entry(kim, held).click()
    kim.get_by_role("button", name="Claim").click()
    expect(kim.locator("#conv-meta")).to_contain_text("With an advocate: you")
    expect(kim.get_by_role("button", name="Take over")).to_be_hidden()  # an advocate's own conversation

    lou = new_page()
    sign_in(lou, lead)
    queue_entry(lou, held).click()
    expect(lou.locator("#conv-title")).to_have_text(f"Conversation #{held}")
    lou.get_by_role("button", name="Take over").click()
    expect(lou.locator("#conv-meta")).to_contain_text("With an advocate: you")
    expect(lou.locator("#message-text")).to_be_enabled()
