"""Search relevance for a handful of queries, and robustness of the query path."""
import pytest


@pytest.fixture(scope="module")
def searcher(kb, tmp_path_factory):
    from kb.search import Searcher
    return Searcher(kb, cache_dir=tmp_path_factory.mktemp("idx"))


@pytest.mark.parametrize("query,rule_id", [
    ("无证电焊", "gongmao-2023-3.2"),
    ("特种作业人员 资格", "gongmao-2023-3.2"),
    ("速冻 人数", "gongmao-2023-12.2"),
    ("氨直接蒸发制冷 空调", "gongmao-2023-12.1"),
    ("承包单位 安全检查", "gongmao-2023-3.1"),
])
def test_top_hit(searcher, query, rule_id):
    """With 工贸 alone the clause comes first; several standards now carry a clause for the
    same words (特种作业人员未持证 is in 工贸, 化工, 烟花爆竹 and 房屋市政), so across all
    standards it must be among the first three, and first when the search is limited to its standard."""
    hits = searcher.search(query)
    assert hits and rule_id in [h["rule_id"] for h in hits[:3]], [h["id"] for h in hits[:3]]
    hits = searcher.search(query, standard=rule_id.split("-")[0])
    assert hits and hits[0]["rule_id"] == rule_id, [h["id"] for h in hits[:3]]


def test_filters(searcher):
    assert all(h["standard"] == "gongmao" for h in searcher.search("作业", standard="gongmao"))
    assert all(h["kind"] == "law" for h in searcher.search("安全生产", kind="law"))
    assert searcher.search("速冻", as_of="2010-01-01") == []


@pytest.mark.parametrize("q", ["AND (", "*:*", "\"", "-", "OR", "🙂🙂", "a" * 5000])
def test_query_syntax_is_just_words(searcher, q):
    assert isinstance(searcher.search(q), list)


def test_damaged_index_is_rebuilt(kb, tmp_path):
    from kb.search import Searcher
    s = Searcher(kb, cache_dir=tmp_path)
    for f in s.dir.iterdir():
        if f.suffix == ".seg" or f.name.endswith(".toc"):
            f.write_bytes(b"garbage")
    s2 = Searcher(kb, cache_dir=tmp_path)
    assert s2.search("速冻")[0]["rule_id"] == "gongmao-2023-12.2"
