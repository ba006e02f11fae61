"""Self-inspection: the checklist for an industry, and the self-assessment report.

A checklist is every rule that applies to the industry (and site type) on the
date: one check item each, a question an enterprise answers 是 / 否 / 不适用
(是 = the hazard is present), grouped by the article's subject, with the
clause cited and what to look at (the questions of the rule's conditions).

A self-assessment takes the answers and lists each 重大事故隐患 found with its
clause, legal basis, immediate measures, the 治理方案 fields to fill
(五落实: 责任、措施、资金、时限、预案), the reporting duty, and what was left
unanswered. Bad answers are reported together, each naming its item.
"""
from __future__ import annotations

import re

from .context import InputError, parse_date
from .explain import MAJOR_HANDLING
from .views import legal_basis

ANSWERS = ("是", "否", "不适用")
ANSWER_ALIASES = {"yes": "是", "y": "是", "存在": "是", "有": "是", "no": "否", "n": "否", "不存在": "否", "无": "否",
                  "na": "不适用", "n/a": "不适用", "不涉及": "不适用"}
PLAN_FIELDS = ("责任人", "治理措施", "资金", "完成时限", "应急预案")

_LEAD = re.compile(r"^(?:“(?P<q>[^”]+)”|(?P<subj>.+?))(?:重大事故隐患)?(?:，)?(?:有下列|存在下列|是指有下列|，是指)")


def topic_of(rule) -> str:
    lead = (rule.lead_in or "").strip()
    m = _LEAD.match(lead)
    if m:
        t = (m.group("q") or m.group("subj") or "").strip("，, ")
        if t:
            return t
    return rule.clause_label.split("第（")[0] if "第（" in rule.clause_label else rule.title


def question_of(rule) -> str:
    if getattr(rule, "check_question", None):
        return rule.check_question
    text = rule.text.rstrip("。；;，, ")
    if text.endswith("的"):
        text = text[:-1]
    return f"是否存在以下情形：{text}？"


def _look_at(rule) -> list[str]:
    out = []
    for g in rule.groups.values():
        if g.question and g.question not in out:
            out.append(g.question)
    return out


def _order(rule):
    return tuple(int(x) for x in rule.clause.split("."))


def checklist(classifier, industry=None, site_type=None, as_of=None, standard=None) -> dict:
    kb = classifier.kb
    day = parse_date(as_of)
    ind = classifier.resolver.industry(industry)
    if not ind and not standard:
        raise InputError(f"请指定行业（--industry），可选：{'、'.join(classifier.resolver.industries)}")
    if standard and standard not in kb.standards:
        raise InputError(f"没有标准 {standard}；可选：{'、'.join(kb.standards)}")
    st = classifier.resolver.site_type(site_type)
    allowed = classifier.allowed_rules(day, (ind,) if ind else (), st)
    rules = [kb.rules[r] for r in allowed if kb.rules[r].level == "major"
             and (not standard or kb.rules[r].key == standard)]
    rules.sort(key=lambda r: (r.key, r.version, _order(r)))
    items, standards = [], {}
    for r in rules:
        ed = kb.edition_of(r)
        standards.setdefault(r.key, {**ed.summary(), "title": ed.title})
        items.append({
            "id": r.id, "question": question_of(r), "topic": topic_of(r), "clause_label": r.clause_label,
            "standard": {**ed.summary(), "title": ed.title}, "clause_text": r.text, "title": r.title,
            "look_at": _look_at(r), "verification": r.status,
        })
    if not items:
        raise InputError(f"{ind or standard} 在 {day.isoformat()} 没有适用的已收录判定标准条款")
    return {"industry": ind, "site_type": st, "as_of": day.isoformat(), "standards": list(standards.values()),
            "answers": list(ANSWERS), "items": items, "kb_version": kb.version}


def _answer(value) -> str | None:
    if value is None:
        return None
    v = str(value).strip()
    if v in ANSWERS:
        return v
    return ANSWER_ALIASES.get(v.lower())


def self_assess(classifier, data) -> dict:
    if not isinstance(data, dict):
        raise InputError("自查结果应为一个对象：{industry, enterprise, date, answers: {规则编号: 是|否|不适用}}")
    unknown = set(data) - {"industry", "site_type", "enterprise", "date", "as_of", "answers", "notes"}
    if unknown:
        raise InputError(f"不认识的字段：{'、'.join(sorted(unknown))}")
    answers = data.get("answers")
    if not isinstance(answers, dict) or not answers:
        raise InputError("缺少 answers：请按检查表逐项填写 是 / 否 / 不适用")
    notes = data.get("notes") or {}
    if not isinstance(notes, dict):
        raise InputError("notes 应为 {规则编号: 说明} 的对象")
    as_of = data.get("as_of") or data.get("date")
    cl = checklist(classifier, data.get("industry"), data.get("site_type"), as_of)
    by_id = {it["id"]: it for it in cl["items"]}
    kb = classifier.kb
    errors = []
    for rid, value in answers.items():
        if rid not in kb.rules:
            errors.append(f"{rid}：没有这个检查项（规则编号不存在）")
        elif rid not in by_id:
            errors.append(f"{rid}：不适用于{cl['industry']}行业在 {cl['as_of']} 的检查表（{kb.rules[rid].clause_label}）")
        elif _answer(value) is None:
            errors.append(f"{rid}：答案“{value}”无效，只能填 是、否 或 不适用")
    for rid in notes:
        if rid not in by_id:
            errors.append(f"notes.{rid}：不是本检查表中的项目")
    if errors:
        raise InputError("自查结果有误：\n" + "\n".join(errors))
    law41 = kb.laws.get("anquanshengchanfa", None)
    reporting_basis = None
    if law41 and "41" in law41.articles:
        a = law41.articles["41"]
        reporting_basis = {"title": f"《{law41.title}》", "label": a.label, "text": a.text}
    major, compliant, na, unanswered = [], [], [], []
    for it in cl["items"]:
        ans = _answer(answers.get(it["id"]))
        if ans is None:
            unanswered.append({"id": it["id"], "question": it["question"], "clause_label": it["clause_label"]})
        elif ans == "否":
            compliant.append(it["id"])
        elif ans == "不适用":
            na.append(it["id"])
        else:
            rule = kb.rules[it["id"]]
            major.append({
                "rule_id": rule.id, "clause_label": rule.clause_label, "standard": it["standard"],
                "title": rule.title, "clause_text": rule.text, "question": it["question"],
                "note": notes.get(rule.id), "legal_basis": legal_basis(kb, rule),
                "immediate_measures": list(rule.actions) + MAJOR_HANDLING[:1],
                "governance_plan": {f: "" for f in PLAN_FIELDS},
                "reporting": "由主要负责人组织制定并实施治理方案，及时向负有安全生产监督管理职责的部门和职工大会"
                             "或者职工代表大会报告重大事故隐患排查治理情况；治理完成、经评估确认后销号。",
                "verification": rule.status,
            })
    return {
        "enterprise": data.get("enterprise") or "", "industry": cl["industry"], "date": str(data.get("date") or ""),
        "as_of": cl["as_of"], "standards": cl["standards"],
        "summary": {"items": len(cl["items"]), "major": len(major), "compliant": len(compliant),
                    "not_applicable": len(na), "unanswered": len(unanswered)},
        "major": major, "compliant": compliant, "not_applicable": na, "unanswered": unanswered,
        "reporting_basis": reporting_basis, "handling": MAJOR_HANDLING, "kb_version": kb.version,
    }
