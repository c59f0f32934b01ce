"""check-form: what a clerk types that the Word template never shows (warnings, with the form file's line).

A Thông tin chung field is used when the template uses a context value made from it (FIELD_TAGS: where
baocao.format puts each common field) or `info.<key>`; the Biểu mẫu columns Số liệu and Ghi chú are shown
when the Phụ lục loop prints `row.value` / `row.value_text` and `row.remark`.
"""

from __future__ import annotations

from baocao.form.infofields import CORE_FIELDS
from baocao.form.issues import FormIssue, FormIssues
from baocao.form.model import Form

ANY = "*"  # as in templatecheck: "each element of this list"
ROWS = ("appendix", "tables", ANY, "rows", ANY)

# Where baocao.format puts each common field of templates/common/info_fields.yaml (besides `info.<key>`).
# Fields of CORE_FIELDS, `province` and `unit_type` are used by the generator whatever the template (file names,
# the roll-up).
FIELD_TAGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "province": (("province",),),
    "parent_agency": (("unit", "parent_upper"),),
    "unit_type": (
        *(("unit", k) for k in ("type", "type_title", "full", "ubnd", "ubnd_full", "agency_upper")),
        ("appendix", "attached"),
    ),
    "date_from": (("period", "date_from"),),
    "date_to": (("period", "date_to"),),
    "doc_number": (("doc", "number_line"), ("doc", "ref"), ("appendix", "attached")),
    "doc_symbol": (("doc", "number_line"), ("doc", "ref"), ("appendix", "attached")),
    "sign_date": (("doc", "place_date"), ("doc", "date_long"), ("doc", "date_short"), ("appendix", "attached")),
    "place": (("doc", "place_date"),),
    "subject": (("doc", "subject"),),
    "recipient": (("doc", "recipient"),),
    "basis": (("doc", "basis"), ("doc", "basis_text")),
    "signing_mode": (("signature", "title_lines"),),
    "signer_title": (("signature", "title_lines"),),
    "signer_name": (("signature", "name"),),
    "recipients": (("recipients",),),
}
ALWAYS_USED = CORE_FIELDS | {"province", "unit_type"}


def _overlaps(path: tuple[str, ...], tag: tuple[str, ...]) -> bool:
    """The template's path reads the tag or something in it (`doc.basis` and `doc.basis.*` read `doc.basis`)."""
    return path[: len(tag)] == tag


def unused_fields(form: Form, paths: set[tuple[str, ...]]) -> list[FormIssue]:
    """Thông tin chung fields the template never uses: the clerk types them for nothing."""
    issues = FormIssues(form.source.name if form.source else "tệp biểu mẫu")
    for f in form.info_fields:
        if f.key in ALWAYS_USED:
            continue
        tags = (*FIELD_TAGS.get(f.key, ()), ("info", f.key))
        if any(_overlaps(p, t) for p in paths for t in tags):
            continue
        shown = ", ".join(".".join(t) for t in tags)
        issues.warning(
            f.line,
            f"trường “{f.key}” ({f.label}) của trang Thông tin chung không được mẫu Word {form.template} dùng"
            f" ({shown}): công chức nhập mà không in ra. Nếu không cần, bỏ khỏi bảng tính bằng"
            f" “info_fields: {{{f.key}: {{absent: true}}}}”.",
        )
    return issues.items


def unprinted_columns(form: Form, paths: set[tuple[str, ...]]) -> list[FormIssue]:
    """The Biểu mẫu's Ghi chú column, typed in white cells, that the Phụ lục loop never prints."""
    issues = FormIssues(form.source.name if form.source else "tệp biểu mẫu")
    looped = any(p[: len(ROWS)] == ROWS for p in paths)
    if not looped or not any(r.kind != "header" or r.remark for t in form.tables for r in t.rows):
        return issues.items
    if not any(_overlaps(p, (*ROWS, "remark")) for p in paths):
        heading = form.appendix.columns.get("remark") or "Ghi chú"
        issues.warning(
            0,
            f"cột “{heading}” của các Biểu mẫu không được mẫu Word {form.template} in ra (row.remark trong vòng lặp"
            " appendix.tables): ghi chú công chức nhập sẽ không có trong báo cáo.",
        )
    return issues.items


def values_printed(paths: set[tuple[str, ...]]) -> bool:
    """The Phụ lục loop prints each row's Số liệu (`row.value` or `row.value_text`)."""
    return any(_overlaps(p, (*ROWS, "value")) or _overlaps(p, (*ROWS, "value_text")) for p in paths)
