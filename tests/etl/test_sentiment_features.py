"""Negation scope marking in the word block of the sentiment features (features.py)."""

from __future__ import annotations

from etl.sentiment.features import FeatureSpec, counts, mark_negation, normalise


def test_the_up_to_three_words_after_a_negator_are_marked_within_the_clause():
    # "no" opens the scope: "funciona" and "bien" are marked, the full stop closes it.
    assert (
        mark_negation(normalise("No funciona bien. Gracias")) == "no neg_funciona neg_bien. gracias"
    )
    # Three words at most: "совсем" is the fourth after "не".
    assert (
        mark_negation(normalise("не работает приложение вообще совсем"))
        == "не neg_работает neg_приложение neg_вообще совсем"
    )
    # A word ending in n't is a negator; the comma closes the scope.
    assert mark_negation(normalise("I don't like it, at all")) == "i don't neg_like neg_it, at all"
    # Numbers are not words of the scope, and "nota" is not the negator "no".
    assert mark_negation("sin 3 días") == "sin 3 días"
    assert mark_negation("nota bien") == "nota bien"


def test_a_spec_without_the_negation_key_reads_as_off_and_off_leaves_the_features_alone():
    old = FeatureSpec.from_json(
        {k: v for k, v in FeatureSpec().to_json().items() if k != "negation"}
    )
    assert old == FeatureSpec() and not old.negation
    texts = ["no funciona bien", "funciona bien"]
    plain = counts(texts, FeatureSpec())
    marked = counts(texts, FeatureSpec(negation=True))
    # Off: the two texts share the word features "funciona", "bien" and "funciona bien";
    # on: the negated text's words are other features, so the word blocks differ for it only.
    cut = 2 ** FeatureSpec().char_bits
    assert (plain[:, :cut] != marked[:, :cut]).nnz == 0  # the character block is the same
    assert (plain[0, cut:] != marked[0, cut:]).nnz > 0
    assert (plain[1, cut:] != marked[1, cut:]).nnz == 0
