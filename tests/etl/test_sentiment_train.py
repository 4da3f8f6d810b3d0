"""Retraining from corpora (a tiny generated corpus: CI never needs the real ones)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from etl.__main__ import main
from etl.sentiment.corpora import read_corpora
from etl.sentiment.models import load_model, manifest, sha256
from etl.sentiment.train import Part, Recipe, sample_weights, split_parts

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sentiment" / "labelled.toml"
WORDS = {
    "positive": ["gracias", "genial", "perfecto", "excelente"],
    "negative": ["horrible", "pésimo", "estafa", "fatal"],
    "neutral": ["pregunta", "cuenta", "retiro", "red"],
}


def _corpus(root: Path) -> None:
    """es/tiny/{train,val,test}.csv: 3-word texts whose words give away their label."""
    rng = np.random.default_rng(0)
    for split, n in (("train", 60), ("val", 15), ("test", 15)):
        folder = root / "es" / "tiny"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{split}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["text", "label"])
            for i in range(n):
                label = list(WORDS)[i % 3]
                writer.writerow([" ".join(rng.choice(WORDS[label], 3)) + f" {split}{i}", label])


def test_train_writes_checksummed_models_that_load_and_separate_the_labels(tmp_path, capsys):
    _corpus(tmp_path / "corpora")
    out = tmp_path / "models"
    args = ["sentiment", "train", "--corpora", str(tmp_path / "corpora"), "--out", str(out)]
    assert main([*args, "--languages", "es", "--fixture", str(FIXTURE), "--version", "t1"]) == 0
    entry = json.loads((out / "manifest.json").read_text("utf-8"))["languages"]["es"]
    assert entry["version"] == "t1" and entry["sha256"] == sha256(out / entry["file"])
    assert set(entry["evaluation"]) == {"lexicon-es", "model", "model+lexicon"}
    assert entry["training"] == [
        {"source": "tiny", "rows": 60},
        {"source": "support", "rows": 74},
        {"source": "public-style", "rows": 78},
        {"source": "praise-contrast", "rows": 198},  # 98 positive + 60 negative + 40 neutral
    ]
    model = load_model("es", out)
    probs = model.probabilities(["gracias genial perfecto", "horrible estafa fatal"])
    assert probs[0].argmax() == 2 and probs[1].argmax() == 0
    assert "### es" in capsys.readouterr().out  # the model card's figures are printed
    manifest.cache_clear()
    load_model.cache_clear()


def test_a_missing_corpora_folder_is_one_clear_line(tmp_path, capsys):
    args = ["sentiment", "train", "--corpora", str(tmp_path), "--out", str(tmp_path / "m")]
    assert main([*args, "--languages", "zh"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {tmp_path / 'zh'}: no such folder; expected <lang>/<corpus>/train.csv"
    )


def test_thresholds_and_temperature_are_chosen_on_no_test_text(tmp_path):
    _corpus(tmp_path)
    (tmp_path / "es" / "tiny" / "val.csv").unlink()  # a corpus without val: a tenth of train
    splits = read_corpora(tmp_path, "es")
    _, validation = split_parts(splits, "es")
    test = {t for s in splits if s.split == "test" for t in s.frame["text"].to_list()}
    held = {t for p in validation for t in p.texts}
    # 60 train rows, 20 per label: round(20 * 0.1) = 2 per label held out
    assert len(held) == 6 and all(t.split()[-1].startswith("train") for t in held)
    assert held.isdisjoint(test)


def test_the_hand_written_files_share_one_corpus_weight():
    # One corpus of 10 rows (weight 1) and hand-written files of 4 and 6 rows sharing weight
    # 1 between them: 1/10 per row everywhere, so after normalising to a mean of 1 every row
    # weighs 1.0 (weighted per file, the 4 support rows would weigh 1/4 each, 2.5x the rest).
    parts = [
        Part("tweets", ["t"] * 10, ["negative"] * 10),
        Part("support", ["s"] * 4, ["negative"] * 4),
        Part("public-style", ["p"] * 6, ["negative"] * 6),
    ]
    np.testing.assert_allclose(sample_weights(parts, Recipe()), np.ones(20))


def test_a_borrowed_corpus_weighs_its_factor_in_corpus_units(tmp_path):
    # Own tweets 4 rows (weight 1: 1/4 a row) and a borrowed corpus of 8 rows at factor 0.5
    # (0.5/8 = 1/16 a row), all negative: total 1 + 0.5 = 1.5 over 12 rows, mean 1/8; so own
    # rows weigh (1/4)/(1/8) = 2.0 and borrowed rows (1/16)/(1/8) = 0.5.
    recipe = Recipe(borrowed=(("en", "tweets", 0.5),))
    parts = [
        Part("own", ["o"] * 4, ["negative"] * 4),
        Part("en/tweets", ["b"] * 8, ["negative"] * 8),
    ]
    np.testing.assert_allclose(sample_weights(parts, recipe), [2.0] * 4 + [0.5] * 8)


def test_a_hand_written_own_corpus_weighs_its_own_factor_beside_the_shared_files():
    # Tweets 10 rows (weight 1: 1/10 a row), the support file 5 rows (the shared hand-written
    # weight 1: 1/5 a row) and the customer-tweets file 4 rows as a corpus of its own at
    # factor 0.5 (0.5/4 = 1/8 a row), all negative: total 2.5 over 19 rows, mean 2.5/19; so
    # the rows weigh (1/10)/(2.5/19) = 0.76, (1/5)/(2.5/19) = 1.52 and (1/8)/(2.5/19) = 0.95.
    recipe = Recipe(own_corpora=(("customer-tweets", 0.5),))
    parts = [
        Part("tweets", ["t"] * 10, ["negative"] * 10),
        Part("support", ["s"] * 5, ["negative"] * 5),
        Part("customer-tweets", ["c"] * 4, ["negative"] * 4),
    ]
    np.testing.assert_allclose(sample_weights(parts, recipe), [0.76] * 10 + [1.52] * 5 + [0.95] * 4)


def test_an_own_corpus_gives_the_texts_of_its_language_only():
    from etl.sentiment.train import own_corpus_parts

    recipe = Recipe(own_corpora=(("customer-tweets", 1.0),))
    (part,) = own_corpus_parts(recipe, "es")
    assert part.source == "customer-tweets"
    assert set(part.labels) == {"negative", "neutral", "positive"}
    assert own_corpus_parts(Recipe(), "es") == []
    assert own_corpus_parts(recipe, "zh") == []  # no Chinese table in the file


def test_borrowed_corpora_give_only_their_train_split_and_a_missing_one_is_left_out(tmp_path):
    from etl.sentiment.train import borrowed_parts

    _corpus(tmp_path)
    recipe = Recipe(borrowed=(("es", "tiny", 1.0), ("fr", "absent", 1.0)))
    parts = borrowed_parts(tmp_path, recipe)
    assert [p.source for p in parts] == ["es/tiny"]
    assert len(parts[0].texts) == 60 and all("train" in t for t in parts[0].texts)


def test_retraining_some_languages_keeps_the_others_entries(tmp_path):
    # The first run ships es; the second retrains only fr (the same tiny corpus copied) into the
    # same folder: es keeps its file, checksum and version, fr is added beside it.
    _corpus(tmp_path / "corpora")
    (tmp_path / "corpora" / "fr").mkdir()
    (tmp_path / "corpora" / "es" / "tiny").rename(tmp_path / "corpora" / "fr" / "tiny")
    _corpus(tmp_path / "corpora")
    out = tmp_path / "models"
    base = ["sentiment", "train", "--corpora", str(tmp_path / "corpora"), "--out", str(out)]
    base += ["--fixture", str(FIXTURE)]
    assert main([*base, "--languages", "es", "--version", "t1"]) == 0
    es_before = json.loads((out / "manifest.json").read_text("utf-8"))["languages"]["es"]
    manifest.cache_clear()
    load_model.cache_clear()
    assert main([*base, "--languages", "fr", "--version", "t2"]) == 0
    after = json.loads((out / "manifest.json").read_text("utf-8"))["languages"]
    assert list(after) == ["es", "fr"] and after["es"] == es_before
    assert after["fr"]["version"] == "t2" and sha256(out / "es.npz") == es_before["sha256"]
    manifest.cache_clear()
    load_model.cache_clear()


def test_a_cross_validated_corpus_gives_the_threshold_choice_its_figure(tmp_path, monkeypatch):
    from etl.sentiment import retrain

    _corpus(tmp_path / "corpora")
    monkeypatch.setattr(retrain, "CV_CORPORA", {"es": ("tiny",)})
    monkeypatch.setattr(retrain, "CANDIDATES", {"es": {"model": Recipe(C=3.0)}})
    monkeypatch.setattr(retrain, "CV_FOLDS", 2)  # 1 + 2 fits
    lines: list[str] = []
    retrain.train(tmp_path / "corpora", tmp_path / "m", FIXTURE, "t1", ("es",), lines.append)
    # tiny: 60 train + 15 val rows pooled
    assert lines.count("es: 2-fold cross-validation over tiny (75)") == 1
    pairs = [line for line in lines if line.startswith("thresholds ")]
    assert len(pairs) == 7 * 7 and all(" CV " in line for line in pairs)
    manifest.cache_clear()
    load_model.cache_clear()


def test_a_kept_language_is_cross_validated_with_its_shipped_recipe_only():
    import pytest

    from etl.sentiment.retrain import kept_recipe

    shipped = manifest()["languages"]["es"]  # 2026.12.07.5: with the praise-contrast texts
    assert kept_recipe("es", shipped) == Recipe(
        C=3.0, prior="lexicon-es", own_corpora=(("praise-contrast", 0.25),)
    )
    changed = shipped | {"recipe": shipped["recipe"] | {"neutral_weight": 0.85}}
    with pytest.raises(RuntimeError, match="retrain it too"):
        kept_recipe("es", changed)
