"""What Wayfinder says to a caller at risk, modelled on 988 Lifeline and Columbia protocol practice.

Two levels, both with the crisis lines and an urgent note to the advocates:

- **imminent** (means at hand, an act under way, an ingestion): acknowledge with
  care, 911 for immediate danger, the lines that fit (numbers exactly as
  published), what happens next with a human advocate;
- **possible** (finality, hopelessness, farewell, or the classifier alone): the
  lines; then the dialogue asks directly and kindly, as counsellors do ("are you
  thinking about killing yourself?", ``utter_ask_crisis_check`` in domain.yml).
  A "yes", or no answer, is met as imminent.

Every line is a sentence of the copy catalog (``crisis.*`` in ``data/copy/caller.yml``),
in English and Spanish, with the numbers exactly as published. Sources are listed in
docs/safety.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.copy import button, reply_language, say
from bot.messages import Crisis, CrisisCheck
from bot.safety.finding import IMMINENT, POSSIBLE, Finding

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

# The situation whose line an imminent response gives (one; none: the direct question about
# danger), the first that applies in this order. Spanish keeps the order it always had, so a
# Spanish caller who names both danger at home and exploitation still gets the domestic
# violence hotline.
SITUATIONS = {
    "en": ("overdose", "exploitation", "third_party", "harm_to_others", "danger_at_home"),
    "es": ("overdose", "danger_at_home", "exploitation", "third_party", "harm_to_others"),
}
SITUATION_RESOURCES = {
    "overdose": [POISON_CONTROL],
    "exploitation": [TRAFFICKING],
    "danger_at_home": [DOMESTIC_VIOLENCE],
}


def _is(situation: str, finding: Finding, categories: set[str]) -> bool:
    return finding.third_party if situation == "third_party" else situation in categories


def _parts(
    finding: Finding,
    advocates_online: bool,
    repeated: bool,
    need_label: str | None,
    level: str,
    language: str,
) -> Parts:
    """The lines (catalog sentences, ``crisis.*``), buttons and resources of a response.

    The same situations in every language, with the lines each language's callers can use:
    in Spanish, 988 and press 2, or AYUDA by text to 988 (the Crisis Text Line's HOME keyword
    is for English)."""
    categories = set(finding.categories)
    spanish = language == "es"

    def line(key: str) -> str:
        return say(key, language)

    resources = [EMERGENCY, LIFELINE_SPANISH if spanish else LIFELINE]
    text_line = [] if spanish else [CRISIS_TEXT_LINE]
    if level == POSSIBLE:
        lines = [line("crisis.possible.acknowledge"), line("crisis.possible.lines")]
        return lines, [], [*resources, *text_line]
    lines = [line("crisis.repeated" if repeated else "crisis.acknowledge")]
    situation = next((name for name in SITUATIONS[language] if _is(name, finding, categories)), None)
    if situation is None:
        lines.append(line("crisis.ask_danger"))
    else:
        lines.append(line(f"crisis.{situation}"))
        resources += SITUATION_RESOURCES.get(situation, [])
    lines.append(line("crisis.lines"))
    resources += text_line
    if finding.veteran:
        lines.append(line("crisis.veterans"))
        resources.append(VETERANS)
    lines.append(line("crisis.advocates_online" if advocates_online else "crisis.advocates_offline"))
    lines.append(line("crisis.still_here"))
    buttons = [button("button.in_danger", language, "/crisis"), button("button.safe", language, "/affirm")]
    if need_label:
        buttons.append(button("button.keep_looking", language, "/request_help", need=need_label))
    return lines, buttons, resources


def crisis_reply(
    finding: Finding,
    advocates_online: bool,
    repeated: bool = False,
    need_label: str | None = None,
    level: str | None = None,
    language: str | None = None,
) -> CrisisReply:
    """The response to a message judged at risk by either layer, at ``level`` (default: the finding's,
    and imminent when the rule layer found nothing, so that an unknown risk is never played down), in
    ``language`` (default: the language the message was written in). ``need_label`` is in that language."""
    level = level or finding.level or IMMINENT
    language = reply_language(language or finding.language)
    lines, buttons, resources = _parts(finding, advocates_online, repeated, need_label, level, language)
    payload = Crisis(
        language=language,
        level=level,
        categories=tuple(finding.categories or ["unspecified"]),
        third_party=finding.third_party,
        resources=tuple(resources),
        advocates_online=advocates_online,
    )
    return CrisisReply("\n".join(lines), payload.to_json(), buttons)


def check_answered_no(language: str, need_label: str | None = None) -> CrisisReply:
    """After a clear "no" to the direct question: thanks, the lines for later, and back to the search."""
    language = reply_language(language)
    lines = [
        say("crisis.check_no.thanks", language),
        say("crisis.check_no.if_changes", language),
        say("crisis.check_no.still_here", language),
    ]
    buttons = [button("button.person", language, "/human_handoff")]
    if need_label:
        buttons.insert(0, button("button.keep_looking", language, "/request_help", need=need_label))
    return CrisisReply("\n".join(lines), CrisisCheck(language=language, answer="no").to_json(), buttons)
