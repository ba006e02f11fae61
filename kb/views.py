"""Plain-dict views of rules and standards, shared by the CLI and the API."""
from __future__ import annotations

import datetime as dt

from .model import KnowledgeBase, Rule


def _example_text(ex) -> str:
    return ex if isinstance(ex, str) else ex["text"]


def legal_basis(kb: KnowledgeBase, rule: Rule) -> list[dict]:
    out = []
    for lb in rule.legal_basis:
        law = kb.laws[lb["law"]]
        art = law.articles[lb["article"]]
        out.append({"law": law.key, "title": f"《{law.title}》", "article": art.article, "label": art.label,
                    "text": art.text, "status": art.status, **({"note": lb["note"]} if lb.get("note") else {})})
    return out


def rule_dict(kb: KnowledgeBase, rule: Rule) -> dict:
    ed = kb.edition_of(rule)
    groups = {}
    for name, g in rule.groups.items():
        d = {}
        if g.concepts:
            d["concepts"] = list(g.concepts)
        if g.quantity:
            d["quantity"] = dict(g.quantity)
        if g.question:
            d["question"] = g.question
        groups[name] = d
    applies = {k: v for k, v in (("industries", rule.industries), ("site_types", rule.site_types)) if v}
    return {
        "id": rule.id,
        "standard": {**ed.summary(), "repealed": ed.repealed},
        "clause": rule.clause,
        "clause_label": rule.clause_label,
        "title": rule.title,
        "level": rule.level,
        "status": rule.status,
        "lead_in": rule.lead_in,
        "text": rule.text,
        "applies_to": applies,
        "detection": {"condition": rule.condition, "groups": groups},
        "falsepositives": list(rule.falsepositives),
        "examples": {k: [_example_text(e) for e in rule.examples.get(k, [])] for k in ("major", "not_major")},
        "legal_basis": legal_basis(kb, rule),
        "actions": list(rule.actions),
        "references": list(rule.references),
        "notes": rule.notes,
        "source_file": f"{rule.file}:{rule.line}",
    }


def edition_state(ed, day: dt.date) -> str:
    if not ed.effective:
        return "unknown"
    if ed.in_force(day):
        return "in_force"
    if dt.date.fromisoformat(ed.effective) > day:
        return "pending"
    return "superseded"


def edition_row(kb: KnowledgeBase, std, ed, day: dt.date) -> dict:
    count = sum(1 for r in kb.rules.values() if r.key == std.key and r.version == ed.version)
    return {
        "key": std.key, "version": ed.version, "title": ed.title, "doc_number": ed.doc_number,
        "issuer": ed.issuer, "sector": std.sector, "published": ed.published, "effective": ed.effective,
        "repealed": ed.repealed, "status": ed.status, "in_force": edition_state(ed, day),
        "rule_count": count, "industries": list(std.industries),
    }


def standards_list(kb: KnowledgeBase, day: dt.date | None = None) -> list[dict]:
    day = day or dt.date.today()
    return [edition_row(kb, std, ed, day) for std in kb.standards.values() for ed in std.editions]


def standard_detail(kb: KnowledgeBase, key: str, day: dt.date | None = None) -> dict | None:
    std = kb.standards.get(key)
    if std is None:
        return None
    day = day or dt.date.today()
    current = std.edition_on(day)
    return {
        "key": std.key, "title": std.title, "short_title": std.short_title, "sector": std.sector,
        "industries": list(std.industries), "site_types": list(std.site_types), "notes": std.notes,
        "current_version": current.version if current else None,
        "editions": [
            {**edition_row(kb, std, ed, day), "replaces": ed.replaces, "replaced_by": ed.replaced_by,
             "url": ed.url, "scope": ed.scope, "provisions": ed.provisions, "tables": ed.tables,
             "sources": ed.sources,
             "notes": ed.notes,
             "rules": [{"id": r.id, "clause_label": r.clause_label, "title": r.title}
                       for r in kb.rules.values() if r.key == std.key and r.version == ed.version]}
            for ed in std.editions
        ],
    }
