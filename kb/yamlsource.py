"""Read YAML knowledge files while remembering where every value stands.

PyYAML's composer gives each node its start mark; we convert the node tree
into plain Python objects and keep a map from the JSON path of each value
(a tuple of keys and indexes) to its 1-based line, so that a schema error at
``rules[3].detection`` can be reported as ``rules/gongmao/2023.yaml:57``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:  # the C loader is much faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader


class KnowledgeFileError(Exception):
    """A knowledge file that cannot be read at all (bad YAML, unreadable)."""

    def __init__(self, path: str, line: int, reason: str):
        super().__init__(f"{path}:{line}: {reason}")
        self.path, self.line, self.reason = path, line, reason


@dataclass
class SourceDoc:
    path: str
    data: object
    lines: dict = field(default_factory=dict)

    def line_of(self, json_path) -> int:
        """Line of the value at ``json_path``, or of its nearest ancestor."""
        p = tuple(json_path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


_constructor = yaml.constructor.SafeConstructor()


def _convert(node, path, lines):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for knode, vnode in node.value:
            key = _constructor.construct_object(knode, deep=True)
            if isinstance(key, (_dt.date, int, float)):
                key = str(key)
            if key in out:
                raise KnowledgeFileError("", knode.start_mark.line + 1, f"重复的键 “{key}”")
            out[key] = _convert(vnode, path + (key,), lines)
            lines.setdefault(path + (key,), knode.start_mark.line + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, path + (i,), lines) for i, v in enumerate(node.value)]
    value = _constructor.construct_object(node, deep=True)
    if isinstance(value, _dt.date):  # dates stay strings, as the schemas expect
        value = value.isoformat()
    return value


def load_yaml(path: Path | str, display: str | None = None) -> SourceDoc:
    display = display or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise KnowledgeFileError(display, 1, f"不是 UTF-8 编码的文本：{e.reason}") from None
    except OSError as e:
        raise KnowledgeFileError(display, 1, f"无法读取文件：{e.strerror}") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise KnowledgeFileError(display, line, f"YAML 语法错误：{e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise KnowledgeFileError(display, 1, f"YAML 语法错误：{e}") from None
    lines: dict = {}
    if node is None:
        return SourceDoc(display, None, {(): 1})
    try:
        data = _convert(node, (), lines)
    except KnowledgeFileError as e:
        raise KnowledgeFileError(display, e.line, e.reason) from None
    except yaml.YAMLError as e:
        raise KnowledgeFileError(display, 1, f"YAML 内容无法解析：{e}") from None
    return SourceDoc(display, data, lines)
