"""The REST API: FastAPI on uvicorn.

    POST /v1/classify          one finding, or {"items": [...]} (≤ 1,000)
    GET  /v1/search            full-text search
    GET  /v1/rules/{id}        one rule
    GET  /v1/standards         every standard and edition
    GET  /v1/standards/{key}   one standard with its editions and rules
    /docs                      the OpenAPI page

The service is stateless and read-only: the knowledge base is loaded once at
start (a broken one stops the start) and shared by all requests. Judging a
finding is pure Python over immutable data, so the worker threads that
FastAPI runs sync endpoints in need no lock; durable-rules is not on this
path (see kb/infer/durable_engine.py). Every error is JSON with a plain
Chinese message: 422 bad fields, 413 too large, 404 unknown id; a user's
input never produces a 500.
"""
from __future__ import annotations

import json
from typing import Optional

from fastapi import FastAPI, Query, Request
from starlette.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kb.classify import get_classifier
from kb.context import InputError, parse_date
from kb.views import rule_dict, standard_detail, standards_list

from .models import (MAX_BATCH, Batch, BatchResult, ErrorResponse, Finding, Inspection, Judgement, QuizRequest,
                     SearchResult, SelfAssessment, SelfAssessmentShape)

MAX_BODY = 2 * 1024 * 1024  # bytes

_FIELD_MESSAGES = {
    "missing": "缺少必填字段",
    "string_type": "应为文字",
    "extra_forbidden": "不认识的字段",
    "json_invalid": "请求体不是合法的 JSON",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "too_short": "不能为空",
    "int_parsing": "应为整数",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "literal_error": "取值不在允许范围内",
}


def _json(data, status: int = 200, kb_version: str | None = None) -> Response:
    headers = {"X-KB-Version": kb_version} if kb_version else None
    return Response(json.dumps(data, ensure_ascii=False), status_code=status,
                    media_type="application/json", headers=headers)


def _error(status: int, code: str, message: str, details=None) -> Response:
    body = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details
    return _json(body, status)


def _plain_errors(errors) -> tuple[str, list]:
    details = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body",)]
        where = ".".join(loc) or "请求体"
        msg = _FIELD_MESSAGES.get(e.get("type"), e.get("msg", "不符合要求"))
        details.append({"field": where, "message": msg})
    text = "；".join(f"{d['field']}：{d['message']}" for d in details[:5])
    return f"请求内容有误：{text}", details


class BodyLimit:
    """Reject request bodies over MAX_BODY bytes with 413, counted as they arrive."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for k, v in scope.get("headers", []):
            if k == b"content-length" and v.isdigit() and int(v) > self.limit:
                return await _too_large(send, self.limit)
        seen = 0
        too_large = False

        async def limited():
            nonlocal seen, too_large
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    too_large = True
                    raise _TooLarge()
            return msg

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(send, limit):
    body = json.dumps({"error": {"code": "too_large",
                                 "message": f"请求体太大，上限为 {limit // 1024} KB；请分批提交"}},
                      ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(root: Optional[str] = None) -> FastAPI:
    classifier = get_classifier(root)  # loads and checks the knowledge base: broken → no app
    kb = classifier.kb
    app = FastAPI(
        title="重大事故隐患判定知识库 API",
        version=kb.version,
        description="判定一条检查发现是否构成重大事故隐患，给出依据条款原文、法律依据和整改措施；检索判定标准。",
    )
    errors = {422: {"model": ErrorResponse}, 413: {"model": ErrorResponse}}

    @app.exception_handler(RequestValidationError)
    async def _validation(request, exc: RequestValidationError):
        message, details = _plain_errors(exc.errors())
        return _error(422, "invalid_request", message, details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return _error(404, "not_found", f"没有这个地址：{request.url.path}")
        if exc.status_code == 405:
            return _error(405, "method_not_allowed", f"{request.method} 不适用于 {request.url.path}")
        return _error(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request, exc: Exception):  # a bug of ours, not the user's
        return _error(500, "internal_error", "服务内部错误，请联系维护人员；您的请求内容未被修改")

    def judge(f: Finding) -> dict:
        j = classifier.classify(f.text, industry=f.industry, site_type=f.site_type, as_of=f.as_of)
        return {"id": f.id, **j} if f.id is not None else j

    @app.post("/v1/classify", tags=["判定"],
              summary="判定一条或一批隐患描述",
              responses={200: {"model": Judgement | BatchResult,
                               "description": "单条：判定结果；批量（items）：{results: [...]}，顺序与输入一致；"
                                              "某条内容有误时，该位置为 {index, error: {code, message}}，其余照常判定"},
                         **errors},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "oneOf": [{"$ref": "#/components/schemas/Finding"}, {"$ref": "#/components/schemas/Batch"}]}}}}})
    async def classify(request: Request):
        raw = await request.body()
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _error(422, "invalid_json", "请求体不是合法的 JSON，例如：{\"text\": \"焊工无证作业\"}")
        return await run_in_threadpool(_classify_body, body)

    def _classify_body(body):
        try:
            if isinstance(body, dict) and "items" in body:
                items = body["items"]
                if isinstance(items, list) and len(items) > MAX_BATCH:
                    return _error(413, "batch_too_large", f"一批最多 {MAX_BATCH} 条，收到 {len(items)} 条；请分批提交")
                batch = Batch.model_validate(body)
                results = []
                for n, f in enumerate(batch.items):
                    try:
                        results.append(judge(f))
                    except InputError as e:  # one bad item does not cost the others their answers
                        results.append({"index": n, **({"id": f.id} if f.id is not None else {}),
                                        "error": {"code": "invalid_request", "message": f"第 {n + 1} 条：{e}"}})
                return _json({"results": results, "kb_version": kb.version}, kb_version=kb.version)
            f = Finding.model_validate(body)
            return _json(judge(f), kb_version=kb.version)
        except ValidationError as e:
            message, details = _plain_errors(e.errors())
            return _error(422, "invalid_request", message, details)
        except InputError as e:
            return _error(422, "invalid_request", str(e))

    @app.post("/v1/assess", tags=["判定"], summary="判定一次检查：逐条判定，并按场所综合判定（如重大火灾隐患）",
              responses={422: {"model": ErrorResponse}}, openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Inspection"}}}}})
    async def post_assess(request: Request):
        from kb.assess import assess
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(422, "invalid_json", "请求体不是合法的 JSON")

        try:
            Inspection.model_validate(body)
        except ValidationError as e:
            message, details = _plain_errors(e.errors())
            return _error(422, "invalid_request", message, details)

        def work():
            try:
                return _json(assess(classifier, body), kb_version=kb.version)
            except InputError as e:
                return _error(422, "invalid_request", str(e))
        return await run_in_threadpool(work)

    @app.get("/v1/search", tags=["检索"], summary="全文检索条款、标准总则和法律条文",
             responses={200: {"model": SearchResult}, **errors})
    def search(q: str = Query(..., description="检索词，如 安全出口"),
               standard: Optional[str] = Query(None, description="标准 key，如 gongmao"),
               industry: Optional[str] = None, level: Optional[str] = Query(None, description="major"),
               kind: Optional[str] = Query(None, description="clause / provision / law"),
               as_of: Optional[str] = Query(None, description="只检索该日有效的版本 YYYY-MM-DD"),
               limit: int = Query(10, ge=1, le=100)):
        from kb.search import get_searcher
        try:
            hits = get_searcher(root).search(q, standard=standard, industry=industry, level=level, kind=kind,
                                             limit=limit, as_of=as_of)
        except InputError as e:
            return _error(422, "invalid_request", str(e))
        return _json({"query": q, "hits": hits, "kb_version": kb.version}, kb_version=kb.version)

    @app.get("/v1/rules/{rule_id}", tags=["规则"], summary="一条规则：条文原文、判定条件、例句、依据、措施",
             responses={404: {"model": ErrorResponse}})
    def get_rule(rule_id: str):
        rule = kb.rules.get(rule_id)
        if rule is None:
            return _error(404, "not_found", f"没有编号为 {rule_id} 的规则")
        return _json({**rule_dict(kb, rule), "kb_version": kb.version}, kb_version=kb.version)

    @app.get("/v1/standards", tags=["标准"], summary="全部判定标准及版本（含施行、废止日期和规则数）")
    def get_standards(as_of: Optional[str] = Query(None, description="按该日判断现行/废止 YYYY-MM-DD")):
        try:
            day = parse_date(as_of)
        except InputError as e:
            return _error(422, "invalid_request", str(e))
        return _json({"standards": standards_list(kb, day), "kb_version": kb.version}, kb_version=kb.version)

    @app.get("/v1/standards/{key}", tags=["标准"], summary="一个判定标准：各版本、总则条文和规则列表",
             responses={404: {"model": ErrorResponse}})
    def get_standard(key: str, as_of: Optional[str] = None):
        try:
            day = parse_date(as_of)
        except InputError as e:
            return _error(422, "invalid_request", str(e))
        d = standard_detail(kb, key, day)
        if d is None:
            return _error(404, "not_found", f"没有标准 {key}；可选：{'、'.join(kb.standards)}")
        return _json({**d, "kb_version": kb.version}, kb_version=kb.version)

    @app.get("/v1/standards/{key}/history", tags=["标准"], summary="一个标准的各个版本及其文号、日期",
             responses={404: {"model": ErrorResponse}})
    def get_history(key: str):
        from kb.diff import history
        if key not in kb.standards:
            return _error(404, "not_found", f"没有标准 {key}；可选：{'、'.join(kb.standards)}")
        return _json({**history(kb, key), "kb_version": kb.version}, kb_version=kb.version)

    @app.get("/v1/standards/{key}/diff", tags=["标准"],
             summary="两个版本之间的变化：新增、删除、修改（逐词）、移动、数值变化",
             responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
    def get_diff(key: str, from_: str = Query(..., alias="from", description="旧版本，如 2017"),
                 to: str = Query(..., description="新版本，如 2023")):
        from kb.diff import diff
        if key not in kb.standards:
            return _error(404, "not_found", f"没有标准 {key}；可选：{'、'.join(kb.standards)}")
        try:
            return _json(diff(kb, key, from_, to), kb_version=kb.version)
        except InputError as e:
            return _error(422, "invalid_request", str(e))

    @app.get("/v1/checklists", tags=["自查"], summary="行业自查检查表（JSON，或 format=xlsx/html/pdf 文件）",
             responses={422: {"model": ErrorResponse}})
    def get_checklist(industry: Optional[str] = None, standard: Optional[str] = None,
                      site_type: Optional[str] = None, as_of: Optional[str] = None,
                      format: Optional[str] = Query(None, pattern="^(json|xlsx|html|pdf)$")):
        from kb.checklist import checklist
        try:
            cl = checklist(classifier, industry=industry, site_type=site_type, as_of=as_of, standard=standard)
            return _export("checklist", cl, format)
        except InputError as e:
            return _error(422, "invalid_request", str(e))

    @app.post("/v1/self-assessments", tags=["自查"], summary="根据自查答案生成自查报告（JSON，或 ?format=xlsx/html/pdf）",
              responses={422: {"model": ErrorResponse}}, openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SelfAssessment"}}}}})
    async def post_self_assessment(request: Request, format: Optional[str] = Query(None, pattern="^(json|xlsx|html|pdf)$")):
        from kb.checklist import self_assess
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(422, "invalid_json", "请求体不是合法的 JSON")

        try:
            SelfAssessmentShape.model_validate(body)
        except ValidationError as e:
            message, details = _plain_errors(e.errors())
            return _error(422, "invalid_request", message, details)

        def work():
            try:
                return _export("report", self_assess(classifier, body), format)
            except InputError as e:
                return _error(422, "invalid_request", str(e))
        return await run_in_threadpool(work)

    def _export(kind, data, fmt):
        from kb import reports
        if not fmt or fmt == "json":
            return _json({**data}, kb_version=kb.version)
        to_html = reports.checklist_html if kind == "checklist" else reports.report_html
        name = "checklist" if kind == "checklist" else "self-assessment"
        if fmt == "html":
            return HTMLResponse(to_html(data))
        if fmt == "pdf":
            return Response(reports.html_to_pdf(to_html(data)), media_type="application/pdf",
                            headers={"Content-Disposition": f"attachment; filename={name}.pdf"})
        content = (reports.checklist_xlsx if kind == "checklist" else reports.report_xlsx)(data)
        return Response(content, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})

    @app.post("/v1/quiz", tags=["题库"], summary="生成题库：JSON，或 ?format=md/docx/xlsx/csv/wjx/txt",
              responses={422: {"model": ErrorResponse}}, openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QuizRequest"}}}}})
    async def post_quiz(request: Request,
                        format: Optional[str] = Query(None, pattern="^(json|md|docx|xlsx|csv|wjx|txt)$")):
        from kb.quiz import build_quiz
        from kb.quiz_export import export
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError):
            return _error(422, "invalid_json", "请求体不是合法的 JSON")
        try:
            req = QuizRequest.model_validate(body)
        except ValidationError as e:
            message, details = _plain_errors(e.errors())
            return _error(422, "invalid_request", message, details)
        types = req.types or ["single", "multiple", "judge", "fill", "case"]

        def work():
            try:
                bank = build_quiz(classifier, req.standard, count=req.count, types=types,
                                  difficulty=req.difficulty, seed=req.seed, industry=req.industry, as_of=req.as_of)
            except InputError as e:
                return _error(422, "invalid_request", str(e))
            fmt = {"txt": "answer"}.get(format, format) or "json"
            if fmt == "json":
                return _json(bank, kb_version=kb.version)
            media = {"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8",
                     "wjx": "text/plain; charset=utf-8", "answer": "text/plain; charset=utf-8",
                     "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
            ext = {"answer": "txt", "wjx": "txt"}.get(fmt, fmt)
            return Response(export(bank, fmt), media_type=media,
                            headers={"Content-Disposition": f"attachment; filename=quiz-{req.standard}.{ext}"})
        return await run_in_threadpool(work)

    @app.get("/v1/version", tags=["版本"], summary="知识库版本和内容哈希")
    def version():
        return _json({"kb_version": kb.version, "content_hash": kb.content_hash}, kb_version=kb.version)

    @app.get("/", include_in_schema=False)
    def home():
        from .pages import HOME
        return HTMLResponse(HOME)

    # Batch and Finding appear in the OpenAPI components for the oneOf above.
    app.openapi_schema = None
    _orig = app.openapi

    def openapi():
        if app.openapi_schema:
            return app.openapi_schema
        schema = _orig()
        from pydantic.json_schema import models_json_schema
        _, defs = models_json_schema([(m, "validation") for m in (Finding, Batch, Inspection, QuizRequest, SelfAssessment)],
                                     ref_template="#/components/schemas/{model}")
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs.get("$defs", {}))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
    app.add_middleware(BodyLimit)
    return app
