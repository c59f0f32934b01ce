"""Read a form document (.docx, or an .xlsx laid out like it) into paragraphs and table grids.

`new-form --from-document` starts here. A province sends its form as a Word file: title
paragraphs ("Biểu mẫu 1", "CÔNG TÁC CHỈ ĐẠO …"), then a table per Biểu mẫu or one continuous
table, with multi-row headers made of merged cells (`w:gridSpan`, `w:vMerge`), header rows
repeated on every page, and sometimes the table cut in two at a page break. This module only
reads: every table becomes a grid of cells (a merged cell is repeated in each grid column and
row it covers, flagged as a continuation), each cell keeping its runs' bold and italic; the
paragraphs between tables are kept in order. Deciding what the rows mean is baocao.authoring.rows'.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from baocao.authoring.doc import Block, Cell, Paragraph, Run, Table
from baocao.authoring.xlsx import read_xlsx
from baocao.errors import FormError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def read_document(path: Path) -> list[Block]:
    """The paragraphs and tables of a .docx or .xlsx, in order; raises FormError for anything else."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return read_docx(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    raise FormError(
        f"{path.name}: chỉ đọc được văn bản Word .docx hoặc bảng tính .xlsx. Nếu là tệp .doc hoặc .pdf, "
        "mở bằng Word và lưu lại dạng .docx."
    )


# --- Word ----------------------------------------------------------------------------------


def _flag(rpr: etree._Element | None, tag: str) -> bool:
    """w:b / w:i present and not switched off (w:val="0"/"false")."""
    if rpr is None:
        return False
    element = rpr.find(f"w:{tag}", NS)
    return element is not None and element.get(f"{{{W}}}val", "1") not in ("0", "false", "off")


def _runs(paragraphs: list[etree._Element], styles: dict[str, tuple[bool, bool]]) -> tuple[Run, ...]:
    """The runs of some paragraphs (a line break between paragraphs), with bold/italic from run and style."""
    runs: list[Run] = []
    for index, p in enumerate(paragraphs):
        if index and runs:
            runs.append(Run("\n"))
        pstyle = p.find("w:pPr/w:pStyle", NS)
        base = styles.get(pstyle.get(f"{{{W}}}val"), (False, False)) if pstyle is not None else (False, False)
        for r in p.iter(f"{{{W}}}r"):
            rpr = r.find("w:rPr", NS)
            text = "".join(
                t.text or "" if t.tag == f"{{{W}}}t" else ("\n" if t.tag == f"{{{W}}}br" else "\t")
                for t in r
                if t.tag in (f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab")
            )
            if text:
                runs.append(Run(text, _flag(rpr, "b") or base[0], _flag(rpr, "i") or base[1]))
    return tuple(runs)


def _styles(archive: zipfile.ZipFile) -> dict[str, tuple[bool, bool]]:
    """Paragraph style id → (bold, italic) as the style itself sets them."""
    try:
        root = etree.fromstring(archive.read("word/styles.xml"))
    except KeyError:
        return {}
    found = {}
    for style in root.iterfind("w:style", NS):
        rpr = style.find("w:rPr", NS)
        found[style.get(f"{{{W}}}styleId")] = (_flag(rpr, "b"), _flag(rpr, "i"))
    return found


def read_docx(path: Path) -> list[Block]:
    try:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
            styles = _styles(archive)
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as e:
        raise FormError(f"{path.name}: không mở được văn bản Word ({e}). Hãy lưu lại bằng Word dạng .docx.") from e
    body = root.find("w:body", NS)
    blocks: list[Block] = []
    page_break = False
    for child in body if body is not None else []:
        if child.tag == f"{{{W}}}p":
            if (
                child.find(".//w:br[@w:type='page']", NS) is not None
                or child.find("w:pPr/w:pageBreakBefore", NS) is not None
            ):
                page_break = True
            paragraph = Paragraph(_runs([child], styles))
            if paragraph.text:
                blocks.append(paragraph)
        elif child.tag == f"{{{W}}}tbl":
            table = _table(child, styles)
            table.after_page_break = page_break
            page_break = False
            blocks.append(table)
    return blocks


def _table(tbl: etree._Element, styles: dict[str, tuple[bool, bool]]) -> Table:
    """A w:tbl as a grid: gridSpan repeats a cell to the right, vMerge="continue" repeats the one above."""
    rows: list[list[Cell]] = []
    repeated: set[int] = set()
    for index, tr in enumerate(tbl.iterfind("w:tr", NS)):
        if tr.find("w:trPr/w:tblHeader", NS) is not None:
            repeated.add(index)
        row: list[Cell] = []
        before = tr.find("w:trPr/w:gridBefore", NS)
        row.extend(Cell(spanned=True) for _ in range(int(before.get(f"{{{W}}}val", "0")) if before is not None else 0))
        for tc in tr.iterfind("w:tc", NS):
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_el.get(f"{{{W}}}val", "1")) if span_el is not None else 1
            vmerge = tc.find("w:tcPr/w:vMerge", NS)
            column = len(row)
            if vmerge is not None and vmerge.get(f"{{{W}}}val", "continue") == "continue" and rows:
                above = rows[-1][column] if column < len(rows[-1]) else Cell()
                cell = Cell(above.runs, spanned=True)
            else:
                cell = Cell(_runs(list(tc.iterfind("w:p", NS)), styles))
            row.append(cell)
            row.extend(Cell(cell.runs, spanned=True) for _ in range(span - 1))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return Table([r + [Cell()] * (width - len(r)) for r in rows], repeated)
