"""`hazardkb validate`: every problem in the knowledge files, as file:line: reason.

Schema and cross-file problems come from the loader; on top of them every
rule's example findings are classified, and each one that does not come out
as declared is a problem at the example's own line.
"""
from __future__ import annotations

from pathlib import Path

from .load import load_with_problems
from .model import Problem


def example_items(rule):
    for kind in ("major", "not_major"):
        for i, ex in enumerate(rule.examples.get(kind, [])):
            yield kind, i, (ex if isinstance(ex, dict) else {"text": ex})


def check_example(classifier, rule, kind: str, ex: dict) -> str | None:
    """None when the example classifies as declared, else the reason."""
    from .context import InputError
    try:
        j = classifier.classify(ex["text"], industry=ex.get("industry"), site_type=ex.get("site_type"),
                                as_of=ex.get("as_of") or _in_force_date(classifier.kb, rule))
    except InputError as e:
        return f"例句“{ex['text']}”无法判定：{e}"
    met = [m["rule_id"] for m in j["matches"] if m["status"] == "met"]
    top = j["matches"][0]["rule_id"] if j["matches"] else None
    if kind == "major" and rule.level == "element":
        if top != rule.id or j["matches"][0]["status"] != "met":
            return f"正例“{ex['text']}”应首先满足综合判定要素 {rule.id}，实际首先匹配 {top}"
        return None
    if kind == "major":
        if j["level"] != "major":
            return f"正例“{ex['text']}”应判为重大事故隐患（{rule.id}），实际为 {j['level']}"
        if top != rule.id:
            return f"正例“{ex['text']}”应首先匹配 {rule.id}，实际首先匹配 {top}"
        return None
    if rule.id in met:
        return f"反例“{ex['text']}”不应满足 {rule.id}，但被判定满足"
    if ex.get("level") and ex["level"] != j["level"]:
        return f"反例“{ex['text']}”应判为 {ex['level']}，实际为 {j['level']}"
    return None


def _in_force_date(kb, rule):
    """Examples are judged on a day their rule's edition is in force."""
    import datetime as dt
    ed = kb.edition_of(rule)
    today = dt.date.today()
    if ed is None or ed.in_force(today) or not ed.effective:
        return None
    if ed.repealed:
        return (dt.date.fromisoformat(ed.repealed) - dt.timedelta(days=1)).isoformat()
    return ed.effective


def check_inspection(classifier, det, kind: str, ex: dict) -> str | None:
    """An inspection example of a site-level determination: does it fire as declared?"""
    from .assess import assess
    from .context import InputError
    body = {"site": ex["site"], "findings": ex["findings"],
            "as_of": ex.get("as_of") or _in_force_date(classifier.kb, det)}
    try:
        r = assess(classifier, body)
    except InputError as e:
        return f"检查例无法判定：{e}"
    fired = any(d["rule_id"] == det.id and d["level"] == "major" for d in r["determinations"])
    if kind == "major" and not fired:
        got = next((d for d in r["determinations"] if d["rule_id"] == det.id), None)
        count = got["count"] if got else 0
        return f"检查例应按 {det.id} 综合判定为重大隐患，实际要素 {count} 条（阈值 {det.threshold}）"
    if kind == "not_major" and fired:
        return f"检查例不应按 {det.id} 判定为重大隐患，但被判定"
    return None


def validate(root: Path | str | None = None, check_examples: bool = True) -> list[Problem]:
    kb, problems = load_with_problems(root)
    if kb is None or not check_examples:
        return problems
    from .classify import Classifier
    from .yamlsource import load_yaml
    classifier = Classifier(kb)
    docs = {}
    for rule in kb.rules.values():
        if rule.file not in docs:
            docs[rule.file] = load_yaml(Path(kb.root) / rule.file, rule.file)
        doc = docs[rule.file]
        idx = next((i for i, r in enumerate(doc.data["rules"]) if r.get("id") == rule.id), None)
        for kind, i, ex in example_items(rule):
            reason = check_example(classifier, rule, kind, ex)
            if reason:
                line = doc.line_of(("rules", idx, "examples", kind, i)) if idx is not None else rule.line
                problems.append(Problem(rule.file, line, reason))
    for det in kb.determinations.values():
        if det.file not in docs:
            docs[det.file] = load_yaml(Path(kb.root) / det.file, det.file)
        doc = docs[det.file]
        idx = next((i for i, d in enumerate(doc.data.get("determinations", [])) if d.get("id") == det.id), None)
        for kind in ("major", "not_major"):
            for i, ex in enumerate(det.examples.get(kind, [])):
                reason = check_inspection(classifier, det, kind, ex)
                if reason:
                    line = doc.line_of(("determinations", idx, "examples", kind, i)) if idx is not None else det.line
                    problems.append(Problem(det.file, line, reason))
    return problems
