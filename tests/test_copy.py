"""Every sentence a caller can see is in the copy catalog (data/copy/caller.yml), in English and
Spanish: none is written inline in the code that talks to callers, every domain response has a
Spanish variation, and every id the code builds exists.

The code is read, not run: ``ast`` finds each string literal that reads like a sentence (four
words or more, with sentence punctuation), leaving out docstrings, log and exception messages,
regular expressions, dict keys and the short allowlist below (each entry says why)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.copy import LANGUAGES, catalog, say

# The Python modules that produce what callers read.
CALLER_COPY = (
    "actions/*.py",
    "bot/referral/*.py",
    "bot/safety/protocol.py",
    "bot/channels/*.py",
    "bot/sms/*.py",
    "bot/programs.py",
)
# Sentences that may stay in the code: (module, the sentence's beginning) -> why.
ALLOWED = {
    ("bot/channels/rest.py", "the body must be JSON"): (
        "an HTTP 400 error for a REST integration's developer (the body was not JSON), not words for a caller"
    ),
    ("bot/channels/twilio.py", "SMS is not configured on this server"): (
        "the 503 answer to Twilio's webhook, for the operator: Twilio does not pass it on to the texter"
    ),
    ("bot/channels/action_responses.py", ". Failed to validate Action server response"): (
        "Rasa's own error for an action server response that fails its schema, for the log"
    ),
}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOGGERS = {"logger", "logging", "log", "_logger"}
REGEX_FUNCTIONS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
# Regular expression syntax: a pattern is not a sentence, whatever words it has.
REGEX_SYNTAX = re.compile(r"\\[bBsSdDwW]|\(\?|\|")
# A word as written between spaces, with its punctuation: "Sorry,", "(like", "19143\")".
WORD = re.compile(r"[\W\d]*[^\W\d_][\w'’-]*[\W\d]*")
SENTENCE_END = re.compile(r"[.?!…](?=[\s\"')\]]|$)")
CATALOG_ID = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


def looks_like_a_sentence(text: str) -> bool:
    """Four words or more (one starting with a letter) with sentence punctuation: copy."""
    if REGEX_SYNTAX.search(text):
        return False
    words = [token for token in text.split() if WORD.fullmatch(token)]
    return len(words) >= 4 and bool(SENTENCE_END.search(text.strip()))


@dataclass(frozen=True)
class Literal:
    path: str
    line: int
    text: str


def _template(node: ast.JoinedStr) -> str:
    """An f-string with its fields as {}, to be read as the sentence it makes."""
    return "".join(
        part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
        for part in node.values
    )


def _is_log_call(node: ast.Call) -> bool:
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in LOG_METHODS
        and isinstance(func.value, ast.Name)
        and func.value.id in LOGGERS
    )


def _is_regex_call(node: ast.Call) -> bool:
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in REGEX_FUNCTIONS
        and isinstance(func.value, ast.Name)
        and func.value.id == "re"
    )


def _excluded_nodes(tree: ast.AST) -> set[int]:
    """The ids of the nodes whose strings are not copy: docstrings and other bare strings, log and
    exception messages, regular expressions, dict keys."""
    skipped: set[int] = set()

    def skip(node: ast.AST) -> None:
        skipped.update(id(child) for child in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
            skip(node)  # a docstring, or a string standing alone as a comment
        elif isinstance(node, ast.Raise) or (
            isinstance(node, ast.Call) and (_is_log_call(node) or _is_regex_call(node))
        ):
            skip(node)
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    skip(key)
    return skipped


def string_literals(path: Path) -> list[Literal]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _excluded_nodes(tree)
    relative = path.relative_to(PROJECT_ROOT).as_posix() if path.is_relative_to(PROJECT_ROOT) else path.name
    found: list[Literal] = []
    inside_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstrings.update(id(child) for child in ast.walk(node) if child is not node)
    for node in ast.walk(tree):
        if id(node) in skipped or id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            found.append(Literal(relative, node.lineno, _template(node)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(Literal(relative, node.lineno, node.value))
    return found


def caller_copy_modules() -> list[Path]:
    paths = sorted({path for pattern in CALLER_COPY for path in PROJECT_ROOT.glob(pattern)})
    assert paths, "no module of caller copy found"
    return paths


def allowed(literal: Literal) -> bool:
    return any(literal.path == path and literal.text.startswith(beginning) for path, beginning in ALLOWED)


# ---------------------------------------------------------------- no sentence outside the catalog


def test_the_scanner_finds_an_inline_sentence_and_leaves_out_what_is_not_copy(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        '"""A docstring is not copy, even a long one."""\n'
        "import logging, re\n"
        "logger = logging.getLogger(__name__)\n"
        'PATTERN = re.compile(r"\\b(how long|when will it be)\\b. ")\n'
        'KEYS = {"This key is not read by anyone.": 1}\n'
        "def f(dispatcher, email):\n"
        '    logger.info("This is only for the operator, %s.", email)\n'
        '    dispatcher.utter_message(text=f"Done: {email} is signed up for the newsletter.")\n'
        '    raise ValueError("This is only for the developer.")\n',
        encoding="utf-8",
    )
    texts = [literal.text for literal in string_literals(module) if looks_like_a_sentence(literal.text)]
    assert texts == ["Done: {} is signed up for the newsletter."]


def test_no_caller_facing_sentence_is_written_in_the_code():
    inline = [
        literal
        for path in caller_copy_modules()
        for literal in string_literals(path)
        if looks_like_a_sentence(literal.text) and not allowed(literal)
    ]
    assert not inline, "sentences to move to data/copy/caller.yml (with Spanish):\n" + "\n".join(
        f"  {literal.path}:{literal.line}: {literal.text!r}" for literal in inline
    )


def test_no_button_title_is_written_in_the_code():
    """A button's title is short, no sentence, but a caller reads it too: from the catalog."""
    inline = []
    for path in caller_copy_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    title = isinstance(key, ast.Constant) and key.value == "title"
                    if title and isinstance(value, (ast.Constant, ast.JoinedStr)):
                        inline.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert not inline, f"button titles to take from the catalog (bot.copy.button): {inline}"


def test_the_allowlist_has_no_stale_entries():
    literals = [literal for path in caller_copy_modules() for literal in string_literals(path)]
    for (path, beginning), why in ALLOWED.items():
        assert why, f"{path}: say why {beginning!r} may stay in the code"
        assert any(lit.path == path and lit.text.startswith(beginning) for lit in literals), (
            f"{path} no longer says {beginning!r}: remove it from ALLOWED"
        )


# ---------------------------------------------------------------- the ids the code uses


def test_every_catalog_id_written_in_the_code_exists():
    """Ids used as literals anywhere in the caller copy modules (``utter(..., "search.removed")``,
    ``button("button.yes", ...)``), for the families the catalog has."""
    families = {key.split(".")[0] for key in catalog()}
    used = {
        (literal.path, literal.text)
        for path in caller_copy_modules()
        for literal in string_literals(path)
        if CATALOG_ID.match(literal.text) and literal.text.split(".")[0] in families
    }
    unknown = sorted(f"{path}: {key}" for path, key in used if key not in catalog())
    assert not unknown, f"ids used but not in data/copy/caller.yml: {unknown}"


def test_every_id_the_code_builds_exists():
    """Ids made from a name (``f"program.{program}"``): every name the code can use has its sentence."""
    from actions.fallback import INTENT_QUESTIONS
    from actions.form_questions import FORMS, PROGRAMS
    from actions.programs import PROGRAM_BY_INTENT
    from actions.questions import NEED_CHOICES, PAYMENT_CHOICES
    from bot.safety.protocol import SITUATIONS

    built = [
        *INTENT_QUESTIONS.values(),
        *(f"form.use.{form}" for form in FORMS),
        *(f"form.timing.{form}" for form in FORMS),
        *(f"program.{program}" for program in [*PROGRAM_BY_INTENT.values(), *PROGRAMS.values()]),
        *(f"button.need.{code}" for code in NEED_CHOICES),
        *(f"button.payment.{code}" for code in PAYMENT_CHOICES),
        *(f"crisis.{situation}" for order in SITUATIONS.values() for situation in order),
        *(f"day.{day}" for day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
        *(f"crisis.line_{number}" for number in ("911", "988")),
    ]
    missing = sorted(key for key in built if key not in catalog())
    assert not missing, f"ids built by the code but not in data/copy/caller.yml: {missing}"


def test_every_catalog_id_has_spanish():
    missing = sorted(key for key, entry in catalog().items() if not (entry.get("es") or "").strip())
    assert not missing, f"catalog ids without Spanish: {missing}"


# ---------------------------------------------------------------- domain responses


SPANISH = {"type": "slot", "name": "caller_language", "value": "es"}
# Responses whose Spanish follows another slot than the caller's language, and why.
SPANISH_BY_OTHER_SLOT = {
    "utter_ask_crisis_check": (
        {"type": "slot", "name": "crisis_language", "value": "es"},
        "the direct question is in the language of the crisis response just given",
    ),
}


def domain_responses() -> dict[str, list[dict]]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


@pytest.mark.parametrize("name", sorted(domain_responses()))
def test_every_response_has_a_spanish_variation_first_and_says_its_language(name):
    variations = domain_responses()[name]
    spanish_condition = SPANISH_BY_OTHER_SLOT.get(name, (SPANISH, ""))[0]
    conditional = [v for v in variations if v.get("condition")]
    default = [v for v in variations if not v.get("condition")]
    # One condition and the default: Rasa picks at random among conditions that hold together.
    assert len(conditional) == 1 and len(default) == 1, (
        f"{name}: one Spanish variation and one English default, no other conditions (use an action)"
    )
    [spanish], [english] = conditional, default
    assert spanish["condition"] == [spanish_condition], f"{name}: Spanish is picked by {spanish_condition}"
    assert variations.index(spanish) < variations.index(english), f"{name}: Spanish comes first"
    assert spanish.get("custom") == {"type": "language", "language": "es"}, name
    assert english.get("custom") == {"type": "language", "language": "en"}, name
    assert spanish["text"] != english["text"], f"{name}: the Spanish variation is not translated"
    # The same choices in both languages, in the same order; only their titles are translated.
    payloads = [[b["payload"] for b in v.get("buttons") or []] for v in (spanish, english)]
    assert payloads[0] == payloads[1], f"{name}: Spanish buttons carry the English ones' payloads"


def test_the_spanish_condition_is_a_slot_the_domain_has():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert {"caller_language", "crisis_language"} <= set(domain["slots"])
    assert set(LANGUAGES) == {"en", "es"}


def test_the_handoff_desk_tells_the_caller_nothing_written_in_its_code():
    """The console speaks mostly to advocates (its errors stay English); what the caller is told
    goes through the handoff desk's ``_tell``, whose words come from the catalog or from the
    advocate, and nothing in the console speaks to a caller itself."""
    desk = PROJECT_ROOT / "bot" / "handoff" / "desk.py"
    calls = [
        node
        for node in ast.walk(ast.parse(desk.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "_tell"
    ]
    assert len(calls) >= 6
    inline = [node.lineno for node in calls if isinstance(node.args[1], (ast.Constant, ast.JoinedStr))]
    assert not inline, f"bot/handoff/desk.py: words for the caller written inline at lines {inline}"
    for path in (PROJECT_ROOT / "bot" / "console").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".say(" not in source and "conversations.say" not in source, f"{path} speaks to a caller"


def test_a_spanish_sentence_ends_once_after_a_clock():
    text = say("when.noted", "es", when="después de las 6 p. m.")
    assert text == "Anotado: busco lugares abiertos después de las 6 p. m."
