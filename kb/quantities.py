"""Quantities with units in Chinese findings: "12人", "十几个人", "超过9名",
"30kPa", "积尘约5毫米", "二十多人".

Each quantity is an interval [lo, hi] with open/closed ends, so that vague
counts are compared honestly: "十几个人" is 11–19, so it is more than 9 for
certain; "几个人" is 2–9, so "more than 9" is false; "近10人" could be either.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

# canonical unit → the ways people write it (longest first when compiled)
UNIT_FORMS = {
    "人": ["个人", "名人员", "名工人", "名员工", "名作业人员", "名", "人", "位", "号人"],
    "m": ["米", "m", "公尺"],
    "mm": ["毫米", "mm"],
    "cm": ["厘米", "公分", "cm"],
    "%": ["%", "％", "个百分点"],
    "t": ["吨", "t"],
    "kg": ["公斤", "千克", "kg"],
    "d": ["天", "日"],
    "h": ["小时", "个小时", "h"],
    "min": ["分钟", "min"],
    "kPa": ["kpa", "千帕"],
    "MPa": ["mpa", "兆帕"],
    "Pa": ["pa", "帕"],
    "℃": ["℃", "°c", "摄氏度", "度"],
    "m3": ["立方米", "m3", "m³"],
    "m2": ["平方米", "m2", "m²", "平米"],
    "kV": ["kv", "千伏"],
    "个": ["个"],
    "台": ["台"],
    "处": ["处"],
    "层": ["层"],
    "次": ["次"],
}
_FORM_TO_UNIT = {f: u for u, forms in UNIT_FORMS.items() for f in forms}

_NUM_CHARS = "0-9零〇一二两俩三仨四五六七八九十百千万"
_NUMBER = rf"(?:[0-9]+(?:\.[0-9]+)?|[{_NUM_CHARS[3:]}]+|几十|十几|几百|几)"
_PREFIX = r"(?P<pre>超过|多于|大于|高于|不少于|至少|达到|达|约|大约|将近|接近|近|不到|少于|小于|低于|不足|不超过|最多|上)?"
_SUFFIX = r"(?P<approx>多|余|几|来)?"
_UNIT_RE = "|".join(re.escape(f) for f in sorted(_FORM_TO_UNIT, key=len, reverse=True))
_POST = r"(?P<post>以上|以下|以内|左右|多)?"

QUANTITY = re.compile(
    rf"{_PREFIX}(?P<num>{_NUMBER}){_SUFFIX}(?:个|名)?(?P<unit>{_UNIT_RE}){_POST}"
)


@dataclass(frozen=True)
class Quantity:
    unit: str
    lo: float
    hi: float
    lo_open: bool
    hi_open: bool
    text: str
    start: int
    end: int

    def compare(self, op: str, v: float):
        """True / False when the interval decides ``quantity op v``, else None."""
        lo, hi = self.lo, self.hi
        if op in (">", ">="):
            strict = op == ">"
            if lo > v or (lo == v and (self.lo_open or not strict)):
                return True
            if hi < v or (hi == v and (strict or self.hi_open)):
                return False
            return None
        if op in ("<", "<="):
            strict = op == "<"
            if hi < v or (hi == v and (self.hi_open or not strict)):
                return True
            if lo > v or (lo == v and (strict or self.lo_open)):
                return False
            return None
        if op == "==":
            if lo == hi == v and not (self.lo_open or self.hi_open):
                return True
            if v < lo or v > hi:
                return False
            return None
        raise ValueError(op)


def chinese_number(s: str) -> float | None:
    """'12' → 12, '十二' → 12, '二十三' → 23, '一百零五' → 105, '两万' → 20000."""
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", s):
        return float(s)
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return float(total + section + (digit or 0))


def _interval(num: str, approx: str | None):
    """The interval a written number stands for, before prefixes and suffixes."""
    if num == "几":
        return 2.0, 9.0
    if num == "几十":
        return 20.0, 99.0
    if num == "十几":
        return 11.0, 19.0
    if num == "几百":
        return 200.0, 999.0
    if num.endswith("几") and len(num) > 1:  # 二十几 → 21–29
        base = chinese_number(num[:-1])
        if base is None:
            return None
        return base + 1, base + 9
    value = chinese_number(num)
    if value is None:
        return None
    if approx in ("多", "余", "来"):
        step = 10 ** max(0, int(math.log10(value)) if value >= 10 else 0)
        return value, value + step  # "二十多" → (20, 30), exclusive below
    if approx == "几":  # "二十几"
        return value + 1, value + 9
    return value, value


def find_quantities(text: str) -> list[Quantity]:
    out = []
    for m in QUANTITY.finditer(text):
        num, approx = m.group("num"), m.group("approx")
        iv = _interval(num, approx)
        if iv is None:
            continue
        lo, hi = iv
        lo_open = hi_open = False
        if approx in ("多", "余", "来") or m.group("post") == "多":
            lo_open = True
            if m.group("post") == "多" and lo == hi:
                step = 10 ** (int(math.log10(lo)) if lo >= 10 else 0)
                hi = lo + step
            hi_open = True
        pre, post = m.group("pre"), m.group("post")
        if pre in ("超过", "多于", "大于", "高于", "上") or post == "以上" and pre is None:
            if pre in ("超过", "多于", "大于", "高于"):
                lo_open = True
            lo, hi, hi_open = lo, math.inf, True
        elif pre in ("不少于", "至少", "达到", "达"):
            hi, hi_open = math.inf, True
        elif pre in ("不到", "少于", "小于", "低于", "不足"):
            lo, hi, hi_open = 0.0, lo, True
        elif pre in ("不超过", "最多") or post in ("以下", "以内"):
            lo, hi = 0.0, hi
        elif pre in ("将近", "接近", "近"):
            lo, hi, hi_open = lo * 0.8, lo, True
        elif pre in ("约", "大约") or post == "左右":
            lo, hi = lo * 0.9, hi * 1.1
        unit = _FORM_TO_UNIT[m.group("unit")]
        out.append(Quantity(unit, lo, hi, lo_open, hi_open, m.group(0), m.start(), m.end()))
    return out
