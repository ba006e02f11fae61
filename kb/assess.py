"""A whole inspection of one site: every finding judged, then the site-level
determinations (综合判定) that combine the comprehensive elements found.

    {"site": {"site_type": "KTV", "industry": ..., "name": ..., "attributes": {"人员密集场所": true}},
     "as_of": "2026-11-22", "findings": ["安全出口锁闭", {"text": "..."}, ...]}

Inference over the facts of all findings runs in durable-rules: one fact for
the site (its attributes: given, plus the site type's broader concepts —
KTV → 歌舞娱乐放映游艺场所 → 公共娱乐场所 → 人员密集场所) and one fact per distinct
comprehensive element met by any finding; each determination is a rule over
the site fact and the element facts with a count threshold, so it fires when
at least that many distinct elements stand at a site of its kind. The engine
is entered only under a lock, with no timer threads (see durable_engine.py).
"""
from __future__ import annotations

import threading

from .context import InputError, parse_date
from .infer.durable_engine import SESSION, _QuietHost, run_session

MAX_FINDINGS = 500


class DurableAssessor:
    def __init__(self, kb):
        self.kb = kb
        self._lock = threading.Lock()
        self._host = _QuietHost()
        self._fired: list = []
        self.rulesets: list[str] = []
        for n, det in enumerate(sorted(kb.determinations.values(), key=lambda d: d.id)):
            site = [{"t": "site"}]
            if det.site_any:
                alts = [{a: 1} for a in det.site_any]
                site.append(alts[0] if len(alts) == 1 else {"$or": alts})
            for a in det.site_none:
                site.append({"$neq": {a: 1}})
            elem = [{"t": "e"}, {"$or": [{"rid": e} for e in det.elements]} if len(det.elements) > 1
                    else {"rid": det.elements[0]}]
            definition = {det.id: {"all": [{"s": {"$and": site}}, {"e": {"$and": elem}}],
                                   "count": det.threshold, "run": self._action(det.id)}}
            name = f"hazardkb_det_{n}"
            self._host.register_rulesets({name: definition})
            self.rulesets.append(name)

    def _action(self, det_id):
        def run(c):
            self._fired.append(det_id)
        return run

    def fired(self, attributes: set, elements: set) -> set:
        if not self.rulesets or not elements:
            return set()
        with self._lock:
            sid = SESSION
            self._fired = []
            site = {"sid": sid, "t": "site", **{a: 1 for a in attributes}}
            facts = [site] + [{"sid": sid, "t": "e", "rid": e} for e in sorted(elements)]
            for rs in self.rulesets:
                run_session(self._host, rs, facts)
            return set(self._fired)


_assessors: dict = {}
_alock = threading.Lock()


def get_assessor(kb) -> DurableAssessor:
    with _alock:
        if kb.content_hash not in _assessors:
            _assessors[kb.content_hash] = DurableAssessor(kb)
        return _assessors[kb.content_hash]


def site_attributes(classifier, site: dict) -> set:
    attrs = {k for k, v in (site.get("attributes") or {}).items() if v is True}
    st = site.get("site_type")
    if st:
        cid = classifier.resolver.site_type(st)
        attrs |= set(classifier.kb.lexicon.ancestors(cid)) if cid in classifier.kb.lexicon.concepts else {cid}
    return attrs


def _check(body) -> tuple[dict, list]:
    if not isinstance(body, dict):
        raise InputError("检查记录应为一个对象：{site: {...}, as_of?, findings: [...]}")
    unknown = set(body) - {"site", "as_of", "findings"}
    if unknown:
        raise InputError(f"不认识的字段：{'、'.join(sorted(unknown))}")
    site = body.get("site") or {}
    if not isinstance(site, dict):
        raise InputError("site 应为对象：{site_type, industry, name, attributes}")
    bad = set(site) - {"site_type", "industry", "name", "attributes"}
    if bad:
        raise InputError(f"site 中不认识的字段：{'、'.join(sorted(bad))}")
    attrs = site.get("attributes") or {}
    if not isinstance(attrs, dict) or any(not isinstance(v, bool) for v in attrs.values()):
        raise InputError("site.attributes 应为 {属性名: true/false}，例如 {\"人员密集场所\": true}")
    findings = body.get("findings")
    if not isinstance(findings, list) or not findings:
        raise InputError("findings 应为非空列表，每项为一条隐患描述（文字，或 {text: ...}）")
    if len(findings) > MAX_FINDINGS:
        raise InputError(f"一次检查最多 {MAX_FINDINGS} 条发现，收到 {len(findings)} 条")
    return site, findings


def assess(classifier, body) -> dict:
    site, findings = _check(body)
    day = parse_date(body.get("as_of"))
    kb = classifier.kb
    attrs = site_attributes(classifier, site)
    judgements, element_findings = [], {}
    for n, f in enumerate(findings):
        if isinstance(f, str):
            f = {"text": f}
        if not isinstance(f, dict) or "text" not in f:
            raise InputError(f"findings 第 {n + 1} 条应为文字或 {{text: ...}}")
        try:
            j = classifier.classify(f["text"], industry=f.get("industry") or site.get("industry"),
                                    site_type=f.get("site_type") or site.get("site_type"),
                                    as_of=day.isoformat(), site_attributes=attrs)
        except InputError as e:
            raise InputError(f"findings 第 {n + 1} 条：{e}") from None
        judgements.append(j)
        for m in j["matches"]:
            if m["status"] == "met" and m["level"] == "element":
                element_findings.setdefault(m["rule_id"], [])
                if n not in element_findings[m["rule_id"]]:
                    element_findings[m["rule_id"]].append(n)
    in_force = {(k, e.version) for k, s in kb.standards.items() for e in [s.edition_on(day)] if e}
    fired = get_assessor(kb).fired(attrs, set(element_findings))
    determinations = []
    for det in sorted(kb.determinations.values(), key=lambda d: d.id):
        if (det.key, det.version) not in in_force:
            continue
        counted = [e for e in det.elements if e in element_findings]
        applies = _site_applies(det, attrs)
        if not counted or applies is False:
            continue
        std = kb.standards[det.key]
        ed = std.edition(det.version)
        determinations.append({
            "rule_id": det.id, "level": "major" if det.id in fired else "below_threshold",
            "level_label": (std.major_label or "重大事故隐患") if det.id in fired else "未达到判定数量",
            "standard": {**ed.summary(), "title": ed.title}, "clause_label": det.clause_label, "title": det.title,
            "clause_text": det.text, "site_condition": {"any": det.site_any, "none": det.site_none},
            "site_applies": applies, "count": len(counted), "threshold": det.threshold,
            "elements": [{"rule_id": e, "clause_label": kb.rules[e].clause_label, "title": kb.rules[e].title,
                          "findings": element_findings[e]} for e in counted],
            "findings": sorted({n for e in counted for n in element_findings[e]}),
            "verification": det.status,
        })
    determinations.sort(key=lambda d: (d["level"] != "major", -d["count"]))
    levels = [j["level"] for j in judgements] + [d["level"] for d in determinations]
    level = "major" if "major" in levels else "general" if "general" in levels else \
        "none" if all(x == "none" for x in levels) else "undetermined"
    label_std = next((kb.standards[d["standard"]["key"]] for d in determinations if d["level"] == "major"), None)
    from .model import LEVEL_LABELS
    return {
        "site": {**site, "attributes_used": sorted(attrs)}, "as_of": day.isoformat(), "level": level,
        "level_label": (label_std.major_label if label_std and label_std.major_label else LEVEL_LABELS[level]),
        "determinations": determinations, "findings": judgements, "kb_version": kb.version,
    }


def _site_applies(det, attrs: set):
    """True / False when the site's attributes decide, None when unknown."""
    if any(a in attrs for a in det.site_none):
        return False
    if not det.site_any:
        return True
    if any(a in attrs for a in det.site_any):
        return True
    return None if not attrs else False
