"""YAML for form files: every mapping remembers its line, duplicate keys are noticed.

Form authors edit form.yaml by hand; a message that says "dòng 42" is worth more than one
that says "hàng 17 của Biểu mẫu 3". `load_yaml_with_lines` returns plain dicts and lists whose
mappings are `LineDict`s (a dict with a `.line`, 1-based), and the duplicate keys it met.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml


class LineDict(dict):
    """A YAML mapping with the line it starts on and the line of each key (1-based; 0 when unknown)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of_key(self, key: Any) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


@dataclass
class DuplicateKey:
    line: int
    key: str


@dataclass
class _Found:
    duplicates: list[DuplicateKey] = field(default_factory=list)


class _Lines:
    """A loader whose mappings are LineDicts; duplicate keys are recorded in `self.found`."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self.found = _Found()


class LineLoader(_Lines, yaml.SafeLoader):
    """Over PyYAML's own parser, whose errors are the ones the form author is shown."""


class _FastLineLoader(_Lines, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Over LibYAML's parser: the same nodes, marks and constructors, ~10 times faster."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    key_lines: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int) and key in key_lines:
            loader.found.duplicates.append(DuplicateKey(key_node.start_mark.line + 1, str(key)))
        if isinstance(key, str | int):
            key_lines[key] = key_node.start_mark.line + 1
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = key_lines
    return mapping


for _loader in (LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load(kind: type[_Lines], text: str) -> tuple[Any, list[DuplicateKey]]:
    loader: Any = kind(text)
    try:
        return loader.get_single_data(), loader.found.duplicates
    finally:
        loader.dispose()


def load_yaml_with_lines(text: str) -> tuple[Any, list[DuplicateKey]]:
    """Parsed YAML (mappings are LineDicts) and the duplicate keys found; raises yaml.YAMLError.

    LibYAML parses first; a text it refuses is parsed again by PyYAML's own parser, whose error
    (problem, line, column) is the one the form author is shown, whatever LibYAML said."""
    try:
        return _load(_FastLineLoader, text)
    except yaml.YAMLError:
        return _load(LineLoader, text)


def line_of(value: Any) -> int:
    """The line a parsed mapping started on, 0 for anything else."""
    return getattr(value, "line", 0)


# --- YAML mistakes explained as what they are ----------------------------------------------

_KEY_BEFORE = re.compile(r"(?:^|[{,]|^\s*-)\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(?=\s)")
_NEXT_KEY = re.compile(r",\s*[A-Za-z_][A-Za-z0-9_]*\s*:\s")


def _written_value(line: str, column: int) -> tuple[str, str] | None:
    """The key whose unquoted value holds the column, and that value as written (to the next key or "}")."""
    keys = [m for m in _KEY_BEFORE.finditer(line) if m.end() <= column]
    if not keys:
        return None
    key = keys[-1]
    rest = line[key.end() :]
    stop = _NEXT_KEY.search(rest, max(column - key.end(), 0))
    value = rest[: stop.start()] if stop else rest.rstrip()
    if not stop and value.endswith("}"):
        value = value[:-1]
    return key.group(1), value.strip()


def explain_yaml_error(text: str, error: yaml.YAMLError) -> str | None:
    """A Vietnamese explanation of the common mistake behind a YAML syntax error, or None.

    The three mistakes form authors make: an unquoted ":" inside a text, a text starting with
    "-", and a text starting with a character YAML reserves (%, @, `, *, [, {). Each gets
    "put the text in quotes", with the fix written out.
    """
    mark = getattr(error, "problem_mark", None)
    problem = str(getattr(error, "problem", "") or "")
    if mark is None:
        return None
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    found = _written_value(line, mark.column)
    if found is None:
        return None
    key, value = found
    fix = f"{key}: {json.dumps(value, ensure_ascii=False)}"
    if "mapping values are not allowed" in problem or "expected ',' or '}', but got ':'" in problem:
        why = (
            f"dấu hai chấm “:” trong chữ của “{key}” chưa đặt trong ngoặc kép"
            " (YAML hiểu “: ” là dấu tách khóa và giá trị)"
        )
    elif "sequence entries are not allowed" in problem or "but found '-'" in problem:
        why = (
            f"chữ của “{key}” bắt đầu bằng dấu “-” mà chưa đặt trong ngoặc kép"
            " (YAML hiểu “- ” là một mục của danh sách)"
        )
        fix += ' (hoặc bỏ dấu “-” và ghi bullet: "-")' if key == "label" else ""
    elif "cannot start any token" in problem or "undefined alias" in problem or "but got '['" in problem:
        char = value[:1] if "cannot start" in problem or "alias" in problem else "["
        why = f"chữ của “{key}” có ký tự “{char}” mà chưa đặt trong ngoặc kép (YAML dành ký tự này cho việc khác)"
    else:
        return None
    return f"{why}. Đặt cả chữ trong ngoặc kép: {fix}"


def unquoted_comma_hint(raw: dict, key: Any) -> str | None:
    """When `key` (unknown, with no value) is the tail of the previous key's text, cut at an unquoted comma.

    `{label: Số văn bản, quyết định, unit: Văn bản}` parses as label "Số văn bản" and a key
    "quyết định" with no value: say so, with the quoted text to write.
    """
    if raw.get(key) is not None:
        return None
    keys = list(raw)
    at = keys.index(key)
    start = at
    while start > 0 and raw[keys[start - 1]] is None:
        start -= 1
    if start == 0 or not isinstance(raw[keys[start - 1]], str | int | float):
        return None
    end = at
    while end + 1 < len(keys) and raw[keys[end + 1]] is None:
        end += 1
    owner = keys[start - 1]
    written = ", ".join(str(part) for part in [raw[owner], *keys[start : end + 1]])
    return (
        f"chữ của “{owner}” có dấu phẩy mà chưa đặt trong ngoặc kép, nên YAML cắt thành “{raw[owner]}” và khóa "
        f"“{key}”. Đặt cả chữ trong ngoặc kép: {owner}: {json.dumps(written, ensure_ascii=False)}"
    )
