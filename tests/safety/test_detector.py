"""The rule layer on its own: what it recognises, what it leaves alone, and why."""

from __future__ import annotations

import pytest

from bot.safety.detector import SortedWords, assess, normalise, spanish_words


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i keep thinking about killing myself", "suicidal"),
        ("i've got the pills saved up", "plan_or_means"),
        ("i cut my arms again", "self_harm"),
        ("he overdosed and isn't breathing", "overdose"),
        ("i'm going to hurt my brother", "harm_to_others"),
        ("my boyfriend punched me and won't let me leave", "danger_at_home"),
        ("the voices keep telling me to hurt people", "psychosis"),
        ("me quiero morir", "suicidal"),
        ("kms", "suicidal"),
    ],
)
def test_each_kind_of_risk_is_recognised_and_named(text, category):
    assert category in assess(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "i wnt to kil myslef",
        "su!c!dal again",
        "i wanna d13",
        "tryna end it 2nite",
        "imma k*ll myself",
        "I FEEL SUCIDAL",
    ],
)
def test_typos_text_speak_and_censoring_are_read_through(text):
    assert assess(text).is_crisis


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("this wait is killing me", None),
        ("i'm dying to know if they take medicaid", None),
        ("my mom is gonna kill me if i forget her birthday", "idioms"),
        ("suicide prevention training for my staff", "information_request"),
        ("i attempted suicide years ago and i'm stable now, need a therapist", "past_history"),
        ("where can i get narcan", None),
        ("i'm not suicidal, just need a counselor", "denials"),
        ("me muero de hambre", None),
        ("mi suegra me va a matar de un coraje con tanto chisme", "idioms"),
        ("mi jefe me va a matar si llego tarde otra vez", "idioms"),
    ],
)
def test_hard_negatives_pass_through_with_the_reason(text, reason):
    found = assess(text)
    assert not found.is_crisis
    if reason:
        assert reason in {why for why, _match in found.suppressed}


@pytest.mark.parametrize("text", ["quiero mudarme de este apartamento", "necesito cambiarnos de casa"])
def test_a_spanish_verb_with_its_pronoun_is_a_word_not_a_typo_of_a_risk_word(text):
    assert not assess(text).is_crisis


@pytest.mark.parametrize(
    "text", ["quiero matrame", "ya me quiero morir", "me va a matar, me tiene encerrada"]
)
def test_spanish_risk_still_counts_beside_those_rules(text):
    assert assess(text).is_crisis


@pytest.mark.parametrize(
    "text",
    ["my 10 yo has adhd and odd and is out of control at school", "he was diagnosed with ODD", "that's odd"],
)
def test_odd_the_diagnosis_or_the_word_is_not_an_overdose(text):
    assert not assess(text).is_crisis


@pytest.mark.parametrize("text", ["i think he odd, he's not waking up", "she odd in the bathroom"])
def test_odd_as_a_typed_od_still_is(text):
    assert "overdose" in assess(text).categories


def test_risk_beside_an_idiom_or_a_denial_still_counts():
    assert assess("this wait is killing me and honestly i want to die").is_crisis
    assert assess("i'm not suicidal but i have been cutting again").is_crisis
    assert assess("i attempted years ago and tonight i want to kill myself again").is_crisis


def test_someone_else_at_risk_is_third_party_and_the_caller_is_not():
    assert assess("my daughter says she wants to die").third_party
    assert not assess("i want to die").third_party


def test_language_and_veteran_are_noticed():
    assert assess("mi hijo dice que se quiere matar").language == "es"
    assert assess("i'm a veteran and i want to end my life").veteran


def test_normalising_restores_contractions_and_reads_leetspeak_but_not_numbers():
    assert normalise("im gonna end it tn") == "i'm going to end it tonight"
    assert normalise("su1c1de 19143") == "suicide 19143"


# --- situations: signals that are risk together, none of them alone ---------------------------


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("the noose is already set up in the closet", "means_at_hand"),
        (
            "sitting in the car with the engine running and the garage door closed",
            "car_running_in_a_closed_garage",
        ),
        ("took 40 tylenol about an hour ago", "ingested_in_quantity"),
        ("i drank some of the drain cleaner under the sink", "ingested_chemical"),
        ("had a few beers and my sleeping pills now i cant stay awake", "sedatives_with_alcohol"),
        ("she says god told her the baby has to be purified in the bath", "religious_delusion_about_a_child"),
        ("my dad hears voices telling him to hurt my mom", "command_voices"),
        (
            "im 16 and this older guy says i can stay at his place if i sleep with him",
            "minor_pressed_for_sex_for_shelter",
        ),
        (
            "keep thinking about not stopping when i drive over the bridge",
            "not_stopping_at_a_dangerous_place",
        ),
        ("me tome todas las pastillas para no despertar", "ingested_on_purpose"),
        ("la pistola esta cargada en la mesa", "means_at_hand"),
    ],
)
def test_a_situation_is_recognised_from_its_signals(text, situation):
    found = assess(text)
    assert situation in found.situations, found
    assert found.level == "imminent"


@pytest.mark.parametrize(
    "text",
    [
        "where do i drop off my late mom's leftover pills",
        "i took my meds this morning, can you find me a psychiatrist",
        "is there a bus that goes over the bridge to camden",
        "gun violence prevention group for teens",
        "my daughter is 15 and needs a place to stay for the summer program",
        "i drank a lot at a party in 2015, sober since, looking for aa meetings",
    ],
)
def test_one_signal_alone_or_a_situation_told_as_history_is_not_risk(text):
    assert not assess(text).is_crisis, assess(text).matches


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("i want the pain to stop for good", "possible"),
        ("i just want it all to stop", "possible"),
        ("i want everything to be over", "possible"),
        ("they won't have to worry about me much longer", "possible"),
        ("ya no voy a ser una carga para nadie", "possible"),
        ("i want to kill myself", "imminent"),
        ("goodbye everyone, the pills are lined up on my desk", "imminent"),
    ],
)
def test_finality_alone_is_a_possible_risk_and_means_make_it_imminent(text, level):
    assert assess(text).level == level


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("i'm done with life", True),
        ("so done living like this", True),
        ("i'm done fighting", True),
        ("I need something I can do while still living at home", False),
        ("I did it all my life, raising kids and working", False),
        ("she does kickboxing, fighting is her thing", False),
    ],
)
def test_done_is_read_as_written_not_as_any_form_of_do(text, crisis):
    assert assess(text).is_crisis is crisis


@pytest.mark.parametrize(
    "text", ["klil mysefl", "i wnat to ikll mysefl", "sucidial thougths", "quiero matrame"]
)
def test_heavy_typos_of_both_words_are_read_through(text):
    assert assess(text).is_crisis


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("only mondays after 5", "schedule"),
        ("mi esposo quiere dejar de tomar, donde hay ayuda", "treatment_request"),
        ("how do i dispose of expired medications", "medicine_disposal"),
        ("my phone died so i lost your number", "things_die"),
        ("I'm not in danger or anything, just really lonely since my divorce", "denials"),
        ("no estoy en peligro, solo me siento sola y quiero hablar con alguien", "denials"),
    ],
)
def test_ordinary_requests_carry_evidence_and_no_risk_word(text, evidence):
    found = assess(text)
    assert evidence in found.negatives and found.hides_no_risk, found


@pytest.mark.parametrize(
    "text",
    [
        "im not in danger but i have the pills ready",
        "I'm not in crisis, I just want to die",
        "no es una emergencia pero ya no quiero vivir",
    ],
)
def test_a_denial_covers_only_its_own_words(text):
    found = assess(text)
    assert found.is_crisis and not found.hides_no_risk, found


@pytest.mark.parametrize(
    "text",
    [
        "i live in my car and i want to die",
        "been sleeping in my car and i want to die",
        "my phone broke and i just want to die",
    ],
)
def test_a_thing_that_dies_never_covers_a_person_beside_it(text):
    assert assess(text).is_crisis


def test_sleeping_in_a_car_is_a_need_for_shelter_not_an_overdose():
    found = assess("lease ran out, been sleeping in my car 4 nights with my dog, need somewhere to stay")
    assert not found.is_crisis and found.hides_no_risk, found


def test_evidence_never_hides_a_risk_word_that_stands_beside_it():
    found = assess("only mondays after 5, if im still alive by then")
    assert "schedule" in found.negatives
    assert not found.hides_no_risk


# --- indirect ideation, third parties, self-harm and exploitation: families of phrasings -------


@pytest.mark.parametrize(
    "text",
    [
        "i keep praying god takes me",
        "i hope i die in my sleep tonight",
        "i don't care if i live or die anymore",
        "i don't deserve to live",
        "i'm dead weight to my family",
        "the world would be better without me in it",
        "i don't see myself making it to christmas",
        "i feel like i don't belong in this world",
        "i'm ready to leave this world",
        "nothing to live for anymore",
        "everyone would be relieved if i just vanished",
        "i keep wishing i could get into a crash",
        "ya no tengo razones para vivir",
        "le pido a diosito que ya me recoja",
        "soy un estorbo para mi familia",
        "me quiero ir de este mundo",
        "siento que soy un peso para mi familia",
        "si me muero nadie lo notaría",
        "ojalá no hubiera nacido",
    ],
)
def test_indirect_ideation_is_recognised_in_english_and_spanish(text):
    found = assess(text)
    assert found.is_crisis, found
    assert "suicidal" in found.categories


@pytest.mark.parametrize(
    "text",
    [
        "my son keeps talking about killing himself",
        "my wife says she's a burden to everyone",
        "my sister is cutting herself again",
        "he's been hurting himself",
        "my friend took all his pills and is asleep",
        "my son said the world would be better without him",
        "my brother posted a goodbye message on facebook",
        "mi hijo dice que estaríamos mejor sin él",
        "mi esposa se está cortando los brazos",
        "mi hermano amenaza con tirarse del puente",
        "mi pareja dice que va a tomarse todas las pastillas",
    ],
)
def test_someone_else_at_risk_is_recognised_as_a_third_party(text):
    found = assess(text)
    assert found.is_crisis, found
    assert found.third_party


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("my girlfriend locked herself in the bathroom with a knife", "locked_in_with_a_weapon"),
        (
            "my uncle is sitting in the car in the garage and isn't answering",
            "in_the_car_in_the_garage_and_not_coming_out",
        ),
        ("mi amiga escribió que los quiero a todos y ya no contesta", "farewell_then_silence"),
    ],
)
def test_third_party_situations_are_recognised(text, situation):
    assert situation in assess(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "i bite my hand until it bleeds",
        "i keep punching my legs until they bruise",
        "i ripped out clumps of my hair again tonight",
        "i carved his name into my arm",
        "i keep cutting my hips where nobody can see",
        "broke open a razor to get the blade out",
        "sh relapse last night, 90 days gone",
        "me estoy haciendo cortes en los brazos",
    ],
)
def test_self_harm_families_are_recognised(text):
    assert "self_harm" in assess(text).categories, assess(text)


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        (
            "im 16 got kicked out, guy says i can crash at his if i hook up with him",
            "minor_offered_something_for_sex",
        ),
        ("i'm 15 and my uncle's friend wants me to see his clients", "minor_asked_to_see_clients"),
        (
            "they took my passport and say i owe them, they make me have sex with clients",
            "held_and_made_to_do_sex_work",
        ),
        ("13 f, my stepdad's friend says i have to do stuff with him", "minor_coerced_into_sex"),
        (
            "tengo 14, un señor mayor me pide fotos y me da dinero",
            "minor_and_an_older_man_offering_or_asking",
        ),
        ("me obligan a trabajar en un bar para pagar la deuda", "forced_work_for_a_debt"),
        ("i'm 17 and stuck at a massage parlor, i can't leave", "held_at_a_trafficking_venue"),
    ],
)
def test_exploitation_is_recognised_from_its_signals(text, situation):
    found = assess(text)
    assert situation in found.situations, found
    assert "exploitation" in found.categories


@pytest.mark.parametrize(
    "text",
    [
        "i'd rather die than go to the dmv again",
        "i want to cut back on drinking, any outpatient programs?",
        "my team would be fine without me for a week, how do i ask for fmla",
        "is there a better life insurance plan for my family",
        "my grandmother passed away and i want to go see my grandpa soon, he's lonely",
        "my son wrestles and keeps starving himself to make weight, is there a program",
        "i'm 16 and need a job and money for school clothes",
        "my 15 yo daughter needs a ride to her therapy appointments",
        "mi hijo no quiere despertar para ir a la escuela",
        "somos mejores sin el cable, ¿hay internet barato?",
        "ojalá me pase algo bueno este año",
        "my sister died by suicide years ago and i want to join a memorial walk in her name",
        "what are the safe messaging guidelines for reporting on suicide",
    ],
)
def test_ordinary_messages_near_the_new_families_are_not_risk(text):
    assert not assess(text).is_crisis, assess(text).matches


# --- exploitation by control, self-harm concealed, plans researched, hopelessness said sideways ---


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        (
            "the man i work for keeps all our ids and we cant go anywhere without him",
            "papers_taken_and_confined",
        ),
        ("la señora se quedo con mi pasaporte y no me deja salir de la casa", "papers_taken_and_confined"),
        (
            "el patron nos tiene encerradas y dice que le debemos el viaje",
            "confined_with_debt_or_wages_taken",
        ),
        (
            "he takes my whole paycheck and makes me see guys he brings to the motel",
            "earnings_taken_and_sent_to_men",
        ),
        (
            "im 15 and this guy from the corner store lets me crash at his place but says i gotta be nice to his boys",
            "minor_offered_something_for_sex",
        ),
        (
            "my 7th grader says a grown man gives her money and she has to party with his friends",
            "minor_and_an_older_man_offering_or_asking",
        ),
    ],
)
def test_exploitation_by_control_of_papers_wages_and_freedom_is_recognised(text, situation):
    found = assess(text)
    assert situation in found.situations, found
    assert "exploitation" in found.categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("looked up how high the overpass on 95 is, going tonight", "plan_or_means"),
        ("googled how many of my sleeping pills it would take", "plan_or_means"),
        (
            "my brother's rifle is in the basement and i know where he keeps the key, i keep thinking about it",
            "plan_or_means",
        ),
        ("the cord is tied to the closet rod and i'm just sitting here", "plan_or_means"),
        ("everything is in order, will signed, letters to my family written", "plan_or_means"),
        ("i'm sitting in my truck in the garage and the engine is running", "plan_or_means"),
        ("4 months clean from self harm and i relapsed tonight, deeper this time", "self_harm"),
        ("wearing long sleeves in summer so nobody sees my wrists, it keeps getting worse", "self_harm"),
        ("the cuts on my thighs are bad but i can't tell my parents", "self_harm"),
        ("me pego la cabeza contra la pared cuando estoy sola", "self_harm"),
        ("i dont see the point in anything anymore honestly", "suicidal"),
        ("my kids would be better off and free without me", "suicidal"),
        ("i wrote letters to my kids just in case something happens", "suicidal"),
        ("no se pa q sigo viviendo", "suicidal"),
        ("si desaparezco nadie lo va a notar", "suicidal"),
        ("mi hermano dice que si lo deja su novia se mata", "suicidal"),
        ("me quiero desvivir", "suicidal"),
        ("k.m.s. for real", "suicidal"),
        ("keep thinking about bringing a knife to school", "harm_to_others"),
        ("tengo ganas de lastimar a mi bebe y me da miedo", "harm_to_others"),
        ("dad is drunk and smashed my phone, said tonight im gonna learn", "danger_at_home"),
        ("mi padrastro le pega a mis hermanitos", "danger_at_home"),
        ("my son thinks the neighbors are poisoning him and hasn't eaten in days", "psychosis"),
    ],
)
def test_the_newer_families_are_recognised_in_english_and_spanish(text, category):
    found = assess(text)
    assert category in found.categories, found


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("googled how many of my sleeping pills it would take", "possible"),
        ("looked up how high the overpass on 95 is, going tonight", "imminent"),
        ("la señora se quedo con mi pasaporte y no me deja salir de la casa", "possible"),
    ],
)
def test_research_alone_is_possible_and_with_a_time_imminent(text, level):
    assert assess(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is 16 and her boyfriend is 17, he buys her gifts, is that ok",
        "my 15 yo son wants money to hang out with his friends this weekend",
        "my husband keeps my passport in the safe, how do i renew it",
        "i googled how much tylenol is safe for my kid's fever",
        "i looked up how high the art museum steps are for my run",
        "my dad's gun is in the safe and i know where the key is, he's a hunter",
        "the belt is on the door hook, where is my jacket",
        "my family would be fine without me for the weekend, need respite care",
        "wrote a letter to my landlord just in case",
        "my cuts from the surgery are infected, hot and red",
        "me volvi a cortar el pelo muy corto jaja",
        "me voy a tirar a dormir un rato",
        "le voy a hacer algo de comer a mi hijo",
        "my dog has to die to stop the suffering, the vet says",
        "i want to walk into the ocean on vacation",
        "my best friend took her life last spring. looking for a grief group, im safe",
        "for a podcast: what not to say when talking about suicide",
    ],
)
def test_ordinary_messages_sharing_the_newer_families_words_are_not_risk(text):
    assert not assess(text).is_crisis, assess(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "my twins are going to be the death of me, any parenting groups on saturdays",
        "the disability application nearly killed me but i sent it",
        "my brother would kill me if he knew i was asking about this",
        "estoy muerto del sueno, tienen citas en la tarde",
        "se me murio el cel, me repite la direccion",
        "what should go in a safety plan for my teen",
        "necesito ayuda para hacer un plan de seguridad, estoy bien hoy",
        "my mom passed and left boxes of meds and patches, how do i get rid of them",
        "my son finally agreed to go to rehab, where do we start",
        "is there parking by the church where the group meets",
        "safer smoking supplies in north philly?",
        "grandpa passed in may and left his pills, where do i drop them off",
        "im drinking more than i should, any outpatient program at night",
    ],
)
def test_idioms_safety_plans_disposal_and_treatment_requests_are_evidence_of_an_ordinary_request(text):
    found = assess(text)
    assert not found.is_crisis
    assert found.hides_no_risk


@pytest.mark.parametrize(
    "text",
    [
        "got my dads oxy from when he passed and i want to take them all tonight",
        "tengo las pastillas de mi abuela y me las voy a tomar todas",
        "thinking about swallowing the whole bottle of tylenol",
    ],
)
def test_swallowing_what_is_at_hand_said_before_it_happens_is_imminent(text):
    found = assess(text)
    assert found.is_crisis and found.level == "imminent"


@pytest.mark.parametrize(
    "text",
    [
        "its been 8 months since my husband died and i want to join him",
        "my wife passed 2 years ago and i just want to be with her now",
        "hace 3 anos que murio mi mama y quiero irme con ella",
        "van 3 meses desde q murio mi hijo y ya no quiero vivir",
        "cuando era nina me cortaba y ahora lo volvi a hacer",
    ],
)
def test_a_wish_told_now_beside_a_loss_or_a_past_is_not_history(text):
    assert assess(text).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "my mom died 3 years ago and i want to go to her grave on sunday, any grief group",
        "looking for a trauma therapist, rough past with self harm but no urges now",
        "mi papa se suicido cuando yo era nina y quiero hablar con una terapeuta",
        "can someone train my staff on what to do if someone overdoses",
    ],
)
def test_a_loss_a_past_or_a_training_request_is_not_current_risk(text):
    assert not assess(text).is_crisis


def test_sorted_words_answer_membership_as_a_set_does():
    words = ["matar", "matarme", "árbol", "ñandú", "a", "ab", "abc", "zzz", "mañana", "maña"]
    sorted_words = SortedWords(words)
    assert len(sorted_words) == len(set(words))
    probes = [*words, "", "aa", "abd", "mata", "matarm", "zzzz", "ñ", "arbol", "z", 3]
    assert [probe in sorted_words for probe in probes] == [probe in set(words) for probe in probes]


def test_the_spanish_forms_are_all_there():
    forms = spanish_words()
    assert len(forms) > 400_000
    assert all(word in forms for word in ("matar", "pastillas", "manana", "sonar", "casa"))
    assert "kil" not in forms and "xyzq" not in forms
