"""The API's typed contract (what other systems read in /docs)."""
from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH = 1000


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., description="隐患描述（检查发现的问题）", examples=["焊工没证在车间焊钢架"])
    industry: Optional[str] = Field(None, description="行业，如 机械、冶金、化工", examples=["机械"])
    site_type: Optional[str] = Field(None, description="场所类型")
    as_of: Optional[str] = Field(None, description="判定日期 YYYY-MM-DD，默认今天；按当日有效的标准版本判定",
                                 examples=["2024-06-01"])
    id: Optional[str] = Field(None, description="调用方自己的编号，原样返回")


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[Finding] = Field(..., min_length=1, max_length=MAX_BATCH,
                                 description=f"一批隐患描述，最多 {MAX_BATCH} 条；结果按顺序返回")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Optional[list[dict[str, Any]]] = None


class Evidence(BaseModel):
    condition: str
    evidence: str


class Missing(BaseModel):
    condition: str
    status: Literal["unknown", "contradicted"]
    question: str
    evidence: Optional[str] = None


class StandardRef(BaseModel):
    key: str
    title: str
    doc_number: str
    version: str
    effective: Optional[str]


class LegalBasis(BaseModel):
    law: str
    title: str
    article: str
    label: str
    text: str
    status: str
    note: Optional[str] = None


class Match(BaseModel):
    rule_id: str
    standard: StandardRef
    clause: str
    clause_label: str
    clause_title: str
    clause_text: str
    lead_in: Optional[str]
    level: str
    status: Literal["met", "partial", "not_met"] = Field(
        ..., description="met：条款条件全部满足；partial：部分满足、其余未说明；not_met：有条件与描述不符")
    score: float
    satisfied: list[Evidence]
    missing: list[Missing]
    legal_basis: list[LegalBasis]
    actions: list[str]
    verification: str = Field(..., description="条文措辞核对状态：verified / unverified")


class Judgement(BaseModel):
    id: Optional[str] = None
    text: str
    level: Literal["major", "general", "none", "undetermined"]
    level_label: str
    matches: list[Match]
    questions: list[str]
    actions: list[str]
    context: dict[str, Any]
    facts: dict[str, Any]
    notes: list[str]
    kb_version: str


class ItemError(BaseModel):
    index: int
    id: Optional[str] = None
    error: ErrorBody


class BatchResult(BaseModel):
    results: list[Judgement | ItemError]
    kb_version: str


class SearchHit(BaseModel):
    kind: str
    kind_label: str
    id: str
    rule_id: Optional[str]
    standard: Optional[str]
    version: Optional[str]
    level: Optional[str]
    title: str
    text: str
    highlight: str
    score: float


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]
    kb_version: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site_type: Optional[str] = Field(None, description="场所类型，如 KTV、商场", examples=["KTV"])
    industry: Optional[str] = None
    name: Optional[str] = None
    attributes: dict[str, bool] = Field(default_factory=dict, description="场所属性，如 {\"人员密集场所\": true, \"高层建筑\": false}")


class Inspection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    site: Site
    as_of: Optional[str] = Field(None, description="检查日期 YYYY-MM-DD")
    findings: list[str | Finding] = Field(..., min_length=1, max_length=500, description="本次检查的全部发现")


class QuizRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    standard: str = Field(..., examples=["gongmao"])
    count: int = Field(20, ge=1, le=1000)
    types: list[Literal["single", "multiple", "judge", "fill", "case"]] | None = None
    difficulty: Optional[Literal["easy", "medium", "hard"]] = None
    seed: int = 0
    industry: Optional[str] = None
    as_of: Optional[str] = None


class SelfAssessment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    industry: str = Field(..., examples=["机械"])
    enterprise: Optional[str] = None
    date: Optional[str] = Field(None, description="自查日期 YYYY-MM-DD")
    site_type: Optional[str] = None
    answers: dict[str, Literal["是", "否", "不适用"]] = Field(..., description="{规则编号: 是|否|不适用}，是 = 存在该隐患")
    notes: dict[str, str] = Field(default_factory=dict)


class SelfAssessmentShape(BaseModel):
    """The shape checked before the answers themselves (which get item-by-item messages)."""
    model_config = ConfigDict(extra="forbid")
    industry: str
    enterprise: Optional[str] = None
    date: Optional[str] = None
    as_of: Optional[str] = None
    site_type: Optional[str] = None
    answers: dict[str, str]
    notes: dict[str, str] = Field(default_factory=dict)
