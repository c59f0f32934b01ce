"""Native Word charts for the consolidated report: a DrawingML bar chart part (word/charts/chartN.xml)
with its data in an embedded workbook (word/embeddings/…xlsx, written with openpyxl), so that Word and
LibreOffice draw the chart themselves and the Sở can edit it (right click, "Edit Data").

Horizontal bars sorted by the first rate (highest at the top), at most `per_chart` units per chart
(several charts when more), 9–10 pt Times New Roman labels, every category label shown.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Cm

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
SHEET = "Dữ liệu"
FONT = "Times New Roman"
COLORS = ("1F4E79", "C55A11", "548235", "7F6000")
WIDTH = Cm(16)


@dataclass(frozen=True)
class ChartData:
    """One chart: category names top to bottom, and per series its name and values (None: no value)."""

    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]

    @property
    def label_size(self) -> int:
        """Category label size in points: 10 pt up to 30 units, 9 pt above (never smaller)."""
        return 10 if len(self.categories) <= 30 else 9

    @property
    def height(self) -> int:
        """EMU: one row of bars per unit, plus the legend and the value axis."""
        pitch = 0.6 if self.label_size == 10 else 0.5
        return int(Cm(2.6 + pitch * len(self.categories)))


def split_for_charts(
    names: list[str], series: list[tuple[str, list[Decimal | None]]], per_chart: int = 40
) -> list[ChartData]:
    """Units sorted by the first series (highest first, no value last), cut into balanced charts."""
    order = sorted(
        range(len(names)),
        key=lambda i: (series[0][1][i] is None, -(series[0][1][i] or 0), names[i]),
    )
    if not order:
        return []
    count = math.ceil(len(order) / max(1, per_chart))
    size = math.ceil(len(order) / count)
    charts = []
    for start in range(0, len(order), size):
        part = order[start : start + size]
        charts.append(
            ChartData(
                categories=tuple(names[i] for i in part),
                series=tuple((label, tuple(values[i] for i in part)) for label, values in series),
            )
        )
    return charts


class InlineChart:
    """A docxtpl value like InlineImage: rendered as `{{ c.chart }}`, it adds the chart part (and its
    workbook) to the part being rendered and becomes the run holding the chart."""

    def __init__(self, tpl, data: ChartData, number: int, description: str = "") -> None:
        self.tpl, self.data, self.number, self.description = tpl, data, number, description
        self._xml = ""

    def _insert(self) -> str:
        if not self._xml:
            part = self.tpl.current_rendering_part
            r_id = part.relate_to(chart_part(part.package, self.data), RT.CHART)
            self._xml = drawing_run(r_id, self.data, self.number, self.description)
        return self._xml

    __str__ = __html__ = _insert


def chart_part(package, data: ChartData) -> Part:
    """The chart part, related to its embedded workbook, ready to relate from the document."""
    book = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"),
        CT.SML_SHEET,
        chart_workbook(data),
        package,
    )
    name = package.next_partname("/word/charts/chart%d.xml")
    part = Part(PackURI(name), CT.DML_CHART, chart_xml(data, "rId1"), package)
    assert part.relate_to(book, RT.PACKAGE) == "rId1"  # a new part's first relationship
    return part


def drawing_run(r_id: str, data: ChartData, number: int, description: str) -> str:
    """What `{{ c.chart }}` becomes inside its run: the text run closed, a run with the chart, a run reopened."""
    return (
        "</w:t></w:r><w:r><w:drawing>"
        + inline_xml(r_id, data.height, 9000 + number, f"Biểu đồ {number}", description)
        + '</w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )


def inline_xml(r_id: str, height: int, shape_id: int, name: str, description: str) -> str:
    """The wp:inline holding the chart (namespaces declared here, not assumed from the document)."""
    return (
        f'<wp:inline xmlns:wp="{NS_WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{int(WIDTH)}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name={quoteattr(name)} descr={quoteattr(description)}/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic xmlns:a="{NS_A}"><a:graphicData uri="{NS_C}">'
        f'<c:chart xmlns:c="{NS_C}" xmlns:r="{NS_R}" r:id="{r_id}"/>'
        "</a:graphicData></a:graphic></wp:inline>"
    )


def _text_props(size: int, bold: bool = False) -> str:
    b = ' b="1"' if bold else ' b="0"'
    return (
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{size * 100}"{b}><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/><a:ea typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr>'
        '</a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr>'
    )


def _str_cache(ref: str, values: tuple[str, ...]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>' for i, v in enumerate(values))
    cache = f'<c:strCache><c:ptCount val="{len(values)}"/>{points}</c:strCache>'
    return f"<c:strRef><c:f>{escape(ref)}</c:f>{cache}</c:strRef>"


def _num_cache(ref: str, values: tuple[Decimal | None, ...]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
    return (
        f"<c:numRef><c:f>{escape(ref)}</c:f><c:numCache><c:formatCode>0.0</c:formatCode>"
        f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>'
    )


def _column(index: int) -> str:
    return "ABCDEFGHIJ"[index]


def chart_xml(data: ChartData, workbook_rel: str) -> bytes:
    """c:chartSpace of a clustered horizontal bar chart, elements in the schema's order."""
    last = len(data.categories) + 1
    sheet = f"'{SHEET}'"
    series = []
    for k, (label, values) in enumerate(data.series):
        col = _column(k + 1)
        series.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
            f"<c:tx>{_str_cache(f'{sheet}!${col}$1', (label,))}</c:tx>"
            f'<c:spPr><a:solidFill><a:srgbClr val="{COLORS[k % len(COLORS)]}"/></a:solidFill></c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f"<c:cat>{_str_cache(f'{sheet}!$A$2:$A${last}', data.categories)}</c:cat>"
            f"<c:val>{_num_cache(f'{sheet}!${col}$2:${col}${last}', values)}</c:val></c:ser>"
        )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{NS_C}" xmlns:a="{NS_A}" xmlns:r="{NS_R}">'
        '<c:date1904 val="0"/><c:lang val="vi-VN"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        + "".join(series)
        + '<c:gapWidth val="50"/><c:axId val="5001"/><c:axId val="5002"/></c:barChart>'
        # categories top to bottom (maxMin), so the value axis crosses at the last one (bottom)
        '<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        + _text_props(data.label_size)
        + '<c:crossAx val="5002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/>'
        '<c:max val="100"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>'
        '<c:majorGridlines><c:spPr><a:ln w="3175"><a:solidFill><a:srgbClr val="BFBFBF"/></a:solidFill>'
        '</a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode="0" sourceLinked="0"/>'
        '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        + _text_props(10)
        + '<c:crossAx val="5001"/><c:crosses val="max"/><c:crossBetween val="between"/>'
        '<c:majorUnit val="10"/></c:valAx></c:plotArea>'
        '<c:legend><c:legendPos val="t"/><c:overlay val="0"/>' + _text_props(10) + "</c:legend>"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        + _text_props(10)
        + f'<c:externalData r:id="{workbook_rel}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    )
    return xml.encode("utf-8")


def chart_workbook(data: ChartData) -> bytes:
    """The chart's data as a workbook: names in column A, one rate per column (what "Edit Data" opens)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Đơn vị", *(label for label, _ in data.series)])
    for i, name in enumerate(data.categories):
        ws.append([name, *(float(values[i]) if values[i] is not None else None for _, values in data.series)])
        for col in range(2, len(data.series) + 2):
            ws.cell(row=i + 2, column=col).number_format = "0.0"
    ws.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
