"""The knowledge base's objects: standards and their editions, laws, rules."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .lexicon import Lexicon

LEVEL_LABELS = {
    "major": "重大事故隐患",
    "general": "一般事故隐患",
    "none": "未发现事故隐患",
    "undetermined": "无法判定",
}


@dataclass
class Edition:
    key: str
    version: str
    title: str
    doc_number: str
    issuer: str
    effective: str | None
    status: str
    published: str | None = None
    repealed: str | None = None
    replaces: str | None = None
    replaced_by: str | None = None
    url: str | None = None
    scope: str | None = None
    provisions: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    notes: str | None = None

    def in_force(self, day: dt.date) -> bool:
        if not self.effective or dt.date.fromisoformat(self.effective) > day:
            return False
        return not (self.repealed and dt.date.fromisoformat(self.repealed) <= day)

    def summary(self) -> dict:
        return {"key": self.key, "title": self.title, "doc_number": self.doc_number,
                "version": self.version, "effective": self.effective}


@dataclass
class Standard:
    key: str
    title: str
    sector: str
    industries: list
    editions: list  # [Edition], oldest first
    short_title: str | None = None
    site_types: list = field(default_factory=list)
    notes: str | None = None
    cross_industry: bool = False
    major_label: str | None = None
    site_attributes: list = field(default_factory=list)
    file: str = ""

    def edition(self, version: str) -> Edition | None:
        return next((e for e in self.editions if e.version == version), None)

    def edition_on(self, day: dt.date) -> Edition | None:
        return next((e for e in reversed(self.editions) if e.in_force(day)), None)


@dataclass
class LawArticle:
    law: str
    article: str
    label: str
    text: str
    status: str
    checked_against: list = field(default_factory=list)
    note: str | None = None


@dataclass
class Law:
    key: str
    kind: str
    title: str
    short_title: str
    issuer: str
    articles: dict  # article → LawArticle
    edition: str | None = None
    doc_number: str | None = None
    effective: str | None = None
    file: str = ""


@dataclass
class Group:
    name: str
    concepts: list = field(default_factory=list)
    quantity: dict | None = None
    question: str | None = None
    note: str | None = None


@dataclass
class Rule:
    id: str
    key: str
    version: str
    clause: str
    clause_label: str
    title: str
    level: str
    status: str
    text: str
    groups: dict          # name → Group
    condition: str
    tree: object          # parsed condition
    examples: dict
    legal_basis: list
    actions: list
    references: list
    lead_in: str | None = None
    industries: list = field(default_factory=list)
    site_types: list = field(default_factory=list)
    falsepositives: list = field(default_factory=list)
    notes: str | None = None
    file: str = ""
    line: int = 0


@dataclass
class Determination:
    """A site-level rule: enough comprehensive elements at one site make it major."""
    id: str
    key: str
    version: str
    clause: str
    clause_label: str
    title: str
    level: str
    status: str
    text: str
    site_any: list
    site_none: list
    elements: list        # rule ids (prefixes expanded at load)
    threshold: int
    references: list
    examples: dict
    notes: str | None = None
    file: str = ""
    line: int = 0


@dataclass
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class KnowledgeBase:
    root: str
    lexicon: Lexicon
    standards: dict       # key → Standard
    rules: dict           # id → Rule
    laws: dict            # key → Law
    content_hash: str
    release: str
    determinations: dict = field(default_factory=dict)   # id → Determination

    @property
    def version(self) -> str:
        return f"{self.release}+{self.content_hash[:12]}"

    def edition_of(self, rule: Rule) -> Edition:
        return self.standards[rule.key].edition(rule.version)
