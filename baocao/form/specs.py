"""One mapping of the form file (a row, a table, a grid, a grid column, a check, a narrative
section) read as its schema model (schema.py), field by field, so that each wrong value is said in
the words of the builder that names the row (rows.py) while the other fields are still read.

The schema declares the types, the defaults, the allowed values and the patterns once; this module
only validates one mapping against it and phrases what it rejects. The builder says the sentences
(`Checked.report`) in the order its checks have always said them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from baocao.form.issues import FormIssues
from baocao.form.schema import Settings
from baocao.form.schemaissues import value_message
from baocao.form.yamllines import LineDict

S = TypeVar("S", bound=Settings)

# field → the sentence of its wrong value (given the value as written, or the wrong key of a mapping)
Messages = dict[str, Callable[[Any], str]]


@dataclass
class Checked(Generic[S]):
    """A mapping as its model, and the sentences of its wrong values (field → [(line, sentence)])."""

    spec: S
    wrong: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def report(self, issues: FormIssues, *fields: str) -> None:
        """Say the wrong values of these fields (of every field left, when none is named), each once."""
        for name in fields or tuple(self.wrong):
            for line, sentence in self.wrong.pop(name, ()):
                issues.error(line, sentence)

    def drop(self, *fields: str) -> None:
        """Leave these fields' wrong values unsaid (the builder says something else about them)."""
        for name in fields:
            self.wrong.pop(name, None)


def bounds(model: type[Settings], name: str) -> tuple[Any, Any]:
    """(least, most) the schema allows for a number field, for the sentence that says them."""
    metadata = model.model_fields[name].metadata
    least = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    return least, next((m.le for m in metadata if hasattr(m, "le")), None)


def allowed(model: type[Settings], name: str) -> str:
    """The values the schema allows for a field, sorted, for the sentence that lists them: "bold, italic"."""
    values = [a for a in typing.get_args(model.model_fields[name].annotation) if isinstance(a, str) and a]
    return ", ".join(sorted(values))


@cache
def _adapter(model: type[Settings], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def validated(
    model: type[S],
    raw: LineDict,
    what: str,
    messages: Messages,
    *,
    skip: Iterable[str] = (),
    at_key: Iterable[str] = (),
) -> Checked[S]:
    """`raw` as a `model`, each field validated by the schema; a wrong value is phrased by
    `messages`, else in the schema's words, and replaced by the text as written in a text field
    or a required one (for the checks that follow, as the form author wrote it), else by its default.

    A value left out, or blank where the field has a default other than None or a number (a text,
    a list, a mapping, a yes/no), is the default; a required field left out is "" (the builder
    says it is missing). Keys the model does not know, and the wrong
    keys of a mapping the schema fixes, are check_schema's to say; `skip` are the fields other
    builders read (a table's rows, a grid's columns). A sentence of `messages` is said on the
    line of the mapping (of the key, for the fields `at_key`); the schema's on the line of the key.
    """
    values: dict[str, Any] = {}
    checked: Checked[S] = Checked(model.model_construct())
    keyed = set(at_key)
    for name, info in model.model_fields.items():
        value = raw.get(name)
        if name in skip:
            continue
        if value is None or (value == "" and info.default is not None and type(info.default) is not int):
            if info.is_required():
                values[name] = ""
            continue
        try:
            values[name] = _adapter(model, name).validate_python(value)
        except ValidationError as e:
            line = raw.line if name in messages and name not in keyed else raw.line_of_key(name)
            said = [_sentence(model, name, value, error, what, messages) for error in _said_once(e.errors())]
            checked.wrong[name] = [(line, s) for s in said if s]
            if isinstance(value, dict) and _is_mapping(info.annotation):  # its right entries are still read
                values[name] = _right_entries(_adapter(model, name), value)
            elif _is_text(info.annotation):
                values[name] = str(value)
            elif info.is_required():
                values[name] = []  # a list the builder reads none of (Ids: a check's parts)
    checked.spec = model.model_construct(**values)
    return checked


def _is_text(annotation: Any) -> bool:
    """A text field: str, a choice of texts (Literal), or either or None."""
    origin = typing.get_origin(annotation)
    if annotation is str or origin is typing.Literal:
        return annotation is str or all(isinstance(a, str) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is_text(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return all(_is_text(a) for a in typing.get_args(annotation) if a is not type(None))
    return False


def _is_mapping(annotation: Any) -> bool:
    return typing.get_origin(annotation) is dict or any(_is_mapping(a) for a in typing.get_args(annotation))


def _right_entries(adapter: TypeAdapter, value: dict) -> dict:
    right: dict = {}
    for key, item in value.items():
        with suppress(ValidationError):
            right.update(adapter.validate_python({key: item}))
    return right


def _said_once(errors: list[Any]) -> list[Any]:
    """A wrong value once (pydantic may give one error per alternative of a union), each wrong key
    of a mapping apart."""
    keyed = [e for e in errors if e["loc"] and e["loc"][-1] == "[key]"]
    return keyed or errors[:1]


def _sentence(model: type[Settings], name: str, value: Any, error: Any, what: str, messages: Messages) -> str:
    """The sentence of one error; "" for a wrong key with no sentence of its own (check_schema's)."""
    loc = error["loc"]
    wrong_key = bool(loc) and loc[-1] == "[key]"
    mapping = _is_mapping(model.model_fields[name].annotation)  # its own sentence is of its keys
    if name in messages and (wrong_key or not mapping):
        return messages[name](loc[0] if wrong_key else value)
    if wrong_key:
        return ""
    return f"{what}: {value_message(name, error['type'], error)}."
