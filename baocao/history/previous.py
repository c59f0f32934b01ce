"""Whether two reports may be compared (the CLI's `--previous` through the batch; the portal with two
prepared reports, through `Prepared.compare_with` in baocao.pipeline).

Two reports compare when they are of the same commune (its official code when both names are on
the official list, else the name) and the same form, and the earlier one's data end before the
later one's. An earlier report with errors is never compared with: a warning says so.
"""

from __future__ import annotations

from baocao.communes import find_commune, name_key, province_slug
from baocao.errors import BaocaoError
from baocao.history.figures import Figures
from baocao.problems import WARNING, FileName, Problem
from baocao.vnformat import date_short

PREFIX = "Không so sánh được với kỳ trước"


class PreviousMismatch(BaocaoError):
    """The earlier workbook is of another commune, another form, or not an earlier period."""


def same_unit(now: Figures, before: Figures) -> bool:
    """The same commune: the same official commune, else the same province and name (tone marks aside)."""
    if province_slug(now.province) != province_slug(before.province):
        return False
    official = [find_commune(f.province, f.unit_type, f.unit_name) for f in (now, before)]
    if all(official):
        return official[0] == official[1]
    return name_key(now.unit) == name_key(before.unit)


def mismatch(now: Figures, before: Figures) -> str:
    """Why `before` cannot be compared with `now`, in one Vietnamese sentence ('' when it can)."""
    shown = before.source or "bảng tính kỳ trước"
    if not same_unit(now, before):
        where = f" ({before.province})" if province_slug(now.province) != province_slug(before.province) else ""
        unit = before.unit or "đơn vị chưa ghi tên"
        return f"{PREFIX}: {shown} là bảng tính của {unit}{where}, không phải của {now.unit}."
    if before.form_id != now.form_id:
        return f"{PREFIX}: {shown} lập theo biểu mẫu “{before.form_id}”, không phải “{now.form_id}” của báo cáo này."
    if before.end >= now.end:
        return (
            f"{PREFIX}: {shown} là báo cáo {before.period} (số liệu đến {date_short(before.end)}), không phải một kỳ "
            f"trước {now.period} (số liệu đến {date_short(now.end)}). Hãy chọn bảng tính của cùng kỳ năm trước "
            "hoặc của kỳ liền trước."
        )
    return ""


def previous_problem(file: str, before: Figures | None, errors: int, shown: str) -> Problem:
    """The warning of a current workbook whose earlier workbook has errors: no comparison."""
    period = before.period if before else ""
    params = {"workbook": FileName(shown), "count": max(errors, 1), "period": period}
    return Problem("previous-has-errors", WARNING, file, params=params)
