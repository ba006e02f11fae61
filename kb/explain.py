"""Stage 4 of the pipeline: rank the evaluated rules, decide the level, and
write the judgement in the shape DESIGN.md fixes.

Level:
- ``major``: an applicable major clause is met in full;
- ``none``: the text describes compliant states only (均已持证, 已设置, 完好);
- ``general``: a hazard is described (未设置, 损坏, 积水 …) that meets no major
  clause, or a clause's threshold is explicitly not reached (6 人 ≤ 9 人);
- ``undetermined``: the text does not say enough; the questions say what would
  decide it.
"""
from __future__ import annotations

from .extract import Facts
from .infer.evaluate import RuleResult
from .model import LEVEL_LABELS, KnowledgeBase
from .views import legal_basis

MAX_MATCHES = 5
MAX_QUESTIONS = 5

# What to do with any 重大事故隐患 (《安全生产事故隐患排查治理暂行规定》; 安全生产法第四十一条).
MAJOR_HANDLING = [
    "立即采取措施，危险区域内无法保证安全的，撤出作业人员、停止相关作业或者停止使用相关设施设备",
    "由主要负责人组织制定并实施重大事故隐患治理方案，落实责任、措施、资金、时限和应急预案（五落实）",
    "按规定向负有安全生产监督管理职责的部门和职工大会或者职工代表大会报告",
    "治理完成后组织评估，经确认后方可恢复生产或使用，并在隐患排查治理台账中销号",
]
GENERAL_HANDLING = [
    "按一般事故隐患处理：由车间、班组负责人或有关人员立即组织整改",
    "整改情况记入隐患排查治理台账，整改完成后复查销号",
]

GENERIC_QUESTIONS = [
    "隐患发生在哪个行业、什么场所（如冶金、机械、化工，车间、仓库、有限空间）？",
    "涉及哪种设备设施、作业或人员（如电焊作业、除尘系统、液氨制冷、报警装置）？",
    "存在什么具体问题（如未设置、未持证、已损坏失效、数量超标）？",
]


def score(res: RuleResult, ctx_industry: str | None) -> float:
    groups = list(res.groups.values())
    n = max(1, len(groups))
    sat = sum(1 for g in groups if g.value is True)
    specific = sum(1 for g in groups if g.value is True and g.specific)
    if res.value is True:
        s = 0.80 + 0.12 * specific / n
    else:
        s = 0.65 * sat / n - 0.1 * sum(1 for g in groups if g.value is False) / n
    if ctx_industry and ctx_industry in res.rule.industries:
        s += 0.05
    return round(max(0.0, min(s, 0.99)), 2)


def _evidence_len(res: RuleResult) -> int:
    """How much of the finding the met conditions cover (each phrase counted once)."""
    return sum(len(t) for t in {t for g in res.groups.values() if g.value is True for t, _ in g.evidence})


def _specific_met(res: RuleResult) -> int:
    """How many of the clause's own conditions the finding meets (a clause with more
    conditions met is the more specific one)."""
    return sum(1 for g in res.groups.values() if g.value is True and g.specific)


def rank(results: list[RuleResult], ctx_industry, order: dict) -> list[tuple[RuleResult, float]]:
    scored = [(r, score(r, ctx_industry)) for r in results]
    scored.sort(key=lambda x: (x[0].value is not True, x[0].rule.level != "major", -x[1], -_specific_met(x[0]),
                               -_evidence_len(x[0]), order.get(x[0].rule.id, 0)))
    return scored


def question_for(rule, group_name: str) -> str:
    g = rule.groups[group_name]
    if g.question:
        return g.question
    if g.quantity:
        q = g.quantity
        op = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过", "==": "等于"}[q["op"]]
        value = int(q["value"]) if float(q["value"]).is_integer() else q["value"]
        return f"{q.get('of', '数量')}是否{op}{value}{q['unit']}？"
    return f"是否存在“{group_name}”的情形？"


def decide_level(met, relevant, facts: Facts) -> str:
    if any(r.rule.level == "major" for r in met):
        return "major"
    if met:  # comprehensive elements only: a hazard, not yet major on its own
        return "general"
    if facts.hazard or facts.negated:
        return "general"
    if facts.compliant:
        return "none"
    if any(g.value is False and rr.rule.groups[g.name].quantity for rr in relevant for g in rr.contradicted):
        return "general"
    return "undetermined"


class Explainer:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.order = {rid: i for i, rid in enumerate(kb.rules)}
        self.counted_by: dict[str, list] = {}
        for det in kb.determinations.values():
            for e in det.elements:
                self.counted_by.setdefault(e, []).append(det)

    def element_notes(self, rule, attrs: set) -> list[str]:
        """What a comprehensive element found alone means, and what would make it major."""
        std = self.kb.standards[rule.key]
        label = std.major_label or "重大事故隐患"
        out = [f"“{rule.title}”是《{self.kb.edition_of(rule).title}》{rule.clause_label}规定的综合判定要素，"
               f"单独存在不判定为{label}。"]
        for det in sorted(self.counted_by.get(rule.id, []), key=lambda d: d.threshold):
            if any(a in attrs for a in det.site_none):
                continue
            if det.site_any and attrs and not any(a in attrs for a in det.site_any):
                continue
            where = "、".join(det.site_any) if det.site_any else "其他场所"
            others = [self.kb.rules[e].clause_label for e in det.elements if e != rule.id]
            sample = "、".join(others[:8]) + ("等" if len(others) > 8 else "")
            out.append(f"按{det.clause_label}，{where}存在 {det.threshold} 条以上（含本数）所列综合判定要素的，"
                       f"判定为{label}：还需同一场所另有 {det.threshold - 1} 条（可计入：{sample}）。")
        return out

    def match(self, res: RuleResult, sc: float) -> dict:
        rule = res.rule
        ed = self.kb.edition_of(rule)
        std = self.kb.standards[rule.key]
        status = "met" if res.value is True else ("not_met" if res.value is False else "partial")
        missing = []
        for g in res.groups.values():
            if g.value is True:
                continue
            item = {"condition": g.name, "status": "unknown" if g.value is None else "contradicted",
                    "question": question_for(rule, g.name)}
            if g.evidence:
                item["evidence"] = "、".join(t for t, _ in g.evidence)
            missing.append(item)
        standard = ed.summary()
        standard["title"] = ed.title or std.title
        return {
            "rule_id": rule.id,
            "standard": standard,
            "clause": rule.clause,
            "clause_label": rule.clause_label,
            "clause_title": rule.title,
            "clause_text": rule.text,
            "lead_in": rule.lead_in,
            "level": rule.level,
            "status": status,
            "score": sc,
            "satisfied": [{"condition": g.name, "evidence": "、".join(t for t, _ in g.evidence)}
                          for g in res.groups.values() if g.value is True],
            "missing": missing,
            "legal_basis": legal_basis(self.kb, rule),
            "actions": list(rule.actions),
            "verification": rule.status,
        }

    def judgement(self, text: str, facts: Facts, results: list[RuleResult], ctx, notes: list,
                  attrs: set = frozenset()) -> dict:
        ranked = rank(results, ctx.industry, self.order)
        met = [(r, s) for r, s in ranked if r.value is True]
        relevant = [(r, s) for r, s in ranked if r.value is not True and r.relevant]
        level = decide_level([r for r, _ in met], [r for r, _ in relevant], facts)
        shown = (met + relevant)[:MAX_MATCHES] if level != "none" else relevant[:MAX_MATCHES]
        matches = [self.match(r, s) for r, s in shown]
        questions = []
        if level != "major":
            for r, _ in relevant[:3]:
                for g in r.unknown:
                    q = question_for(r.rule, g.name)
                    if q not in questions:
                        questions.append(q)
            if level == "undetermined" and not relevant:
                questions.extend(GENERIC_QUESTIONS)
        if level == "major" and len(met) > 1 and not ctx.industry:
            keys = {r.rule.key for r, _ in met}
            if len(keys) > 1:
                questions.append("该单位属于哪个行业？不同行业适用的判定标准不同（见 matches 中各条）。")
        for r, _ in met:
            if r.rule.level == "element":
                notes = notes + self.element_notes(r.rule, attrs)
        actions = []
        if level == "major":
            actions = list(matches[0]["actions"]) + MAJOR_HANDLING
        elif level == "general":
            actions = list(GENERAL_HANDLING)
        label = LEVEL_LABELS[level]
        if level == "major":
            std = self.kb.standards[matches[0]["standard"]["key"]]
            label = std.major_label or label
        return {
            "text": text,
            "level": level,
            "level_label": label,
            "matches": matches,
            "questions": questions[:MAX_QUESTIONS],
            "actions": actions,
            "context": {
                "as_of": ctx.as_of.isoformat(),
                "industry": ctx.industry,
                "industry_source": ctx.industry_source,
                "industry_evidence": ctx.industry_evidence,
                "site_type": ctx.site_type,
            },
            "facts": {
                "concepts": sorted(facts.concepts),
                "quantities": [q.text for q in facts.quantities],
                "hazard": [e.text for e in facts.hazard],
                "compliant": [e.text for e in facts.compliant],
            },
            "notes": notes,
            "kb_version": self.kb.version,
        }
