"""Lexicon matching, negation and quantities, each on its own."""
import pytest

from kb.normalize import normalize
from kb.quantities import find_quantities


def concepts(classifier, text):
    return classifier.extractor.extract(text).concepts


def test_normalize_width_and_spaces():
    assert normalize("速冻间 １２ 人，ＫＴＶ") == "速冻间12人,ktv"
    assert normalize("焊工  没证") == "焊工没证"
    assert normalize("a\x00b\u200bc") == "a b c"


def test_broader_concepts(classifier):
    c = concepts(classifier, "电焊工在焊接")
    assert "焊接与热切割作业" in c and "特种作业" in c


@pytest.mark.parametrize("text,present,absent", [
    ("焊工没证", "未持证", "持证"),
    ("焊工没有持证", "未持证", "持证"),
    ("电焊工均已持证上岗", "持证", "未持证"),
    ("焊工未取得特种作业操作证", "未持证", "持证"),
    ("登高作业人员没有高处作业证", "未持证", "持证"),
    ("分割车间空调不再采用氨直接蒸发制冷", "非氨直接蒸发制冷", "氨直接蒸发制冷"),
])
def test_negation_and_polarity(classifier, text, present, absent):
    c = concepts(classifier, text)
    assert present in c, sorted(c)
    assert absent not in c, sorted(c)


def test_negated_thing_is_missing(classifier):
    f = classifier.extractor.extract("车间里没有安装速冻机")
    assert "快速冻结装置" in f.concepts and "快速冻结装置" in f.negated
    assert "缺失" in f.concepts
    g = classifier.extractor.extract("车间里安装了速冻机")
    assert "快速冻结装置" in g.concepts and not g.negated and "缺失" not in g.concepts


def test_negation_does_not_cross_segments(classifier):
    c = concepts(classifier, "没有问题，焊工持证")
    assert "持证" in c and "未持证" not in c


@pytest.mark.parametrize("text,unit,lo,hi", [
    ("速冻间12人", "人", 12, 12),
    ("十几个人在干活", "人", 11, 19),
    ("二十多名工人", "人", 20, 30),
    ("最高封堵压力25kPa", "kPa", 25, 25),
    ("积尘约5毫米", "mm", 4.5, 5.5),
    ("两个人", "人", 2, 2),
    ("一百零五人", "人", 105, 105),
])
def test_quantities(text, unit, lo, hi):
    qs = find_quantities(normalize(text))
    assert len(qs) == 1
    q = qs[0]
    assert (q.unit, q.lo, q.hi) == (unit, lo, hi)


@pytest.mark.parametrize("text,expected", [
    ("十几个人", True), ("6个人", False), ("9人", False), ("10人", True), ("超过9人", True),
    ("近10人", None), ("9人以上", None), ("几个人", False), ("上百人", True),
])
def test_quantity_comparison_more_than_9(text, expected):
    q = find_quantities(normalize(text))[0]
    assert q.compare(">", 9) is expected


def test_no_quantity_in_words_without_units():
    assert find_quantities("一氧化碳报警器，第三条") == []


@pytest.mark.parametrize("text,negated,kept", [
    ("报警器没有与事故风机联锁", "未联锁", "事故风机"),
    ("企业未与承包单位签订安全管理协议", "未统一协调管理", "承包承租单位"),
])
def test_negated_relation_is_not_a_missing_thing(classifier, text, negated, kept):
    """未与X联锁 / 未与X签订: the relation is negated; X itself is there, not missing."""
    facts = classifier.extractor.extract(text)
    assert negated in facts.concepts
    if kept in classifier.kb.lexicon.concepts:
        assert kept in facts.concepts and kept not in facts.negated


@pytest.mark.parametrize("text,concept", [
    ("主要负责人考核合格证查不到", "未考核合格"),
    ("焊工的操作证拿不出来，说是丢了", "未持证"),
])
def test_negation_written_after_the_thing(classifier, text, concept):
    assert concept in classifier.extractor.extract(text).concepts


@pytest.mark.parametrize("text,concept", [
    ("装药工房核定2人，现场有5人在干活", "实际人数超过核定"),
    ("工房核定6人，现场4人", "实际人数未超核定"),
    ("中转库核定药量500公斤，现场存了800公斤", "实际数量超过核定"),
])
def test_approved_and_actual_figures_are_compared(classifier, text, concept):
    assert concept in classifier.extractor.extract(text).concepts
