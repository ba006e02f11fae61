"""Stage 2 of the pipeline: extract facts from a normalised finding.

Facts are the lexicon concepts the text mentions (with the words that
evidence them), after negation: a negation cue right before a concept flips
it to its opposite ("没有持证" → 未持证, "不存在积水" → 无积水) or, for a
thing with no opposite, marks it absent ("没有装报警器" → 报警装置 + 缺失).
Every concept brings its broader concepts with it (电焊 → 特种作业).
Quantities with units, and the industries and site types the text names, are
facts too.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from .lexicon import Lexicon
from .normalize import normalize, segments
from .quantities import Quantity, find_quantities

ABSENT = "缺失"  # the lexicon's generic "not provided / not in place" state

# A cue must end right before the concept (fillers between are skipped).
NEGATION_CUES = ("查不到", "找不到", "没看到", "未看到", "没见到", "未见到", "未见", "尚未", "并未", "从未", "未能", "不再",
                 "没有", "没", "未", "无", "不", "非", "缺少", "缺乏", "缺")
FILLERS = ("按照国家标准", "按国家标准", "按照标准", "按标准", "按照规范", "按规范", "按照设计", "按设计", "按照规定", "按规定",
           "按要求", "依法", "专门", "有效", "全部", "都", "均", "已", "实现", "开展", "办理", "做",
           "经过", "经", "设置", "安装", "配备", "配置", "设", "装", "配", "进行", "落实", "采用", "使用", "用",
           "与其", "对其", "再", "有", "了", "的", "他", "她", "其", "该")


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int
    via: str  # the concept the words named directly


@dataclass
class Facts:
    text: str
    concepts: dict = field(default_factory=dict)      # concept id → [Evidence]
    negated: dict = field(default_factory=dict)       # concept id → [Evidence] (said to be absent)
    quantities: list = field(default_factory=list)    # [Quantity]
    industries: dict = field(default_factory=dict)    # industry → Evidence
    site_types: dict = field(default_factory=dict)    # site type → Evidence
    hazard: list = field(default_factory=list)        # evidence of a hazardous state
    compliant: list = field(default_factory=list)     # evidence of a compliant state

    def has(self, cid: str) -> bool:
        return cid in self.concepts

    def quantities_in(self, unit: str) -> list[Quantity]:
        return [q for q in self.quantities if q.unit == unit]


# "没有与事故风机联锁", "未与承包单位签订协议", "未对设备进行检查": the negation is of the
# relation (联锁, 签订, 检查), not of the thing named after 与/对 — that thing is not missing.
RELATION_NEGATION = re.compile(r"(尚未|并未|从未|未能|没有|没|未|不|无法)(?:与|和|跟|同|对|向|为)[^，。；,;!！?？、]{1,12}$")


# Negation written after the thing: "考核合格证查不到", "操作证拿不出来", "报警器也没找到".
# Only for things and compliant states (a hazard "查不到" is not its opposite).
POST_NEGATION = re.compile(r"[证书件的]{0,2}(?:也|都|均|还|仍|根本|一直)?"
                           r"(?:查不到|找不到|未找到|没找到|没有找到|未见到|没见到|拿不出|提供不出|未能提供|未提供|没提供|没有提供|不见了|丢失|遗失)")


def _negation_cue(prefix: str) -> str | None:
    """The cue that ``prefix`` ends with, once fillers are stripped, if any; or the cue
    of a negated relation (未与X…, 没有对X…) right before the concept."""
    m = RELATION_NEGATION.search(prefix)
    if m:
        return m.group(1)
    p = prefix
    for _ in range(6):
        for cue in NEGATION_CUES:
            if p.endswith(cue):
                return cue
        for f in FILLERS:
            if p.endswith(f):
                p = p[: -len(f)]
                break
        else:
            return None
    return None


# "核定2人，现场5人" / "核定药量10kg，现场滞留30kg": an approved figure and an actual one of
# the same unit, compared. Emits the state concepts below when the lexicon has them.
APPROVED_BEFORE = re.compile(r"(?:核定|定员|定量|额定|设计|规定|允许|批准|限定|限员|限量|最多)[^，。；,;!！?？0-9]{0,6}$")
ACTUAL_BEFORE = re.compile(r"(?:实际|现场|实有|共有|达到|存了|存放|滞留|在岗|干活|作业|却有|有)[^，。；,;!！?？0-9]{0,6}$")
OVER_APPROVED = {"人": ("实际人数超过核定", "实际人数未超核定")}
OVER_APPROVED_OTHER = ("实际数量超过核定", "实际数量未超核定")


def approved_vs_actual(text: str, quantities) -> list[tuple[str, Evidence]]:
    """(concept, evidence) for each approved/actual pair of one unit that the text gives."""
    out = []
    for i, a in enumerate(quantities):
        if not APPROVED_BEFORE.search(text[max(0, a.start - 10):a.start]):
            continue
        for b in quantities[i + 1:]:
            if b.unit != a.unit or APPROVED_BEFORE.search(text[max(0, b.start - 10):b.start]):
                continue
            if not ACTUAL_BEFORE.search(text[max(0, b.start - 10):b.start]):
                continue
            over, within = OVER_APPROVED.get(a.unit, OVER_APPROVED_OTHER)
            ev = Evidence(text[a.start:b.end], a.start, b.end, over)
            if b.lo > a.hi or (b.lo == a.hi and b.lo_open):
                out.append((over, ev))
            elif b.hi <= a.lo:
                out.append((within, ev))
            break
    return out


class Extractor:
    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def _raw_matches(self, text: str):
        if self.lex.term_re is not None:
            for m in self.lex.term_re.finditer(text):
                for cid in self.lex.term_map[m.group(0)]:
                    yield cid, m.start(), m.end()
        for rx, cid in self.lex.patterns:
            for m in rx.finditer(text):
                yield cid, m.start(), m.end()

    def extract(self, raw_text: str, normalized: bool = False) -> Facts:
        text = raw_text if normalized else normalize(raw_text)
        facts = Facts(text=text)
        segs = segments(text)

        def seg_start(pos: int) -> int:
            for s, e in segs:
                if s <= pos < e:
                    return s
            return pos

        lex = self.lex
        for cid, start, end in self._raw_matches(text):
            c = lex.concepts[cid]
            cue = _negation_cue(text[seg_start(start):start])
            post = None
            if cue is None and (c.kind == "object" or (c.kind == "state" and c.polarity == "compliant")):
                post = POST_NEGATION.match(text, end)
            if cue is not None or post is not None:
                if cue is not None:
                    cue_start = text.rfind(cue, 0, start)
                    ev = Evidence(text[cue_start:end], cue_start, end, cid)
                else:
                    ev = Evidence(text[start:post.end()], start, post.end(), cid)
                if c.opposite:
                    self._add(facts, c.opposite, ev)
                else:
                    facts.negated.setdefault(cid, []).append(ev)
                    if c.kind == "object":
                        # the thing is named, and said to be missing
                        self._add(facts, cid, Evidence(text[start:end], start, end, cid))
                        if ABSENT in lex.concepts:
                            self._add(facts, ABSENT, ev)
                continue
            self._add(facts, cid, Evidence(text[start:end], start, end, cid))
        facts.quantities = find_quantities(text)
        for cid, ev in approved_vs_actual(text, facts.quantities):
            if cid in lex.concepts:
                self._add(facts, cid, ev)
        return facts

    def add_fact(self, facts: Facts, cid: str, ev: Evidence):
        """A fact known from the context (the industry given), not from the words."""
        self._add(facts, cid, ev)

    def _add(self, facts: Facts, cid: str, ev: Evidence):
        lex = self.lex
        for a in lex.ancestors(cid):
            lst = facts.concepts.setdefault(a, [])
            if ev not in lst:
                lst.append(ev)
            c = lex.concepts[a]
            if c.kind == "industry":
                facts.industries.setdefault(c.industry or c.id, ev)
            elif c.kind == "site":
                facts.site_types.setdefault(c.id, ev)
            elif c.kind == "state" and a == cid:
                (facts.hazard if c.polarity == "hazard" else facts.compliant).append(ev)
