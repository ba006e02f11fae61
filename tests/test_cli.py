"""The command line, end to end, as a user runs it."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_classify_readable():
    r = run("classify", "焊工没证在车间焊钢架", "--industry", "机械")
    assert r.returncode == 0, r.stderr
    assert "重大事故隐患" in r.stdout
    assert "第三条第（二）项" in r.stdout
    assert "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的；" in r.stdout
    assert "没证" in r.stdout  # the evidence


def test_classify_json_shape():
    r = run("classify", "速冻间里6个人在作业", "--json")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["level"] == "general"
    m = next(m for m in j["matches"] if m["rule_id"] == "gongmao-2023-12.2")
    assert any(x["status"] == "contradicted" and "6个人" in x.get("evidence", "") for x in m["missing"])
    for key in ("text", "level", "level_label", "matches", "questions", "kb_version"):
        assert key in j


def test_classify_jsonl_in_order_and_bad_lines_kept():
    lines = "\n".join([json.dumps({"text": "无证电焊", "industry": "机械"}, ensure_ascii=False),
                       "not json",
                       json.dumps({"text": "电焊工均已持证上岗"}, ensure_ascii=False),
                       json.dumps({"text": "速冻间十几个人干活", "as_of": "2024-01-01"}, ensure_ascii=False)])
    r = run("classify", "--jsonl", stdin=lines + "\n")
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["level"] == "major"
    assert "error" in out[1] and out[1]["line"] == 2
    assert out[2]["level"] == "none"
    assert out[3]["level"] == "major" and out[3]["context"]["as_of"] == "2024-01-01"
    assert r.returncode == 2  # a bad line is reported in the exit status too


@pytest.mark.parametrize("args,needle", [
    (["classify", ""], "不能为空"),
    (["classify", "无证电焊", "--as-of", "2024/01/01"], "YYYY-MM-DD"),
    (["classify", "无证电焊", "--industry", "航天"], "不认识的行业"),
    (["rules", "show", "gongmao-2023-99.9"], "没有编号"),
])
def test_bad_input_plain_message_no_traceback(args, needle):
    r = run(*args)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_rules_show_and_json():
    r = run("rules", "show", "gongmao-2023-3.2", "--json")
    d = json.loads(r.stdout)
    assert d["id"] == "gongmao-2023-3.2" and d["clause_label"] == "第三条第（二）项"
    assert d["legal_basis"] and d["legal_basis"][0]["text"]
    r2 = run("rules", "show", "gongmao-2023-3.2")
    assert "特种作业人员未按照规定" in r2.stdout


def test_standards_list():
    r = run("standards", "list", "--json")
    rows = json.loads(r.stdout)
    g = next(x for x in rows if x["key"] == "gongmao" and x["version"] == "2023")
    assert g["doc_number"] == "应急管理部令第10号" and g["effective"] == "2023-05-15"
    assert g["rule_count"] >= 5 and g["in_force"] == "in_force"
    for key in ("key", "version", "title", "doc_number", "issuer", "effective", "status", "rule_count"):
        assert key in g


def test_search_cli():
    r = run("search", "速冻", "--json")
    hits = json.loads(r.stdout)["hits"]
    assert hits and hits[0]["rule_id"] == "gongmao-2023-12.2"
    assert "【" in hits[0]["highlight"]


def test_validate_cli_reports_file_line(tmp_path):
    import shutil
    for sub in ("rules", "standards"):
        shutil.copytree(ROOT / sub, tmp_path / sub)
    f = tmp_path / "rules" / "gongmao" / "2023.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("level: major", "level: [", 1), encoding="utf-8")
    r = run("validate", str(tmp_path))
    assert r.returncode == 1
    assert "rules/gongmao/2023.yaml:" in r.stdout
    ok = run("validate", "--no-examples")
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_readme_example_files_work():
    """The example files that README points to run as README says."""
    r = run("self-assess", "examples/self-assess-jixie.yaml", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert [m["rule_id"] for m in report["major"]] == ["gongmao-2023-3.2"]
    r = run("assess", "examples/inspection-lengku.yaml", "--json")
    assert r.returncode == 0, r.stderr
    levels = [f["level"] for f in json.loads(r.stdout)["findings"]]
    assert levels == ["major", "major", "general"]
