"""YAML for form files: every mapping remembers its line, duplicate keys are noticed.

Form authors edit form.yaml by hand; a message that says "dòng 42" is worth more than one
that says "hàng 17 của Biểu mẫu 3". `load_yaml_with_lines` returns plain dicts and lists whose
mappings are `LineDict`s (a dict with a `.line`, 1-based), and the duplicate keys it met.
"""

from __future__ import annotations

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


class LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts; duplicate keys are recorded in `self.found`."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.found = _Found()


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


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_with_lines(text: str) -> tuple[Any, list[DuplicateKey]]:
    """Parsed YAML (mappings are LineDicts) and the duplicate keys found; raises yaml.YAMLError."""
    loader = LineLoader(text)
    try:
        return loader.get_single_data(), loader.found.duplicates
    finally:
        loader.dispose()


def line_of(value: Any) -> int:
    """The line a parsed mapping started on, 0 for anything else."""
    return getattr(value, "line", 0)
