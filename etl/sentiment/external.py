"""Figures of the production methods on a labelled file written outside the team.

``python -m etl.sentiment.external FILE [--models DIR]`` prints, per language of FILE (a
TOML file of ``[lang]`` tables with ``positive``, ``negative`` and ``neutral`` lists, as
corpora.read_labelled_toml reads), the external check's two figures for the production
method of the manifest in DIR (the shipped one by default): the *own label* (positive and
negative texts given their own label; a neutral label counts as wrong) and three-class
macro-F1, with the confusion matrix. Nothing here trains or chooses anything: such a file is
measured once, after the models are chosen (docs/sentiment.md, "Blind public texts").
"""

from __future__ import annotations

import argparse
from pathlib import Path

from etl.sentiment.choice import polar_rate
from etl.sentiment.corpora import LANGUAGES, read_labelled_toml
from etl.sentiment.decision import Thresholds
from etl.sentiment.evaluate import legacy_labeller, model_labeller
from etl.sentiment.models import MODELS_DIR, load_model, manifest
from etl.sentiment.scoring import figures


def production_figures(path: Path, models_dir: Path = MODELS_DIR) -> dict[str, dict]:
    """Per language with texts in ``path``: method, n, own label, macro-F1, confusion."""
    body = manifest(models_dir)
    thresholds = Thresholds(**body["thresholds"])
    out = {}
    for language in LANGUAGES:
        frame = read_labelled_toml(path, language)
        entry = body["languages"].get(language)
        if not len(frame) or entry is None:
            continue
        if "file" in entry:
            labeller = model_labeller(load_model(language, models_dir), thresholds)
            method = f"{entry['production']}@{entry['version']}"
        else:
            labeller = legacy_labeller(entry["production"])
            method = entry["production"]
        gold = frame["label"].to_list()
        predicted = labeller(frame["text"].to_list())
        out[language] = figures(gold, predicted) | {
            "method": method,
            "own_label": round(polar_rate(gold, predicted), 4),
        }
    return out


def table(results: dict[str, dict]) -> str:
    """A markdown table of ``production_figures``' results."""
    lines = [
        "| language | method | n | own label | macro-F1 | confusion (gold: neg/neu/pos predicted) |",
        "|---|---|---|---|---|---|",
    ]
    for language, r in results.items():
        confusion = "; ".join(
            f"{name} {'/'.join(map(str, row))}"
            for name, row in zip(("neg", "neu", "pos"), r["confusion"], strict=True)
        )
        lines.append(
            f"| {language} | {r['method']} | {r['n']} | {r['own_label']:.3f} | "
            f"{r['macro_f1']:.3f} | {confusion} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.sentiment.external")
    parser.add_argument("file", type=Path, help="TOML file of [lang] labelled lists")
    parser.add_argument("--models", type=Path, default=MODELS_DIR, help="models folder")
    args = parser.parse_args(argv)
    print(table(production_figures(args.file, args.models)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
