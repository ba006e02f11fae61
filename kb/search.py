"""Full-text search over clauses, general provisions and law articles.

All whoosh code lives here. The index is built from the YAML knowledge files
with jieba's ChineseAnalyzer (the lexicon's terms added to jieba's dictionary,
so "安全出口" and "特种作业" stay whole words), cached on disk under a folder
named by the content hash of the knowledge files — when they change, a new
index is built by itself — and opened read-only for queries.

Queries never go through whoosh's query parser, so what a user types
("AND (", "*:*", a lone "-", unbalanced quotes) is only ever words: the text
is cut by the same analyzer and the words are OR-ed, with the lexicon
concepts the query names matched against each clause's concepts as well —
"无证电焊" finds 第三条第（二）项 though the clause never says 电焊.
"""
from __future__ import annotations

import re

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from .cache import cache_root
from .context import InputError, parse_date
from .model import KnowledgeBase

KIND_LABELS = {"clause": "条款", "provision": "标准总则条文", "law": "法律法规"}
INDEX_FORMAT = "3"
MAX_QUERY = 200


_jieba_lock = threading.Lock()
_jieba_ready: set = set()


def _analyzer(kb: KnowledgeBase):
    import jieba
    from jieba.analyse import ChineseAnalyzer
    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        if kb.content_hash not in _jieba_ready:
            for c in kb.lexicon.concepts.values():
                for t in [c.id, *c.terms]:
                    if len(t) > 1 and not t.isascii():
                        jieba.add_word(t, freq=2000)
            _jieba_ready.add(kb.content_hash)
    return ChineseAnalyzer()


def _schema(analyzer):
    from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
    return Schema(
        doc_id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        standard=ID(stored=True),
        version=ID(stored=True),
        rule_id=ID(stored=True),
        level=ID(stored=True),
        industries=KEYWORD(stored=True, commas=True),
        concepts=KEYWORD(commas=True, field_boost=2.0),
        effective=NUMERIC(stored=True, bits=32),
        repealed=NUMERIC(stored=True, bits=32),
        title=TEXT(stored=True, analyzer=analyzer, field_boost=2.0),
        text=TEXT(stored=True, analyzer=analyzer, field_boost=3.0),
        examples=TEXT(analyzer=analyzer),
        label=STORED,
        source=STORED,
    )


def _day(s: str | None, default: int) -> int:
    return int(s.replace("-", "")) if s else default


def documents(kb: KnowledgeBase):
    """Everything searchable, as whoosh documents."""
    for rule in kb.rules.values():
        std = kb.standards[rule.key]
        ed = std.edition(rule.version)
        concepts = set()
        for g in rule.groups.values():
            for cid in g.concepts:
                concepts.add(cid)
        examples = [e if isinstance(e, str) else e["text"] for e in rule.examples.get("major", [])]
        yield dict(doc_id=f"rule:{rule.id}", kind="clause", standard=rule.key, version=rule.version,
                   rule_id=rule.id, level=rule.level,
                   industries=",".join(list(rule.industries or std.industries) + (["全行业"] if std.cross_industry else [])),
                   concepts=",".join(sorted(concepts)), effective=_day(ed.effective, 99991231),
                   repealed=_day(ed.repealed, 99991231),
                   title=f"{rule.title} {ed.title}{rule.clause_label}", text=f"{rule.lead_in or ''}{rule.text}",
                   examples="\n".join(examples),
                   label=f"《{ed.title}》（{ed.doc_number}）{rule.clause_label}", source=rule.file)
    for std in kb.standards.values():
        for ed in std.editions:
            for p in ed.provisions:
                yield dict(doc_id=f"prov:{std.key}-{ed.version}-{p['article']}", kind="provision",
                           standard=std.key, version=ed.version, rule_id="", level="",
                           industries=",".join(std.industries), concepts="",
                           effective=_day(ed.effective, 99991231), repealed=_day(ed.repealed, 99991231),
                           title=f"{ed.title}{p['label']}", text=p["text"], examples="",
                           label=f"《{ed.title}》（{ed.doc_number}）{p['label']}", source=std.file)
    for law in kb.laws.values():
        for art in law.articles.values():
            yield dict(doc_id=f"law:{law.key}-{art.article}", kind="law", standard="", version="",
                       rule_id="", level="", industries="", concepts="", effective=0, repealed=99991231,
                       title=f"{law.title}{art.label}", text=art.text, examples="",
                       label=f"《{law.title}》{art.label}", source=law.file)


class Searcher:
    def __init__(self, kb: KnowledgeBase, cache_dir: Path | None = None):
        self.kb = kb
        self.analyzer = _analyzer(kb)
        from .extract import Extractor
        self.extractor = Extractor(kb.lexicon)
        self.dir = (cache_dir or cache_root()) / f"index-{INDEX_FORMAT}-{kb.content_hash[:16]}"
        self.ix = self._open_or_build()

    # -- the index ----------------------------------------------------------
    def _open_or_build(self):
        from whoosh import index
        if self.dir.is_dir():
            try:
                ix = index.open_dir(str(self.dir), readonly=True)
                with ix.searcher() as s:
                    if s.doc_count() == self._expected_count():
                        return ix
            except Exception:  # a damaged or partial index: rebuild it
                pass
            shutil.rmtree(self.dir, ignore_errors=True)
        return self.build()

    def _expected_count(self) -> int:
        return (len(self.kb.rules) + sum(len(e.provisions) for s in self.kb.standards.values() for e in s.editions)
                + sum(len(law.articles) for law in self.kb.laws.values()))

    def build(self):
        from whoosh import index
        self.dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=self.dir.parent))
        try:
            ix = index.create_in(str(tmp), _schema(self.analyzer))
            w = ix.writer()
            for doc in documents(self.kb):
                w.add_document(**doc)
            w.commit()
            try:
                tmp.rename(self.dir)
            except OSError:  # another process built it first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return index.open_dir(str(self.dir), readonly=True)

    # -- queries ------------------------------------------------------------
    def _terms(self, text: str) -> list[str]:
        seen = []
        for t in self.analyzer(text):
            if t.text not in seen:
                seen.append(t.text)
        return seen[:64]

    def search(self, query: str, standard=None, industry=None, level=None, kind=None,
               limit: int = 10, as_of=None) -> list[dict]:
        from whoosh import query as Q

        if not isinstance(query, str) or not query.strip():
            raise InputError("请输入要检索的内容，例如：安全出口")
        query = query.strip()[:MAX_QUERY]
        if standard and standard not in self.kb.standards:
            raise InputError(f"没有标准 {standard}；可选：{'、'.join(self.kb.standards)}")
        if kind and kind not in KIND_LABELS:
            raise InputError(f"kind 只能是 {'、'.join(KIND_LABELS)}")
        if level and level != "major":
            raise InputError("level 只能是 major")
        limit = max(1, min(int(limit), 100))
        terms = self._terms(query)
        facts = self.extractor.extract(query)
        concepts = sorted(facts.concepts)
        parts = [Q.Term(field, t) for t in terms for field in ("title", "text", "examples")]
        parts += [Q.Term("concepts", c) for c in concepts]
        if not parts:
            return []
        q = Q.Or(parts)
        filters = []
        if standard:
            filters.append(Q.Term("standard", standard))
        if kind:
            filters.append(Q.Term("kind", kind))
        if level:
            filters.append(Q.Term("level", level))
        if industry:
            ind = industry.strip()
            filters.append(Q.Or([Q.Term("industries", ind), Q.Term("industries", "全行业"), Q.Term("kind", "law")]))
        if as_of:
            day = int(parse_date(as_of).isoformat().replace("-", ""))
            filters.append(Q.And([Q.NumericRange("effective", None, day), Q.NumericRange("repealed", day + 1, None)]))
        flt = Q.And(filters) if filters else None
        out = []
        with self.ix.searcher() as s:
            results = s.search(q, filter=flt, limit=limit)
            marker = _term_marker(terms)
            for hit in results:
                hl = _highlight(hit["text"], marker) or _highlight(hit["title"], marker) or hit["text"][:120]
                out.append({
                    "kind": hit["kind"], "kind_label": KIND_LABELS[hit["kind"]],
                    "id": hit["rule_id"] or hit["doc_id"].split(":", 1)[1],
                    "rule_id": hit["rule_id"] or None, "standard": hit["standard"] or None,
                    "version": hit["version"] or None, "level": hit["level"] or None,
                    "title": hit["label"], "text": hit["text"], "highlight": hl,
                    "score": round(hit.score, 3),
                })
        return out


    def plain_clause_search(self, text: str, as_of=None, limit: int = 10) -> list[tuple[str, float]]:
        """The keyword baseline: BM25 over clause texts only — no lexicon, no
        concepts, no conditions. [(rule_id, score)], best first."""
        from whoosh import query as Q
        terms = self._terms(text[:MAX_QUERY])
        if not terms:
            return []
        day = int(parse_date(as_of).isoformat().replace("-", ""))
        flt = Q.And([Q.Term("kind", "clause"), Q.NumericRange("effective", None, day),
                     Q.NumericRange("repealed", day + 1, None)])
        with self.ix.searcher() as s:
            return [(h["rule_id"], h.score) for h in
                    s.search(Q.Or([Q.Term("text", t) for t in terms]), filter=flt, limit=limit)]


def _term_marker(terms: list[str]):
    """One regex for the query's words, longest first (whoosh's own highlighter re-analyses
    every hit with jieba and took most of a search's time)."""
    words = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def _highlight(text: str, marker, maxchars: int = 120, before: int = 40) -> str:
    """The stretch of ``text`` around the first query word, every query word in 【】; "" if none."""
    if not marker or not text:
        return ""
    first = marker.search(text)
    if not first:
        return ""
    start = max(0, first.start() - before)
    piece = text[start:start + maxchars]
    marked = marker.sub(lambda m: "【" + m.group(0) + "】", piece)
    return ("……" if start else "") + marked + ("……" if start + maxchars < len(text) else "")


_lock = threading.Lock()
_searchers: dict = {}


def get_searcher(root=None) -> Searcher:
    from .classify import get_classifier
    kb = get_classifier(root).kb
    with _lock:
        if kb.content_hash not in _searchers:
            _searchers[kb.content_hash] = Searcher(kb)
        return _searchers[kb.content_hash]
