"""Read a form laid out in a workbook (one sheet per Biểu mẫu, or one sheet for all) as tables.

Each sheet becomes one baocao.authoring.doc.Table (merged ranges repeated, flagged as spanned;
bold and italic from the cell font and from rich-text runs), preceded by the sheet's name as a
paragraph when that name is a section name ("Biểu mẫu 1", "Mục I").
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from baocao.authoring.doc import Block, Cell, Paragraph, Run, Table
from baocao.errors import FormError

SECTION_SHEET = re.compile(r"^(Biểu mẫu|Biểu|Mục|Phần)\s+\S+|^[IVXLC]+\.?$", re.IGNORECASE)
MAX_ROWS, MAX_COLUMNS = 2000, 30


def _runs(cell) -> tuple[Run, ...]:
    value = cell.value
    if value is None:
        return ()
    bold, italic = bool(cell.font and cell.font.b), bool(cell.font and cell.font.i)
    if isinstance(value, CellRichText):
        runs = []
        for part in value:
            if isinstance(part, TextBlock):
                font = part.font
                runs.append(
                    Run(
                        part.text,
                        bool(font.b) if font.b is not None else bold,
                        bool(font.i) if font.i is not None else italic,
                    )
                )
            else:
                runs.append(Run(str(part), bold, italic))
        return tuple(runs)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (Run(str(value), bold, italic),)


def read_xlsx(path: Path) -> list[Block]:
    try:
        workbook = load_workbook(path, rich_text=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise FormError(f"{path.name}: không mở được bảng tính ({e}). Hãy lưu lại bằng Excel dạng .xlsx.") from e
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        height, width = min(sheet.max_row, MAX_ROWS), min(sheet.max_column, MAX_COLUMNS)
        grid = [[Cell(_runs(sheet.cell(r, c))) for c in range(1, width + 1)] for r in range(1, height + 1)]
        for merged in sheet.merged_cells.ranges:
            top = (
                grid[merged.min_row - 1][merged.min_col - 1]
                if merged.min_row <= height and merged.min_col <= width
                else None
            )
            if top is None:
                continue
            for r in range(merged.min_row, min(merged.max_row, height) + 1):
                for c in range(merged.min_col, min(merged.max_col, width) + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        grid[r - 1][c - 1] = Cell(top.runs, spanned=True)
        if SECTION_SHEET.match(sheet.title.strip()):
            blocks.append(Paragraph((Run(sheet.title.strip(), bold=True),)))
        blocks.append(Table(grid))
    return blocks
