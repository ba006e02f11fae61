"""`hazardkb` — the command line.

    hazardkb classify "焊工没证在车间焊钢架" --industry 机械 [--json]
    hazardkb classify --jsonl < findings.jsonl
    hazardkb search 安全出口 [--standard KEY] [--industry X] [--level major] [--json]
    hazardkb rules show gongmao-2023-3.2 [--json]      hazardkb rules list [--standard KEY]
    hazardkb standards list [--json]                    hazardkb standards show KEY
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
    import uvicorn
    from api.app import create_app
    uvicorn.run(create_app(args.root), host=args.host, port=args.port, workers=1, log_level="info")
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
    st.add_argument("action", choices=["list", "show"])
    st.add_argument("key", nargs="?")
    st.add_argument("--as-of", dest="as_of")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_standards)

    v = sub.add_parser("validate", help="检查知识库文件（模式、交叉引用、例句）")
    v.add_argument("path", nargs="?", help="含 rules/ 和 standards/ 的目录（默认本项目）")
    v.add_argument("--no-examples", action="store_true", help="不运行例句检查")
    v.set_defaults(func=cmd_validate)

    sv = sub.add_parser("serve", help="启动 REST API 服务")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
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
