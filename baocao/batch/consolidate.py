"""The roll-up of many communes: counts summed, rates recomputed from the summed parts (never
averaged), yes/no rows counted as "units answering Có / all units", and the consolidated report.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from docxtpl import DocxTemplate

from baocao.batch.rollup_info import RollupInfo, rollup_doc, rollup_signature
from baocao.compute import compute_values
from baocao.form import Form, Row
from baocao.form.numstyle import figure_style
from baocao.format import format_value, period_context, recipient_lines, rich_cell, table_row
from baocao.messages import UNIT_STATUS_TEXT
from baocao.render import compiled_template, jinja_environment, render_errors, template_bytes
from baocao.stages import UnitStatus
from baocao.vnformat import format_figure
from baocao.word.chart import ChartData, InlineChart, split_for_charts
from baocao.word.chartparts import PACKAGE_PARTS, ChartSlots

YES_NO = {0: "Không", 1: "Có"}
NUMERIC_KINDS = ("number", "sum", "difference", "rate")  # rows whose consolidated value is one number


@dataclass
class Rollup:
    """Running totals over the included communes of one group (constant memory)."""

    form: Form
    count: int = 0
    totals: dict[str, Decimal | None] = field(default_factory=dict)
    choices: dict[str, Counter] = field(default_factory=dict)
    percents: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def add(self, inputs: dict[str, Decimal | str | None]) -> None:
        """Add one commune's typed inputs."""
        self.count += 1
        for row in self.form.rows:
            value = inputs.get(row.id)
            if not isinstance(value, Decimal):
                continue
            if row.kind == "number":
                self.totals[row.id] = (self.totals.get(row.id) or Decimal(0)) + value
            elif row.kind == "choice":
                self.choices.setdefault(row.id, Counter())[int(value)] += 1
            elif row.kind == "percent":
                low, high = self.percents.get(row.id, (value, value))
                self.percents[row.id] = (min(low, value), max(high, value))

    def values(self) -> dict[str, Decimal | str | None]:
        """Summed inputs plus every computed row recomputed from them."""
        return compute_values(self.form, dict(self.totals))

    def text(self, row: Row, values: dict[str, Decimal | str | None]) -> str:
        """A consolidated value as printed, for the narrative and the Phụ lục alike."""
        if row.kind == "choice":
            counts = self.choices.get(row.id, Counter())
            if row.choices == YES_NO:
                return f"{counts[1]}/{self.count} đơn vị"
            return "; ".join(f"{label}: {counts[code]}" for code, label in row.choices.items())
        if row.kind == "percent":
            style = figure_style(self.form.numbers, row)
            assert style is not None
            if row.id not in self.percents:
                return style.no_value
            low, high = (format_figure(v, style) for v in self.percents[row.id])
            return low if low == high else f"từ {low} đến {high}"
        return format_value(self.form, row, values.get(row.id), for_table=False)

    def condition(self, row: Row, values: dict[str, Decimal | str | None]) -> Decimal | None:
        if row.kind == "choice":
            return Decimal(self.choices.get(row.id, Counter())[1])
        if row.kind == "rate":
            value = values.get(row.id)
            return value if isinstance(value, Decimal) else None
        value = values.get(row.id)
        return value if isinstance(value, Decimal) else Decimal(0)


@dataclass
class UnitLine:
    """One commune in the list of units (tong_hop.xlsx, the report's annex, the chart)."""

    name: str
    status: UnitStatus
    errors: int = 0
    warnings: int = 0
    rates: dict[str, Decimal | None] = field(default_factory=dict)
    source: str = ""
    note: str = ""


def consolidated_context(
    form: Form,
    rollup: Rollup,
    info: dict[str, Any],
    province: str,
    units: list[UnitLine],
    kind_text: str,
    header: RollupInfo | None = None,
) -> dict[str, Any]:
    """The context of the consolidated template (docs/template-context.md, "Báo cáo tổng hợp");
    `header` is what the Sở typed for its own số, date, signer and nơi nhận (blank: a draft)."""
    settings = form.consolidated
    header = header or RollupInfo()
    values = rollup.values()
    period = period_context({**info, "date_from": None, "date_to": None})
    year = int(period["year"])
    in_text = province_in_text(province)
    issuer = f"{settings.issuer} {in_text}"
    place = province.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    key_rates = settings.key_rates[:4]
    size = form.appendix.font_size * 2
    texts = {row.id: rollup.text(row, values) for row in form.rows}
    doc = rollup_doc(settings, header, year, place)
    ref = doc["ref"]
    return {
        "province": in_text,
        "province_upper": in_text.upper(),
        "issuer": {
            "parent_upper": f"ỦY BAN NHÂN DÂN\n{in_text.upper()}",
            "agency_upper": settings.issuer.upper(),
            "name": issuer,
        },
        "period": period,
        "doc": {
            **doc,
            "subject": f"Tổng hợp kết quả thực hiện công tác cải cách hành chính {period['text']} "
            f"của các {kind_text} trên địa bàn {in_text}",
        },
        "units": {
            "total": len(units),
            "included": rollup.count,
            "errors": sum(u.status is UnitStatus.ERROR for u in units),
            "missing": sum(u.status is UnitStatus.MISSING for u in units),
            "error_names": [u.name for u in units if u.status is UnitStatus.ERROR],
            "missing_names": [u.name for u in units if u.status is UnitStatus.MISSING],
            "kind_text": kind_text,
        },
        "v": texts,
        "n": {row.id: rollup.condition(row, values) for row in form.rows},
        "charts": [],  # filled by render_consolidated: [{"chart": InlineChart, "title": "Biểu đồ 1: …"}]
        "rate_columns": [settings.short_labels[r] for r in key_rates] + [""] * (4 - len(key_rates)),
        "unit_rows": [
            {
                "stt": str(i),
                "name": u.name,
                "status": UNIT_STATUS_TEXT[u.status],
                "errors": str(u.errors),
                "warnings": str(u.warnings),
                "rates": [_rate_text(form, r, u.rates.get(r)) if u.status is UnitStatus.DONE else "" for r in key_rates]
                + [""] * (4 - len(key_rates)),
            }
            for i, u in enumerate(units, 1)
        ],
        "prev": None,  # the summed figures compared with a previous period's (baocao.batch.previous)
        "signature": rollup_signature(settings, header),
        "recipients": recipient_lines("\n".join(header.recipients or settings.recipients)),
        "units_annex": {
            "title": "Phụ lục II",
            "heading": "DANH SÁCH ĐƠN VỊ VÀ MỘT SỐ TỶ LỆ CHỦ YẾU",
            "attached": f"(Kèm theo Báo cáo số {ref} ngày {doc['date_short']} của {issuer})",
        },
        "appendix": {
            "title": "Phụ lục I",
            "heading": form.appendix.heading,
            "subheading": f"(Tổng hợp {rollup.count} {kind_text} trên địa bàn {in_text})",
            "attached": f"(Kèm theo Báo cáo số {ref} ngày {doc['date_short']} của {issuer})",
            "columns": {**form.appendix.columns, "value": "Tổng hợp"},
            "tables": [
                {
                    "sheet": table.sheet,
                    "title": table.title,
                    "footnote": table.footnote,
                    "rows": [_table_row(form, row, texts[row.id], size, values.get(row.id)) for row in table.rows],
                }
                for table in form.tables
            ],
        },
    }


def province_in_text(province: str) -> str:
    """How a province reads mid-sentence: 'thành phố Hải Phòng', 'tỉnh Cao Bằng'."""
    if province.startswith(("Thành phố ", "Tỉnh ")):
        return province[:1].lower() + province[1:]
    return f"tỉnh {province}"


def _rate_text(form: Form, row_id: str, value: Decimal | None) -> str:
    return format_value(form, form.row(row_id), value, for_table=True)


def _table_row(form: Form, row: Row, text: str, size: int, value: Any) -> dict[str, Any]:
    """A Phụ lục row with the consolidated text; `number` is the summed count or recomputed rate
    (None for a rate without value, and for rows printed as text: choices, percent ranges)."""
    line = table_row(form, row, None, "", size)
    line["value"] = rich_cell(text if row.kind != "header" else "", line["bold"], line["italic"], size)
    line["value_text"] = text if row.kind != "header" else ""
    line["kind"] = row.kind
    line["decimals"] = row.decimals
    line["number"] = value if row.kind in NUMERIC_KINDS and isinstance(value, Decimal) else None
    return line


def chart_data(form: Form, units: list[UnitLine]) -> list[ChartData]:
    """The chart_rates of the units that were rolled up, sorted by the first rate, cut into charts of
    at most `chart_units` units (empty when the form asks for no chart or nothing was rolled up)."""
    rate_ids = form.consolidated.chart_rates
    shown = [u for u in units if u.status is UnitStatus.DONE]
    if not rate_ids or not shown:
        return []
    series = [(form.consolidated.short_labels[r], [_one_decimal(u.rates.get(r)) for u in shown]) for r in rate_ids]
    names = [u.name[:1].upper() + u.name[1:] for u in shown]
    return split_for_charts(names, series, form.consolidated.chart_units)


def _one_decimal(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP) if isinstance(value, Decimal) else None


def chart_titles(form: Form, charts: list[ChartData]) -> list[str]:
    """ "Biểu đồ 1: Tỷ lệ hồ sơ đúng hạn và hồ sơ trực tuyến toàn trình theo đơn vị (%)", with the
    units' ranks when there are several charts."""
    labels = [form.consolidated.short_labels[r] for r in form.consolidated.chart_rates]
    text = " và ".join(label[:1].lower() + label[1:] for label in labels)
    total = sum(len(c.categories) for c in charts)
    first_label = labels[0][:1].lower() + labels[0][1:]
    titles, first = [], 1
    for number, chart in enumerate(charts, 1):
        last = first + len(chart.categories) - 1
        ranks = f", đơn vị thứ {first}–{last}/{total} theo {first_label}" if len(charts) > 1 else ""
        titles.append(f"Biểu đồ {number}: Tỷ lệ {text} theo đơn vị (%){ranks}")
        first = last + 1
    return titles


def render_consolidated(form: Form, context: dict[str, Any], charts: list[ChartData]) -> bytes:
    """The consolidated .docx; each chart a native Word chart (baocao.word.chart) where `{{ c.chart }}` is.

    Compiled once per process (baocao.render.CompiledTemplate, the charts' parts added by
    baocao.word.chartparts), else rendered by docxtpl with python-docx adding the charts."""
    path = form.directory / form.consolidated.template
    titles = chart_titles(form, charts)
    compiled = compiled_template(path, PACKAGE_PARTS)
    if compiled.supported and set(PACKAGE_PARTS) <= compiled.package.keys():
        slots = ChartSlots(compiled.package, compiled.names)
        charts_context = [
            {"chart": slots.slot(chart, n, title), "title": title}
            for n, (chart, title) in enumerate(zip(charts, titles, strict=True), 1)
        ]
        return compiled.render({**context, "charts": charts_context}, slots.members)
    template = DocxTemplate(io.BytesIO(template_bytes(path)))
    context = {
        **context,
        "charts": [
            {"chart": InlineChart(template, chart, n, title), "title": title}
            for n, (chart, title) in enumerate(zip(charts, titles, strict=True), 1)
        ],
    }
    with render_errors(path.name):
        template.render(context, jinja_env=jinja_environment(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
