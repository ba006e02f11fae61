"""Stage 3 of the pipeline (single findings): evaluate rule conditions on facts.

The YAML conditions are compiled into an index from concept to the rules that
mention it, so one finding touches only the rules whose words it contains.
Each condition group is True (its concept is there, or its number is met),
False (the opposite is there: 已持证 against 未持证, 6人 against "超过9人") or
unknown; the rule's condition line combines them with Kleene logic. The same
conditions also compile to durable-rules rulesets (durable_engine.py); a test
checks that both agree on which rules are met for every example finding.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..conditions import evaluate
from ..extract import Facts
from ..model import KnowledgeBase, Rule


@dataclass
class GroupResult:
    name: str
    value: object            # True / False / None
    evidence: list = field(default_factory=list)   # [(text, concept)]
    specific: bool = False   # met by a word of this clause, not only by a generic state (未设置, 失效)


@dataclass
class RuleResult:
    rule: Rule
    value: object            # True / False / None
    groups: dict             # name → GroupResult

    @property
    def satisfied(self):
        return [g for g in self.groups.values() if g.value is True]

    @property
    def contradicted(self):
        return [g for g in self.groups.values() if g.value is False]

    @property
    def unknown(self):
        return [g for g in self.groups.values() if g.value is None]

    @property
    def relevant(self) -> bool:
        return any(g.value is True and g.specific for g in self.groups.values())


class RuleIndex:
    """Candidates are found through the clause's own words only: a generic state
    (缺失, 失效 …) alone never makes a rule true, so it does not make it a candidate —
    except for a rule with an alternative made of generic groups only (always a candidate)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.by_concept: dict[str, list[str]] = {}
        self.always: list[str] = []
        lex = kb.lexicon.concepts
        from ..conditions import dnf

        def generic_group(g):
            return not g.quantity and all(cid in lex and lex[cid].generic for cid in g.concepts)
        for rid, rule in kb.rules.items():
            if any(all(generic_group(rule.groups[n]) for n in alt) for alt in dnf(rule.tree)):
                self.always.append(rid)
            for g in rule.groups.values():
                if generic_group(g):
                    continue
                for cid in g.concepts:
                    keys = [cid]
                    opp = lex[cid].opposite if cid in lex else None
                    if opp:
                        keys.append(opp)
                    for k in keys:
                        lst = self.by_concept.setdefault(k, [])
                        if rid not in lst:
                            lst.append(rid)

    def candidates(self, facts: Facts, allowed) -> list[Rule]:
        seen, out = set(), []
        for rid in self.always:
            if rid in allowed:
                seen.add(rid)
                out.append(self.kb.rules[rid])
        for cid in facts.concepts:
            for rid in self.by_concept.get(cid, ()):
                if rid not in seen and rid in allowed:
                    seen.add(rid)
                    out.append(self.kb.rules[rid])
        return out

    def evaluate_group(self, g, facts: Facts) -> GroupResult:
        lex = self.kb.lexicon.concepts
        if g.quantity:
            q = g.quantity
            values = [(x, x.compare(q["op"], q["value"])) for x in facts.quantities_in(q["unit"])]
            met = [x for x, v in values if v is True]
            if met:
                return GroupResult(g.name, True, [(x.text, "数量") for x in met])
            if values and all(v is False for _, v in values):
                return GroupResult(g.name, False, [(x.text, "数量") for x, _ in values])
            return GroupResult(g.name, None)
        hits = [(ev.text, cid) for cid in g.concepts for ev in facts.concepts.get(cid, ())]
        if hits:
            specific = any(not lex[cid].generic for _, cid in hits)
            return GroupResult(g.name, True, _dedupe(hits), specific)
        against = []
        for cid in g.concepts:
            opp = lex[cid].opposite
            if opp and opp in facts.concepts:
                against.extend((ev.text, opp) for ev in facts.concepts[opp])
        if against:
            return GroupResult(g.name, False, _dedupe(against))
        return GroupResult(g.name, None)

    def evaluate_rule(self, rule: Rule, facts: Facts) -> RuleResult:
        groups = {name: self.evaluate_group(g, facts) for name, g in rule.groups.items()}
        value = evaluate(rule.tree, {n: r.value for n, r in groups.items()})
        return RuleResult(rule, value, groups)

    def run(self, facts: Facts, allowed) -> list[RuleResult]:
        return [self.evaluate_rule(r, facts) for r in self.candidates(facts, allowed)]


def _dedupe(pairs):
    out = []
    for p in pairs:
        if p not in out:
            out.append(p)
    return out
