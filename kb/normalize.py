"""Stage 1 of the pipeline: normalise a finding's text.

NFKC folds full-width digits, letters and most punctuation to half width
("１２人" → "12人", "ＫＴＶ" → "KTV"); Latin letters are lower-cased; runs of
white space collapse, and spaces next to a Chinese character go away
("焊工 没证" → "焊工没证", "速冻间 12 人" → "速冻间12人"); spaces between
Latin letters or digits stay ("1 000"). Control characters are dropped. Offsets in the
normalised text are what every later stage reports as evidence.
"""
from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return text.lower()


# Sentence and clause boundaries: facts in different segments are not bound
# to each other by the negation rules.
SEGMENT_BREAK = re.compile(r"[,，。;；!！?？\n、：:]|但是|但|然而|而且|并且")


def segments(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the clause-level segments of a normalised text."""
    out, start = [], 0
    for m in SEGMENT_BREAK.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, 0)]
