"""The model card's neutral precision, and the word lists a gated (Chinese) model opens on."""

from __future__ import annotations

import math

import pytest

from etl.sentiment.card import neutral_precision, polar_rate
from etl.sentiment.gate import ZH_EVALUATIVE, gate_hits


def test_neutral_precision_is_the_share_of_neutral_labels_that_are_right():
    # rows gold neg/neu/pos, columns predicted neg/neu/pos
    matrix = [[5, 3, 2], [1, 6, 1], [0, 3, 9]]
    # called neutral: 3 + 6 + 3 = 12, of which gold neutral 6 -> 0.5
    assert neutral_precision(matrix) == 0.5
    # polar texts 10 + 12 = 22, own label 5 + 9 = 14
    assert polar_rate(matrix) == 14 / 22


def test_neutral_precision_is_not_a_number_without_neutral_texts_or_labels():
    assert math.isnan(neutral_precision([[8, 2, 0], [0, 0, 0], [1, 1, 8]]))  # binary corpus
    assert math.isnan(neutral_precision([[8, 0, 2], [1, 0, 1], [1, 0, 8]]))  # nothing neutral


def test_the_evaluative_gate_opens_on_everyday_evaluative_words_only():
    texts = [
        "我很喜欢这个颜色",
        "这家店太贵了",
        "服务太差",
        "怎么申请退款？",
        "转账失败了吗？",
        "差不多十点",
    ]
    # 喜欢 and 太贵 are only in the evaluative list; 太差 is in the lexicon too; refund,
    # failure and 差不多 questions stay closed
    assert gate_hits("evaluative-zh", texts).tolist() == [True, True, True, False, False, False]
    assert gate_hits("lexicon-zh", texts).tolist() == [False, False, True, False, False, False]


def test_the_evaluative_gate_opens_on_the_words_added_in_2026_12_07_6():
    # praise and complaints the development sets' errors showed gated to neutral: 效率
    # (efficiency), 套路 (a trick), 寒心 (disheartened), 清清楚楚 (crystal clear); a plain
    # question about changing an address has none of them and stays closed
    texts = [
        "客服效率很高",
        "满减活动全是套路",
        "老用户有点寒心",
        "账单写得清清楚楚",
        "怎么修改收货地址？",
    ]
    assert gate_hits("evaluative-zh", texts).tolist() == [True, True, True, True, False]


def test_the_evaluative_list_leaves_out_the_words_of_plain_support_questions():
    assert not {"退款", "退货", "成功", "失败", "坏了", "差"} & set(ZH_EVALUATIVE)
    assert len(ZH_EVALUATIVE) == len(set(ZH_EVALUATIVE))


def test_an_unknown_gate_is_refused():
    with pytest.raises(ValueError, match="unknown gate"):
        gate_hits("lexicon-xx", ["好"])
