"""The handoff desk on a real queue (SQLite and PostgreSQL) over the in-memory fake of the
conversations: who may take each step, what the caller is told, and that a refused step
tells the caller nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.handoff import HandoffConflict, HandoffError, HandoffQueue
from bot.handoff.conversations import ConversationEvent, ConversationsUnavailable, Turn
from bot.handoff.desk import Advocate, DeskRefused, HandoffDesk
from bot.messages import Card
from tests.fakes.conversations import FakeConversations

ANA = Advocate("ana", "Ana R.")
BEN = Advocate("ben", "Ben T.")
SUPERVISOR = Advocate("sue", "Sue K.", can_take_over=True)
NAMES = {"ana": "Ana R.", "ben": "Ben T.", "sue": "Sue K."}


@pytest.fixture
def queue(database_url):
    opened = HandoffQueue.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def conversations():
    return FakeConversations()


@pytest.fixture
def desk(queue, conversations):
    return HandoffDesk(queue, conversations, display_name=lambda username: NAMES.get(username, username))


def run(step):
    return asyncio.run(step)


def waiting(queue, conversation_id="web:" + "a" * 32, speaks=None, paused=True):
    summary = {"need": "counseling", **({"speaks": speaks} if speaks else {})}
    return queue.request(conversation_id, reason="caller_request", summary=summary, paused=paused)


def test_claiming_tells_the_caller_who_joined_by_their_display_name(desk, queue, conversations):
    handoff_id = waiting(queue)
    claimed = run(desk.claim(handoff_id, ANA))
    assert (claimed["state"], claimed["holder"]) == ("with_advocate", "ana")
    [said] = conversations.said
    assert said.text == "Ana R., an advocate, has joined the chat."
    assert said.payload["type"] == "handoff" and said.payload["state"] == "with_advocate"
    assert said.advocate_name == "Ana R."


def test_claiming_a_conversation_the_assistant_still_answers_pauses_it_first(desk, queue, conversations):
    conversation_id = "web:" + "b" * 32
    handoff_id = waiting(queue, conversation_id, paused=False)
    run(desk.claim(handoff_id, ANA))
    assert conversations.steps == [("pause", conversation_id), ("say", conversation_id)]


def test_claiming_again_is_harmless_and_a_colleague_hears_who_holds_it(desk, queue, conversations):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    run(desk.claim(handoff_id, ANA))
    assert len(conversations.said) == 1
    with pytest.raises(HandoffConflict, match=r"Ana R\. has already taken"):
        run(desk.claim(handoff_id, BEN))
    assert len(conversations.said) == 1


def test_only_the_holder_speaks_and_a_refused_message_never_reaches_the_caller(desk, queue, conversations):
    handoff_id = waiting(queue)
    with pytest.raises(HandoffError):
        run(desk.send_message(handoff_id, ANA, "hello"))
    run(desk.claim(handoff_id, ANA))
    with pytest.raises(HandoffConflict, match=r"Ana R\. holds"):
        run(desk.send_message(handoff_id, BEN, "hello from Ben"))
    with pytest.raises(HandoffError, match="write a message"):
        run(desk.send_message(handoff_id, ANA, "   "))
    with pytest.raises(HandoffError, match="at most"):
        run(desk.send_message(handoff_id, ANA, "x" * 2001))
    run(desk.send_message(handoff_id, ANA, "How can I help?"))
    assert [s.text for s in conversations.said][1:] == ["How can I help?"]
    assert conversations.said[-1].payload["type"] == "advocate_message"


def test_a_colleague_cannot_release_but_a_supervisor_can_and_the_caller_keeps_their_place(
    desk, queue, conversations
):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    with pytest.raises(DeskRefused, match="a supervisor can release it"):
        run(desk.release(handoff_id, BEN))
    released = run(desk.release(handoff_id, SUPERVISOR))
    assert (released["state"], released["holder"]) == ("waiting", None)
    told = conversations.said[-1]
    assert "still in line (number 1)" in told.text and told.advocate_name is None


def test_releasing_a_conversation_no_one_holds_says_so(desk, queue, conversations):
    handoff_id = waiting(queue)
    with pytest.raises(HandoffError, match="waiting, not held"):
        run(desk.release(handoff_id, ANA))
    assert conversations.said == []


def test_take_over_is_for_supervisors_and_the_caller_hears_who_is_there_now(desk, queue, conversations):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    with pytest.raises(DeskRefused):
        run(desk.take_over(handoff_id, BEN))
    taken = run(desk.take_over(handoff_id, SUPERVISOR))
    assert taken["holder"] == "sue"
    assert conversations.said[-1].text == "Sue K., an advocate, has joined the chat."
    with pytest.raises(HandoffConflict, match=r"Sue K\. holds"):
        run(desk.send_message(handoff_id, ANA, "still me"))


def test_a_transfer_to_a_colleague_needs_a_note_and_puts_it_in_line_for_them(desk, queue, conversations):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    with pytest.raises(HandoffError, match="note"):
        run(desk.transfer(handoff_id, ANA, "  ", to="ben"))
    with pytest.raises(HandoffError):
        run(desk.transfer(handoff_id, ANA, "note", to="ben", language="es"))
    moved = run(desk.transfer(handoff_id, ANA, "Needs housing help; Ben knows the shelters.", to="ben"))
    assert (moved["state"], moved["holder"], moved["offered_to"]) == ("waiting", None, "ben")
    assert queue.notes(handoff_id)[-1]["text"] == "Needs housing help; Ben knows the shelters."
    assert "passing our conversation to a colleague" in conversations.said[-1].text
    claimed = run(desk.claim(handoff_id, BEN))
    assert (claimed["holder"], claimed["offered_to"]) == ("ben", None)


def test_a_transfer_to_a_spanish_speaker_is_told_to_the_caller_in_spanish(desk, queue, conversations):
    handoff_id = waiting(queue, speaks="es")
    run(desk.claim(handoff_id, ANA))
    moved = run(desk.transfer(handoff_id, ANA, "Prefers Spanish.", language="es"))
    assert moved["wanted_language"] == "es"
    assert "otra persona del equipo" in conversations.said[-1].text
    assert conversations.said[-1].payload["language"] == "es"


def test_only_the_holder_transfers(desk, queue, conversations):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    with pytest.raises(HandoffConflict):
        run(desk.transfer(handoff_id, BEN, "mine now", to="sue"))
    assert queue.get(handoff_id)["holder"] == "ana"


def test_sending_a_service_sends_one_card_the_caller_can_act_on(desk, queue, conversations):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    card = Card(number=1, id="svc-1", name="Cedar Counseling", phone="215-555-0100")
    run(desk.send_service(handoff_id, ANA, card))
    payload = conversations.said[-1].payload
    assert payload["type"] == "referrals"
    assert [s["id"] for s in payload["services"]] == ["svc-1"]
    assert conversations.said[-1].text.startswith("Ana R. sent you a service")


def test_handing_back_resumes_and_lets_the_assistant_speak(desk, queue, conversations):
    conversation_id = "web:" + "c" * 32
    handoff_id = waiting(queue, conversation_id)
    run(desk.claim(handoff_id, ANA))
    returned = run(desk.hand_back(handoff_id, ANA))
    assert returned["state"] == "returned_to_bot"
    assert conversations.steps[-2:] == [("resume", conversation_id), ("hand_back", conversation_id)]


def test_resolving_a_held_conversation_says_goodbye_then_hands_back(desk, queue, conversations):
    conversation_id = "web:" + "d" * 32
    handoff_id = waiting(queue, conversation_id)
    run(desk.claim(handoff_id, ANA))
    with pytest.raises(HandoffError, match="disposition"):
        run(desk.resolve(handoff_id, ANA, "whatever"))
    resolved = run(desk.resolve(handoff_id, ANA, "referred"))
    assert (resolved["state"], resolved["disposition"]) == ("resolved", "referred")
    assert conversations.said[-1].text == "Ana R. has closed this chat. Thank you for reaching out."
    assert conversations.steps[-1] == ("hand_back", conversation_id)


def test_a_caller_leaving_ends_a_wait_and_leaves_a_note_for_a_holder(desk, queue, conversations):
    first, second = "web:" + "e" * 32, "web:" + "f" * 32
    waiting_id = waiting(queue, first)
    held_id = waiting(queue, second)
    run(desk.claim(held_id, ANA))
    run(desk.caller_event(ConversationEvent(first, "left")))
    run(desk.caller_event(ConversationEvent(second, "left")))
    assert queue.get(waiting_id)["state"] == "abandoned"
    assert ("resume", first) in conversations.steps
    assert queue.get(held_id)["state"] == "with_advocate"
    assert "left the chat" in queue.notes(held_id)[-1]["text"]


def test_a_crisis_message_while_waiting_puts_the_request_at_the_top(desk, queue, conversations):
    calm, scared = "web:" + "1" * 32, "web:" + "2" * 32
    waiting(queue, calm)
    scared_id = waiting(queue, scared)
    turn = Turn(who="caller", text="i don't want to be alive anymore")
    run(desk.caller_event(ConversationEvent(scared, "turn", turn, crisis=True)))
    assert queue.get(scared_id)["priority"] == "urgent"
    assert queue.active()[0]["id"] == scared_id


def test_expiry_tells_a_released_caller_they_are_still_in_line(desk, queue, conversations):
    handoff_id = waiting(queue)
    run(desk.claim(handoff_id, ANA))
    changes = run(
        desk.expire(
            advocate_idle=timedelta(0),
            caller_gone=timedelta(hours=1),
            disconnect_grace=timedelta(hours=1),
            last_seen={},
        )
    )
    assert [what for _, what in changes] == ["released"]
    assert "still in line" in conversations.said[-1].text


def test_a_claim_the_caller_could_not_be_told_of_goes_back_in_line(desk, queue, conversations):
    handoff_id = waiting(queue)
    conversations.down = True
    with pytest.raises(ConversationsUnavailable, match="fake assistant is down"):
        run(desk.claim(handoff_id, ANA))
    assert (queue.get(handoff_id)["state"], queue.get(handoff_id)["holder"]) == ("waiting", None)
    conversations.down = False
    run(desk.claim(handoff_id, ANA))
    assert conversations.said[-1].text == "Ana R., an advocate, has joined the chat."
