"""Facts from the whole message, in our codes (bot/nlp/understanding.py), without Rasa.

The ruler's hits come from the real spaCy pipeline (models/spacy/wayfinder_en, built
by ``python -m bot.nlp.build``); the need classifier is left out unless a test gives
its scores, so these test the rules: canonical values, typos, negation and loss,
whom the help is for, ``when``, and which need comes first.
"""

from __future__ import annotations

import pytest

from bot.nlp.understanding import (
    asks_for_a_call,
    asks_for_a_person,
    asks_for_legal_help,
    understand,
    when_values,
)
from bot.nlp.vocabulary import default_vocabulary


@pytest.fixture(scope="module")
def ruler():
    from components.understanding import _ruler

    return _ruler()


def parse(ruler, text, scores=None):
    vocabulary = default_vocabulary()
    entities = []
    for ent in ruler(text).ents:
        value = ent.text
        if ent.label_ in ("need", "payment", "population", "access"):
            value = vocabulary.code(ent.label_, ent.text) or ent.text  # as the EntitySynonymMapper does
        entities.append({"entity": ent.label_, "value": value, "start": ent.start_char, "end": ent.end_char})
    found = understand(text, entities, scores)
    by_kind: dict[str, list[str]] = {}
    for entity in found:
        if entity.get("role") is None:
            by_kind.setdefault(entity["entity"], []).append(entity["value"])
    return by_kind, found


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("my mom only speaks Russian", "language", "ru"),
        ("he speaks Cantonese", "language", "zh"),
        ("a counselor who speaks Vietnamese", "language", "vi"),
        ("Im Deaf and use ASL", "language", "ase"),
        ("hablo español", "language", "es"),
        ("my husband is 45", "age", "45"),
        ("she's 70 years old", "age", "70"),
        ("mi hijo de 17 años", "age", "17"),
        ("im sixteen and scared", "age", "16"),
        ("my wife needs a psychiatrist", "relation", "spouse"),
        ("for my son", "relation", "child"),
        ("it's for my grandson", "relation", "grandchild"),
        ("my client needs housing", "relation", "client"),
        ("para mi esposo", "relation", "spouse"),
        ("I have Keystone First", "payment", "medicaid"),
        ("I have MA", "payment", "medicaid"),
        ("I need a therapist who does video sessions", "access", "telehealth"),
        ("i'm on my parents insurance", "payment", "private_insurance"),
        ("she's on her husband's plan", "payment", "private_insurance"),
        ("zip 19143", "zip", "19143"),
    ],
)
def test_values_are_canonical(ruler, text, kind, value):
    by_kind, _ = parse(ruler, text)
    assert value in by_kind.get(kind, []), by_kind


def test_an_age_is_digits_only(ruler):
    by_kind, _ = parse(ruler, "my dad is 77 and i'm 45 year old")
    assert by_kind["age"] == ["77", "45"]


def test_a_bare_number_is_not_an_age(ruler):
    by_kind, _ = parse(ruler, "31")
    assert "age" not in by_kind


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("vet here, 44, been on and off crack for years", "44"),
        ("need a case manager for my son, 25, schizoaffective", "25"),
        ("45, no insurance rn", "45"),
        ("im so ashamed. 22, on my moms cigna", "22"),
        ("school counselor - 8th grader (13) very withdrawn", "13"),
        ("case mgr - client 29M finishing detox tmrw", "29"),
        ("SW at friends - pt 33F d/c'ing next wk, needs PHP", "33"),
    ],
)
def test_an_age_set_off_by_itself_or_in_staff_shorthand(ruler, text, age):
    assert parse(ruler, text)[0]["age"] == [age]


@pytest.mark.parametrize(
    "text", ["2, the second one", "option (2)", "i have 3 kids, 2, 5 and 9", "I use 3M tape"]
)
def test_numbers_in_lists_and_choices_are_no_age(ruler, text):
    assert "age" not in parse(ruler, text)[0]


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("outreach - 61yo male on the street in center city, needs a shelter bed", ["client"]),
        ("FQHC NP - have a 50 y/o pt asking for bupe induction", ["client"]),
        ("PO here. probationer 27 y/o male needs OP D&A tx per court order", ["client"]),
    ],
)
def test_whom_staff_ask_for(ruler, text, relation):
    assert parse(ruler, text)[0].get("relation") == relation


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        # Who said it is not what is asked for.
        ("my counselor said i should get a certified peer specialist. how do i get one?", ["peer_support"]),
        # What the caller is on is a fact about them.
        ("I'm on SSI and I need help applying for food stamps", ["benefits"]),
        ("my brother needs detox and help getting food stamps", ["detox", "benefits"]),
        # Who the caller is, before what they need.
        (
            "vet here, drinking way too much, need detox and help getting my VA stuff sorted",
            ["detox", "veterans_services"],
        ),
        # Lines by name.
        ("Trevor Project number?", ["crisis_lines"]),
        ("whats the number for the national substance abuse helpline", ["crisis_lines"]),
        ("I called 988 last week and they said I should find a therapist", ["counseling"]),
        # Someone to talk to every week is counseling; right now, a warmline.
        ("i just want someone to talk to every week, not meds", ["counseling"]),
        ("i need someone to talk to right now", ["warmline"]),
        # Staff shorthand, an evaluation, rides, applying for a benefit.
        (
            "PO here. probationer 27 y/o male needs OP D&A tx per court order, has CBH",
            ["substance_use_outpatient"],
        ),
        ("where can i get my son tested for autism? hes 6", ["child_youth"]),
        ("i keep missing my doctor appointments. is there a program for rides?", ["basic_needs"]),
        ("need to get on medicaid and then find a new psychiatrist", ["benefits", "psychiatry"]),
    ],
)
def test_what_is_asked_for_among_the_needs_named(ruler, text, needs):
    assert parse(ruler, text)[0]["need"] == needs


def test_a_son_or_daughter_who_is_an_adult_is_no_child(ruler):
    scores = {"child_youth": 0.8, "none": 0.2}
    text = "my daughter is 24 and hasnt really left her room in months. is there help for someone like her"
    assert parse(ruler, text, scores)[0]["need"] == ["mental_health"]
    text = "my daughter is 14 and hasnt really left her room in months"
    assert parse(ruler, text, scores)[0]["need"] == ["child_youth"]


def test_a_new_parent_telling_how_they_feel_asks_for_their_own_care(ruler):
    scores = {"child_youth": 0.9, "none": 0.1}
    text = "i had my baby in june and i just feel like im underwater all the time. cant sleep even when she sleeps"
    by_kind, _ = parse(ruler, text, scores)
    assert by_kind["need"] == ["mental_health"]
    assert by_kind["population"] == ["pregnant_postpartum"]
    assert "relation" not in by_kind
    # A parent asking for the baby's or another child's care still is.
    text = "i just had my baby and my toddler is acting out, he needs someone to talk to"
    by_kind, _ = parse(ruler, text, scores)
    assert (by_kind["need"][0], by_kind["relation"]) == ("child_youth", ["child"])


def test_support_for_a_family_is_for_the_caller(ruler):
    text = "my brother has bipolar and ive become his caregiver. when does the next family class start"
    by_kind, _ = parse(ruler, text, {"family_support": 0.9, "none": 0.1})
    assert by_kind["need"][0] == "family_support"
    assert "relation" not in by_kind
    # "A parent group for me": who is in the group, not whom the help is for.
    assert "relation" not in parse(ruler, "honestly a parent group for me too")[0]


def test_a_place_is_the_gazetteers_label(ruler):
    by_kind, _ = parse(ruler, "i live in kensington")
    assert by_kind["place"] == ["Kensington"]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("i need a psychiatrst", "need", "psychiatry"),
        ("looking for a therapust", "need", "counseling"),
        ("im in kensingtin", "place", "Kensington"),
    ],
)
def test_typos_are_matched_fuzzily(ruler, text, kind, value):
    by_kind, _ = parse(ruler, text)
    assert value in by_kind.get(kind, []), by_kind


@pytest.mark.parametrize(
    "text", ["i was thinking about it", "something happened yesterday", "the weather is strange"]
)
def test_ordinary_words_are_not_fuzzy_hits(ruler, text):
    by_kind, _ = parse(ruler, text)
    assert not by_kind.get("need") and not by_kind.get("place"), by_kind


@pytest.mark.parametrize(
    "text",
    [
        "I lost my job and with it my insurance",
        "I no longer have Medicaid",
        "my insurance ran out last month",
        "I don't have insurance",
        "my medicaid got cut off",
        "nothing rn, i was on my dads insurance but he lost his job",
        "I used to have Medicaid",
        "i dont want anything going through my moms insurance",
        "i don't want to use my medicaid for this",
    ],
)
def test_lost_insurance_is_uninsured(ruler, text):
    by_kind, _ = parse(ruler, text)
    assert by_kind.get("payment") and by_kind["payment"][0] == "sliding_fee", by_kind
    assert not {"medicaid", "medicare", "private_insurance"} & set(by_kind["payment"])


@pytest.mark.parametrize(
    ("text", "payment"),
    [
        ("She's 66 and has Medicare, not Medical Assistance.", "medicare"),
        ("it's keystone first, not medicare", "medicaid"),
        ("tiene Medicare, no es el Medicaid", "medicare"),
    ],
)
def test_a_payment_said_with_not_is_corrected_away(ruler, text, payment):
    by_kind, _ = parse(ruler, text)
    assert by_kind.get("payment") == [payment], by_kind


@pytest.mark.parametrize(
    "text",
    [
        "he says I'm a danger to other tenants, is that even legal",
        "i just want to meet other queer kids",
    ],
)
def test_other_people_are_no_relation(ruler, text):
    by_kind, _ = parse(ruler, text)
    assert "other" not in by_kind.get("relation", []), by_kind


@pytest.mark.parametrize(
    "text", ["Hi, I need help with rent, I'm 2 months behind", "she is 3 weeks late on rent"]
)
def test_a_count_of_months_or_weeks_is_no_age(ruler, text):
    by_kind, _ = parse(ruler, text)
    assert not by_kind.get("age"), by_kind


def test_no_kids_is_no_youth_and_no_child(ruler):
    by_kind, _ = parse(ruler, "no kids, just me")
    assert "youth" not in by_kind.get("population", [])
    assert "child" not in by_kind.get("relation", [])


def test_not_a_veteran_is_no_veteran(ruler):
    by_kind, _ = parse(ruler, "I'm not a veteran, I just need a therapist")
    assert "veterans" not in by_kind.get("population", [])


def test_a_relative_only_mentioned_is_not_the_person_helped(ruler):
    by_kind, _ = parse(ruler, "My husband passed in March and I need a grief counselor")
    assert "spouse" not in by_kind.get("relation", [])


def test_an_age_is_the_fact_not_a_population(ruler):
    by_kind, found = parse(ruler, "I'm 71 and need a counselor")
    assert by_kind["age"] == ["71"]
    assert not [e for e in found if e["entity"] == "population"]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("can i go after 6 pm", ["after 18:00"]),
        ("only after 6", ["after 18:00"]),
        ("before 10am", ["before 10:00"]),
        ("saturdays work best", ["SA"]),
        ("on weekends", ["weekend"]),
        ("somewhere today", ["today"]),
        ("i need a bed tonight", ["tonight"]),
        ("tuesdays and thursdays in the evening", ["TU", "TH", "evening"]),
        ("mornings before work", ["morning"]),
        ("before noon", ["before 12:00"]),
        # Days the caller cannot go are left out; said alone, they mean the other days.
        ("can't do weekdays, only saturday", ["SA"]),
        ("i work monday to friday so saturday is the only day i can go", ["SA"]),
        ("weekdays are out for me", ["weekend"]),
        ("not on weekends", ["weekday"]),
        ("any day except monday", ["TU", "WE", "TH", "FR", "SA", "SU"]),
        ("no, tuesday is better", ["TU"]),
        # The end of a working day is the start of the caller's time.
        ("i work til 5 so it would have to be after that", ["after 17:00"]),
        ("we get out at 3", ["after 15:00"]),
        # A time or some days: either will do.
        ("after 6 or weekends", ["after 18:00", "weekend any time"]),
        ("saturdays after 6", ["SA", "after 18:00"]),
        # A window: from its start, until its end.
        ("i can only do mornings like 8 to 10 befor my shift", ["morning", "after 08:00", "before 10:00"]),
        ("between 1 and 3", ["after 13:00", "before 15:00"]),
        ("like 7 to 9am", ["after 07:00", "before 09:00"]),
        ("i can come 6 to 8 after work", ["after 18:00", "before 20:00", "evening"]),
        # Numbers that are not times.
        ("my kids are 8 and 10", []),
        ("he's 8 to 10 years behind", []),
        ("i have 2 to 3 hours", []),
    ],
)
def test_when_values(text, values):
    assert [f.value for f in when_values(text)] == values


def test_after_a_number_of_days_is_not_a_time():
    assert not [f for f in when_values("he walks out after 3 days") if f.value.startswith("after")]


def test_the_need_said_first_in_words_comes_first(ruler):
    by_kind, _ = parse(ruler, "we're getting evicted and there's no food. food first honestly")
    assert by_kind["need"][0] == "food"
    by_kind, _ = parse(ruler, "i need detox and then a sober house after")
    assert by_kind["need"][0] == "detox"
    by_kind, _ = parse(ruler, "a bed tonight first of all, and eventually a trans friendly therapist")
    assert by_kind["need"][0] == "shelter"
    # The classifier sure of the later one does not outrank what the caller said.
    text = "mostly I need housing, and maybe a therapist later"
    by_kind, _ = parse(ruler, text, {"counseling": 0.9, "housing": 0.05, "none": 0.05})
    assert by_kind["need"] == ["housing", "counseling"]


def test_a_need_said_without_a_taxonomy_word_comes_from_the_classifier(ruler):
    scores = {"child_youth": 0.8, "none": 0.1, "counseling": 0.1}
    text = "my son needs to be evaluated for his behaviour"
    by_kind, found = parse(ruler, text, scores)
    assert by_kind["need"] == ["child_youth"]
    need = next(e for e in found if e["entity"] == "need")
    # On words no other fact was read from ("my son" is the relation), so a story can mark it.
    others = [(e["start"], e["end"]) for e in found if e is not need]
    assert need["end"] > need["start"]
    assert all(need["end"] <= start or need["start"] >= end for start, end in others)


def test_an_unsure_classifier_adds_no_need(ruler):
    by_kind, _ = parse(ruler, "hello there", {"counseling": 0.3, "none": 0.7})
    assert "need" not in by_kind


def test_a_need_the_caller_does_not_want_is_dropped(ruler):
    text = "need a psychiatrist NOT a therapist, i already have a therapist"
    by_kind, _ = parse(ruler, text, {"counseling": 0.9, "psychiatry": 0.05, "none": 0.05})
    assert by_kind["need"] == ["psychiatry"]
    by_kind, _ = parse(ruler, "there's no food in the house")
    assert by_kind["need"] == ["food"]


@pytest.mark.parametrize(
    ("text", "dropped", "kept"),
    [
        ("Just finished detox yesterday and I need a sober living house", "detox", "recovery_housing"),
        ("my son has been to rehab 3 times, now he needs detox", "residential_treatment", "detox"),
        (
            "outpatient drug counseling near 19134. I can't do inpatient, I got 2 kids",
            "residential_treatment",
            "substance_use_outpatient",
        ),
        ("I can't leave my apartment because of panic attacks, I need a therapist", "housing", "counseling"),
        (
            "Hospital social worker here. My patient needs suboxone",
            "case_management",
            "medication_assisted_treatment",
        ),
        ("Caseworker: client requesting detox for benzos", "case_management", "detox"),
        ("I have a therapist but I need a psychiatrist too", "counseling", "psychiatry"),
        (
            "I have kinship custody of my granddaughter, she is 6 and needs a counselor",
            "legal_advocacy",
            "child_youth",
        ),
    ],
)
def test_a_service_been_through_a_home_or_the_callers_job_is_not_a_need(ruler, text, dropped, kept):
    by_kind, _ = parse(ruler, text)
    assert dropped not in by_kind["need"]
    assert kept in by_kind["need"]


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("I can't afford a therapist", "counseling"),
        ("I've been to three therapists and none helped, I want one for trauma", "counseling"),
        ("I need a case manager at the clinic", "case_management"),
        ("my therapist moved away and I need a new one", "counseling"),
        ("Psychiatrist - need one asap, I have MA", "psychiatry"),
        ("I'm losing my apartment next month", "housing"),
        ("we got kicked out of our house", "housing"),
    ],
)
def test_a_need_said_beside_those_words_still_counts(ruler, text, need):
    by_kind, _ = parse(ruler, text)
    assert need in by_kind["need"]


def test_a_need_read_only_from_a_conditions_name_gives_way_to_a_sure_classifier(ruler):
    text = "how do i help my husband with his PTSD, is there anything for spouses"
    scores = {"family_support": 0.7, "mental_health": 0.2, "none": 0.1}
    assert parse(ruler, text, scores)[0]["need"][0] == "family_support"
    # A kind of help named in words stands against the same classifier.
    text = "i need a therapist for my PTSD, is there anything for spouses"
    assert parse(ruler, text, scores)[0]["need"][0] == "counseling"


def test_walking_in_to_the_care_named_is_access_not_a_crisis_centre(ruler):
    scores = {"crisis_walk_in": 0.95, "counseling": 0.01, "none": 0.04}
    text = "is there anywhere i can just walk in TODAY and get set up with a counselor?"
    by_kind, _ = parse(ruler, text, scores)
    assert by_kind["need"][0] == "counseling"
    assert "walk_in" in by_kind["access"]
    # With no other care named, the classifier's walk-in crisis centre stands.
    for text in (
        "hes hearing voices, is there somewhere we can walk in tonight",
        "my mom is off her meds and manic. where can we walk in right now without an appointment",
    ):
        assert parse(ruler, text, scores)[0]["need"][0] == "crisis_walk_in"


def test_support_for_a_family_is_not_also_care_for_the_relatives_illness(ruler):
    text = "My husband has bipolar disorder. Is there a support group for spouses or family?"
    scores = {"family_support": 0.8, "mental_health": 0.1, "none": 0.1}
    assert parse(ruler, text, scores)[0]["need"] == ["family_support"]


def test_a_specialty_beside_a_kind_of_care_comes_first(ruler):
    assert (
        parse(ruler, "looking for a therapist who treats eating disorders")[0]["need"][0]
        == "eating_disorders"
    )


def test_a_place_the_caller_will_not_go_to_is_not_where_to_look(ruler):
    by_kind, _ = parse(ruler, "I need a sober living house. Just not in Kensington, too many triggers")
    assert "place" not in by_kind
    by_kind, _ = parse(ruler, "I need a sober living house in Kensington")
    assert by_kind["place"] == ["Kensington"]


def test_a_childs_general_mental_health_need_is_child_and_youth_services(ruler):
    by_kind, _ = parse(ruler, "my daughter is 13 and needs a therapist")
    assert by_kind["need"] == ["child_youth"]


@pytest.mark.parametrize(
    ("reads", "text", "says"),
    [
        # A person of ours, not only a need.
        (asks_for_a_person, "Can I please just talk to an actual person who can help me", True),
        (asks_for_a_person, "Could I talk with one of your advocates on the phone?", True),
        (asks_for_a_person, "i want a human, not a bot", True),
        (asks_for_a_person, "can someone call me back", True),
        (asks_for_a_person, "need someone to talk to about my depression", False),
        (asks_for_a_person, "Is there a text line for teens he could use?", False),
        (asks_for_a_person, "is there someone who could just call me to chat during the day", False),
        # A call back, not only when suits them.
        (asks_for_a_call, "can someone call me tomorrow about a therapist", True),
        (asks_for_a_call, "here's my number, 215 555 0100", True),
        (asks_for_a_call, "can you call me back", True),
        (asks_for_a_call, "evenings are best bc of classes", False),
        (asks_for_a_call, "I work days, so after 5 is better", False),
        # A lawyer: legal services, not only the advocacy program.
        (asks_for_legal_help, "Is there free legal help for that?", True),
        (asks_for_legal_help, "do I need a lawyer for the appeal", True),
        (asks_for_legal_help, "necesito un abogado", True),
        (asks_for_legal_help, "I want an advocate to come to the meeting with me", False),
    ],
)
def test_what_a_message_asks_for(reads, text, says):
    assert reads(text) is says
