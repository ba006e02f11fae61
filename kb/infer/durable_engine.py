"""The same rule conditions, compiled to durable-rules rulesets.

Each rule's condition line is put in disjunctive normal form; every
alternative becomes one durable-rules rule whose patterns are the groups'
tests over facts ``{"t": "c", "c": <concept>}`` and
``{"t": "q", "u": <unit>, "lo": .., "hi": .., "lo_open": 0|1, "hi_open": 0|1}``.
A fired rule means the finding meets the clause.

How this stays correct under concurrent use:
durable-rules' Host starts timer threads that call into the C engine every
0.2 s; calling the engine from other threads at the same time corrupts its
state (wrong results, crashes). ``_QuietHost`` does not start them — we use no
timers or queued messages — so the engine is only ever entered by a caller
holding ``self._lock``. The C engine cannot hold
many rules in one ruleset (error 107/303 beyond a few dozen), so rules are
spread over rulesets of at most ``CHUNK`` rules.

Facts are asserted one at a time and retracted afterwards (``run_session``),
always in the same session: durable-rules 2.0.28 crashes (segmentation fault,
double free) when ``delete_state`` is called for a session, whether nothing
was stored in it or facts were stored that matched a rule only in part; and
when a batch holds a fact that no rule accepts, it raises for the whole batch.
One fact per call, each stored fact retracted after the judgement, leaves the
session empty, memory flat, and the engine whole (tests/test_durable.py).
"""
from __future__ import annotations

import threading

from durable import engine as _engine

from ..conditions import dnf
from ..extract import Facts
from ..model import KnowledgeBase

CHUNK = 24
SESSION = "0"   # one session, emptied after each judgement (see run_session)


class _QuietHost(_engine.Host):
    def _run(self):  # no timer threads: the engine is entered only under our lock
        pass


def _group_pattern(group) -> dict:
    if group.quantity:
        q = group.quantity
        unit, op, v = q["unit"], q["op"], q["value"]
        if op == ">":
            test = {"$or": [{"$gt": {"lo": v}}, {"$and": [{"lo": v}, {"lo_open": 1}]}]}
        elif op == ">=":
            test = {"$gte": {"lo": v}}
        elif op == "<":
            test = {"$or": [{"$lt": {"hi": v}}, {"$and": [{"hi": v}, {"hi_open": 1}]}]}
        elif op == "<=":
            test = {"$lte": {"hi": v}}
        else:
            test = {"$and": [{"lo": v}, {"hi": v}, {"lo_open": 0}, {"hi_open": 0}]}
        return {"$and": [{"t": "q"}, {"u": unit}, test]}
    alts = [{"c": cid} for cid in group.concepts]
    return {"$and": [{"t": "c"}, alts[0] if len(alts) == 1 else {"$or": alts}]}


def run_session(host: _engine.Host, ruleset: str, facts: list[dict]) -> None:
    """Assert ``facts`` into ``ruleset`` one by one (actions fire as rules are met),
    then retract every fact that was stored, leaving the session empty."""
    stored = []
    try:
        for fact in facts:
            try:
                host.assert_fact(ruleset, fact)
                stored.append(fact)
            except _engine.MessageNotHandledException:
                pass  # no rule of this ruleset looks at this fact
    finally:
        for fact in stored:
            host.retract_fact(ruleset, fact)


class DurableMatcher:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._lock = threading.Lock()
        self._fired: list[str] = []
        self._host = _QuietHost()
        self.rulesets: list[str] = []
        rules = sorted(kb.rules.values(), key=lambda r: r.id)
        for n in range(0, len(rules), CHUNK):
            definition = {}
            for rule in rules[n:n + CHUNK]:
                for k, alt in enumerate(dnf(rule.tree)):
                    patterns = [{f"g{i}": _group_pattern(rule.groups[name])} for i, name in enumerate(alt)]
                    definition[f"{rule.id}#{k}"] = {"all": patterns, "run": self._action(rule.id)}
            name = f"hazardkb_{n // CHUNK}"
            self._host.register_rulesets({name: definition})
            self.rulesets.append(name)

    def _action(self, rule_id):
        def run(c):
            self._fired.append(rule_id)
        return run

    @staticmethod
    def facts_of(facts: Facts) -> list[dict]:
        out = [{"t": "c", "c": cid} for cid in facts.concepts]
        seen = set()
        for q in facts.quantities:
            f = {"t": "q", "u": q.unit, "lo": q.lo, "hi": q.hi if q.hi != float("inf") else 1e15,   # 1e18 serialises as 1e+18, which durable-rules rejects
                 "lo_open": int(q.lo_open), "hi_open": int(q.hi_open)}
            key = tuple(f.values())
            if key not in seen:   # the same fact twice would be stored once, retracted twice
                seen.add(key)
                out.append(f)
        return out

    def met_rules(self, facts: Facts) -> set[str]:
        """The ids of the rules whose conditions the facts meet."""
        items = self.facts_of(facts)
        if not items:
            return set()
        with self._lock:
            self._fired = []
            facts_of_session = [dict(f, sid=SESSION) for f in items]
            for rs in self.rulesets:
                run_session(self._host, rs, facts_of_session)
            return set(self._fired)
