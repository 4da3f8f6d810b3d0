"""Seed-phrase redaction measured: recall on the generated corpus (`bench.seed_corpus`) per
list, layout and variant, and false positives on ordinary texts (`bench.redaction_texts`).

``python -m bench.redaction_rates [--per-cell N]`` rewrites tests/fixtures/redaction_rates.md
(the seed-phrase part; the labelled corpus part is kept), which tests read and assert.
A phrase counts as missed when four of its consecutive words (characters, glued Chinese)
are still in the redacted text; an ordinary text is a false positive when a seed phrase is
reported in it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from bench import seed_corpus
from bench.redaction_texts import FIXTURES, ordinary_texts
from etl.redact import REDACTION_VERSION, redact_text
from etl.redact.gates import seed_gate
from etl.redact.seeds import seed_spans
from etl.redact.wordlists import normalise
from etl.redact.words import word_tokens

RATES = FIXTURES / "redaction_rates.md"
SEED_SECTION = "## Seed phrases in every list (generated corpus) and ordinary texts"
MIN_RECALL, MAX_FALSE_POSITIVE = 0.999, 0.0001
FULL_PER_CELL = 2000


@dataclass
class Cell:
    """Recall of one list, layout and variant."""

    word_list: str
    layout: str
    variant: str
    cases: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of phrases removed."""
        return 1 - len(self.misses) / self.cases if self.cases else 0.0


def survives(words: Iterable[str], output: str) -> bool:
    """Whether four consecutive words of the phrase are still in ``output``."""
    phrase = [normalise(w) for w in words]
    tokens = word_tokens(output)
    grams = {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}
    return any(tuple(phrase[i : i + 4]) in grams for i in range(len(phrase) - 3))


def recall_cells(per_cell: int, seed: int = 19) -> list[Cell]:
    """Every list x layout x variant of `bench.seed_corpus`, ``per_cell`` phrases each
    (a quarter of that for the typo and missing-word variants)."""
    cells = []
    for word_list in seed_corpus.BIP39_LISTS + seed_corpus.OTHER_LISTS:
        for layout in seed_corpus.layouts_for(word_list):
            for variant in seed_corpus.variants_for(word_list, layout):
                count = per_cell if variant == "exact" else max(1, per_cell // 4)
                cell = Cell(word_list, layout, variant)
                for case in seed_corpus.cases(word_list, layout, variant, count, seed):
                    cell.cases += 1
                    if survives(case.words, redact_text(case.text)[0]):
                        cell.misses.append(case.text)
                cells.append(cell)
    return cells


def false_positives(texts: list[str]) -> list[str]:
    """The texts in which a seed phrase is reported (only texts passing the seed gate run)."""
    series = pl.Series(texts, dtype=pl.String)
    candidates = series.filter(series.str.contains(seed_gate())).to_list()
    return [t for t in candidates if seed_spans(t)]


def _recall_table(cells: list[Cell]) -> list[str]:
    lines = [
        "| list | layout | variant | phrases | missed | recall |",
        "|---|---|---|---|---|---|",
    ]
    for c in cells:
        lines.append(
            f"| {c.word_list} | {c.layout} | {c.variant} | {c.cases} | {len(c.misses)}"
            f" | {c.recall:.4f} |"
        )
    return lines


def _fp_table(flagged: dict[str, list[str]], sizes: dict[str, int]) -> list[str]:
    lines = ["| source | texts | flagged | false-positive rate |", "|---|---|---|---|"]
    for source, n in sizes.items():
        lines.append(
            f"| {source} | {n} | {len(flagged[source])} | {len(flagged[source]) / n:.5%} |"
        )
    total, wrong = sum(sizes.values()), sum(map(len, flagged.values()))
    lines.append(f"| **all** | {total} | {wrong} | {wrong / total:.5%} |")
    return lines


def report(cells: list[Cell], flagged: dict[str, list[str]], sizes: dict[str, int]) -> str:
    """The markdown section for tests/fixtures/redaction_rates.md."""
    misses = [
        f"- {c.word_list}, {c.layout}, {c.variant}: `{m[:160]!r}`" for c in cells for m in c.misses
    ]
    wrong = [f"- {s}: `{t[:160]!r}`" for s, texts in flagged.items() for t in texts]
    return "\n".join(
        [
            SEED_SECTION,
            "",
            f"Written by `python -m bench.redaction_rates` (redaction version {REDACTION_VERSION}).",
            f"Targets: recall >= {MIN_RECALL:.1%} per list, layout and variant; false positives"
            f" <= {MAX_FALSE_POSITIVE:.2%} of ordinary texts.",
            "",
            *_recall_table(cells),
            "",
            *_fp_table(flagged, sizes),
            "",
            "Missed phrases:",
            "",
            *(misses or ["- none"]),
            "",
            "Ordinary texts in which a seed phrase was reported:",
            "",
            *(wrong or ["- none"]),
            "",
        ]
    )


def write(section: str, path: Path = RATES) -> None:
    """Replace the seed-phrase section of ``path`` (the rest is the labelled corpus's)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Redaction rates\n"
    head = text.split(SEED_SECTION)[0].rstrip() + "\n\n"
    path.write_text(head + section, encoding="utf-8")


def run(per_cell: int = FULL_PER_CELL, out: Path | None = RATES) -> dict[str, float]:
    """Measure both rates; write them to ``out`` unless it is None; return the headline."""
    started = time.perf_counter()
    cells = recall_cells(per_cell)
    texts = ordinary_texts()
    flagged = {source: false_positives(items) for source, items in texts.items()}
    sizes = {source: len(items) for source, items in texts.items()}
    if out is not None:
        write(report(cells, flagged, sizes), out)
    return {
        "phrases": sum(c.cases for c in cells),
        "min_recall": min(c.recall for c in cells),
        "texts": sum(sizes.values()),
        "false_positive_rate": sum(map(len, flagged.values())) / sum(sizes.values()),
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.redaction_rates")
    parser.add_argument(
        "--per-cell", type=int, default=FULL_PER_CELL, help="phrases per list and layout"
    )
    args = parser.parse_args()
    print(run(args.per_cell))


if __name__ == "__main__":
    main()
