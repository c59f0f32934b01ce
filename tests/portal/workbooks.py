"""Workbooks for the portal's tests: the sample of Nhị Chiểu (or a faulty one) rewritten as another
commune's, for another period, by editing its Thông tin chung as a clerk would."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from baocao import layout
from baocao.periods import default_range, parse_period_kind
from tests.conftest import DATA, ROOT

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
BAD = DATA / "bad_part_exceeds_total.xlsx"  # one error: Biểu mẫu 1!D14


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
