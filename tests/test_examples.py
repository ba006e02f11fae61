"""Every rule's example findings are tests: majors must be judged major with
this rule first; not-majors must not meet this rule (and have the declared
level, where one is declared)."""
import pytest

from kb.load import load
from kb.validate import check_example, example_items

_kb = load()
CASES = [pytest.param(rule.id, kind, ex, id=f"{rule.id}:{kind}:{i}")
         for rule in _kb.rules.values() for kind, i, ex in example_items(rule)]


@pytest.mark.parametrize("rule_id,kind,example", CASES)
def test_example(classifier, rule_id, kind, example):
    rule = classifier.kb.rules[rule_id]
    reason = check_example(classifier, rule, kind, example)
    assert reason is None, reason


def test_every_rule_has_enough_examples(kb):
    for rule in kb.rules.values():
        assert len(rule.examples["major"]) >= 3, rule.id
        assert len(rule.examples["not_major"]) >= 2, rule.id


def test_a_standard_listed_but_not_encoded_is_said_plainly(classifier):
    """With no encoded clause for the industry, "not major" must not read as an all-clear."""
    j = classifier.classify("炸药库房超过规定储存量存放", industry="民用爆炸物品")
    assert j["level"] != "major"
    assert any("民用爆炸物品行业重大事故隐患判定标准" in n and "条款尚未收录" in n for n in j["notes"])
    j = classifier.classify("无证电焊", industry="机械")
    assert not any("条款尚未收录" in n and "工贸" in n for n in j["notes"])


def test_major_without_industry_says_what_it_assumed(classifier):
    j = classifier.classify("动火作业没办动火证")
    assert j["level"] == "major"
    assert any("未给出行业" in n and "化工" in n for n in j["notes"])
    j = classifier.classify("动火作业没办动火证", industry="机械")
    assert j["level"] != "major"
    j = classifier.classify("电梯门锁回路被短接")          # special equipment: every industry
    assert j["level"] == "major" and not any("未给出行业" in n for n in j["notes"])
