"""重大事故隐患判定知识库 — rules, inference, search.

    from kb import classify
    classify("焊工没证在车间焊钢架", industry="机械")

The heavy parts (rules, the index) load on first use and are shared.
"""
RELEASE = "0.2.0"


def get_classifier(root=None):
    from .classify import get_classifier as _get
    return _get(root)


def classify(text, industry=None, site_type=None, as_of=None, root=None):
    return get_classifier(root).classify(text, industry=industry, site_type=site_type, as_of=as_of)


def search(query, **kw):
    from .search import get_searcher
    return get_searcher(kw.pop("root", None)).search(query, **kw)


__all__ = ["classify", "search", "get_classifier", "RELEASE"]
