"""Extraction cost grows linearly with the text, whatever the text: counted in function calls (work),
never timed. Inputs are made here: run-on number soups and text without punctuation."""
from __future__ import annotations

import cProfile
import hashlib
import pstats

import pytest

from extractors.document import analyse
from pipeline.fetch import RawArticle
from pipeline.process import process_article
from settings import thresholds


def work(text: str) -> int:
    raw = RawArticle("size", text, False, content_hash=hashlib.sha256(text.encode()).hexdigest())
    profile = cProfile.Profile()
    profile.enable()
    process_article(raw, seconds=600)
    profile.disable()
    return pstats.Stats(profile).total_calls


NEWS = ("Tính đến ngày 10/6, toàn tỉnh đã kích hoạt 12.345 tài khoản định danh điện tử, đạt 86,7% kế hoạch, "
        "tăng 5,2% so với cùng kỳ. ")


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["123.456.789% ", NEWS, NEWS.replace(",", "").replace(".", "")])
def test_work_grows_linearly(unit):
    from underthesea import ner, pos_tag

    pos_tag("Khởi động mô hình."), ner("Khởi động mô hình.")
    work(unit * (24_000 // len(unit)))               # every model and pattern loaded before counting
    small, large = (work(unit * (n // len(unit))) for n in (6_000, 24_000))
    assert large < 4 * small * 1.3, (small, large)


def test_a_run_on_sentence_is_read_in_bounded_windows():
    text = "Toàn tỉnh có 12 xã và 30 thôn " * 2000           # 60 KB, no full stop
    analysis = analyse(text)
    assert max(s.end - s.start for s in analysis.sentences) <= thresholds.MAX_SENTENCE_CHARS
    assert all(analysis.text[s.start:s.end] == s.text for s in analysis.sentences)
