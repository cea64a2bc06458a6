"""What Wayfinder says to a caller at risk, modelled on 988 Lifeline and Columbia protocol practice.

Two levels, both with the crisis lines and an urgent note to the advocates:

- **imminent** (means at hand, an act under way, an ingestion): acknowledge with
  care, 911 for immediate danger, the lines that fit (numbers exactly as
  published), what happens next with a human advocate;
- **possible** (finality, hopelessness, farewell, or the classifier alone): the
  lines; then the dialogue asks directly and kindly, as counsellors do ("are you
  thinking about killing yourself?", ``utter_ask_crisis_check`` in domain.yml).
  A "yes", or no answer, is met as imminent.

Sources are listed in docs/safety.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.messages import Crisis, CrisisCheck
from bot.safety.detector import IMMINENT, POSSIBLE, Assessment

LIFELINE = {
    "name": "988 Suicide & Crisis Lifeline",
    "call": "988",
    "text": "988",
    "url": "https://988lifeline.org",
}
EMERGENCY = {"name": "Emergency services", "call": "911"}
CRISIS_TEXT_LINE = {
    "name": "Crisis Text Line",
    "text": "741741",
    "keyword": "HOME",
    "url": "https://www.crisistextline.org",
}
VETERANS = {
    "name": "Veterans Crisis Line",
    "call": "988",
    "press": "1",
    "text": "838255",
    "url": "https://www.veteranscrisisline.net",
}
LIFELINE_SPANISH = {
    "name": "988 Lifeline en español",
    "call": "988",
    "press": "2",
    "text": "988",
    "keyword": "AYUDA",
}
DOMESTIC_VIOLENCE = {
    "name": "National Domestic Violence Hotline",
    "call": "1-800-799-7233",
    "text": "88788",
    "keyword": "START",
    "url": "https://www.thehotline.org",
}
POISON_CONTROL = {"name": "Poison Control", "call": "1-800-222-1222"}
TRAFFICKING = {
    "name": "National Human Trafficking Hotline",
    "call": "1-888-373-7888",
    "text": "233733",
    "url": "https://humantraffickinghotline.org",
}


@dataclass
class CrisisReply:
    text: str
    payload: dict
    buttons: list[dict] = field(default_factory=list)


Parts = tuple[list[str], list[dict], list[dict]]  # lines, buttons, resources


def _english(
    assessment: Assessment, advocates_online: bool, repeated: bool, need_label: str | None, level: str
) -> Parts:
    categories = set(assessment.categories)
    lines: list[str] = []
    resources = [EMERGENCY, LIFELINE]
    if level == POSSIBLE:
        lines += [
            "Thank you for telling me. It sounds like you're carrying a lot right now, and I'm glad you reached out.",
            "If you're in danger right now, please call 911. You can call or text 988, the Suicide & Crisis "
            "Lifeline, any time, day or night: it's free and confidential.",
        ]
        return lines, [], [*resources, CRISIS_TEXT_LINE]
    if repeated:
        lines.append("I hear you, and I'm staying right here with you.")
    else:
        lines.append(
            "Thank you for telling me. I'm really glad you reached out, and I want to make sure you're safe."
        )
    if "overdose" in categories:
        lines.append(
            "If someone may be overdosing, call 911 now. If you have naloxone (Narcan), give it: one spray in the "
            "nose, and another after 2-3 minutes if they don't respond. Try to keep them awake and breathing, lay "
            "them on their side so they don't choke, and stay with them until help arrives. Pennsylvania's Good "
            "Samaritan law protects people who call 911 for an overdose."
        )
        resources.append(POISON_CONTROL)
    elif "exploitation" in categories:
        lines.append(
            "No one has the right to trade a place to stay, money or safety for sex, and it is not your fault. If "
            "you're in danger right now, call 911. The National Human Trafficking Hotline is free, confidential "
            "and open 24/7: call 1-888-373-7888 or text 233733."
        )
        resources.append(TRAFFICKING)
    elif assessment.third_party:
        lines.append(
            "If they are in immediate danger, call 911 now. You can call or text 988 to get advice on how to help "
            "them, or help them call. If you can, stay with them, keep them away from anything they could use to "
            "hurt themselves (like guns or pills), and listen without judging."
        )
    elif "harm_to_others" in categories:
        lines.append(
            "If you feel you might hurt someone, please put distance between you and them and anything you could "
            "use, and call 988 or 911 now. You don't have to handle this alone."
        )
    elif "danger_at_home" in categories:
        lines.append(
            "If you're in danger right now, call 911 if it's safe to. The National Domestic Violence Hotline is "
            "free and confidential 24/7: call 1-800-799-7233 or text START to 88788."
        )
        resources.append(DOMESTIC_VIOLENCE)
    else:
        lines.append(
            "Are you in immediate danger, or thinking of acting on this right now? If so, please call 911 now."
        )
    lines.append(
        "You can call or text 988, the Suicide & Crisis Lifeline, any time, day or night: it's free and confidential. "
        "You can also text HOME to 741741 to reach the Crisis Text Line."
    )
    resources.append(CRISIS_TEXT_LINE)
    if assessment.veteran:
        lines.append(
            "For veterans and their families: the Veterans Crisis Line, dial 988 then press 1, or text 838255."
        )
        resources.append(VETERANS)
    if advocates_online:
        lines.append("I've asked one of our advocates to join this chat right away.")
    else:
        lines.append(
            "Our advocates aren't online right now, so please reach out to 988 now: they're there 24/7. "
            "I've left an urgent note for our team."
        )
    lines.append("I'm here too, and we can keep talking.")
    buttons = [
        {"title": "I'm in danger right now", "payload": "/crisis"},
        {"title": "I'm safe right now", "payload": "/affirm"},
    ]
    if need_label:
        buttons.append({"title": f"Keep looking for {need_label}", "payload": "/request_help"})
    return lines, buttons, resources


def _spanish(assessment: Assessment, advocates_online: bool, repeated: bool, level: str) -> Parts:
    categories = set(assessment.categories)
    resources = [EMERGENCY, LIFELINE_SPANISH]
    if level == POSSIBLE:
        lines = [
            "Gracias por decírmelo. Parece que está cargando con mucho, y me alegra que se haya comunicado.",
            "Si está en peligro ahora, llame al 911. Puede llamar al 988 y marcar 2 para hablar en español, o "
            "enviar un texto con la palabra AYUDA al 988, a cualquier hora. Es gratis y confidencial.",
        ]
        return lines, [], resources
    lines = ["Estoy aquí contigo." if repeated else "Gracias por decírmelo. Me importa que estés a salvo."]
    if "overdose" in categories:
        lines.append(
            "Si alguien puede tener una sobredosis, llame al 911 ahora. Si tiene naloxona (Narcan), úsela y "
            "quédese con la persona, de lado, hasta que llegue la ayuda."
        )
    elif "danger_at_home" in categories:
        lines.append(
            "Si está en peligro, llame al 911 si es seguro hacerlo. Línea Nacional contra la Violencia Doméstica: "
            "1-800-799-7233 (hay español), o envíe START por texto al 88788."
        )
        resources.append(DOMESTIC_VIOLENCE)
    elif "exploitation" in categories:
        lines.append(
            "Nadie tiene derecho a cambiar un lugar donde quedarse, dinero o seguridad por sexo, y no es su culpa. "
            "Si está en peligro, llame al 911. Línea Nacional contra la Trata de Personas, gratis y confidencial, "
            "24/7 (hay español): llame al 1-888-373-7888 o envíe un texto al 233733."
        )
        resources.append(TRAFFICKING)
    else:
        lines.append("¿Está en peligro inmediato? Si es así, llame al 911 ahora.")
    lines.append(
        "Puede llamar al 988 y marcar 2 para hablar en español, o enviar un texto con la palabra AYUDA al 988, "
        "a cualquier hora. Es gratis y confidencial."
    )
    if advocates_online:
        lines.append("Le pedí a una persona de nuestro equipo que se una a esta conversación ahora mismo.")
    else:
        lines.append(
            "Nuestro equipo no está en línea ahora: por favor, comuníquese con el 988 ahora. Dejé una nota urgente."
        )
    buttons = [
        {"title": "Estoy en peligro ahora", "payload": "/crisis"},
        {"title": "Estoy a salvo ahora", "payload": "/affirm"},
    ]
    return lines, buttons, resources


def crisis_reply(
    assessment: Assessment,
    advocates_online: bool,
    repeated: bool = False,
    need_label: str | None = None,
    level: str | None = None,
) -> CrisisReply:
    """The response to a message judged at risk by either layer, at ``level`` (default: the assessment's,
    and imminent when the rule layer found nothing, so that an unknown risk is never played down)."""
    level = level or assessment.level or IMMINENT
    if assessment.language == "es":
        lines, buttons, resources = _spanish(assessment, advocates_online, repeated, level)
    else:
        lines, buttons, resources = _english(assessment, advocates_online, repeated, need_label, level)
    payload = Crisis(
        language=assessment.language,
        level=level,
        categories=tuple(assessment.categories or ["unspecified"]),
        third_party=assessment.third_party,
        resources=tuple(resources),
        advocates_online=advocates_online,
    )
    return CrisisReply("\n".join(lines), payload.to_json(), buttons)


def check_answered_no(language: str, need_label: str | None = None) -> CrisisReply:
    """After a clear "no" to the direct question: thanks, the lines for later, and back to the search."""
    if language == "es":
        lines = [
            "Gracias por contestarme. Me alegra saberlo.",
            "Si eso cambia, puede llamar al 988 y marcar 2, o enviar AYUDA por texto al 988, a cualquier hora.",
            "Sigo aquí para ayudarle con lo que necesite.",
        ]
        buttons = [{"title": "Quiero hablar con una persona", "payload": "/human_handoff"}]
    else:
        lines = [
            "Thank you for answering me. I'm glad to hear that.",
            "If that ever changes, you can call or text 988 any time, day or night.",
            "I'm still here to help with what you need.",
        ]
        buttons = [{"title": "Talk to a person", "payload": "/human_handoff"}]
        if need_label:
            buttons.insert(0, {"title": f"Keep looking for {need_label}", "payload": "/request_help"})
    return CrisisReply("\n".join(lines), CrisisCheck(language=language, answer="no").to_json(), buttons)
