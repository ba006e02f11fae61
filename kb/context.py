"""The context of a judgement: the date, the industry, the site type.

Resolves what the user gave (or what the text says) into the standards'
own vocabulary, and says plainly what could not be understood.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .extract import Extractor
from .model import KnowledgeBase

MAX_TEXT = 20_000  # characters of one finding that are read


class InputError(ValueError):
    """Bad input from a user, with a plain message in Chinese."""


def parse_date(value, what: str = "as_of") -> dt.date:
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"{what} 日期“{value}”格式不对，应为 YYYY-MM-DD，例如 2024-06-01") from None


def check_text(text) -> str:
    if not isinstance(text, str):
        raise InputError("隐患描述 text 必须是文字")
    if not text.strip():
        raise InputError("隐患描述不能为空，请写明发现的问题，例如“焊工无证作业”")
    return text


@dataclass
class Context:
    as_of: dt.date
    industry: str | None = None
    industry_source: str | None = None       # "given" | "text"
    industry_evidence: str | None = None
    inferred_industries: list = field(default_factory=list)
    site_type: str | None = None


class ContextResolver:
    def __init__(self, kb: KnowledgeBase, extractor: Extractor):
        self.kb = kb
        self.extractor = extractor
        self.industries = []
        for s in kb.standards.values():
            for i in s.industries:
                if i not in self.industries:
                    self.industries.append(i)
        self.site_types = sorted({st for s in kb.standards.values() for st in s.site_types}
                                 | {st for r in kb.rules.values() for st in r.site_types}
                                 | {c.id for c in kb.lexicon.concepts.values() if c.kind == "site"})

    def industry(self, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        v = str(value).strip()
        if v in self.industries:
            return v
        facts = self.extractor.extract(v)
        found = [i for i in facts.industries if i in self.industries]
        if len(found) >= 1:
            return found[0]
        raise InputError(f"不认识的行业“{v}”。可选的行业：{'、'.join(self.industries)}")

    def site_type(self, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        v = str(value).strip()
        if v in self.site_types:
            return v
        facts = self.extractor.extract(v)
        found = [s for s in facts.site_types if s in self.site_types]
        if found:
            return found[0]
        if not self.site_types:
            raise InputError(f"不认识的场所类型“{v}”：当前收录的标准没有按场所类型区分的条款")
        raise InputError(f"不认识的场所类型“{v}”。可选：{'、'.join(self.site_types)}")
