"""form.yaml is parsed by LibYAML, with PyYAML's parser as the fallback that words every error:
both must give the same mappings, lines and duplicate keys (yamllines.load_yaml_with_lines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.form.yamllines import LineLoader, load_yaml_with_lines

ROOT = Path(__file__).resolve().parent.parent
FORMS = sorted(ROOT.glob("templates/*/form.yaml")) + sorted(ROOT.glob("tests/data/forms/*/form.yaml"))


def _python(text: str) -> tuple[Any, list]:
    loader = LineLoader(text)
    try:
        return loader.get_single_data(), loader.found.duplicates
    finally:
        loader.dispose()


def _shape(value: Any) -> Any:
    """Values with every mapping's line and key lines, for comparing two parses."""
    if isinstance(value, dict):
        lines = (getattr(value, "line", None), dict(getattr(value, "key_lines", {})))
        return ("map", lines, [(k, _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ["list", *map(_shape, value)]
    return (type(value).__name__, value)


def _outcome(parse: Any, text: str) -> Any:
    try:
        data, duplicates = parse(text)
    except yaml.YAMLError as e:
        return ("error", str(e))
    return (_shape(data), [(d.line, d.key) for d in duplicates])


def test_every_bundled_form_parses_the_same_with_libyaml() -> None:
    assert yaml.__with_libyaml__, "LibYAML is part of PyYAML's wheel; without it forms load ~10 times slower"
    assert FORMS
    for path in FORMS:
        text = path.read_text(encoding="utf-8")
        assert _outcome(load_yaml_with_lines, text) == _outcome(_python, text), path


_LINES = st.lists(
    st.sampled_from(
        [
            "id: a",
            "rows:",
            "  - id: x",
            "    label: Tổng số",
            "  - id: x",
            "a: [1, 2",
            "b: 'c",
            "\tc: 1",
            "d: &x 1",
            "e: *x",
            "f: |",
            "  text",
            "- 1",
            "g: {h: 1}",
            "id: a",
            "? k",
            ": v",
            "%YAML 1.1",
            "---",
            "i: 2025-01-01",
            "j: 1e3",
            "k: yes",
            "l: ~",
            "m: !!str 1",
            "n: \x07",
            "o: \ufeff",
            "",
        ]
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(lines=_LINES, extra=st.text(max_size=20))
def test_libyaml_and_pyyaml_agree_on_any_text(lines: list[str], extra: str) -> None:
    """Same data, lines and duplicates; where either refuses the text, the error is PyYAML's."""
    text = "\n".join(lines) + extra
    assert _outcome(load_yaml_with_lines, text) == _outcome(_python, text)
