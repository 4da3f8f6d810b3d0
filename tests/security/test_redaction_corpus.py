"""Redaction measured on a labelled corpus (tests/fixtures/redaction_corpus.toml): the share of
secrets removed per kind (true-positive rate) and the share of hard negatives wrongly redacted
(false-positive rate). ``UPDATE_RATES=1`` rewrites tests/fixtures/redaction_rates.md.

A secret counts as removed when no recognisable part of it is left: for a seed phrase no four
consecutive words (characters, in Chinese), for a key no 16 consecutive characters, for an
e-mail address or phone number not the whole of it. A negative is a false positive when any
seed phrase, key, e-mail or phone is reported in it (wallet addresses are only shortened).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

from bench.redaction_rates import SEED_SECTION
from etl.redact import redact_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = FIXTURES / "redaction_corpus.toml"
RATES = FIXTURES / "redaction_rates.md"
SECRET_KINDS = ("seed_phrase", "private_key", "email", "phone")
# The target, and the floor the redactor holds today (a regression below it fails at once).
TARGET_TRUE_POSITIVE, TARGET_FALSE_POSITIVE = 0.95, 0.02
MIN_TRUE_POSITIVE = {"seed_phrase": 0.95, "private_key": 0.85, "email": 0.95, "phone": 0.9}
MAX_FALSE_POSITIVE = 0.04
_TOKEN = re.compile(r"[a-z]+|[\u4e00-\u9fff]")


def survives(kind: str, secret: str, output: str) -> bool:
    """Whether a recognisable part of ``secret`` is still in ``output``."""
    if kind == "seed_phrase":
        words = _TOKEN.findall(secret.lower())
        tokens = _TOKEN.findall(output.lower())
        grams = {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}
        return any(tuple(words[i : i + 4]) in grams for i in range(len(words) - 3))
    if kind == "private_key":
        text, key = output.lower(), secret.lower()
        return any(key[i : i + 16] in text for i in range(len(key) - 15))
    return secret in output


@cache
def results() -> tuple[dict, ...]:
    cases = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]
    out = []
    for case in cases:
        text, counts = redact_text(case["text"])
        flagged = sum(counts[k] for k in SECRET_KINDS)
        if case["kind"] == "none":
            ok = flagged == 0
        else:
            ok = not survives(case["kind"], case["secret"], text)
        out.append({**case, "output": text, "ok": ok})
    return tuple(out)


def rates() -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """Per secret kind (removed, total); for negatives (wrongly redacted, total)."""
    total, removed = Counter(), Counter()
    for r in results():
        total[r["kind"]] += 1
        removed[r["kind"]] += r["ok"]
    per_kind = {k: (removed[k], total[k]) for k in SECRET_KINDS}
    return per_kind, (total["none"] - removed["none"], total["none"])


def report() -> str:
    per_kind, (wrong, negatives) = rates()
    lines = [
        "# Redaction rates",
        "",
        "Measured by `tests/security/test_redaction_corpus.py` on `tests/fixtures/redaction_corpus.toml`"
        " (regenerate with `UPDATE_RATES=1`).",
        "",
        "| kind | cases | removed | true-positive rate | threshold |",
        "|---|---|---|---|---|",
    ]
    for kind, (ok, n) in per_kind.items():
        floor = MIN_TRUE_POSITIVE[kind]
        lines.append(
            f"| {kind} | {n} | {ok} | {ok / n:.3f} | >= {floor} (target {TARGET_TRUE_POSITIVE}) |"
        )
    lines += [
        "",
        "| hard negatives | cases | wrongly redacted | false-positive rate | threshold |",
        "|---|---|---|---|---|",
        f"| all | {negatives} | {wrong} | {wrong / negatives:.3f} | <= {MAX_FALSE_POSITIVE}"
        f" (target {TARGET_FALSE_POSITIVE}) |",
        "",
        "Misses (secret kept, or negative redacted):",
        "",
    ]
    misses = [r for r in results() if not r["ok"]]
    lines += [f"- {r['kind']} ({r['lang']}, {r['form']}): `{r['text'][:70]!r}`" for r in misses]
    return "\n".join(lines + (["- none"] if not misses else [])) + "\n"


def test_the_corpus_covers_every_kind_language_and_layout():
    cases = results()
    kinds = Counter(r["kind"] for r in cases)
    assert all(kinds[k] >= 20 for k in SECRET_KINDS) and kinds["none"] >= 50, kinds
    for kind in ("email", "phone"):
        assert {r["lang"] for r in cases if r["kind"] == kind} == {"zh", "en", "es", "ru", "fr"}
    forms = {r["form"] for r in cases if r["kind"] == "seed_phrase"}
    assert {f"{n} words, inline" for n in (12, 15, 18, 21, 24)} <= forms
    assert any(f.startswith("Chinese") for f in forms)


def test_true_and_false_positive_rates_hold_their_floor():
    per_kind, (wrong, negatives) = rates()
    text = report()
    print("\n" + text)
    if os.environ.get("UPDATE_RATES") == "1":
        # the seed-phrase section below is python -m bench.redaction_rates's: kept as it is
        current = RATES.read_text(encoding="utf-8") if RATES.exists() else ""
        seeds = current[current.index(SEED_SECTION) :] if SEED_SECTION in current else ""
        RATES.write_text(text + ("\n" + seeds if seeds else ""), encoding="utf-8")
    for kind, (ok, n) in per_kind.items():
        assert ok / n >= MIN_TRUE_POSITIVE[kind], (kind, ok, n, text)
    assert wrong / negatives <= MAX_FALSE_POSITIVE, text


def test_true_and_false_positive_rates_meet_the_target():
    per_kind, (wrong, negatives) = rates()
    assert all(ok / n >= TARGET_TRUE_POSITIVE for ok, n in per_kind.values()), per_kind
    assert wrong / negatives <= TARGET_FALSE_POSITIVE, (wrong, negatives)
