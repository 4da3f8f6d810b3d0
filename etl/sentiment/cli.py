"""``python -m etl sentiment train|card``: retrain the models, print the model card's figures."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from etl.errors import UnusableInput
from etl.sentiment.corpora import LANGUAGES


def _languages(text: str | None) -> tuple[str, ...]:
    if text is None:  # every corpus language (etl/__main__.py does not import the models)
        return LANGUAGES
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [lang for lang in chosen if lang not in LANGUAGES]
    if unknown or not chosen:
        raise UnusableInput(f"--languages: {text!r}; expected some of {', '.join(LANGUAGES)}")
    return chosen


def _check_inputs(corpora: Path, fixture: Path, languages: tuple[str, ...]) -> None:
    for language in languages:
        if not (corpora / language).is_dir():
            raise UnusableInput(
                f"{corpora / language}: no such folder; expected <lang>/<corpus>/train.csv"
            )
    if not fixture.is_file():
        raise UnusableInput(f"{fixture}: the labelled support fixture is missing (--fixture)")


def run_train(args: argparse.Namespace) -> int:
    """Fit, evaluate and write the models to ``--out``; prints each step."""
    from etl.sentiment.card import render
    from etl.sentiment.models import manifest
    from etl.sentiment.retrain import train

    languages = _languages(args.languages)
    _check_inputs(args.corpora, args.fixture, languages)
    version = args.version or dt.datetime.now(dt.UTC).strftime("%Y.%m.%d")

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    train(args.corpora, args.out, args.fixture, version, languages, say)
    manifest.cache_clear()
    print(render(manifest(args.out)))
    print(f"models written to {args.out}", file=sys.stderr)
    return 0


def run_card(args: argparse.Namespace) -> int:
    """Print the figures section of docs/sentiment.md from a manifest."""
    from etl.sentiment.card import render
    from etl.sentiment.models import MODELS_DIR, manifest

    print(render(manifest(args.models or MODELS_DIR)), end="")
    return 0
