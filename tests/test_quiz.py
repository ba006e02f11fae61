"""Quiz banks: right answers, checked against the engine; seeded; exports."""
import csv
import io

import pytest

from kb.context import InputError
from kb.quiz import build_quiz
from kb.quiz_export import export


@pytest.fixture(scope="module")
def bank(classifier):
    return build_quiz(classifier, "gongmao", count=30, seed=7)


def test_bank_shape_and_no_duplicate_stems(bank):
    qs = bank["questions"]
    assert len(qs) == 30
    assert len({q["stem"] for q in qs}) == 30
    assert {q["type"] for q in qs} == {"single", "multiple", "judge", "fill", "case"}
    for q in qs:
        for key in ("type", "stem", "options", "answer", "explanation", "rule_id", "difficulty"):
            assert q[key] not in (None, ""), (key, q)


def test_same_seed_same_bank(classifier, bank):
    again = build_quiz(classifier, "gongmao", count=30, seed=7)
    assert again["questions"] == bank["questions"]
    other = build_quiz(classifier, "gongmao", count=30, seed=8)
    assert other["questions"] != bank["questions"]


def test_answers_hold_up_against_the_engine(classifier, bank):
    kb = classifier.kb
    for q in bank["questions"]:
        rule = kb.rules[q["rule_id"]]
        assert rule.text in q["explanation"]  # the clause quoted verbatim
        if q["type"] == "single" and not q["stem"].endswith("哪一项判定？（ ）"):
            for i, opt in enumerate(q["options"]):
                j = classifier.classify(opt)
                is_major = any(m["status"] == "met" and m["standard"]["key"] == "gongmao" for m in j["matches"])
                assert is_major == ("ABCDEF"[i] == q["answer"]), (q["stem"], opt)
        if q["type"] == "multiple":
            for i, opt in enumerate(q["options"]):
                j = classifier.classify(opt)
                is_major = any(m["status"] == "met" and m["standard"]["key"] == "gongmao" for m in j["matches"])
                assert is_major == ("ABCDEF"[i] in q["answer"]), opt
        if q["type"] == "fill":
            assert q["answer"] in rule.text and "____" in q["stem"]


def test_too_many_questions_is_said(classifier):
    with pytest.raises(InputError, match="最多能出"):
        build_quiz(classifier, "gongmao", count=100000, seed=1)
    with pytest.raises(InputError, match="没有标准"):
        build_quiz(classifier, "nope", count=5)


def test_exports(bank):
    from docx import Document
    from openpyxl import load_workbook
    doc = Document(io.BytesIO(export(bank, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "答案与解析" in text and bank["questions"][0]["stem"] in text
    ws = load_workbook(io.BytesIO(export(bank, "xlsx"))).active
    assert [c.value for c in ws[1]][:3] == ["题型", "题干", "选项A"]
    raw = export(bank, "csv")
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][8] == "答案" and len(rows) == 31
    wjx = export(bank, "wjx").decode("utf-8")
    assert "1. " in wjx and "[单选题]" in wjx or "[判断题]" in wjx
    assert "=== 答案 ===" in wjx
    ans = export(bank, "answer").decode("utf-8")
    assert "【答案】" in ans and "【解析】" in ans
