"""Checklists and self-assessment reports as HTML, Excel and PDF.

HTML is written to print on A4 (and is what the PDF is made from, with
xhtml2pdf); Excel uses openpyxl with a header row, frozen first row and
column, wrapped text and column widths that fit A4 landscape. A PDF needs a
Chinese font on the machine (e.g. `apt-get install fonts-wqy-microhei`); if
none is found, the error says which package to install.
"""
from __future__ import annotations

import html
import io
from pathlib import Path

from .context import InputError

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
]

CSS = """
@page { size: a4 portrait; margin: 1.6cm 1.4cm; }
body { font-family: %(font)s; font-size: 10.5pt; color: #000; -pdf-word-wrap: CJK; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 12pt 0 4pt; border-bottom: 1px solid #444; }
p.meta { text-align: center; font-size: 9.5pt; margin: 0 0 8pt; }
table { width: 100%%; border-collapse: collapse; margin: 4pt 0; }
th, td { border: 0.6pt solid #333; padding: 3pt 4pt; vertical-align: top; -pdf-word-wrap: CJK; }
th { background: #e8e8e8; }
td.c { text-align: center; white-space: nowrap; }
.clause { font-size: 9.5pt; }
.muted { color: #444; font-size: 9pt; }
tr { page-break-inside: avoid; }
"""


def _e(s) -> str:
    return html.escape(str(s if s is not None else ""))


def _doc(title: str, body: str, font: str = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', sans-serif") -> str:
    return (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{_e(title)}</title>"
            f"<style>{CSS % {'font': font}}</style></head><body>{body}</body></html>")


def checklist_html(cl: dict, font=None) -> str:
    stds = "；".join(f"《{s['title']}》（{s['doc_number']}）" for s in cl["standards"])
    parts = [f"<h1>重大事故隐患自查检查表</h1>",
             f"<p class=\"meta\">行业：{_e(cl['industry'] or '—')}　依据：{_e(stds)}　标准版本日期：{_e(cl['as_of'])}</p>",
             "<p class=\"muted\">填写说明：逐项检查，存在该情形填“是”，不存在填“否”，本单位不涉及填“不适用”。"
             "任何一项为“是”即为重大事故隐患，应立即采取措施并报告。</p>"]
    topic = None
    rows = []

    def flush():
        if rows:
            parts.append("<table><tr><th width=\"6%\">序号</th><th width=\"48%\">检查内容</th><th width=\"24%\">检查要点</th>"
                         "<th width=\"12%\">依据</th><th width=\"10%\">是/否/不适用</th></tr>" + "".join(rows) + "</table>")
            rows.clear()

    for n, it in enumerate(cl["items"], 1):
        if it["topic"] != topic:
            flush()
            topic = it["topic"]
            parts.append(f"<h2>{_e(topic)}</h2>")
        look = "<br/>".join(_e(x) for x in it["look_at"])
        rows.append(f"<tr><td class=\"c\">{n}</td><td>{_e(it['question'])}<br/><span class=\"muted\">{_e(it['id'])}</span></td>"
                    f"<td class=\"clause\">{look}</td><td class=\"clause\">{_e(it['clause_label'])}</td><td></td></tr>")
    flush()
    parts.append("<p>检查人：＿＿＿＿＿＿　　负责人：＿＿＿＿＿＿　　检查日期：＿＿＿＿年＿＿月＿＿日</p>")
    return _doc("重大事故隐患自查检查表", "".join(parts), font or _doc_font_css())


def report_html(r: dict, font=None) -> str:
    s = r["summary"]
    parts = ["<h1>重大事故隐患自查报告</h1>",
             f"<p class=\"meta\">单位：{_e(r['enterprise'] or '—')}　行业：{_e(r['industry'])}　自查日期：{_e(r['date'] or r['as_of'])}</p>",
             f"<p>共检查 {s['items']} 项：存在重大事故隐患 <b>{s['major']}</b> 项，不存在 {s['compliant']} 项，"
             f"不适用 {s['not_applicable']} 项，未作答 {s['unanswered']} 项。</p>"]
    if r["major"]:
        parts.append("<h2>一、发现的重大事故隐患</h2>")
        for i, m in enumerate(r["major"], 1):
            parts.append(f"<h3>{i}. {_e(m['title'])}（{_e(m['rule_id'])}）</h3>")
            parts.append(f"<p>依据：《{_e(m['standard']['title'])}》（{_e(m['standard']['doc_number'])}）{_e(m['clause_label'])}：</p>"
                         f"<p class=\"clause\">{_e(m['clause_text'])}</p>")
            if m.get("note"):
                parts.append(f"<p>现场情况：{_e(m['note'])}</p>")
            if m["legal_basis"]:
                parts.append("<p>法律依据：" + "；".join(f"{_e(lb['title'])}{_e(lb['label'])}" for lb in m["legal_basis"]) + "</p>")
            parts.append("<p>立即采取的措施：</p><ol>" + "".join(f"<li>{_e(a)}</li>" for a in m["immediate_measures"]) + "</ol>")
            parts.append("<table><tr><th colspan=\"2\">治理方案（五落实）</th></tr>" +
                         "".join(f"<tr><td width=\"20%\">{_e(k)}</td><td>&nbsp;</td></tr>" for k in m["governance_plan"]) +
                         "</table>")
            parts.append(f"<p class=\"muted\">报告：{_e(m['reporting'])}</p>")
    else:
        parts.append("<h2>一、发现的重大事故隐患</h2><p>本次自查未发现重大事故隐患。</p>")
    if r.get("reporting_basis"):
        rb = r["reporting_basis"]
        parts.append(f"<h2>二、报告义务</h2><p class=\"clause\">{_e(rb['title'])}{_e(rb['label'])}：{_e(rb['text'])}</p>")
    if r["unanswered"]:
        parts.append("<h2>三、未作答的检查项（请补充检查）</h2><table><tr><th width=\"20%\">编号</th><th>检查内容</th></tr>" +
                     "".join(f"<tr><td>{_e(u['id'])}</td><td>{_e(u['question'])}</td></tr>" for u in r["unanswered"]) +
                     "</table>")
    parts.append("<p>单位主要负责人（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日</p>")
    return _doc("重大事故隐患自查报告", "".join(parts), font or _doc_font_css())


def _doc_font_css() -> str:
    return "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif"


def find_font() -> str | None:
    for p in FONT_CANDIDATES:
        if Path(p).is_file():
            return p
    return None


def html_to_pdf(doc_html: str) -> bytes:
    font = find_font()
    if not font:
        raise InputError("生成 PDF 需要中文字体，本机没有找到。请安装，例如：sudo apt-get install fonts-wqy-microhei")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from xhtml2pdf import pisa
    from xhtml2pdf.default import DEFAULT_FONT
    if "HazardKBCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("HazardKBCJK", font, subfontIndex=0))
    DEFAULT_FONT["hazardkbcjk"] = "HazardKBCJK"
    doc_html = doc_html.replace(_doc_font_css(), "hazardkbcjk")
    import logging
    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    buf = io.BytesIO()
    result = pisa.CreatePDF(doc_html, dest=buf, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"PDF 生成失败（{result.err} 处错误）")
    return buf.getvalue()


def _xlsx(title: str, header: list, rows: list, widths: list, meta: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    thin = Side(style="thin", color="666666")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    r0 = 1
    for line in meta:
        ws.cell(row=r0, column=1, value=line).font = Font(bold=(r0 == 1), size=14 if r0 == 1 else 10)
        ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=len(header))
        r0 += 1
    for c, h in enumerate(header, 1):
        cell = ws.cell(row=r0, column=c, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for i, row in enumerate(rows, r0 + 1):
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=i, column=c, value=v)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=r0, column=c).column_letter].width = w
    ws.freeze_panes = ws.cell(row=r0 + 1, column=2)
    ws.print_title_rows = f"{r0}:{r0}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def checklist_xlsx(cl: dict) -> bytes:
    rows = [[n, it["topic"], it["question"], "\n".join(it["look_at"]), f"《{it['standard']['title']}》{it['clause_label']}",
             it["id"], ""] for n, it in enumerate(cl["items"], 1)]
    stds = "；".join(f"《{s['title']}》（{s['doc_number']}）" for s in cl["standards"])
    return _xlsx("自查检查表", ["序号", "类别", "检查内容", "检查要点", "依据", "规则编号", "是/否/不适用"], rows,
                 [6, 16, 50, 34, 26, 18, 12],
                 ["重大事故隐患自查检查表", f"行业：{cl['industry'] or '—'}；依据：{stds}；标准版本日期：{cl['as_of']}",
                  "填写说明：存在该情形填“是”，不存在填“否”，不涉及填“不适用”。“规则编号”列请勿修改。"])


def report_xlsx(r: dict) -> bytes:
    rows = []
    for m in r["major"]:
        rows.append([m["rule_id"], f"《{m['standard']['title']}》{m['clause_label']}", m["clause_text"], m.get("note") or "",
                     "\n".join(f"{lb['title']}{lb['label']}" for lb in m["legal_basis"]),
                     "\n".join(m["immediate_measures"]), "", "", "", "", ""])
    s = r["summary"]
    return _xlsx("重大事故隐患", ["规则编号", "依据条款", "条文", "现场情况", "法律依据", "立即措施",
                                 "责任人", "治理措施", "资金", "完成时限", "应急预案"], rows,
                 [18, 24, 44, 20, 24, 40, 10, 20, 10, 12, 14],
                 ["重大事故隐患自查报告", f"单位：{r['enterprise'] or '—'}；行业：{r['industry']}；自查日期：{r['date'] or r['as_of']}",
                  f"共 {s['items']} 项：重大事故隐患 {s['major']} 项，不存在 {s['compliant']} 项，不适用 {s['not_applicable']} 项，未作答 {s['unanswered']} 项"])


def read_answers_xlsx(path: Path) -> dict:
    """A filled checklist workbook back to {rule id: answer}."""
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True)
    except Exception as e:
        raise InputError(f"无法读取 Excel 文件 {path}：{e}") from None
    ws = wb.active
    answers, head = {}, None
    for row in ws.iter_rows(values_only=True):
        if head is None:
            if row and "规则编号" in row and "是/否/不适用" in row:
                head = (row.index("规则编号"), row.index("是/否/不适用"))
            continue
        rid, ans = row[head[0]], row[head[1]]
        if rid and ans not in (None, ""):
            answers[str(rid).strip()] = str(ans).strip()
    if head is None:
        raise InputError(f"{path} 不是本工具导出的检查表（没有“规则编号”和“是/否/不适用”两列）")
    return answers
