"""Self-inspection checklists and self-assessment reports, and their exports."""
import io
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from kb.checklist import checklist, self_assess
from kb.context import InputError


def test_checklist_items_for_machinery(classifier):
    cl = checklist(classifier, industry="机械")
    ids = [it["id"] for it in cl["items"]]
    assert "gongmao-2023-3.2" in ids
    assert "gongmao-2023-3.3" not in ids  # 金属冶炼 only
    it = next(i for i in cl["items"] if i["id"] == "gongmao-2023-3.2")
    assert it["question"].startswith("是否") and it["question"].endswith("？")
    assert it["clause_label"] == "第三条第（二）项" and it["topic"] and it["look_at"]
    for key in ("id", "question", "topic", "clause_label", "standard"):
        assert key in it


def test_checklist_needs_a_known_industry(classifier):
    with pytest.raises(InputError, match="可选"):
        checklist(classifier)
    with pytest.raises(InputError, match="不认识的行业"):
        checklist(classifier, industry="航天")


def test_self_assessment_report(classifier):
    cl = checklist(classifier, industry="机械")
    answers = {it["id"]: "否" for it in cl["items"]}
    answers["gongmao-2023-3.2"] = "是"
    del answers[cl["items"][-1]["id"]]
    r = self_assess(classifier, {"industry": "机械", "enterprise": "某机械厂", "date": "2026-11-20",
                                 "answers": answers, "notes": {"gongmao-2023-3.2": "焊工张某无证作业"}})
    assert [m["rule_id"] for m in r["major"]] == ["gongmao-2023-3.2"]
    m = r["major"][0]
    assert m["clause_text"].startswith("特种作业人员") and m["legal_basis"] and m["immediate_measures"]
    assert set(m["governance_plan"]) == {"责任人", "治理措施", "资金", "完成时限", "应急预案"}
    assert m["note"] == "焊工张某无证作业"
    assert [u["id"] for u in r["unanswered"]] == [cl["items"][-1]["id"]]
    assert r["summary"]["major"] == 1


def test_bad_answers_name_each_item(classifier):
    with pytest.raises(InputError) as e:
        self_assess(classifier, {"industry": "机械", "answers": {
            "gongmao-2023-3.3": "是", "nope-2023-1": "否", "gongmao-2023-3.2": "也许"}})
    msg = str(e.value)
    assert "gongmao-2023-3.3" in msg and "不适用于机械" in msg
    assert "nope-2023-1" in msg and "不存在" in msg
    assert "也许" in msg and "是、否 或 不适用" in msg


def test_exports_open(classifier, tmp_path):
    from openpyxl import load_workbook
    from kb import reports
    cl = checklist(classifier, industry="机械")
    wb = load_workbook(io.BytesIO(reports.checklist_xlsx(cl)))
    ws = wb.active
    assert ws.freeze_panes is not None and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "gongmao-2023-3.2" in values
    html = reports.checklist_html(cl)
    assert "<table" in html and "第三条第（二）项" in html


def test_filled_xlsx_round_trip(tmp_path):
    from openpyxl import load_workbook
    xlsx = tmp_path / "cl.xlsx"
    r = subprocess.run([sys.executable, "-m", "kb.cli", "checklist", "--industry", "机械", "--format", "xlsx",
                        "-o", str(xlsx)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    wb = load_workbook(xlsx)
    ws = wb.active
    head = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if row and "规则编号" in row)
    cols = [c.value for c in ws[head]]
    for row in ws.iter_rows(min_row=head + 1):
        rid = row[cols.index("规则编号")].value
        row[cols.index("是/否/不适用")].value = "是" if rid == "gongmao-2023-3.2" else "否"
    wb.save(xlsx)
    r = subprocess.run([sys.executable, "-m", "kb.cli", "self-assess", str(xlsx), "--industry", "机械", "--json"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert [m["rule_id"] for m in rep["major"]] == ["gongmao-2023-3.2"] and rep["unanswered"] == []


def test_pdf_when_a_font_exists(classifier):
    from kb import reports
    if not reports.find_font():
        pytest.skip("no Chinese font installed (apt-get install fonts-wqy-microhei)")
    pdf = reports.html_to_pdf(reports.checklist_html(checklist(classifier, industry="机械")))
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
