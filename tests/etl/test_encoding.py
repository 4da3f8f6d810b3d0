"""Encoding detection: BOMs decide, then strict UTF-8, then charset-normalizer."""

from __future__ import annotations

import random

import pytest

from etl.encoding import decode, detect_encoding
from etl.errors import UnusableInput

CHINESE = "工单编号;问题描述\n1;转账一直没有到账\n2;无法登录账户，请帮忙处理\n"


def test_plain_utf8_is_utf8():
    assert decode("id,name\n1,José\n".encode(), "t.csv") == ("id,name\n1,José\n", "utf-8")


def test_utf8_with_bom_is_utf8_sig_and_the_bom_is_dropped():
    assert decode(b"\xef\xbb\xbfid\n1\n", "t.csv") == ("id\n1\n", "utf-8-sig")


def test_excel_unicode_text_is_utf16le_with_bom():
    data = "\ufeffid\tname\r\n1\tJosé\r\n".encode("utf-16-le")
    assert decode(data, "t.txt") == ("id\tname\r\n1\tJosé\r\n", "utf-16-le")


def test_utf16be_with_bom():
    data = "\ufeffid\n1\n".encode("utf-16-be")
    assert decode(data, "t.txt") == ("id\n1\n", "utf-16-be")


def test_utf16le_without_bom_is_recognised_by_where_its_zero_bytes_are():
    assert detect_encoding("id\tname\n1\tAnn\n".encode("utf-16-le")) == "utf-16-le"


def test_gb18030_chinese_text_without_bom_is_gb18030():
    assert decode(CHINESE.encode("gb18030"), "t.csv") == (CHINESE, "gb18030")


def test_gbk_chinese_text_is_reported_as_gb18030_the_superset():
    assert detect_encoding("转账一直没有到账".encode("gbk")) == "gb18030"


def test_utf8_cut_off_inside_its_last_character_is_still_utf8():
    data = "id\n1\n转".encode()[:-1]
    assert decode(data, "t.csv") == ("id\n1\n\ufffd", "utf-8")


def test_random_binary_is_unusable_and_the_message_names_the_file():
    data = random.Random(7).randbytes(4000)
    with pytest.raises(UnusableInput) as err:
        decode(data, "photo.csv")
    assert str(err.value) == (
        "photo.csv: cannot tell the text encoding; expected UTF-8, UTF-16 or GB18030"
    )


def test_text_full_of_nul_bytes_is_unusable():
    with pytest.raises(UnusableInput, match="^blob.csv: cannot tell the text encoding"):
        decode(b"\x00\x01\x02\x03" * 100, "blob.csv")


def test_a_short_gb18030_sheet_that_a_guesser_calls_cyrillic_is_read_as_gb18030(tmp_path):
    from sample_data import generate

    # seed 1 at this scale made charset-normalizer answer iso8859-5 for the zh team's sheet
    (sheet,) = [f for f in generate(tmp_path, seed=1, scale=0.3) if "gb18030" in f.path.name]
    assert detect_encoding(sheet.path.read_bytes()) == "gb18030"


def test_cyrillic_text_in_a_single_byte_code_page_is_not_taken_for_chinese():
    text = "Здравствуйте, перевод не пришёл уже два дня\n" * 20
    assert detect_encoding(text.encode("cp1251")) != "gb18030"
