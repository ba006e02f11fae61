"""Readable text for people: judgements, rules, standards, search hits."""
from __future__ import annotations

LEVEL_MARK = {"major": "【重大事故隐患】", "general": "【一般事故隐患】", "none": "【未发现事故隐患】",
              "undetermined": "【无法判定】"}


def judgement(j: dict) -> str:
    out = [f"{LEVEL_MARK[j['level']]} {j['text']}"]
    ctx = j["context"]
    bits = [f"判定日期 {ctx['as_of']}"]
    if ctx.get("industry"):
        src = "（由文字推断：" + ctx["industry_evidence"] + "）" if ctx.get("industry_source") == "text" else ""
        bits.append(f"行业 {ctx['industry']}{src}")
    if ctx.get("site_type"):
        bits.append(f"场所 {ctx['site_type']}")
    out.append("  " + "，".join(bits))
    for note in j.get("notes", []):
        out.append(f"  注意：{note}")
    met = [m for m in j["matches"] if m["status"] == "met"]
    others = [m for m in j["matches"] if m["status"] != "met"]
    if met:
        m = met[0]
        out.append("")
        out.append(f"依据：《{m['standard']['title']}》（{m['standard']['doc_number']}）{m['clause_label']}")
        if m.get("lead_in"):
            out.append(f"  {m['lead_in']}")
        out.append(f"  {m['clause_text']}")
        if m["verification"] != "verified":
            out.append("  （条文措辞尚未与官方文本逐字核对，引用前请核实）")
        out.append("  判定理由：" + "；".join(f"{s['condition']} ← “{s['evidence']}”" for s in m["satisfied"]))
        if m["legal_basis"]:
            out.append("法律依据：")
            for lb in m["legal_basis"]:
                out.append(f"  {lb['title']}{lb['label']}：{_short(lb['text'], 160)}")
        for extra in met[1:]:
            out.append(f"同时符合：{extra['rule_id']} 《{extra['standard']['title']}》{extra['clause_label']} {extra['clause_title']}")
    if others:
        out.append("")
        out.append("相关条款（未全部满足）：")
        for m in others:
            miss = "；".join(f"{x['condition']}（{'与描述不符' if x['status'] == 'contradicted' else '未说明'}）" for x in m["missing"])
            out.append(f"  {m['rule_id']} {m['clause_label']} {m['clause_title']} —— 缺：{miss}")
    if j.get("actions"):
        out.append("")
        out.append("处理建议：")
        out.extend(f"  {i}. {a}" for i, a in enumerate(j["actions"], 1))
    if j.get("questions"):
        out.append("")
        out.append("需要补充了解：")
        out.extend(f"  - {q}" for q in j["questions"])
    return "\n".join(out)


def _short(text: str, n: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def rule(r: dict) -> str:
    out = [f"{r['id']}  {r['title']}",
           f"《{r['standard']['title']}》（{r['standard']['doc_number']}，{r['standard']['effective']} 起施行）{r['clause_label']}",
           f"核对状态：{'已核对' if r['status'] == 'verified' else '未核对'}"]
    if r.get("lead_in"):
        out.append(r["lead_in"])
    out.append(r["text"])
    if r.get("applies_to"):
        out.append("适用：" + "；".join(f"{k}={'、'.join(v)}" for k, v in r["applies_to"].items() if v))
    out.append("判定条件：" + r["detection"]["condition"])
    for name, g in r["detection"]["groups"].items():
        what = "、".join(g.get("concepts", [])) or f"数量 {g['quantity']['op']} {g['quantity']['value']}{g['quantity']['unit']}"
        out.append(f"  {name}：{what}")
    if r["legal_basis"]:
        out.append("法律依据：" + "；".join(f"{lb['title']}{lb['label']}" for lb in r["legal_basis"]))
    out.append("整改措施：")
    out.extend(f"  - {a}" for a in r["actions"])
    out.append("例句（重大）：" + "；".join(r["examples"]["major"]))
    out.append("例句（非重大）：" + "；".join(r["examples"]["not_major"]))
    out.append("来源：" + "；".join(ref["source"] for ref in r["references"]))
    return "\n".join(out)


def standards_table(rows: list[dict]) -> str:
    out = []
    for s in rows:
        eff = s["effective"] or "—"
        rep = f"，{s['repealed']} 废止" if s.get("repealed") else ""
        state = {"in_force": "现行", "superseded": "已废止", "pending": "未施行", "unknown": "日期不明"}[s["in_force"]]
        out.append(f"{s['key']:<10} {s['version']}  {s['title']}（{s['doc_number']}）"
                   f"  {eff} 起施行{rep}  [{state}，{s['status']}，{s['rule_count']} 条规则]")
    return "\n".join(out)


def search_hits(hits: list[dict]) -> str:
    if not hits:
        return "没有找到相关条款。"
    out = []
    for i, h in enumerate(hits, 1):
        head = f"{i}. [{h['kind_label']}] {h['title']}"
        if h.get("rule_id"):
            head += f"  ({h['rule_id']})"
        out.append(head)
        out.append(f"   {h['highlight']}")
    return "\n".join(out)
