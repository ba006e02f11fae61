"""What changed between two editions of a standard.

Clauses are paired by content, not by number: every old clause is compared
with every new one (difflib's ratio over the characters), and pairs are taken
best first above a threshold, so a clause that moved to another article is
found as moved, not as one removed and one added. Each pair is then:
unchanged, reworded (with a word-level diff: jieba words, difflib opcodes),
moved/renumbered, or both; numbers that differ between the two wordings are
reported as threshold changes ("超过10人" → "超过9人").
"""
from __future__ import annotations

import difflib
import re

from .context import InputError
from .model import KnowledgeBase

PAIR_THRESHOLD = 0.45
_NUM = re.compile(r"\d+(?:\.\d+)?\s*(?:%|kPa|MPa|Pa|m|mm|米|毫米|人|天|小时|吨|个|倍|℃)?")


def _words(text: str) -> list[str]:
    import jieba
    return jieba.lcut(text)


def word_diff(old: str, new: str) -> dict:
    a, b = _words(old), _words(new)
    ops, marked = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            marked.append("".join(a[i1:i2]))
            continue
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        ops.append({"op": tag, "old": old_part, "new": new_part})
        if old_part:
            marked.append(f"[-{old_part}-]")
        if new_part:
            marked.append(f"{{+{new_part}+}}")
    return {"ops": ops, "marked": "".join(marked)}


def _numbers(text: str) -> list[str]:
    return [m.group(0).replace(" ", "") for m in _NUM.finditer(text)]


def threshold_changes(old: str, new: str) -> list[dict]:
    a, b = _numbers(old), _numbers(new)
    if a == b:
        return []
    out = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            out.append({"old": a[i1:i2], "new": b[j1:j2]})
    return out


def _clauses(kb: KnowledgeBase, key: str, version: str) -> list:
    std = kb.standards.get(key)
    if std is None:
        raise InputError(f"没有标准 {key}；可选：{'、'.join(kb.standards)}")
    if std.edition(version) is None:
        raise InputError(f"标准 {key} 没有 {version} 版；现有版本：{'、'.join(e.version for e in std.editions)}")
    return [r for r in kb.rules.values() if r.key == key and r.version == version]


def diff(kb: KnowledgeBase, key: str, old_version: str, new_version: str) -> dict:
    old, new = _clauses(kb, key, old_version), _clauses(kb, key, new_version)
    std = kb.standards[key]
    for v, rules in ((old_version, old), (new_version, new)):
        if not rules:
            ed = std.edition(v)
            raise InputError(f"{std.title}（{v}版，{ed.doc_number}）的条款尚未收录（状态：{ed.status}），无法比较")
    scores = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            r = difflib.SequenceMatcher(a=o.text, b=n.text, autojunk=False).ratio()
            if o.clause == n.clause:
                r += 0.05  # same number breaks near-ties
            if r >= PAIR_THRESHOLD:
                scores.append((r, i, j))
    scores.sort(reverse=True)
    used_o, used_n, pairs = set(), set(), []
    for r, i, j in scores:
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        pairs.append((old[i], new[j], min(r, 1.0)))
    changes = {"unchanged": [], "reworded": [], "moved": [], "added": [], "removed": []}
    for o, n, r in sorted(pairs, key=lambda p: _order(p[1].clause)):
        item = {"old_id": o.id, "new_id": n.id, "old_clause": o.clause_label, "new_clause": n.clause_label,
                "similarity": round(r, 2)}
        moved = o.clause != n.clause
        if o.text != n.text:
            item.update({"old_text": o.text, "new_text": n.text, "diff": word_diff(o.text, n.text),
                         "thresholds": threshold_changes(o.text, n.text)})
            changes["reworded"].append({**item, "moved": moved})
        elif moved:
            changes["moved"].append({**item, "text": n.text})
        else:
            changes["unchanged"].append(item)
    for j, n in enumerate(new):
        if j not in used_n:
            changes["added"].append({"new_id": n.id, "new_clause": n.clause_label, "text": n.text})
    for i, o in enumerate(old):
        if i not in used_o:
            changes["removed"].append({"old_id": o.id, "old_clause": o.clause_label, "text": o.text})
    eo, en = std.edition(old_version), std.edition(new_version)
    return {
        "key": key, "title": std.title,
        "from": {"version": old_version, "title": eo.title, "doc_number": eo.doc_number, "effective": eo.effective,
                 "clauses": len(old)},
        "to": {"version": new_version, "title": en.title, "doc_number": en.doc_number, "effective": en.effective,
               "clauses": len(new)},
        "summary": {k: len(v) for k, v in changes.items()},
        "changes": changes,
        "kb_version": kb.version,
    }


def _order(clause: str):
    return tuple(int(x) for x in clause.split("."))


def history(kb: KnowledgeBase, key: str) -> dict:
    std = kb.standards.get(key)
    if std is None:
        raise InputError(f"没有标准 {key}；可选：{'、'.join(kb.standards)}")
    return {"key": key, "title": std.title, "editions": [
        {"version": e.version, "title": e.title, "doc_number": e.doc_number, "issuer": e.issuer,
         "published": e.published, "effective": e.effective, "repealed": e.repealed, "replaces": e.replaces,
         "replaced_by": e.replaced_by, "status": e.status,
         "rule_count": sum(1 for r in kb.rules.values() if r.key == key and r.version == e.version)}
        for e in std.editions]}


def render_diff(d: dict) -> str:
    out = [f"《{d['title']}》 {d['from']['version']}版（{d['from']['doc_number']}，{d['from']['clauses']} 条）"
           f" → {d['to']['version']}版（{d['to']['doc_number']}，{d['to']['clauses']} 条）",
           "；".join(f"{label} {d['summary'][k]}" for k, label in
                    (("unchanged", "未变"), ("reworded", "修改"), ("moved", "仅移动"), ("added", "新增"), ("removed", "删除")))]
    ch = d["changes"]
    if ch["added"]:
        out.append("\n新增：")
        out.extend(f"  + {c['new_clause']}：{c['text']}" for c in ch["added"])
    if ch["removed"]:
        out.append("\n删除：")
        out.extend(f"  - {c['old_clause']}：{c['text']}" for c in ch["removed"])
    if ch["reworded"]:
        out.append("\n修改（[-删-]{+增+}）：")
        for c in ch["reworded"]:
            where = c["new_clause"] if not c["moved"] else f"{c['old_clause']} → {c['new_clause']}"
            out.append(f"  * {where}：{c['diff']['marked']}")
            for t in c["thresholds"]:
                out.append(f"      数值变化：{'、'.join(t['old']) or '—'} → {'、'.join(t['new']) or '—'}")
    if ch["moved"]:
        out.append("\n条文未变、编号变化：")
        out.extend(f"  ~ {c['old_clause']} → {c['new_clause']}：{c['text']}" for c in ch["moved"])
    return "\n".join(out)
