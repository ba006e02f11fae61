"""A rule's ``condition`` line: named groups joined by the clause's own words.

    condition: 特种作业人员 并且 未取得资格
    condition: 速冻装置 并且 (未单独设置 或者 人数超过9人)

"并且" (or "and") means all, "或者" (or "or") means any; parentheses group.
The line is parsed with Python's own parser (group names are identifiers, so
Chinese names work) and only names, and/or and parentheses are accepted.
The result is a small tree: a group name, or ("all"|"any", [subtrees]).
"""
from __future__ import annotations

import ast
import re

_WORDS = [(re.compile(r"并且|&&|\band\b|\bAND\b"), " and "),
          (re.compile(r"或者|\|\||\bor\b|\bOR\b"), " or ")]


class ConditionError(ValueError):
    pass


def parse_condition(expr: str):
    src = expr
    for rx, repl in _WORDS:
        src = rx.sub(repl, src)
    src = src.replace("（", "(").replace("）", ")")
    try:
        tree = ast.parse(src.strip(), mode="eval")
    except SyntaxError:
        raise ConditionError(f"条件表达式无法解析：“{expr}”（只能用条件组名、并且、或者和括号）") from None
    return _convert(tree.body, expr)


def _convert(node, expr):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.BoolOp):
        op = "all" if isinstance(node.op, ast.And) else "any"
        return (op, [_convert(v, expr) for v in node.values])
    raise ConditionError(f"条件表达式“{expr}”中有不允许的写法（只能用条件组名、并且、或者和括号）")


def names(tree) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    out = []
    for sub in tree[1]:
        for n in names(sub):
            if n not in out:
                out.append(n)
    return out


def evaluate(tree, values: dict):
    """Kleene three-valued logic: values map names to True / False / None."""
    if isinstance(tree, str):
        return values.get(tree)
    op, subs = tree
    results = [evaluate(s, values) for s in subs]
    if op == "all":
        if any(r is False for r in results):
            return False
        return True if all(r is True for r in results) else None
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def dnf(tree) -> list[list[str]]:
    """Disjunctive normal form: a list of alternatives, each a list of names."""
    if isinstance(tree, str):
        return [[tree]]
    op, subs = tree
    parts = [dnf(s) for s in subs]
    if op == "any":
        return [alt for p in parts for alt in p]
    out = [[]]
    for p in parts:
        out = [a + b for a in out for b in p]
    return out
