"""Quiz banks in the formats trainers import.

- md:    Markdown, questions then an answer section;
- docx:  Word (python-docx), the questions, then a page break and the answer sheet;
- xlsx / csv: the common 题库 import layout — 题型, 题干, 选项A…选项F, 答案
         (A / ABC / 正确·错误 / the fill-in text), 解析, 难度, 知识点; CSV is UTF-8 with BOM
         so Excel and WPS open it;
- wjx:   问卷星's text format for creating a questionnaire/exam from text: "1. 题干[单选题]",
         each option on its own line, a blank line between questions (as documented in
         wjxcom/wjx-ai-kit, wjx-cli/wjx-skills/wjx-cli-use/references/dsl-syntax.md). That format
         has no way to carry answers or scores, so the answer key follows as a separate section
         after a line "=== 答案 ===" to be entered in 问卷星's exam settings;
- answer: the widespread 【答案】 text format: the question, options "A. …", then
         "【答案】A" / "【答案】正确" and "【解析】…".
"""
from __future__ import annotations

import csv
import io

from .quiz import DIFF_LABELS, LETTERS

FORMATS = ("json", "md", "docx", "xlsx", "csv", "wjx", "answer")


def _answer_text(q) -> str:
    return q["answer"]


def to_markdown(bank: dict) -> str:
    s = bank["standard"]
    out = [f"# 《{s['title']}》（{s['doc_number']}）题库", "", f"共 {bank['count']} 题；随机种子 {bank['seed']}。", ""]
    for n, q in enumerate(bank["questions"], 1):
        out.append(f"**{n}.【{q['type_label']}】** {q['stem']}")
        out.append("")
        for i, o in enumerate(q["options"]):
            out.append(f"- {LETTERS[i]}. {o}")
        out.append("")
    out += ["---", "", "## 答案与解析", ""]
    for n, q in enumerate(bank["questions"], 1):
        out.append(f"{n}. 答案：{_answer_text(q)}（难度：{DIFF_LABELS[q['difficulty']]}；{q['rule_id']}）")
        out.append(f"   解析：{q['explanation']}")
    return "\n".join(out) + "\n"


def to_docx(bank: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    s = bank["standard"]
    doc.add_heading(f"《{s['title']}》题库", level=1)
    doc.add_paragraph(f"{s['doc_number']}；共 {bank['count']} 题")
    for n, q in enumerate(bank["questions"], 1):
        doc.add_paragraph(f"{n}.【{q['type_label']}】{q['stem']}")
        for i, o in enumerate(q["options"]):
            doc.add_paragraph(f"{LETTERS[i]}. {o}", style="List Paragraph")
        if q["type"] in ("fill", "case"):
            doc.add_paragraph("答：")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("答案与解析", level=1)
    for n, q in enumerate(bank["questions"], 1):
        p = doc.add_paragraph()
        p.add_run(f"{n}. 答案：{_answer_text(q)}").bold = True
        p.add_run(f"（{DIFF_LABELS[q['difficulty']]}；{q['rule_id']}）")
        doc.add_paragraph(f"解析：{q['explanation']}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "难度", "知识点"]


def rows(bank: dict) -> list[list[str]]:
    out = []
    for q in bank["questions"]:
        opts = list(q["options"]) + [""] * (6 - len(q["options"]))
        if q["type"] == "judge":
            opts = [""] * 6  # 判断题: the answer is 正确/错误, no options
        out.append([q["type_label"], q["stem"], *opts[:6], _answer_text(q), q["explanation"],
                    DIFF_LABELS[q["difficulty"]], f"{q['clause_label']} {q['topic']}"])
    return out


def to_xlsx(bank: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    wb = Workbook()
    ws = wb.active
    ws.title = "题库"
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows(bank):
        ws.append(r)
    widths = [10, 60, 28, 28, 28, 28, 16, 16, 10, 60, 6, 30]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(bank: dict) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    w.writerows(rows(bank))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


WJX_TAGS = {"single": "单选题", "multiple": "多选题", "judge": "判断题", "fill": "填空题", "case": "简答题"}


def to_wjx(bank: dict) -> str:
    s = bank["standard"]
    out = [f"《{s['title']}》测试", "", f"依据{s['doc_number']}，共 {bank['count']} 题。", ""]
    for n, q in enumerate(bank["questions"], 1):
        stem = q["stem"].replace("____", "{_}") if q["type"] == "fill" else q["stem"]
        out.append(f"{n}. {stem}[{WJX_TAGS[q['type']]}]")
        opts = ["正确", "错误"] if q["type"] == "judge" else q["options"]
        out.extend(opts)
        out.append("")
    out.append("=== 答案 ===")
    for n, q in enumerate(bank["questions"], 1):
        out.append(f"{n}. {_answer_text(q)}")
    return "\n".join(out) + "\n"


def to_answer_text(bank: dict) -> str:
    out = []
    for n, q in enumerate(bank["questions"], 1):
        out.append(f"{n}. {q['stem']}")
        for i, o in enumerate(q["options"]):
            out.append(f"{LETTERS[i]}. {o}")
        out.append(f"【答案】{_answer_text(q)}")
        out.append(f"【解析】{q['explanation']}")
        out.append("")
    return "\n".join(out)


def export(bank: dict, fmt: str) -> bytes:
    import json
    if fmt == "json":
        return json.dumps(bank, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "md":
        return to_markdown(bank).encode("utf-8")
    if fmt == "docx":
        return to_docx(bank)
    if fmt == "xlsx":
        return to_xlsx(bank)
    if fmt == "csv":
        return to_csv(bank)
    if fmt == "wjx":
        return to_wjx(bank).encode("utf-8")
    if fmt == "answer":
        return to_answer_text(bank).encode("utf-8")
    raise ValueError(fmt)
