"""The pipeline for one finding: normalize → extract → infer → explain.

    Classifier(kb).classify("焊工没证在车间焊钢架", industry="机械")

What applies is decided first: the editions in force on ``as_of``, the
standards that cover the industry (given, or named in the text), and the
rules' own industries and site types.
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from .context import MAX_TEXT, Context, ContextResolver, check_text, parse_date
from .explain import Explainer
from .extract import Evidence, Extractor
from .infer.evaluate import RuleIndex
from .load import load
from .model import KnowledgeBase
from .normalize import normalize


class Classifier:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.extractor = Extractor(kb.lexicon)
        self.index = RuleIndex(kb)
        self.explainer = Explainer(kb)
        self.resolver = ContextResolver(kb, self.extractor)
        self._allowed_cache: dict = {}
        self._encoded_editions = {(r.key, r.version) for r in kb.rules.values()}
        self._keys_with_rules = {r.key for r in kb.rules.values()}
        # industry name → the lexicon's industry concepts for it (a rule may require one)
        self.industry_concepts: dict[str, list[str]] = {}
        for c in kb.lexicon.concepts.values():
            if c.kind == "industry":
                self.industry_concepts.setdefault(c.industry or c.id, []).append(c.id)

    # -- what applies -------------------------------------------------------
    def editions_in_force(self, day: dt.date) -> dict:
        out = {}
        for key, std in self.kb.standards.items():
            ed = std.edition_on(day)
            if ed is not None:
                out[key] = ed
        return out

    def allowed_rules(self, day: dt.date, industries: tuple, site_type: str | None,
                      attributes: frozenset = frozenset()) -> frozenset:
        """Rules of the editions in force on ``day`` that apply to the industry and the site.
        A rule limited to site types applies when the site is of one of them (its type, or
        a broader type it belongs to: KTV is a 公共娱乐场所); with no site given, it applies."""
        ck = (day, industries, site_type, attributes)
        if ck in self._allowed_cache:
            return self._allowed_cache[ck]
        eds = self.editions_in_force(day)
        allowed = set()
        for rid, rule in self.kb.rules.items():
            ed = eds.get(rule.key)
            if ed is None or ed.version != rule.version:
                continue
            std = self.kb.standards[rule.key]
            if industries and not std.cross_industry:
                if not any(i in std.industries for i in industries):
                    continue
                if rule.industries and not any(i in rule.industries for i in industries):
                    continue
            if rule.site_types and (site_type or attributes):
                if not (set(rule.site_types) & (attributes | {site_type})):
                    continue
            allowed.add(rid)
        result = frozenset(allowed)
        if len(self._allowed_cache) < 4096:
            self._allowed_cache[ck] = result
        return result

    def _encoded(self, key: str, version: str) -> bool:
        return (key, version) in self._encoded_editions

    def coverage_notes(self, day: dt.date, industries: tuple, used_keys) -> list[str]:
        """Say plainly when a standard that may govern the finding is in force but its
        clauses are not encoded yet: then "not major" here does not rule a major hazard out."""
        listed = []
        for key, std in sorted(self.kb.standards.items()):
            ed = std.edition_on(day)
            if ed is None or self._encoded(key, ed.version):
                continue
            if industries and not (std.cross_industry or any(i in std.industries for i in industries)):
                continue
            listed.append(std)
        if not listed or (used_keys and not industries):
            return []
        names = "、".join(f"《{s.title}》" for s in listed)
        return [f"{names}已列入本库，但条款尚未收录：涉及这些领域的问题，本判定不能排除重大事故隐患，请对照标准原文判定。"]

    def edition_notes(self, day: dt.date, used_keys, industries: tuple = ()) -> list[str]:
        notes = []
        today = dt.date.today()
        for key in used_keys:
            std = self.kb.standards[key]
            ed = std.edition_on(day)
            if ed is None:
                continue
            now = std.edition_on(today)
            if now is not None and now.version != ed.version and day < today:
                notes.append(f"按 {day.isoformat()} 有效的《{ed.title}》（{ed.doc_number}）判定；"
                             f"该版本已被《{now.title}》（{now.doc_number}，{now.effective} 起施行）替代。")
        for key, std in self.kb.standards.items():
            if industries and not (std.cross_industry or any(i in std.industries for i in industries)):
                continue
            if not industries and key not in used_keys and key not in self._keys_with_rules:
                continue
            if std.editions and std.edition_on(day) is None:
                first = std.editions[0]
                if first.effective and dt.date.fromisoformat(first.effective) > day:
                    notes.append(f"《{std.title}》自 {first.effective} 起施行，{day.isoformat()} 时尚不适用。")
        return notes

    # -- the pipeline -------------------------------------------------------
    def site_attributes(self, site_type: str | None) -> set:
        if not site_type:
            return set()
        lex = self.kb.lexicon
        return set(lex.ancestors(site_type)) if site_type in lex.concepts else {site_type}

    def classify(self, text, industry=None, site_type=None, as_of=None, site_attributes=None) -> dict:
        full = check_text(text)
        text = full[:MAX_TEXT]
        day = parse_date(as_of)
        ctx = Context(as_of=day)
        ctx.industry = self.resolver.industry(industry)
        ctx.site_type = self.resolver.site_type(site_type)
        norm = normalize(text)
        facts = self.extractor.extract(norm, normalized=True)
        industries: tuple = ()
        if ctx.industry:
            ctx.industry_source = "given"
            industries = (ctx.industry,)
            # the given industry is a fact too: a condition group may require it (燃气经营者 …)
            for cid in self.industry_concepts.get(ctx.industry, ()):
                self.extractor.add_fact(facts, cid, Evidence(f"（行业：{ctx.industry}）", -1, -1, cid))
        else:
            known = [i for i in facts.industries if i in self.resolver.industries]
            if known:
                ctx.industry = known[0]
                ctx.industry_source = "text"
                ctx.industry_evidence = facts.industries[known[0]].text
                industries = tuple(known)
        if not ctx.site_type and facts.site_types:
            st = next((s for s in facts.site_types if s in self.resolver.site_types), None)
            ctx.site_type = st
        attrs = set(site_attributes or ()) | self.site_attributes(ctx.site_type)
        allowed = self.allowed_rules(day, industries, ctx.site_type, frozenset(attrs))
        results = self.index.run(facts, allowed)
        used = {r.rule.key for r in results if r.value is True or r.relevant}
        notes = self.edition_notes(day, used, industries)
        if not allowed:
            notes.append("在给定的日期、行业和场所下，没有适用的已收录判定标准。")
        if len(full) > MAX_TEXT:
            notes.append(f"描述共 {len(full)} 字，只判定了前 {MAX_TEXT} 字；请把不同问题分条提交。")
        j = self.explainer.judgement(full, facts, results, ctx, notes, attrs)
        if j["level"] != "major":   # a "not major" here may still be major under a standard not encoded yet
            j["notes"].extend(self.coverage_notes(day, industries, used))
        if not ctx.industry and j["level"] == "major":
            note = self.industry_assumed_note(j["matches"][0]["rule_id"])
            if note:
                j["notes"].append(note)
        return j

    def industry_assumed_note(self, rule_id: str) -> str | None:
        """A major judgement made without knowing the industry rests on the assumption that
        the cited standard applies: say which industries it is for, and how to be sure."""
        std = self.kb.standards[self.kb.rules[rule_id].key]
        if std.cross_industry or not std.industries:
            return None
        return (f"未给出行业：本判定假定被检查单位属于《{std.title}》适用的行业（{'、'.join(std.industries)}）；"
                f"如不属于，请指明行业（命令行 --industry，接口 industry 字段）后重新判定。")


_lock = threading.Lock()
_classifiers: dict = {}


def get_classifier(root=None) -> Classifier:
    key = str(Path(root).resolve()) if root else ""
    with _lock:
        if key not in _classifiers:
            _classifiers[key] = Classifier(load(root))
        return _classifiers[key]
