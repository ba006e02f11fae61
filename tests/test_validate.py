"""`hazardkb validate`: schema and cross-file problems, each as file:line: reason."""
import re

from kb.validate import validate


def test_project_knowledge_base_is_valid():
    problems = validate()
    assert problems == [], "\n".join(map(str, problems))


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_bad_yaml_reported_with_line(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    _edit(f, "    title: 特种作业人员未持证上岗作业", "    title: [特种作业人员未持证上岗作业")
    problems = validate(kb_copy, check_examples=False)
    assert any(p.file == "rules/gongmao/2023.yaml" and "YAML" in p.reason for p in problems), problems
    assert all(p.line > 1 for p in problems if p.file == "rules/gongmao/2023.yaml")


def test_schema_violation_points_at_the_field(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    _edit(f, "    level: major\n    status: verified\n    lead_in: 工贸企业有下列情形之一的，应当判定为重大事故隐患：\n    text: 特种作业人员",
          "    level: serious\n    status: verified\n    lead_in: 工贸企业有下列情形之一的，应当判定为重大事故隐患：\n    text: 特种作业人员")
    problems = validate(kb_copy, check_examples=False)
    line = _line_of(f, "level: serious")
    assert any(p.file == "rules/gongmao/2023.yaml" and p.line == line and "level" in p.reason for p in problems), problems


def test_id_must_agree_with_clause(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    _edit(f, "  - id: gongmao-2023-3.2\n", "  - id: gongmao-2023-3.9\n")
    problems = validate(kb_copy, check_examples=False)
    line = _line_of(f, "id: gongmao-2023-3.9")
    assert any(p.line == line and "gongmao-2023-3.2" in p.reason for p in problems), problems


def test_duplicate_id(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("  - id: gongmao-2023-3.2\n")
    end = text.index("  - id: gongmao-2023-3.3\n")
    f.write_text(text + "\n" + text[start:end], encoding="utf-8")
    problems = validate(kb_copy, check_examples=False)
    assert any("重复" in p.reason and "gongmao-2023-3.2" in p.reason for p in problems), problems


def test_unknown_concept_and_law(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    _edit(f, "        concepts: [未持证]\n", "        concepts: [不存在的概念]\n")
    _edit(f, "      - {law: anquanshengchanfa, article: \"30\"}", "      - {law: nosuchlaw, article: \"30\"}")
    problems = validate(kb_copy, check_examples=False)
    assert any(p.line == _line_of(f, "[不存在的概念]") and "不存在的概念" in p.reason for p in problems), problems
    assert any(p.line == _line_of(f, "nosuchlaw") and "nosuchlaw" in p.reason for p in problems), problems


def test_undefined_group_in_condition(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    _edit(f, "      condition: 特种作业 并且 未取得资格", "      condition: 特种作业 并且 未取得资格证")
    problems = validate(kb_copy, check_examples=False)
    assert any("未取得资格证" in p.reason for p in problems), problems
    assert any("未取得资格" in p.reason and "没有在 condition 中使用" in p.reason for p in problems), problems


def test_example_that_no_longer_classifies(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    _edit(f, "        - 无证电焊\n", "        - 焊工证件齐全\n")
    problems = [p for p in validate(kb_copy) if p.file == "rules/gongmao/2023.yaml"]
    line = _line_of(f, "- 焊工证件齐全")
    assert any(p.line == line and "焊工证件齐全" in p.reason for p in problems), problems


def test_problem_format_is_file_line_reason(kb_copy):
    f = kb_copy / "standards" / "gongmao.yaml"
    _edit(f, "key: gongmao", "key: gongmao2")
    problems = validate(kb_copy, check_examples=False)
    assert problems
    for p in problems:
        assert re.match(r"^[^:]+:\d+: .+", str(p)), str(p)


def test_verified_wording_needs_two_sources(kb_copy):
    f = kb_copy / "rules" / "gongmao" / "2023.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index("  - id: gongmao-2023-12.2")
    block = text[start:]
    assert "status: unverified" in block.split("  - id:")[1]
    f.write_text(text[:start] + block.replace("status: unverified", "status: verified", 1), encoding="utf-8")
    problems = validate(kb_copy, check_examples=False)
    start_line = text[:start].count("\n") + 1
    assert any(p.file == "rules/gongmao/2023.yaml" and p.line > start_line and "至少 2 处" in p.reason
               for p in problems), problems
