"""The durable-rules compilation of the conditions agrees with the indexed
evaluation on every rule example, and stays correct from many threads."""
import threading

import pytest

from kb.infer.durable_engine import DurableMatcher
from kb.validate import example_items


@pytest.fixture(scope="module")
def durable(kb):
    return DurableMatcher(kb)


def _texts(kb):
    for rule in kb.rules.values():
        for _, _, ex in example_items(rule):
            yield ex["text"]


def test_both_paths_agree_on_every_example(classifier, durable):
    kb = classifier.kb
    all_rules = frozenset(kb.rules)
    checked = 0
    for text in _texts(kb):
        facts = classifier.extractor.extract(text)
        indexed = {r.rule.id for r in classifier.index.run(facts, all_rules) if r.value is True}
        assert durable.met_rules(facts) == indexed, text
        checked += 1
    assert checked >= 5 * len(kb.rules)


def test_threads_get_the_same_answers(classifier, durable):
    texts = list(_texts(classifier.kb))[:200]
    facts = [classifier.extractor.extract(t) for t in texts]
    expected = [durable.met_rules(f) for f in facts]
    errors = []

    def worker():
        for f, e in zip(facts, expected):
            if durable.met_rules(f) != e:
                errors.append(f.text)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_no_facts_no_rules(classifier, durable):
    assert durable.met_rules(classifier.extractor.extract("今天天气很好")) == set()


def test_facts_no_rule_looks_at_do_not_break_the_session(classifier, durable):
    """A finding with concepts that no rule uses beside ones that it does (and a
    finding with only unused ones) is judged without crashing the C engine, and
    the engine stays usable afterwards."""
    with_noise = classifier.extractor.extract("车间照明不足，无证电焊")
    only_noise = classifier.extractor.extract("车间照明不足")
    assert "gongmao-2023-3.2" in durable.met_rules(with_noise)
    assert durable.met_rules(only_noise) == set()
    assert "gongmao-2023-3.2" in durable.met_rules(classifier.extractor.extract("无证电焊"))


def test_many_judgements_in_one_matcher_stay_right(classifier, durable):
    """Thousands of judgements through one matcher: partial matches, full matches and
    facts no rule uses, over and over (durable-rules crashed here when sessions were
    deleted); every answer must equal the indexed evaluation."""
    kb = classifier.kb
    texts = list(_texts(kb))
    all_rules = frozenset(kb.rules)
    for _ in range(5):
        for text in texts:
            facts = classifier.extractor.extract(text)
            indexed = {r.rule.id for r in classifier.index.run(facts, all_rules) if r.value is True}
            assert durable.met_rules(facts) == indexed, text
