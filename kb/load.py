"""Load the knowledge files (rules/, standards/) into a KnowledgeBase.

Every file is checked against its JSON Schema, then across files: unique ids,
ids that agree with key/version/clause, every concept, law, article and
standard referred to exists. Problems are collected, each with file and line,
rather than raised one at a time, so `hazardkb validate` can show them all.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import RELEASE
from .conditions import ConditionError, names, parse_condition
from .lexicon import Concept, Lexicon
from .model import (Determination, Edition, KnowledgeBase, Law, LawArticle, Problem, Rule, Group,
                    Standard)
from .yamlsource import KnowledgeFileError, SourceDoc, load_yaml

DEFAULT_ROOT = Path(__file__).resolve().parent.parent



# “verified” means the wording was checked against at least this many independent copies.
MIN_SOURCES_VERIFIED = 2

class KnowledgeBaseError(Exception):
    """The knowledge files have problems; ``problems`` lists them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = "\n".join(str(p) for p in problems[:20])
        more = f"\n……另有 {len(problems) - 20} 个问题" if len(problems) > 20 else ""
        super().__init__(f"知识库文件有 {len(problems)} 个问题：\n{head}{more}")


@lru_cache(maxsize=None)
def _validator(name: str):
    import jsonschema  # only needed when the files are read, not when the cache is
    schema = json.loads(resources.files("kb").joinpath("schemas", name).read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def knowledge_files(root: Path) -> list[Path]:
    files = []
    for sub in ("rules", "standards"):
        d = root / sub
        if d.is_dir():
            files.extend(sorted(p for p in d.rglob("*.yaml") if p.is_file()))
    return files


def content_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in knowledge_files(root):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _schema_problems(doc: SourceDoc, schema: str) -> list[Problem]:
    out = []
    for err in sorted(_validator(schema).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(x) for x in err.absolute_path) or "(文件顶层)"
        out.append(Problem(doc.path, doc.line_of(err.absolute_path), f"{where}: {_plain(err)}"))
    return out


def _plain(err) -> str:
    v = err.validator
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return f"缺少必填项 {', '.join(missing) or err.message}"
    if v == "additionalProperties":
        return f"有不认识的字段（{err.message}）"
    if v == "enum":
        return f"取值 {err.instance!r} 不在允许的范围 {err.validator_value}"
    if v == "type":
        return f"类型应为 {err.validator_value}，实际是 {type(err.instance).__name__}"
    if v == "pattern":
        return f"{err.instance!r} 的格式不对（应符合 {err.validator_value}）"
    if v == "minItems":
        return f"至少需要 {err.validator_value} 项，实际 {len(err.instance)} 项"
    if v == "minLength":
        return "不能为空"
    if v == "oneOf":
        return f"写法不符合任何一种允许的格式：{err.message}"
    return err.message


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, p: Path) -> str:
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return str(p)

    def read(self, path: Path, schema: str) -> SourceDoc | None:
        try:
            doc = load_yaml(path, self.rel(path))
        except KnowledgeFileError as e:
            self.problems.append(Problem(e.path, e.line, e.reason))
            return None
        if doc.data is None:
            self.problems.append(Problem(doc.path, 1, "文件是空的"))
            return None
        probs = _schema_problems(doc, schema)
        if probs:
            self.problems.extend(probs)
            return None
        return doc

    def add(self, doc: SourceDoc, path, reason: str):
        self.problems.append(Problem(doc.path, doc.line_of(path), reason))

    # ---- files -------------------------------------------------------------
    def load(self) -> KnowledgeBase:
        root = self.root
        if not (root / "rules").is_dir() or not (root / "standards").is_dir():
            self.problems.append(Problem(str(root), 0, "这里没有 rules/ 和 standards/ 目录，不是知识库目录"))
            return None
        concepts = self.load_lexicon(sorted((root / "rules" / "lexicon").glob("*.yaml")))
        laws = self.load_laws(sorted((root / "standards" / "laws").glob("*.yaml")))
        standards = self.load_standards(sorted((root / "standards").glob("*.yaml")))
        industries = {i for s in standards.values() for i in s.industries}
        for c in concepts.values():
            if c.kind == "industry" and (c.industry or c.id) not in industries:
                self.problems.append(Problem(c.file, c.line, f"概念 {c.id} 指向的行业“{c.industry or c.id}”不在任何标准的适用行业中"))
        lexicon = Lexicon(concepts)
        rule_files = [p for p in sorted((root / "rules").glob("*/*.yaml")) if p.parent.name != "lexicon"]
        rules = self.load_rules(rule_files, lexicon, standards, laws)
        dets = self.resolve_determinations(rules)
        return KnowledgeBase(str(root), lexicon, standards, rules, laws, content_hash(root), RELEASE, dets)

    def load_lexicon(self, paths) -> dict:
        concepts: dict[str, Concept] = {}
        for path in paths:
            doc = self.read(path, "lexicon.schema.json")
            if not doc:
                continue
            for i, c in enumerate(doc.data["concepts"]):
                line = doc.line_of(("concepts", i))
                if c["id"] in concepts:
                    other = concepts[c["id"]]
                    self.add(doc, ("concepts", i), f"概念 {c['id']} 重复定义（另见 {other.file}:{other.line}）")
                    continue
                for j, p in enumerate(c.get("patterns", [])):
                    try:
                        re.compile(p)
                    except re.error as e:
                        self.add(doc, ("concepts", i, "patterns", j), f"正则表达式无效：{e}")
                concepts[c["id"]] = Concept(
                    id=c["id"], kind=c.get("kind", "object"), polarity=c.get("polarity"),
                    terms=c.get("terms", []), patterns=[p for p in c.get("patterns", []) if _compiles(p)],
                    broader=c.get("broader", []), opposite=c.get("opposite"),
                    industry=c.get("industry"), generic=c.get("generic", False),
                    file=doc.path, line=line)
        for c in concepts.values():
            for b in c.broader:
                if b not in concepts:
                    self.problems.append(Problem(c.file, c.line, f"概念 {c.id} 的上位概念 {b} 不存在"))
            if c.opposite and c.opposite not in concepts:
                self.problems.append(Problem(c.file, c.line, f"概念 {c.id} 的对立概念 {c.opposite} 不存在"))
            if c.kind == "state" and not c.polarity:
                self.problems.append(Problem(c.file, c.line, f"状态概念 {c.id} 需要写明 polarity（hazard 或 compliant）"))
        for c in concepts.values():
            c.broader = [b for b in c.broader if b in concepts]
            if c.opposite not in concepts:
                c.opposite = None
        return concepts

    def load_laws(self, paths) -> dict:
        laws = {}
        for path in paths:
            doc = self.read(path, "law.schema.json")
            if not doc:
                continue
            d = doc.data
            if d["key"] != path.stem:
                self.add(doc, ("key",), f"key “{d['key']}” 应与文件名 {path.stem} 一致")
            arts = {}
            for i, a in enumerate(d["articles"]):
                if a["article"] in arts:
                    self.add(doc, ("articles", i), f"条文 {a['article']} 重复")
                self.check_verified(doc, ("articles", i, "status"), a["status"], a.get("checked_against", []))
                arts[a["article"]] = LawArticle(d["key"], a["article"], a["label"], a["text"].strip(),
                                                a["status"], a.get("checked_against", []), a.get("note"))
            laws[d["key"]] = Law(d["key"], d["kind"], d["title"], d["short_title"], d["issuer"], arts,
                                 d.get("edition"), d.get("doc_number"), d.get("effective"), doc.path)
        return laws

    def load_standards(self, paths) -> dict:
        standards = {}
        for path in paths:
            doc = self.read(path, "standard.schema.json")
            if not doc:
                continue
            d = doc.data
            if d["key"] != path.stem:
                self.add(doc, ("key",), f"key “{d['key']}” 应与文件名 {path.stem} 一致")
            eds = []
            for i, e in enumerate(d["editions"]):
                for j, pv in enumerate(e.get("provisions", [])):
                    self.check_verified(doc, ("editions", i, "provisions", j, "status"), pv["status"],
                                        pv.get("checked_against", []))
                eds.append(Edition(key=d["key"], version=e["version"], title=e["title"],
                                   doc_number=e["doc_number"], issuer=e["issuer"],
                                   effective=e.get("effective"), status=e["status"],
                                   published=e.get("published"), repealed=e.get("repealed"),
                                   replaces=e.get("replaces"), replaced_by=e.get("replaced_by"),
                                   url=e.get("url"), scope=e.get("scope"),
                                   provisions=e.get("provisions", []), tables=e.get("tables", []),
                                   sources=e.get("sources", []),
                                   notes=e.get("notes")))
                if e.get("effective") and e.get("repealed") and e["repealed"] <= e["effective"]:
                    self.add(doc, ("editions", i, "repealed"), "废止日期早于施行日期")
            versions = [e.version for e in eds]
            if len(set(versions)) != len(versions):
                self.add(doc, ("editions",), "版本号重复")
            eds.sort(key=lambda e: e.version)   # versions are years: the order of the editions
            standards[d["key"]] = Standard(d["key"], d["title"], d["sector"], d["industries"], eds,
                                           d.get("short_title"), d.get("site_types", []), d.get("notes"),
                                           d.get("cross_industry", False), d.get("major_label"),
                                           d.get("site_attributes", []), doc.path)
        return standards

    def resolve_determinations(self, rules) -> dict:
        """Expand element prefixes and check every element is an element rule of the same edition."""
        out = {}
        for d, doc, at in self._pending_dets:
            if d.id in out or d.id in rules:
                self.add(doc, at + ("id",), f"判定规则编号 {d.id} 重复")
                continue
            expanded = []
            for j, e in enumerate(d.elements):
                if e.endswith("*"):
                    found = [r for r in rules if r.startswith(e[:-1]) and rules[r].level == "element"]
                    if not found:
                        self.add(doc, at + ("elements", j), f"“{e}”没有对应的综合判定要素规则")
                    expanded.extend(x for x in found if x not in expanded)
                elif e not in rules:
                    self.add(doc, at + ("elements", j), f"要素 {e} 不存在")
                elif rules[e].level != "element":
                    self.add(doc, at + ("elements", j), f"{e} 不是综合判定要素（level 应为 element）")
                elif (rules[e].key, rules[e].version) != (d.key, d.version):
                    self.add(doc, at + ("elements", j), f"{e} 不属于 {d.key} {d.version} 版")
                elif e not in expanded:
                    expanded.append(e)
            d.elements = expanded
            if d.threshold > len(expanded):
                self.add(doc, at + ("threshold",), f"阈值 {d.threshold} 大于可计数的要素数 {len(expanded)}")
            out[d.id] = d
        return out

    def load_rules(self, paths, lexicon, standards, laws) -> dict:
        rules: dict[str, Rule] = {}
        self._pending_dets = []
        for path in paths:
            doc = self.read(path, "rules.schema.json")
            if not doc:
                continue
            d = doc.data
            key, version = d["standard"], d["version"]
            # one edition may be split by topic: rules/<key>/<version>.yaml, rules/<key>/<version>-<part>.yaml
            if path.parent.name != key or not (path.stem == version or path.stem.startswith(version + "-")):
                self.add(doc, ("standard",), f"文件应位于 rules/{key}/{version}.yaml 或 rules/{key}/{version}-<部分>.yaml"
                                             "（standard 与 version 要与路径一致）")
            std = standards.get(key)
            if std is None:
                self.add(doc, ("standard",), f"标准 {key} 在 standards/ 中没有定义")
            elif std.edition(version) is None:
                self.add(doc, ("version",), f"标准 {key} 没有 {version} 版（见 {std.file}）")
            for i, r in enumerate(d["rules"]):
                rule = self.build_rule(doc, ("rules", i), r, key, version, lexicon, std, laws)
                if rule is None:
                    continue
                if rule.id in rules:
                    other = rules[rule.id]
                    self.add(doc, ("rules", i, "id"), f"规则编号 {rule.id} 重复（另见 {other.file}:{other.line}）")
                    continue
                rules[rule.id] = rule
            for i, dd in enumerate(d.get("determinations", [])):
                at = ("determinations", i)
                if not dd["id"].startswith(f"{key}-{version}-{dd['clause']}"):
                    self.add(doc, at + ("id",), f"判定规则编号 {dd['id']} 应以 {key}-{version}-{dd['clause']} 开头")
                    continue
                self._pending_dets.append((Determination(
                    id=dd["id"], key=key, version=version, clause=dd["clause"], clause_label=dd["clause_label"],
                    title=dd["title"], level=dd["level"], status=dd["status"], text=dd["text"].strip(),
                    site_any=dd["site"].get("any", []), site_none=dd["site"].get("none", []),
                    elements=list(dd["elements"]), threshold=dd["threshold"], references=dd["references"],
                    examples=dd["examples"], notes=dd.get("notes"), file=doc.path, line=doc.line_of(at)), doc, at))
        return rules

    def check_verified(self, doc, at, status, sources):
        """Verified wording needs at least two independent copies on record."""
        if status == "verified" and len(sources) < MIN_SOURCES_VERIFIED:
            self.add(doc, at, f"status 为 verified 需要至少 {MIN_SOURCES_VERIFIED} 处独立来源的核对记录"
                              f"（现有 {len(sources)} 处）；只有一处时请标为 unverified 并在 notes 中说明")

    def build_rule(self, doc, at, r, key, version, lexicon, std, laws) -> Rule | None:
        ok = True
        self.check_verified(doc, at + ("status",), r["status"], r.get("references", []))
        expected = f"{key}-{version}-{r['clause']}"
        if r["id"] != expected:
            self.add(doc, at + ("id",), f"规则编号 {r['id']} 与标准/版本/条款不一致，应为 {expected}")
            ok = False
        det = r["detection"]
        groups = {}
        for name, g in det.items():
            if name == "condition":
                continue
            for j, cid in enumerate(g.get("concepts", [])):
                if cid not in lexicon.concepts:
                    self.add(doc, at + ("detection", name, "concepts", j), f"概念“{cid}”在词表 rules/lexicon/ 中不存在")
                    ok = False
            groups[name] = Group(name, g.get("concepts", []), g.get("quantity"), g.get("question"), g.get("note"))
        try:
            tree = parse_condition(det["condition"])
        except ConditionError as e:
            self.add(doc, at + ("detection", "condition"), str(e))
            return None
        used = names(tree)
        for n in used:
            if n not in groups:
                self.add(doc, at + ("detection", "condition"), f"条件中的“{n}”没有定义为条件组")
                ok = False
        for n in groups:
            if n not in used:
                self.add(doc, at + ("detection", n), f"条件组“{n}”定义了但没有在 condition 中使用")
                ok = False
        applies = r.get("applies_to", {})
        if std is not None:
            for j, ind in enumerate(applies.get("industries", [])):
                if ind not in std.industries:
                    self.add(doc, at + ("applies_to", "industries", j), f"行业“{ind}”不在标准 {key} 的适用行业 {std.industries} 中")
                    ok = False
        for j, lb in enumerate(r["legal_basis"]):
            law = laws.get(lb["law"])
            if law is None:
                self.add(doc, at + ("legal_basis", j), f"法律依据 {lb['law']} 在 standards/laws/ 中不存在")
                ok = False
            elif lb["article"] not in law.articles:
                self.add(doc, at + ("legal_basis", j), f"{law.short_title} 没有收录第 {lb['article']} 条")
                ok = False
        if not ok:
            return None
        return Rule(id=r["id"], key=key, version=version, clause=r["clause"], clause_label=r["clause_label"],
                    title=r["title"], level=r["level"], status=r["status"], text=r["text"].strip(),
                    groups=groups, condition=det["condition"], tree=tree, examples=r["examples"],
                    legal_basis=r["legal_basis"], actions=r["actions"], references=r["references"],
                    lead_in=r.get("lead_in"), industries=applies.get("industries", []),
                    site_types=applies.get("site_types", []), falsepositives=r.get("falsepositives", []),
                    notes=r.get("notes"), file=doc.path, line=doc.line_of(at))


def _compiles(p: str) -> bool:
    try:
        re.compile(p)
        return True
    except re.error:
        return False


def load_with_problems(root: Path | str | None = None):
    loader = _Loader(Path(root) if root else DEFAULT_ROOT)
    kb = loader.load()
    return kb, loader.problems


def load(root: Path | str | None = None) -> KnowledgeBase:
    """The knowledge base, checked; refused with every problem listed if broken.
    A checked knowledge base is cached on disk (kb/cache.py) under its content hash."""
    import os
    from .cache import cache_root, code_hash, read_pickle, write_pickle
    path = Path(root) if root else DEFAULT_ROOT
    use_cache = os.environ.get("HAZARDKB_NO_CACHE") != "1" and (path / "rules").is_dir()
    if use_cache:
        h = content_hash(path)
        cached = cache_root() / f"kb-{code_hash()}-{h[:24]}.pickle"
        kb = read_pickle(cached)
        if isinstance(kb, KnowledgeBase) and kb.content_hash == h and kb.root == str(path):
            return kb
    kb, problems = load_with_problems(path)
    if problems:
        raise KnowledgeBaseError(problems)
    if use_cache:
        write_pickle(cached, kb)
    return kb
