"""The concept lexicon, compiled for matching.

A concept (rules/lexicon/*.yaml) has the terms people write for it, optional
regular-expression patterns, broader concepts (电焊 → 焊接与热切割作业 → 特种作业),
and for states an opposite (持证 ↔ 未持证) that negation flips to.

Kinds: ``object`` (things, activities, places, people — the default),
``state`` (with ``polarity`` hazard or compliant: 未设置, 失效, 积水; 已设置, 完好),
``industry`` (words that name an industry: 炼钢 → 冶金) and ``site`` (site types).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import normalize


@dataclass
class Concept:
    id: str
    kind: str = "object"
    polarity: str | None = None
    terms: list = field(default_factory=list)
    patterns: list = field(default_factory=list)
    broader: list = field(default_factory=list)
    opposite: str | None = None
    industry: str | None = None
    generic: bool = False
    file: str = ""
    line: int = 0


class Lexicon:
    def __init__(self, concepts: dict[str, Concept]):
        self.concepts = concepts
        self.term_map: dict[str, list[str]] = {}
        for c in concepts.values():
            for t in [c.id] + list(c.terms):
                nt = normalize(t)
                if nt:
                    ids = self.term_map.setdefault(nt, [])
                    if c.id not in ids:
                        ids.append(c.id)
        terms = sorted(self.term_map, key=len, reverse=True)
        # one alternation, longest first: at each position the longest term wins
        self.term_re = re.compile("|".join(re.escape(t) for t in terms)) if terms else None
        self.patterns = [(re.compile(p), c.id) for c in concepts.values() for p in c.patterns]
        self._ancestors: dict[str, tuple] = {}

    def ancestors(self, cid: str) -> tuple:
        """The concept and everything broader than it, nearest first."""
        if cid in self._ancestors:
            return self._ancestors[cid]
        seen, order, stack = set(), [], [cid]
        while stack:
            x = stack.pop(0)
            if x in seen or x not in self.concepts:
                continue
            seen.add(x)
            order.append(x)
            stack.extend(self.concepts[x].broader)
        self._ancestors[cid] = tuple(order)
        return self._ancestors[cid]

    def descendants(self, cid: str) -> set:
        return {c for c in self.concepts if cid in self.ancestors(c)}
