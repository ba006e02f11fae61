"""The REST API over real HTTP: `hazardkb serve` (uvicorn) on a local port."""
import concurrent.futures as cf
import json

import httpx
import pytest


def post(server, body, **kw):
    return httpx.post(server + "/v1/classify", content=json.dumps(body, ensure_ascii=False).encode(), timeout=30, **kw)


def test_classify_one(server):
    r = post(server, {"text": "焊工没证在车间焊钢架", "industry": "机械"})
    assert r.status_code == 200
    j = r.json()
    assert j["level"] == "major"
    m = j["matches"][0]
    assert m["rule_id"] == "gongmao-2023-3.2"
    assert m["clause_label"] == "第三条第（二）项"
    assert m["standard"]["doc_number"] == "应急管理部令第10号"
    assert m["legal_basis"] and m["actions"]
    assert {"condition": "未取得资格", "evidence": "没证"} in m["satisfied"]
    assert r.headers["X-KB-Version"] == j["kb_version"]


def test_near_miss_and_compliant(server):
    assert post(server, {"text": "速冻间里6个人在作业"}).json()["level"] == "general"
    assert post(server, {"text": "电焊工均持有效特种作业操作证上岗"}).json()["level"] == "none"
    u = post(server, {"text": "焊工在车间焊接钢架"}).json()
    assert u["level"] == "undetermined"
    assert "作业人员是否持有有效的特种作业操作证？" in u["questions"]


def test_batch_in_order_with_bad_item_kept(server):
    items = [{"text": "无证电焊", "id": "a"}, {"text": "  "}, {"text": "速冻间十几个人干活", "id": "c"}]
    r = post(server, {"items": items})
    assert r.status_code == 200
    res = r.json()["results"]
    assert res[0]["id"] == "a" and res[0]["level"] == "major"
    assert res[1]["index"] == 1 and "不能为空" in res[1]["error"]["message"]
    assert res[2]["id"] == "c" and res[2]["level"] == "major"


@pytest.mark.parametrize("body,status,needle", [
    ({"txt": "x"}, 422, "text"),
    ({"text": 5}, 422, "应为文字"),
    ({"text": "x", "as_of": "2020-13-01"}, 422, "YYYY-MM-DD"),
    ({"text": "x", "industry": "航天"}, 422, "不认识的行业"),
    ({"items": []}, 422, "items"),
    ({"items": [{"text": "a"}] * 1001}, 413, "1000"),
    ([1, 2], 422, "JSON 对象"),
])
def test_bad_fields(server, body, status, needle):
    r = post(server, body)
    assert r.status_code == status, r.text
    assert needle in r.json()["error"]["message"]


def test_not_json_and_too_large(server):
    r = httpx.post(server + "/v1/classify", content=b"not json", timeout=30)
    assert r.status_code == 422 and "JSON" in r.json()["error"]["message"]
    r = httpx.post(server + "/v1/classify", content=b"a" * (3 * 1024 * 1024), timeout=30)
    assert r.status_code == 413 and "太大" in r.json()["error"]["message"]


def test_rules_and_standards(server):
    r = httpx.get(server + "/v1/rules/gongmao-2023-12.2")
    assert r.status_code == 200 and "超过9人" in r.json()["text"]
    r = httpx.get(server + "/v1/rules/nope-0000-1")
    assert r.status_code == 404 and "nope-0000-1" in r.json()["error"]["message"]
    s = httpx.get(server + "/v1/standards").json()["standards"]
    assert any(x["key"] == "gongmao" and x["rule_count"] > 0 for x in s)
    d = httpx.get(server + "/v1/standards/gongmao").json()
    assert d["current_version"] == "2023"
    assert httpx.get(server + "/v1/standards/nope").status_code == 404
    assert httpx.get(server + "/no/such/path").status_code == 404


@pytest.mark.parametrize("q", ["安全出口", "AND (", "*:*", "\"unbalanced", "-", "速冻"])
def test_search_never_500(server, q):
    r = httpx.get(server + "/v1/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["hits"], list)


def test_search_bad_params(server):
    assert httpx.get(server + "/v1/search", params={"q": ""}).status_code == 422
    assert httpx.get(server + "/v1/search", params={"q": "x", "standard": "nope"}).status_code == 422
    assert httpx.get(server + "/v1/search").status_code == 422


def test_openapi_and_home(server):
    spec = httpx.get(server + "/openapi.json").json()
    assert "/v1/classify" in spec["paths"] and "Finding" in spec["components"]["schemas"]
    assert httpx.get(server + "/docs").status_code == 200
    assert "重大事故隐患判定" in httpx.get(server + "/").text


def test_concurrent_clients_same_answers(server):
    texts = ["无证电焊", "速冻间里6个人在作业", "焊工在车间焊接钢架", "电焊工均已持证上岗",
             "冷库速冻间里十几个人在干活", "外包单位的安全生产没人统一管理"] * 5
    sequential = [post(server, {"text": t}).json() for t in texts]
    with cf.ThreadPoolExecutor(8) as ex:
        concurrent = list(ex.map(lambda t: post(server, {"text": t}).json(), texts))
    assert [(j["level"], [m["rule_id"] for m in j["matches"]]) for j in sequential] == \
           [(j["level"], [m["rule_id"] for m in j["matches"]]) for j in concurrent]
