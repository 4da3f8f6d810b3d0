"""Figures on a file written outside the team (etl/sentiment/external.py)."""

from __future__ import annotations

import json

from etl.sentiment.external import main, production_figures
from etl.sentiment.models import FORMAT, manifest

TEXTS = """
[es]
positive = ["El servicio es excelente", "Todo bien, gracias"]
negative = ["Es horrible, una estafa", "No funciona nada"]
neutral = ["¿Dónde está mi pedido?"]
"""


def test_own_label_counts_a_neutral_label_as_wrong_and_macro_f1_has_three_classes(tmp_path, capsys):
    # A models folder whose Spanish production method is the lexicon (no model file), so the
    # labels are the lexicon's: both positives positive, "Es horrible, una estafa" negative,
    # "No funciona nada" and the question neutral (no listed word).
    models = tmp_path / "models"
    models.mkdir()
    body = {
        "format": FORMAT,
        "thresholds": {"negative": 0.35, "positive": 0.35},
        "languages": {"es": {"production": "lexicon-es"}},
    }
    (models / "manifest.json").write_text(json.dumps(body), "utf-8")
    path = tmp_path / "blind.toml"
    path.write_text(TEXTS, "utf-8")
    manifest.cache_clear()
    r = production_figures(path, models)["es"]
    # own label: 3 of the 4 polar texts (the neutral-labelled complaint counts as wrong)
    assert r["own_label"] == 0.75 and r["n"] == 5 and r["method"] == "lexicon-es"
    # negative P 1 R 0.5 F1 0.667; neutral P 0.5 R 1 F1 0.667; positive 1 -> 0.7778
    assert r["macro_f1"] == 0.7778
    assert r["confusion"] == [[1, 1, 0], [0, 1, 0], [0, 0, 2]]
    assert main([str(path), "--models", str(models)]) == 0
    assert (
        "| es | lexicon-es | 5 | 0.750 | 0.778 | neg 1/1/0; neu 0/1/0; pos 0/0/2 |"
        in capsys.readouterr().out
    )
    manifest.cache_clear()
