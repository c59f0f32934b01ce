"""The roll-up of many communes: counts summed, rates recomputed from the summed parts (never
averaged), yes/no rows counted as "units answering Có / all units", and the consolidated report.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from baocao.compute import compute_values
from baocao.context import format_value, period_context, recipient_lines, table_row
from baocao.form import Form, Row
from baocao.render import jinja_environment, render_errors, template_bytes
from baocao.vnformat import date_long, date_short, doc_reference, format_percent

YES_NO = {0: "Không", 1: "Có"}


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
            if row.id not in self.percents:
                return str(self.form.numbers["no_value"])
            low, high = (format_percent(v, 1, whole_without_decimals=True) for v in self.percents[row.id])
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
    status: str  # "đủ" | "lỗi" | "thiếu"
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
) -> dict[str, Any]:
    """The context of the consolidated template (docs/template-context.md, "Báo cáo tổng hợp")."""
    settings = form.consolidated
    values = rollup.values()
    period = period_context({**info, "date_from": None, "date_to": None})
    year = int(period["year"])
    ref = doc_reference(None, settings["doc_symbol"])
    in_text = province_in_text(province)
    issuer = f"{settings['issuer']} {in_text}"
    place = province.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    key_rates = settings["key_rates"][:4]
    size = int(form.appendix.get("font_size", 12)) * 2
    texts = {row.id: rollup.text(row, values) for row in form.rows}
    return {
        "province": in_text,
        "province_upper": in_text.upper(),
        "issuer": {
            "parent_upper": f"ỦY BAN NHÂN DÂN\n{in_text.upper()}",
            "agency_upper": settings["issuer"].upper(),
            "name": issuer,
        },
        "period": period,
        "doc": {
            "number_line": f"Số: {ref}",
            "ref": ref,
            "place_date": f"{place}, {date_long(None, year)}",
            "date_short": date_short(None, year),
            "subject": f"Tổng hợp kết quả thực hiện công tác cải cách hành chính {period['text']} "
            f"của các {kind_text} trên địa bàn {in_text}",
        },
        "units": {
            "total": sum(u.status != "khác" for u in units),
            "included": rollup.count,
            "errors": sum(u.status == "lỗi" for u in units),
            "missing": sum(u.status == "thiếu" for u in units),
            "error_names": [u.name for u in units if u.status == "lỗi"],
            "missing_names": [u.name for u in units if u.status == "thiếu"],
            "kind_text": kind_text,
        },
        "v": texts,
        "n": {row.id: rollup.condition(row, values) for row in form.rows},
        "chart": "",
        "chart_title": "",
        "rate_columns": [settings["short_labels"][r] for r in key_rates] + [""] * (4 - len(key_rates)),
        "unit_rows": [
            {
                "stt": str(i),
                "name": u.name,
                "status": u.status,
                "errors": str(u.errors),
                "warnings": str(u.warnings),
                "rates": [_rate_text(form, r, u.rates.get(r)) if u.status == "đủ" else "" for r in key_rates]
                + [""] * (4 - len(key_rates)),
            }
            for i, u in enumerate(units, 1)
        ],
        "signature": {"authority": "", "title_lines": [settings["signer_title"].upper()], "name": ""},
        "recipients": recipient_lines("\n".join(settings["recipients"])),
        "appendix": {
            "title": "PHỤ LỤC TỔNG HỢP",
            "heading": form.appendix.get("heading", ""),
            "subheading": f"(Tổng hợp {rollup.count} {kind_text} trên địa bàn {in_text})",
            "attached": f"(Kèm theo Báo cáo số {ref} ngày {date_short(None, year)} của {issuer})",
            "columns": {**form.appendix.get("columns", {}), "value": "Tổng hợp"},
            "tables": [
                {
                    "sheet": table.sheet,
                    "title": table.title,
                    "footnote": table.footnote,
                    "rows": [_table_row(form, row, texts[row.id], size) for row in table.rows],
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


def _table_row(form: Form, row: Row, text: str, size: int) -> dict[str, Any]:
    line = table_row(form, row, None, "", size)
    line["value"] = type(line["value"])(
        text if row.kind != "header" else "", bold=line["bold"], italic=line["italic"], size=size
    )
    line["value_text"] = text if row.kind != "header" else ""
    return line


def chart_png(form: Form, units: list[UnitLine]) -> bytes | None:
    """Horizontal bar chart of the chart_rates by commune (matplotlib), or None when nothing to draw."""
    rate_ids = form.consolidated["chart_rates"]
    shown = [u for u in units if u.status == "đủ"]
    if not rate_ids or not shown:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    height = min(9.5, max(2.5, 0.07 * len(shown) * len(rate_ids) + 1.2))  # at most one A4 page
    fig, ax = plt.subplots(figsize=(7.5, height), dpi=100)
    bar = 0.8 / len(rate_ids)
    positions = range(len(shown))
    for k, rate_id in enumerate(rate_ids):
        values = [float(u.rates.get(rate_id) or 0) for u in shown]
        ax.barh([p + k * bar for p in positions], values, height=bar, label=form.consolidated["short_labels"][rate_id])
    label_size = max(4.0, min(8.0, 520 / max(1, len(shown))))
    ax.set_yticks([p + bar * (len(rate_ids) - 1) / 2 for p in positions], [u.name for u in shown], fontsize=label_size)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.axvline(float(form.consolidated["low_rate"]), color="grey", linewidth=0.8, linestyle="--")
    ax.set_xlabel("%")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8, ncol=1, frameon=False)
    # fixed margins: tight_layout measures every label and costs most of the drawing time
    fig.subplots_adjust(left=0.3, right=0.97, top=1 - 0.75 / height, bottom=0.45 / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def render_consolidated(form: Form, context: dict[str, Any], chart: bytes | None) -> bytes:
    """The consolidated .docx (plain docxtpl: the chart is an image bound to the template)."""
    path = form.directory / form.consolidated["template"]
    template = DocxTemplate(io.BytesIO(template_bytes(path)))
    with tempfile.TemporaryDirectory(prefix="baocao-chart-") as work:
        if chart:
            image = Path(work, "chart.png")
            image.write_bytes(chart)
            labels = [form.consolidated["short_labels"][r] for r in form.consolidated["chart_rates"]]
            labels = " và ".join([labels[0], *(label[:1].lower() + label[1:] for label in labels[1:])])
            context = {
                **context,
                "chart": InlineImage(template, str(image), width=Mm(160)),
                "chart_title": f"Biểu đồ: Tỷ lệ {labels[:1].lower()}{labels[1:]} theo đơn vị (%)",
            }
        with render_errors(path.name):
            template.render(context, jinja_env=jinja_environment(), autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
    return buffer.getvalue()
