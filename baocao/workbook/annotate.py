"""A copy of a clerk's workbook with each problem cell highlighted and commented.

The problems are those `check` found (baocao.problems); each cell a problem names gets a fill
(red for an error, yellow for a warning) and an Excel comment with the sentence of baocao.messages
(several problems on one cell: one comment, one sentence a line); the other cells a rule involves
(the parts of a sum, its total) get a lighter fill. A last sheet lists every problem, including
those that name no cell. The original is never modified: this writes new bytes.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException

from baocao.messages import Audience, phrase, problem_line, summary
from baocao.problems import Problem
from baocao.xmltext import set_text, xml_safe

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
RELATED_FILL = PatternFill("solid", fgColor="FCE4D6")
LIST_SHEET = "Danh sách lỗi"
AUTHOR = "Kiểm tra số liệu"


def _valid(cell: str) -> bool:
    """A single cell's coordinate inside Excel's grid ('D14'), not a range nor anything else."""
    try:
        column, row = coordinate_from_string(cell)
        return 1 <= row <= 1048576 and column_index_from_string(column) <= 16384
    except (CellCoordinatesException, ValueError):
        return False


def annotated_copy(workbook: Path, problems: list[Problem], audience: Audience = Audience.PAGE) -> bytes:
    """The workbook as .xlsx bytes with its problems marked on their cells and listed on a last sheet."""
    wb = openpyxl.load_workbook(workbook, rich_text=True)
    notes: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    related: set[tuple[str, str]] = set()
    for p in problems:
        if p.sheet in wb.sheetnames and p.cell and _valid(p.cell):
            notes[(p.sheet, p.cell)].append(p)
        related.update((c.sheet, c.cell) for c in p.cells if c.sheet in wb.sheetnames and _valid(c.cell))
    for sheet, cell in related - set(notes):
        wb[sheet][cell].fill = RELATED_FILL
    for (sheet, cell), found in notes.items():
        target = wb[sheet][cell]
        target.fill = ERROR_FILL if any(p.is_error for p in found) else WARNING_FILL
        text = "\n".join(f"[{'LỖI' if p.is_error else 'Cảnh báo'}] {phrase(p, audience)}" for p in found)
        comment = Comment(xml_safe(text), AUTHOR)
        comment.width, comment.height = 360, 40 + 60 * len(found)
        target.comment = comment
    _list_sheet(wb, problems, audience)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _list_sheet(wb: openpyxl.Workbook, problems: list[Problem], audience: Audience) -> None:
    if LIST_SHEET in wb.sheetnames:  # a copy annotated before and sent again
        del wb[LIST_SHEET]
    ws = wb.create_sheet(LIST_SHEET)
    ws["A1"] = "CÁC VẤN ĐỀ TÌM THẤY KHI KIỂM TRA"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = (
        f"{summary(problems)} Ô có lỗi tô đỏ, ô có cảnh báo tô vàng; di chuột vào ô để đọc ghi chú. "
        "Sửa trong bảng tính của đơn vị rồi nộp lại."
    )
    for i, p in enumerate(problems, 4):
        set_text(ws.cell(row=i, column=1), problem_line(p, audience)).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 140
