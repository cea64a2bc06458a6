"""One multilingual NLU pipeline against a language-routed pair (issue 12), in one run.

Splits ``data/nlu`` example by example with ``bot.nlp.language.guess`` into an English and a
Spanish set, trains an NLU model on each with ``config.yml`` (into ``var/language_pair/``),
then parses the NLU sets (``tests/nlu``) and the crisis sets (``tests/safety``) with the
multilingual model and with the pair, each message sent to the model of its guessed language.
Sealed sets print counts only. Training takes about 15 minutes on 2 cores.

    .venv/bin/python bench/language_pair.py [--skip-training]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlp.language import guess  # noqa: E402

OUT = ROOT / "var" / "language_pair"
ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def split(language: str) -> Path:
    """``data/nlu`` with only the examples whose guessed language is ``language`` (or, for
    English, any but Spanish); lookups, synonyms and regexes kept whole."""
    source, target = ROOT / "data" / "nlu", OUT / language / "nlu"
    shutil.rmtree(target, ignore_errors=True)
    for path in source.rglob("*.yml"):
        data = yaml.safe_load(path.read_text()) or {}
        blocks = []
        for block in data.get("nlu") or []:
            if "intent" not in block or "examples" not in block:
                blocks.append(block)
                continue
            kept = [
                line.strip()
                for line in block["examples"].splitlines()
                if line.strip().startswith("- ")
                and (
                    guess(ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", line.strip()[2:])) == "es"
                )
                == (language == "es")
            ]
            if kept:
                blocks.append({**block, "examples": "\n".join(kept) + "\n"})
        data["nlu"] = blocks
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return target


def train(language: str) -> Path:
    data = split(language)
    subprocess.run(
        [
            str(Path(sys.executable).with_name("rasa")),
            "train",
            "nlu",
            "--config",
            "config.yml",
            "--nlu",
            str(data),
            "--out",
            str(OUT),
            "--fixed-model-name",
            language,
        ],
        cwd=ROOT,
        check=True,
    )
    return OUT / f"{language}.tar.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-training", action="store_true", help="use the pair already in var/language_pair"
    )
    args = parser.parse_args()
    models = {lang: OUT / f"{lang}.tar.gz" for lang in ("en", "es")}
    if not args.skip_training:
        models = {lang: train(lang) for lang in ("en", "es")}

    from rasa.core.agent import Agent

    from bot.run import latest_model
    from tests.nlu.evaluation import SETS, SPANISH_SETS, score
    from tests.safety import evaluation as crisis

    loop = asyncio.new_event_loop()
    multilingual = Agent.load(str(latest_model()))
    pair = {lang: Agent.load(str(path)) for lang, path in models.items()}

    def parse_with(agent):
        return lambda text: loop.run_until_complete(agent.parse_message(text))

    def routed(text: str) -> dict:
        return parse_with(pair["es" if guess(text) == "es" else "en"])(text)

    for label, parse in (("multilingual", parse_with(multilingual)), ("routed pair", routed)):
        print(f"== {label}", flush=True)
        for name in (*SETS, *SPANISH_SETS):
            print("\n".join(score(name, parse).lines(show_texts=False)), flush=True)
        for name in ("open", "sealed"):
            cases = crisis.load(name)
            found = {
                label: sum(
                    (parse(case["text"]).get("intent") or {}).get("name") == "crisis" for case in cases[label]
                )
                for label in ("crisis", "not_crisis")
            }
            print(
                f"crisis {name}: recall {found['crisis']}/{len(cases['crisis'])}, "
                f"false alarms {found['not_crisis']}/{len(cases['not_crisis'])}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
