"""Workbooks for the portal's tests: the sample of Nhị Chiểu (or a faulty one) rewritten as another
commune's, for another period, by editing its Thông tin chung as a clerk would; and each commune's own
deterministic demo workbook (baocao.batch.demo, every figure passing the checks), or one with an error."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from baocao import layout
from baocao.batch.demo import demo_inputs
from baocao.communes import Commune, communes_of
from baocao.form import find_form
from baocao.periods import default_range, parse_period_kind
from baocao.workbook.blank import write_blank_workbook
from tests.conftest import DATA, ROOT

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
BAD = DATA / "bad_part_exceeds_total.xlsx"  # one error: Biểu mẫu 1!D14
HAI_PHONG = communes_of("Hải Phòng")
BY_USERNAME = {c.file_stem: c for c in HAI_PHONG}


def info_cells(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, openpyxl.cell.Cell]:
    """Label → value cell of the Thông tin chung sheet."""
    return {
        row[layout.INFO_LABEL_COL - 1].value: row[layout.INFO_VALUE_COL - 1]
        for row in ws.iter_rows(min_row=layout.INFO_FIRST_ROW)
        if row[layout.INFO_LABEL_COL - 1].value
    }


def workbook_for(
    unit: str, period: str, year: int, source: Path = SAMPLE, unit_type: str = "Phường", **more: object
) -> bytes:
    """`source` with its unit, kỳ, năm and data dates set (and any other labelled field in `more`)."""
    wb = openpyxl.load_workbook(source, rich_text=True)
    cells = info_cells(wb[layout.INFO_SHEET])
    start, end = default_range(parse_period_kind(period), year)
    values = {"Tên đơn vị": unit, "Loại đơn vị": unit_type, "Kỳ báo cáo": period, "Năm báo cáo": year}
    values |= {"Số liệu từ ngày": start, "Số liệu đến ngày": end, "Ngày ký": end, **more}
    for label, value in values.items():
        cells[label].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def demo_workbook(folder: Path, commune: Commune | str, period: str = "6 tháng", year: int = 2026,
                  error: bool = False) -> Path:  # fmt: skip
    """`folder/<username>.xlsx`: the commune's demo workbook for the period (with `error`: plan_done
    above plan_tasks, an error of the check)."""
    commune = BY_USERNAME[commune] if isinstance(commune, str) else commune
    data = demo_inputs(commune, period, year)
    if error:
        data["values"]["plan_done"] = data["values"]["plan_tasks"] + 5
    folder.mkdir(parents=True, exist_ok=True)
    return write_blank_workbook(find_form(), folder / f"{commune.file_stem}.xlsx", data)
