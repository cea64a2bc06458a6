"""The website widget end to end: Debian's Chromium, the demo page, the real Rasa server."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.polling import eventually
from tests.widget.conftest import AXE, EXIT_URL, REPLY_TIMEOUT_MS

TEL = re.compile(r"^tel:\+?\d{3,15}$")
MAP = re.compile(r"^https://www\.google\.com/maps/search/\?api=1&query=[^ <>\"]+$")


def caller_said(words: str) -> re.Pattern:
    """A caller's message as the log reads it: who, the words, then when ("You: hi 3:04 PM")."""
    return re.compile("^" + re.escape(f"You: {words}") + r"\d{1,2}:\d{2}\s?(AM|PM)$")


def ask_for_a_therapist(widget) -> None:
    widget.say("I need a therapist who takes Medicaid near 19143", then="How old")
    widget.say("34")
    expect(widget.page.locator(".wf-card").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)


def test_a_referral_shows_cards_with_call_and_map_links_and_a_reload_shows_the_history(widget):
    widget.open()
    ask_for_a_therapist(widget)
    cards = widget.page.get_by_role("list", name="Services").get_by_role("listitem")
    assert cards.count() >= 3
    first = cards.first
    expect(first.get_by_role("heading")).not_to_be_empty()
    expect(first).to_contain_text("miles away")
    expect(first).to_contain_text("Why it fits:")
    expect(first).to_contain_text("accepts Medicaid")
    call = first.get_by_role("link", name=re.compile(r"^Call "))
    assert TEL.match(call.get_attribute("href"))
    assert MAP.match(first.get_by_role("link", name=re.compile(r"^Map: ")).get_attribute("href"))
    expect(widget.log.get_by_role("button", name="Details on 1")).to_be_visible()
    before = log_text_without_times(widget)
    # Rasa sends the cards before it saves the tracker the history is read from.
    session = widget.session_id()
    assert eventually(
        lambda: any(
            ((e.get("data") or {}).get("custom") or {}).get("type") == "referrals"
            for e in widget.assistant.tracker(session)["events"]
        )
    )

    # A closed service says when it opens next (which ones are closed depends on the hour).
    sent = next(
        ((e.get("data") or {}).get("custom") or {})
        for e in widget.assistant.tracker(session)["events"]
        if ((e.get("data") or {}).get("custom") or {}).get("type") == "referrals"
    )
    for index, service in enumerate(sent["services"][: cards.count()]):
        if service.get("open_now") is False and service.get("next_open"):
            expect(cards.nth(index)).to_contain_text(service["next_open"])

    widget.page.reload()
    # It was open, so it opens again, and the server's history fills it.
    expect(widget.log).to_contain_text("I need a therapist who takes Medicaid near 19143")
    expect(widget.page.locator(".wf-card").first).to_be_visible()
    # The same words (a time shown from the server's clock may differ from the browser's by a minute).
    assert eventually(lambda: log_text_without_times(widget) == before)

    # The conversation goes on where it was.
    widget.log.get_by_role("button", name="Details on 1").click()
    widget.wait_for("Hours")
    expect(widget.log.locator(".wf-msg-user").last).to_have_text(caller_said("Details on 1"))


def log_text_without_times(widget) -> str:
    return widget.log.evaluate(
        "log => { const copy = log.cloneNode(true); copy.querySelectorAll('time').forEach(t => t.remove());"
        " return copy.textContent; }"
    )


def test_the_demo_page_runs_under_its_content_security_policy(widget):
    violations: list[str] = []
    widget.page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page = widget.page.goto(widget.url)
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    # The inline settings (by hash), the widget's files and the Rasa server's socket.io all load.
    widget.page.get_by_role("button", name="Chat with us").click()
    widget.wait_for("What can I help you find?")
    answered = widget.bot_messages()
    widget.say("I need food")
    widget.wait_for_reply(answered)
    assert violations == []


def test_a_whole_conversation_by_keyboard_alone(widget):
    page = widget.page
    page.goto(widget.url)
    launcher = page.get_by_role("button", name="Chat with us")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Quick exit: leave this site now")).to_be_focused()
    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Wayfinder")).to_be_visible()
    expect(widget.input).to_be_focused()
    widget.wait_for("What can I help you find?")

    page.keyboard.type("I need a therapist who takes Medicaid near 19143")
    page.keyboard.press("Enter")
    widget.wait_for("How old")
    page.keyboard.type("34")
    page.keyboard.press("Enter")
    closest = widget.log.get_by_role("button", name="Which is closest?")
    expect(closest).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    # Back from the message box into the conversation: the last suggested reply first.
    page.keyboard.press("Shift+Tab")
    expect(closest).to_be_focused()
    page.keyboard.press("Space")
    expect(widget.log.locator(".wf-msg-user").last).to_have_text(caller_said("Which is closest?"))
    widget.wait_for("Closest first:")

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()
    page.keyboard.press("Space")
    expect(widget.input).to_be_focused()
    expect(widget.log).to_contain_text("Which is closest?")


def test_quick_exit_leaves_for_a_neutral_site_and_forgets_the_conversation(widget):
    widget.open()
    widget.say("where can i get food in kensington", then="food")
    assert "wayfinder.widget" in widget.storage_keys()

    widget.page.get_by_role("button", name="Quick exit: leave this site now").click()
    expect(widget.page).to_have_url(EXIT_URL)
    widget.page.go_back()
    assert widget.page.url != widget.url  # location.replace: Back does not return to the chat

    widget.page.goto(widget.url)
    assert widget.storage_keys() == []
    expect(widget.page.get_by_role("dialog")).to_be_hidden()
    widget.page.get_by_role("button", name="Chat with us").click()
    widget.wait_for("What can I help you find?")
    expect(widget.log).not_to_contain_text("kensington")


def test_escape_three_times_is_a_quick_exit_too(widget):
    widget.open()
    for _ in range(3):
        widget.page.keyboard.press("Escape")
    expect(widget.page).to_have_url(EXIT_URL)


def test_html_from_the_caller_or_the_bot_is_shown_as_text_and_never_runs(widget):
    widget.open()
    answered = widget.bot_messages()
    widget.say("<img src=x onerror=alert(1)> <b>bold</b>")
    user = widget.log.locator(".wf-msg-user").last
    expect(user).to_have_text(caller_said("<img src=x onerror=alert(1)> <b>bold</b>"))
    widget.wait_for_reply(answered)

    widget.send_bot_events([{"event": "bot", "text": "<b>hi</b><script>window.pwned=1</script>"}])
    widget.wait_for("<b>hi</b><script>window.pwned=1</script>")
    assert widget.log.locator("img, b, script").count() == 0
    assert widget.page.evaluate("window.pwned") is None


def test_a_crisis_message_shows_the_988_banner(widget):
    widget.open()
    widget.say("I want to kill myself")
    banner = widget.page.get_by_role("region", name="Crisis help")
    expect(banner).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(banner.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(banner.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    expect(banner.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    widget.wait_for("988")


def test_a_spanish_crisis_shows_the_banner_in_spanish_with_988_press_2_and_ayuda(widget):
    widget.open()
    widget.say("me quiero matar")
    banner = widget.page.get_by_role("region", name="Ayuda en crisis")
    expect(banner).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(banner).to_have_attribute("lang", "es")
    expect(banner).to_contain_text("marque 2")
    expect(banner.get_by_role("link", name="Enviar AYUDA al 988")).to_have_attribute(
        "href", "sms:988?&body=AYUDA"
    )
    expect(banner.get_by_role("link", name="Llamar al 911")).to_have_attribute("href", "tel:911")
    widget.wait_for("AYUDA")


def test_a_possible_risk_shows_the_banner_and_asks_directly_with_yes_and_no(widget):
    widget.open()
    widget.say("i just want the pain to stop for good")
    expect(widget.page.get_by_role("region", name="Crisis help")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    widget.wait_for("are you thinking about killing yourself?")
    answered = widget.bot_messages()
    widget.page.get_by_role("button", name="Yes", exact=True).click()
    widget.wait_for_reply(answered)
    widget.wait_for("staying right here with you")


def test_a_crisis_while_paused_for_an_advocate_still_shows_the_banner(widget):
    widget.open()
    widget.send_bot_events([{"event": "pause"}])  # what a handoff to an advocate does
    widget.say("I want to kill myself")
    banner = widget.page.get_by_role("region", name="Crisis help")
    expect(banner).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(banner.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")


def test_an_advocate_joins_and_their_words_arrive_live_with_their_name(widget):
    widget.open()
    widget.say("can I talk to a person", then="advocate")
    widget.send_bot_events(
        [
            {
                "event": "bot",
                "data": {"custom": {"type": "handoff", "state": "with_advocate", "advocate": "Sam"}},
            },
            {
                "event": "bot",
                "text": "Hi, I'm Sam. I've read what you wrote; how can I help?",
                "data": {"custom": {"type": "advocate_message", "advocate": "Sam"}},
            },
        ]
    )
    widget.wait_for("Sam, an advocate, has joined the chat.")
    message = widget.log.locator(".wf-msg-advocate").last
    expect(message).to_contain_text("Sam, advocate")
    expect(message).to_contain_text("Hi, I'm Sam. I've read what you wrote; how can I help?")
    expect(widget.page.get_by_role("dialog")).to_contain_text("Chatting with Sam, an advocate")

    # With text of its own (as the console and the assistant send it), the text says what changed, once.
    widget.send_bot_events(
        [
            {
                "event": "bot",
                "text": "Sam has ended the chat; you're back with the assistant.",
                "data": {"custom": {"type": "handoff", "state": "returned_to_bot"}},
            }
        ]
    )
    widget.wait_for("Sam has ended the chat")
    expect(widget.log.locator(".wf-note")).to_have_count(1)
    expect(widget.page.get_by_role("dialog")).not_to_contain_text("Chatting with Sam")
    widget.send_bot_events(
        [{"event": "bot", "data": {"custom": {"type": "handoff", "state": "returned_to_bot"}}}]
    )
    widget.wait_for("You're back with the Wayfinder assistant.")
    widget.page.reload()
    widget.wait_for("You're back with the Wayfinder assistant.")
    expect(widget.log.locator(".wf-msg-advocate")).to_contain_text("Sam, advocate")


def test_no_serious_or_critical_accessibility_violation(widget):
    page = widget.page
    page.goto(widget.url)
    assert axe_violations(page) == []  # closed: the launcher and the quick exit on the page
    page.get_by_role("button", name="Chat with us").click()
    widget.wait_for("What can I help you find?")
    ask_for_a_therapist(widget)
    widget.say("I want to kill myself")
    expect(page.get_by_role("region", name="Crisis help")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    page.emulate_media(reduced_motion="reduce")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 640})
    assert axe_violations(page) == []

    # Dark mode: the widget's own dark colours, as clean.
    page.emulate_media(color_scheme="dark")
    background = page.get_by_role("dialog").evaluate("node => getComputedStyle(node).backgroundColor")
    assert background == "rgb(21, 24, 28)"
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("button", name="Close chat").click()
    assert axe_violations(page) == []


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the whole page, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated by the test's own channel: the page's Content-Security-Policy refuses inline
        # <script> elements (add_script_tag) that it has no hash for.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['impact']} {violation['id']}: {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_on_a_phone_the_open_chat_fills_the_screen(widget):
    page = widget.page
    page.set_viewport_size({"width": 375, "height": 667})
    widget.open()
    box = page.get_by_role("dialog").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 667}
    expect(page.get_by_role("button", name="Quick exit: leave this site now")).to_be_visible()


def test_text_follows_the_browsers_font_size(widget):
    page = widget.page
    widget.open()
    bubble = page.locator(".wf-msg-bot .wf-bubble").first
    normal = bubble.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    expect(bubble).to_have_css("font-size", f"{normal * 2:g}px")


def test_a_page_in_spanish_opens_the_widget_in_spanish_and_axe_is_clean(widget):
    page = widget.page
    page.goto(widget.url + "?lang=es")
    launcher = page.get_by_role("button", name="Chatee con nosotros")
    expect(launcher).to_be_visible()
    expect(page.get_by_role("button", name="Salida rápida: salir de este sitio ahora").first).to_be_visible()
    assert page.locator("[data-wayfinder-widget]").get_attribute("lang") == "es"
    assert axe_violations(page) == []
    launcher.click()
    # The greeting has arrived: the panel's opening transition is over before axe reads colours.
    expect(page.locator(".wf-log .wf-msg-bot").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(page.get_by_role("textbox", name="Su mensaje")).to_have_attribute(
        "placeholder", "Escriba su mensaje"
    )
    expect(page.get_by_role("button", name="Enviar")).to_be_visible()
    assert axe_violations(page) == []


def test_a_caller_writing_in_spanish_turns_the_whole_widget_spanish(widget):
    page = widget.page
    widget.open()
    widget.say("hola, necesito un psicólogo que hable español en Kensington, tengo Medicaid")
    # The reply's payload says it is Spanish: the widget's own words follow.
    expect(page.get_by_role("textbox", name="Su mensaje")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Salida rápida: salir de este sitio ahora").first).to_be_visible()
    expect(page.get_by_role("log", name="Conversación")).to_be_visible()
    widget.say("34")
    cards = page.get_by_role("list", name="Servicios").get_by_role("listitem")
    expect(cards.first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(widget.log.get_by_role("button", name="Detalles del 1")).to_be_visible()
    assert axe_violations(page) == []
    # A reload keeps the language.
    page.reload()
    expect(page.get_by_role("log", name="Conversación")).to_be_visible()


# ---------------------------------------------------------------- signals, cards, details, dark mode, targets

# A stand-in for WebAudio that counts the tones played (headless Chromium has no speakers to ask).
COUNTING_AUDIO = """
window.__tones = 0;
window.AudioContext = class {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = {}; }
  resume() { return Promise.resolve(); }
  createOscillator() {
    return { type: "", frequency: { value: 0 }, connect() {}, start() { window.__tones += 1; }, stop() {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect() {} };
  }
};
"""


def test_messages_arriving_while_the_chat_is_closed_show_a_count_a_title_and_an_optional_sound(widget):
    page = widget.page
    page.add_init_script(COUNTING_AUDIO)
    widget.open()
    title = page.title()
    sound = page.get_by_role("button", name="Sound for new messages")
    expect(sound).to_have_attribute("aria-pressed", "false")  # off until the caller turns it on

    page.get_by_role("button", name="Close chat").click()
    widget.send_bot_events([{"event": "bot", "text": "Are you still there?"}])
    launcher = page.get_by_role("button", name="Chat with us, 1 unread message")
    expect(launcher).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(launcher.locator(".wf-badge")).to_have_text("1")
    expect(page).to_have_title(f"(1) New message · {title}")
    widget.send_bot_events(
        [
            {
                "event": "bot",
                "text": "Hi, I'm Sam. I can help too.",
                "data": {"custom": {"type": "advocate_message", "advocate": "Sam"}},
            }
        ]
    )
    launcher = page.get_by_role("button", name="Chat with us, 2 unread messages")
    expect(launcher).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(launcher.locator(".wf-badge")).to_have_text("2")
    expect(page).to_have_title(f"(2) New messages · {title}")
    assert page.evaluate("window.__tones") == 0

    # A reload keeps the count until the caller opens the chat.
    page.reload()
    expect(page.get_by_role("button", name="Chat with us, 2 unread messages")).to_be_visible()
    expect(page).to_have_title(f"(2) New messages · {title}")
    page.get_by_role("button", name="Chat with us, 2 unread messages").click()
    expect(page).to_have_title(title)
    widget.wait_for("Hi, I'm Sam. I can help too.")

    # The sound: on with the header's toggle (a tone says what it sounds like), kept on this device.
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__tones") == 1
    page.reload()
    sound = page.get_by_role("button", name="Sound for new messages")
    expect(sound).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("localStorage.getItem('wayfinder.sound')") == "on"

    # The caller writes, closes the chat before the answer, and the answer is counted and heard.
    widget.wait_for("Hi, I'm Sam. I can help too.")
    answered = widget.bot_messages()
    widget.send_bot_events([{"event": "pause"}])  # an advocate's conversation: nothing answers at once
    widget.say("thanks, I'll wait")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    widget.send_bot_events(
        [
            {
                "event": "bot",
                "text": "Take your time.",
                "data": {"custom": {"type": "advocate_message", "advocate": "Sam"}},
            }
        ]
    )
    expect(page.get_by_role("button", name="Chat with us, 1 unread message")).to_be_visible(
        timeout=REPLY_TIMEOUT_MS
    )
    assert page.locator(".wf-log .wf-msg-bot").count() == answered + 1  # hidden with the chat
    assert eventually(lambda: page.evaluate("window.__tones") == 1)
    page.get_by_role("button", name="Chat with us, 1 unread message").click()
    expect(page.get_by_role("button", name="Chat with us", exact=True)).to_be_hidden()
    expect(page).to_have_title(title)


def test_cards_show_the_numbers_the_buttons_use_and_arrive_with_the_first_card_in_view(widget):
    page = widget.page
    page.set_viewport_size({"width": 375, "height": 667})  # a phone: the cards do not fit at once
    widget.open()
    ask_for_a_therapist(widget)
    cards = widget.log.get_by_role("list", name="Services").last.get_by_role("listitem")
    expect(cards.first).to_be_visible()
    numbers = cards.locator(".wf-card-number").all_text_contents()
    assert len(numbers) >= 3 and numbers == [str(n) for n in range(1, len(numbers) + 1)]
    for number in numbers:
        expect(widget.log.get_by_role("button", name=f"Details on {number}", exact=True)).to_be_visible()
    expect(cards.first.get_by_role("heading")).to_have_accessible_name(re.compile(r"^Option 1: \S"))

    # Not scrolled to the end: the first card is in view, the last buttons below it.
    page.wait_for_function(FIRST_CARD_IN_VIEW, timeout=10_000)
    assert page.evaluate(
        "() => { const log = document.querySelector('.wf-log');"
        " return log.scrollTop + log.clientHeight < log.scrollHeight - 10; }"
    )

    # A second page of options starts at 4, on the cards as on the buttons.
    widget.log.get_by_role("button", name="More options").last.click()
    expect(widget.log.get_by_role("list", name="Services")).to_have_count(2, timeout=REPLY_TIMEOUT_MS)
    more = widget.log.get_by_role("list", name="Services").last.get_by_role("listitem")
    expect(more.first.locator(".wf-card-number")).to_have_text("4")
    expect(widget.log.get_by_role("button", name="Details on 4", exact=True)).to_be_visible()
    page.wait_for_function(FIRST_CARD_IN_VIEW, timeout=10_000)


FIRST_CARD_IN_VIEW = """() => {
  const log = document.querySelector('.wf-log').getBoundingClientRect();
  const lists = document.querySelectorAll('.wf-log .wf-cards');
  const first = lists[lists.length - 1].firstElementChild.getBoundingClientRect();
  return first.top >= log.top - 1 && first.bottom <= log.bottom + 1;
}"""


def test_a_services_details_are_drawn_from_its_fields_with_tap_to_call_and_a_map(widget):
    widget.open()
    ask_for_a_therapist(widget)
    widget.log.get_by_role("button", name="Details on 1", exact=True).click()
    details = widget.log.locator(".wf-details")
    expect(details).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(details.get_by_role("heading")).not_to_be_empty()
    call = details.get_by_role("link", name=re.compile(r"^Call "))
    assert TEL.match(call.get_attribute("href"))
    assert MAP.match(details.get_by_role("link", name=re.compile(r"^Map: ")).get_attribute("href"))
    # The same number and place as the card offered.
    card = widget.log.locator(".wf-card").first
    assert call.get_attribute("href") == card.get_by_role("link", name=re.compile(r"^Call ")).get_attribute(
        "href"
    )
    expect(details.locator("dt").first).not_to_be_empty()
    expect(details.locator("dt", has_text="Hours")).to_have_count(1)
    expect(details.locator("dd").first).not_to_be_empty()


def test_every_message_says_when_it_was_sent(widget):
    page = widget.page
    widget.open()
    widget.say("I need food", then="food")
    times = widget.log.locator(".wf-msg time")
    assert times.count() == widget.log.locator(".wf-msg").count() >= 3
    now = page.evaluate("Date.now()")
    for index in range(times.count()):
        moment = times.nth(index)
        expect(moment).to_have_text(re.compile(r"^\d{1,2}:\d{2}\s?(AM|PM)$"))
        sent = page.evaluate("t => Date.parse(t)", moment.get_attribute("datetime"))
        assert abs(now - sent) < 10 * 60 * 1000
    font = widget.log.locator(".wf-msg time").first.evaluate("t => parseFloat(getComputedStyle(t).fontSize)")
    assert 11 <= font < 16  # small, still readable
    page.reload()
    expect(widget.log.locator(".wf-msg time")).to_have_count(times.count(), timeout=REPLY_TIMEOUT_MS)


def test_on_a_phone_every_control_is_a_finger_sized_target(widget):
    page = widget.page
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(widget.url)
    closed = [
        page.get_by_role("button", name="Chat with us"),
        page.get_by_role("button", name="Quick exit: leave this site now"),
    ]
    for target in closed:
        assert_finger_sized(target)
    widget.page.get_by_role("button", name="Chat with us").click()
    widget.wait_for("What can I help you find?")
    ask_for_a_therapist(widget)
    widget.log.get_by_role("button", name="Details on 1", exact=True).click()
    expect(widget.log.locator(".wf-details")).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    dialog = page.get_by_role("dialog")
    targets = [
        dialog.get_by_role("button", name="Close chat"),
        dialog.get_by_role("button", name="Quick exit: leave this site now"),
        dialog.get_by_role("button", name="Sound for new messages"),
        dialog.get_by_role("button", name="Send"),
    ]
    targets += widget.log.locator(".wf-reply").all()
    targets += widget.log.locator(".wf-card-actions a").all()
    assert len(targets) > 10
    for target in targets:
        assert_finger_sized(target)


def assert_finger_sized(target) -> None:
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, f"{target}: {box}"


def test_an_intent_triggered_for_the_assistant_is_never_shown_as_the_callers_words(widget):
    widget.open()
    widget.say("can I talk to a person", then="advocate")
    # What the console's hand back leaves in the tracker (Rasa's /trigger_intent).
    widget.send_bot_events(
        [
            {
                "event": "user",
                "text": "EXTERNAL: EXTERNAL_handed_back",
                "input_channel": "socketio",
                "parse_data": {"intent": {"name": "EXTERNAL_handed_back", "confidence": 1.0}, "entities": []},
            },
            {
                "event": "bot",
                "text": "Sam has ended the chat; you're back with the assistant.",
                "data": {"custom": {"type": "handoff", "state": "returned_to_bot"}},
            },
        ]
    )
    widget.wait_for("you're back with the assistant")
    session = widget.session_id()
    assert any(
        e.get("text") == "EXTERNAL: EXTERNAL_handed_back" for e in widget.assistant.tracker(session)["events"]
    )
    widget.page.reload()
    widget.wait_for("you're back with the assistant")
    expect(widget.log).to_contain_text("can I talk to a person")
    expect(widget.log).not_to_contain_text("EXTERNAL")


def test_a_question_the_caller_may_skip_has_a_skip_button_that_skips_it(widget):
    widget.open()
    widget.say("I need a therapist who takes Medicaid near 19143", then="How old")
    skip = widget.log.locator(".wf-msg-bot").last.get_by_role("button", name="Skip", exact=True)
    expect(skip).to_be_visible()
    skip.click()
    expect(widget.log.locator(".wf-msg-user").last).to_have_text(caller_said("Skip"))
    # Asked no more: the search runs without an age.
    expect(widget.page.locator(".wf-card").first).to_be_visible(timeout=REPLY_TIMEOUT_MS)
    expect(widget.log).not_to_contain_text("need the age as a number")
