"""`hazardkb` — the command line.

    hazardkb classify "焊工没证在车间焊钢架" --industry 机械 [--json]
    hazardkb classify --jsonl < findings.jsonl
    hazardkb search 安全出口 [--standard KEY] [--industry X] [--level major] [--json]
    hazardkb rules show gongmao-2023-3.2 [--json]      hazardkb rules list [--standard KEY]
    hazardkb standards list [--json]                    hazardkb standards show KEY
    hazardkb standards history KEY                      hazardkb diff KEY OLD NEW [--json]
    hazardkb validate [PATH]
    hazardkb serve [--host 127.0.0.1] [--port 8000]
    hazardkb version

Errors are reported in plain words on stderr with exit code 2 (bad input) or
1 (broken knowledge files); never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys


def _print_json(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


class UsageError(Exception):
    pass


def _kb(args):
    from .classify import get_classifier
    return get_classifier(getattr(args, "root", None))


def cmd_classify(args):
    from .context import InputError
    c = _kb(args)
    if args.jsonl:
        return _classify_jsonl(c, args)
    if not args.text:
        raise UsageError("请给出要判定的隐患描述，例如：hazardkb classify \"焊工无证作业\"；批量判定用 --jsonl 从标准输入读取")
    text = " ".join(args.text)
    try:
        j = c.classify(text, industry=args.industry, site_type=args.site_type, as_of=args.as_of)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.json:
        _print_json(j)
    else:
        from .render import judgement
        print(judgement(j))
    return 0


def _classify_jsonl(c, args):
    """One JSON object per input line → one judgement per output line, in order.
    A bad line gives {"error": ..., "line": n} in its place; the rest go on."""
    from .context import InputError
    status = 0
    out = sys.stdout
    for n, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if isinstance(item, str):
                item = {"text": item}
            if not isinstance(item, dict):
                raise InputError("每行应为一个 JSON 对象，例如 {\"text\": \"焊工无证作业\"}")
            unknown = set(item) - {"text", "industry", "site_type", "as_of", "id"}
            if unknown:
                raise InputError(f"不认识的字段：{'、'.join(sorted(unknown))}")
            if "text" not in item:
                raise InputError("缺少 text 字段")
            j = c.classify(item["text"], industry=item.get("industry") or args.industry,
                           site_type=item.get("site_type") or args.site_type,
                           as_of=item.get("as_of") or args.as_of)
            if "id" in item:
                j = {"id": item["id"], **j}
        except json.JSONDecodeError as e:
            j, status = {"error": f"第 {n} 行不是合法的 JSON：{e.msg}", "line": n}, 2
        except InputError as e:
            j, status = {"error": f"第 {n} 行：{e}", "line": n}, 2
        out.write(json.dumps(j, ensure_ascii=False) + "\n")
    out.flush()
    return status


def cmd_search(args):
    from .context import InputError
    from .search import get_searcher
    query = " ".join(args.query)
    try:
        hits = get_searcher(args.root).search(query, standard=args.standard, industry=args.industry,
                                              level=args.level, kind=args.kind, limit=args.limit,
                                              as_of=args.as_of)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.json:
        _print_json({"query": query, "hits": hits})
    else:
        from .render import search_hits
        print(search_hits(hits))
    return 0


def cmd_rules(args):
    from .views import rule_dict
    kb = _kb(args).kb
    if args.action == "show":
        if not args.id:
            raise UsageError("请给出规则编号，例如：hazardkb rules show gongmao-2023-3.2")
        rule = kb.rules.get(args.id)
        if rule is None:
            near = [r for r in kb.rules if r.startswith(args.id.rsplit("-", 1)[0])][:5]
            hint = f"；相近的编号：{'、'.join(near)}" if near else ""
            raise UsageError(f"没有编号为 {args.id} 的规则{hint}")
        d = rule_dict(kb, rule)
        if args.json:
            _print_json(d)
        else:
            from .render import rule as render_rule
            print(render_rule(d))
        return 0
    rows = [r for r in kb.rules.values() if not args.standard or r.key == args.standard]
    if args.json:
        _print_json([{"id": r.id, "clause_label": r.clause_label, "title": r.title, "status": r.status} for r in rows])
    else:
        for r in rows:
            print(f"{r.id:<24} {r.clause_label:<14} {r.title}")
    return 0


def cmd_standards(args):
    from .context import parse_date, InputError
    from .views import standard_detail, standards_list
    kb = _kb(args).kb
    try:
        day = parse_date(args.as_of)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.action == "history":
        from .diff import history
        try:
            h = history(kb, args.key or "")
        except InputError as e:
            raise UsageError(str(e)) from None
        if args.json:
            _print_json(h)
        else:
            print(f"{h['title']}（{h['key']}）")
            for e in h["editions"]:
                end = f"至 {e['repealed']} 废止" if e["repealed"] else "现行" if e["effective"] else "日期不明"
                print(f"  {e['version']}  {e['title']}（{e['doc_number']}，{e['issuer']}）"
                      f"  {e['effective'] or '—'} 起施行，{end}  [{e['status']}，{e['rule_count']} 条规则]")
        return 0
    if args.action == "show":
        d = standard_detail(kb, args.key or "", day)
        if d is None:
            raise UsageError(f"没有标准 {args.key}；可选：{'、'.join(kb.standards)}")
        _print_json(d)
        return 0
    rows = standards_list(kb, day)
    if args.json:
        _print_json(rows)
    else:
        from .render import standards_table
        print(standards_table(rows))
    return 0


def cmd_diff(args):
    from .context import InputError
    from .diff import diff, render_diff
    kb = _kb(args).kb
    try:
        d = diff(kb, args.key, args.old, args.new)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.json:
        _print_json(d)
    else:
        print(render_diff(d))
    return 0


def cmd_bench(args):
    from .context import InputError
    if args.what == "accuracy":
        from .bench import accuracy, render_accuracy
        try:
            r = accuracy(args.file, args.root)
        except InputError as e:
            raise UsageError(str(e)) from None
        if args.json:
            _print_json(r)
        else:
            print(render_accuracy(r))
        return 0
    from .speed import run_speed
    return run_speed(args)


def _write_export(kind, data, fmt, out):
    """Write a checklist or report as xlsx/html/pdf to OUT (required for binary formats)."""
    from . import reports
    if fmt == "html":
        content = (reports.checklist_html if kind == "checklist" else reports.report_html)(data).encode("utf-8")
    elif fmt == "pdf":
        doc = (reports.checklist_html if kind == "checklist" else reports.report_html)(data)
        content = reports.html_to_pdf(doc)
    else:
        content = (reports.checklist_xlsx if kind == "checklist" else reports.report_xlsx)(data)
    if not out:
        if fmt == "html":
            sys.stdout.write(content.decode("utf-8"))
            return
        raise UsageError(f"{fmt} 格式需要用 -o 指定输出文件，例如 -o 检查表.{fmt}")
    try:
        with open(out, "wb") as f:
            f.write(content)
    except OSError as e:
        raise UsageError(f"无法写入 {out}：{e.strerror}") from None
    print(f"已写入 {out}", file=sys.stderr)


def _load_data_file(path):
    """YAML or JSON (a .xlsx checklist filled in is read for its answers)."""
    from pathlib import Path
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"找不到文件 {path}")
    if p.suffix.lower() == ".xlsx":
        from .reports import read_answers_xlsx
        return {"answers": read_answers_xlsx(p)}
    import yaml
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path} 不是 UTF-8 编码的文本文件") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise UsageError(f"{path} {where}不是合法的 YAML/JSON：{getattr(e, 'problem', e)}") from None


def cmd_checklist(args):
    from .checklist import checklist
    from .context import InputError
    try:
        cl = checklist(_kb(args), industry=args.industry, site_type=args.site_type, as_of=args.as_of,
                       standard=args.standard)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.format:
        _write_export("checklist", cl, args.format, args.output)
    elif args.json:
        _print_json(cl)
    else:
        topic = None
        for n, it in enumerate(cl["items"], 1):
            if it["topic"] != topic:
                topic = it["topic"]
                print(f"\n【{topic}】")
            print(f"{n:>3}. {it['question']}  （{it['clause_label']}，{it['id']}）")
    return 0


def cmd_self_assess(args):
    from .checklist import self_assess
    from .context import InputError
    data = _load_data_file(args.answers)
    if isinstance(data, dict) and set(data) == {"answers"}:  # from a filled xlsx
        if not args.industry:
            raise UsageError("从 Excel 读取答案时请用 --industry 指定行业")
        data.update({"industry": args.industry, "enterprise": args.enterprise or "", "date": args.date})
    try:
        r = self_assess(_kb(args), data)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.format:
        _write_export("report", r, args.format, args.output)
    elif args.json:
        _print_json(r)
    else:
        s = r["summary"]
        print(f"{r['enterprise'] or ''} 自查：{s['items']} 项，重大事故隐患 {s['major']} 项，未作答 {s['unanswered']} 项")
        for m in r["major"]:
            print(f"\n【重大事故隐患】{m['title']}（{m['rule_id']}）")
            print(f"  依据：《{m['standard']['title']}》{m['clause_label']}：{m['clause_text']}")
            for a in m["immediate_measures"]:
                print(f"  - {a}")
            print("  治理方案待填：" + "、".join(m["governance_plan"]))
        if r["unanswered"]:
            print("\n未作答：" + "、".join(u["id"] for u in r["unanswered"]))
    return 0


def cmd_quiz(args):
    from .context import InputError
    from .quiz import build_quiz
    from .quiz_export import export
    types = [t.strip() for t in (args.types or "single,multiple,judge,fill,case").split(",") if t.strip()]
    try:
        bank = build_quiz(_kb(args), args.standard, count=args.count, types=types, difficulty=args.difficulty,
                          seed=args.seed, industry=args.industry, as_of=args.as_of)
    except InputError as e:
        raise UsageError(str(e)) from None
    fmt = {"txt": "answer"}.get(args.format, args.format) or ("json" if args.json else "md")
    content = export(bank, fmt)
    if args.output:
        try:
            with open(args.output, "wb") as f:
                f.write(content)
        except OSError as e:
            raise UsageError(f"无法写入 {args.output}：{e.strerror}") from None
        print(f"已写入 {args.output}（{bank['count']} 题）", file=sys.stderr)
    elif fmt in ("docx", "xlsx"):
        raise UsageError(f"{fmt} 格式需要用 -o 指定输出文件")
    else:
        sys.stdout.write(content.decode("utf-8"))
    return 0


def cmd_assess(args):
    from .assess import assess
    from .context import InputError
    data = _load_data_file(args.file)
    try:
        r = assess(_kb(args), data)
    except InputError as e:
        raise UsageError(str(e)) from None
    if args.json:
        _print_json(r)
        return 0
    site = r["site"]
    print(f"【{r['level_label']}】{site.get('name') or ''} {site.get('site_type') or ''}（{r['as_of']}）")
    for d in r["determinations"]:
        mark = "构成" if d["level"] == "major" else "未构成"
        print(f"\n综合判定 {d['clause_label']}（{d['rule_id']}）：{mark}{d['level_label'] if d['level'] == 'major' else ''}"
              f" —— 要素 {d['count']} 条 / 阈值 {d['threshold']} 条")
        print(f"  {d['clause_text']}")
        for e in d["elements"]:
            print(f"  - {e['clause_label']} {e['title']}（发现 {'、'.join(str(n + 1) for n in e['findings'])}）")
    print("\n逐条判定：")
    for n, j in enumerate(r["findings"], 1):
        top = j["matches"][0] if j["matches"] else None
        cite = f"{top['rule_id']} {top['clause_label']}" if top and top["status"] == "met" else ""
        print(f"  {n}. [{j['level_label']}] {j['text']}  {cite}")
    return 0


def cmd_validate(args):
    from .validate import validate
    problems = validate(args.path, check_examples=not args.no_examples)
    for p in problems:
        print(p)
    if problems:
        print(f"共 {len(problems)} 个问题。", file=sys.stderr)
        return 1
    print("知识库检查通过。")
    return 0


def cmd_serve(args):
    from .load import KnowledgeBaseError
    try:
        from .classify import get_classifier
        get_classifier(args.root)  # refuse to start on a broken knowledge base
    except KnowledgeBaseError as e:
        print(f"知识库有问题，服务未启动：\n{e}", file=sys.stderr)
        return 1
    import os
    import uvicorn
    if args.workers > 1:  # each worker process loads the same read-only knowledge base
        if args.root:
            os.environ["HAZARDKB_ROOT"] = str(args.root)
        uvicorn.run("api.main:app", host=args.host, port=args.port, workers=args.workers, log_level="info")
        return 0
    from api.app import create_app
    uvicorn.run(create_app(args.root), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_version(args):
    kb = _kb(args).kb
    print(f"hazardkb {kb.version}  (content sha256 {kb.content_hash})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hazardkb", description="重大事故隐患判定知识库")
    p.add_argument("--root", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="命令")

    c = sub.add_parser("classify", help="判定一条隐患描述")
    c.add_argument("text", nargs="*", help="隐患描述")
    c.add_argument("--industry", help="行业，如 机械、冶金、化工")
    c.add_argument("--site-type", dest="site_type", help="场所类型")
    c.add_argument("--as-of", dest="as_of", help="判定日期 YYYY-MM-DD（默认今天）")
    c.add_argument("--json", action="store_true", help="输出 JSON")
    c.add_argument("--jsonl", action="store_true", help="从标准输入逐行读取 JSON，逐行输出判定")
    c.set_defaults(func=cmd_classify)

    s = sub.add_parser("search", help="全文检索条款、法律条文和例句")
    s.add_argument("query", nargs="+")
    s.add_argument("--standard", help="标准 key，如 gongmao")
    s.add_argument("--industry")
    s.add_argument("--level", choices=["major"])
    s.add_argument("--kind", choices=["clause", "law", "provision"])
    s.add_argument("--as-of", dest="as_of", help="只检索该日期有效的版本")
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    r = sub.add_parser("rules", help="查看规则")
    r.add_argument("action", choices=["show", "list"])
    r.add_argument("id", nargs="?")
    r.add_argument("--standard")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_rules)

    st = sub.add_parser("standards", help="查看判定标准及其版本")
    st.add_argument("action", choices=["list", "show", "history"])
    st.add_argument("key", nargs="?")
    st.add_argument("--as-of", dest="as_of")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_standards)

    d = sub.add_parser("diff", help="比较一个标准的两个版本：新增、删除、修改、移动、数值变化")
    d.add_argument("key")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_diff)

    b = sub.add_parser("bench", help="评测：accuracy（判定准确率，对比关键词检索基线）或 speed（速度与内存）")
    b.add_argument("what", choices=["accuracy", "speed"])
    b.add_argument("file", nargs="?", help="评测集 JSONL（默认 tests/benchmark/findings.jsonl）")
    b.add_argument("--json", action="store_true")
    b.add_argument("--quick", action="store_true", help="speed：少量请求，快速检查")
    b.set_defaults(func=cmd_bench)

    ck = sub.add_parser("checklist", help="行业自查检查表")
    ck.add_argument("--industry")
    ck.add_argument("--standard", help="只列某一标准，如 gongmao")
    ck.add_argument("--site-type", dest="site_type")
    ck.add_argument("--as-of", dest="as_of")
    ck.add_argument("--json", action="store_true")
    ck.add_argument("--format", choices=["xlsx", "html", "pdf"])
    ck.add_argument("-o", "--output")
    ck.set_defaults(func=cmd_checklist)

    sa = sub.add_parser("self-assess", help="根据自查答案生成自查报告")
    sa.add_argument("answers", help="YAML/JSON 答案文件，或填好的检查表 .xlsx")
    sa.add_argument("--industry", help="答案为 .xlsx 时指定行业")
    sa.add_argument("--enterprise", help="答案为 .xlsx 时的单位名称")
    sa.add_argument("--date", help="答案为 .xlsx 时的自查日期 YYYY-MM-DD")
    sa.add_argument("--json", action="store_true")
    sa.add_argument("--format", choices=["xlsx", "html", "pdf"])
    sa.add_argument("-o", "--output")
    sa.set_defaults(func=cmd_self_assess)

    qz = sub.add_parser("quiz", help="生成题库（单选、多选、判断、填空、案例分析）")
    qz.add_argument("--standard", required=True, help="标准 key，如 gongmao")
    qz.add_argument("--industry")
    qz.add_argument("--count", type=int, default=20)
    qz.add_argument("--types", help="题型，逗号分隔：single,multiple,judge,fill,case")
    qz.add_argument("--difficulty", choices=["easy", "medium", "hard"])
    qz.add_argument("--seed", type=int, default=0)
    qz.add_argument("--as-of", dest="as_of")
    qz.add_argument("--json", action="store_true")
    qz.add_argument("--format", choices=["json", "md", "docx", "xlsx", "csv", "wjx", "txt"],
                    help="txt：【答案】文本格式；wjx：问卷星文本格式")
    qz.add_argument("-o", "--output")
    qz.set_defaults(func=cmd_quiz)

    asx = sub.add_parser("assess", help="判定一次检查（一个场所的全部发现，含综合判定）")
    asx.add_argument("file", help="YAML/JSON：{site: {site_type, industry, name, attributes}, as_of?, findings: [...]}")
    asx.add_argument("--json", action="store_true")
    asx.set_defaults(func=cmd_assess)

    v = sub.add_parser("validate", help="检查知识库文件（模式、交叉引用、例句）")
    v.add_argument("path", nargs="?", help="含 rules/ 和 standards/ 的目录（默认本项目）")
    v.add_argument("--no-examples", action="store_true", help="不运行例句检查")
    v.set_defaults(func=cmd_validate)

    sv = sub.add_parser("serve", help="启动 REST API 服务")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=1, help="uvicorn 工作进程数（每个进程各自加载知识库）")
    sv.set_defaults(func=cmd_serve)

    ver = sub.add_parser("version", help="知识库版本")
    ver.set_defaults(func=cmd_version)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .load import KnowledgeBaseError
    try:
        return args.func(args)
    except UsageError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KnowledgeBaseError as e:
        print(str(e), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
