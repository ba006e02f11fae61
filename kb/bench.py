"""`hazardkb bench accuracy`: score the engine on a set of findings as people
write them, beside a plain keyword (BM25) retriever over the clause texts.

The set (default tests/benchmark/findings.jsonl) has one JSON object a line:
``{"text", "expected_level", "expected_rule"?, "industry"?, "site_type"?, "as_of"?, "standard"?}``.

Figures: major recall and precision, top-1 and top-3 rule-id accuracy (over
the findings whose expected level is major), level accuracy, overall and per
standard, and the list of misses. The baseline ranks clauses with BM25 over
their text only (no lexicon, no conditions) and calls a finding major when
its best clause scores at least ``BASELINE_CUT``; it is scored on the same
findings in the same run.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from .context import InputError

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "benchmark" / "findings.jsonl"
BASELINE_CUT = 8.0
LEVELS = ("major", "general", "none", "undetermined")


def read_set(path: Path) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{n}: 不是合法的 JSON（{e.msg}）") from None
            if not isinstance(d, dict) or "text" not in d or d.get("expected_level") not in LEVELS:
                raise InputError(f"{path}:{n}: 需要 text 和 expected_level（{'/'.join(LEVELS)}）")
            if d["expected_level"] == "major" and not d.get("expected_rule"):
                raise InputError(f"{path}:{n}: 重大隐患需要 expected_rule")
            d["_line"] = n
            items.append(d)
    return items


class Tally:
    def __init__(self):
        self.n = self.tp = self.fp = self.fn = self.level_ok = 0
        self.majors = self.top1 = self.top3 = 0

    def add(self, exp_level, exp_rule, level, ranked):
        self.n += 1
        self.level_ok += level == exp_level
        if exp_level == "major":
            self.majors += 1
            self.tp += level == "major"
            self.fn += level != "major"
            self.top1 += bool(ranked) and ranked[0] == exp_rule
            self.top3 += exp_rule in ranked[:3]
        elif level == "major":
            self.fp += 1

    def figures(self) -> dict:
        def ratio(a, b):
            return round(a / b, 4) if b else None
        return {"findings": self.n, "major_findings": self.majors,
                "major_recall": ratio(self.tp, self.tp + self.fn),
                "major_precision": ratio(self.tp, self.tp + self.fp),
                "top1_rule": ratio(self.top1, self.majors), "top3_rule": ratio(self.top3, self.majors),
                "level_accuracy": ratio(self.level_ok, self.n)}


def _standard_of(item) -> str:
    if item.get("standard"):
        return item["standard"]
    if item.get("expected_rule"):
        return item["expected_rule"].split("-")[0]
    return "(none)"


def accuracy(path: Path | str | None = None, root=None) -> dict:
    from .classify import get_classifier
    from .search import get_searcher
    path = Path(path) if path else DEFAULT_SET
    if not path.is_file():
        raise InputError(f"找不到评测集 {path}")
    items = read_set(path)
    clf = get_classifier(root)
    searcher = get_searcher(root)
    engine, base = Tally(), Tally()
    per_std_engine, per_std_base = defaultdict(Tally), defaultdict(Tally)
    misses = []
    for it in items:
        exp_level, exp_rule = it["expected_level"], it.get("expected_rule")
        try:
            j = clf.classify(it["text"], industry=it.get("industry"), site_type=it.get("site_type"),
                             as_of=it.get("as_of"))
        except InputError as e:
            raise InputError(f"{path}:{it['_line']}: {e}") from None
        ranked = [m["rule_id"] for m in j["matches"]]
        engine.add(exp_level, exp_rule, j["level"], ranked)
        per_std_engine[_standard_of(it)].add(exp_level, exp_rule, j["level"], ranked)
        hits = searcher.plain_clause_search(it["text"], as_of=it.get("as_of"))
        b_level = "major" if hits and hits[0][1] >= BASELINE_CUT else "general"
        b_ranked = [h for h, _ in hits]
        base.add(exp_level, exp_rule, b_level, b_ranked)
        per_std_base[_standard_of(it)].add(exp_level, exp_rule, b_level, b_ranked)
        wrong_level = j["level"] != exp_level
        wrong_rule = exp_level == "major" and (not ranked or ranked[0] != exp_rule)
        if wrong_level or wrong_rule:
            misses.append({"line": it["_line"], "text": it["text"], "expected_level": exp_level,
                           "expected_rule": exp_rule, "level": j["level"], "top": ranked[:3]})
    return {
        "set": str(path), "kb_version": clf.kb.version,
        "engine": engine.figures(), "baseline_bm25": base.figures(),
        "per_standard": {k: {"engine": per_std_engine[k].figures(), "baseline_bm25": per_std_base[k].figures()}
                         for k in sorted(per_std_engine)},
        "misses": misses,
    }


TARGETS = {"major_recall": 0.98, "major_precision": 0.95, "top1_rule": 0.92}


def render_accuracy(r: dict) -> str:
    cols = ("major_recall", "major_precision", "top1_rule", "top3_rule", "level_accuracy")
    head = f"{'':<18}" + "".join(f"{c:>17}" for c in cols)

    def row(name, f):
        return f"{name:<18}" + "".join(f"{'—' if f[c] is None else f'{f[c]:.3f}':>17}" for c in cols)

    e = r["engine"]
    out = [f"评测集 {r['set']}：{e['findings']} 条（重大 {e['major_findings']} 条），知识库 {r['kb_version']}", "",
           head, row("engine", e), row("baseline (BM25)", r["baseline_bm25"]),
           row("target", {c: TARGETS.get(c) for c in cols}), "", "按标准："]
    for k, v in r["per_standard"].items():
        out.append(row(f"  {k} ({v['engine']['findings']})", v["engine"]))
        out.append(row("    baseline", v["baseline_bm25"]))
    out.append("")
    out.append(f"未判对 {len(r['misses'])} 条：")
    for m in r["misses"]:
        out.append(f"  第{m['line']}行 {m['text']}  期望 {m['expected_level']} {m['expected_rule'] or ''}"
                   f" → 实际 {m['level']} {'、'.join(m['top'])}")
    met = all(e[c] is not None and e[c] >= t for c, t in TARGETS.items())
    out.append("")
    out.append("目标全部达到。" if met else "目标未全部达到。")
    return "\n".join(out)
