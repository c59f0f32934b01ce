"""Layout rules of Nghị định 30/2020/NĐ-CP that depend on the text: where the agency name breaks, how long the
lines under it and under the trích yếu are, names kept on one line. Jinja filters of every Word template:

- `agency(width)`: "ỦY BAN NHÂN DÂN XÃ CHI LĂNG NAM" → "ỦY BAN NHÂN DÂN\\nXÃ CHI LĂNG NAM" when it does not fit
  the width (twips) on one line; the place name's spaces become no-break spaces, so it can only break there;
- `rule_under(width, size=13, bold=True)`: a paragraph whose bottom border is 0.4 of the text's longest line
  (ND30: 1/3 to 1/2), centred in the width, written as `{{p text|rule_under(width) }}`;
- `keep(name)`: `name` inside the text with no-break spaces ("(Kèm theo … của UBND phường Nhị Chiểu)").

Widths are measured with Liberation Serif's advance widths (= Times New Roman's), baocao/word/fontmetrics_data.py.
"""

from __future__ import annotations

from functools import cache, lru_cache

from baocao.word import fontmetrics_data as metrics

NBSP = "\u00a0"
AGENCY_PREFIXES = ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN")
RULE_FRACTION = 0.4  # of the text's longest line, inside ND30's 1/3 … 1/2
FIT_SLACK = 0.97  # a line is taken to fit when it fills at most 97% of the width (renderers differ slightly)


@cache
def _advances(bold: bool, italic: bool) -> dict[str, int]:
    face = {(False, False): metrics.REGULAR, (True, False): metrics.BOLD}.get((bold, italic))
    face = face or (metrics.BOLD_ITALIC if bold else metrics.ITALIC)
    return dict(zip(metrics.CHARS, face, strict=True))


@lru_cache(maxsize=2048)  # wrap() measures every prefix of a line; the same lines recur in every report
def text_width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width in twips of one line of text at `size` points (unknown characters as wide as 'n')."""
    advances = _advances(bold, italic)
    fallback = advances["n"]
    units = sum(advances.get(c, fallback) for c in text)
    return units / metrics.UNITS_PER_EM * size * 20


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Greedy line breaking at ordinary spaces (never at no-break spaces), at each newline first."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold=bold) > width * FIT_SLACK:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def agency(text: str, width: float = 3571, size: float = 13, bold: bool = True) -> str:
    """The agency name, broken only after "ỦY BAN NHÂN DÂN" (or on one line when it fits)."""
    text = " ".join(str(text).split())
    prefix = next((p for p in AGENCY_PREFIXES if text.startswith(p + " ")), "")
    if not prefix:
        return text
    place = text[len(prefix) + 1 :]
    if text_width(place, size, bold=bold) > width * FIT_SLACK:
        return f"{prefix}\n" + "\n".join(wrap(place, width, size, bold=bold))  # too long to keep whole
    kept = place.replace(" ", NBSP)
    if text_width(text, size, bold=bold) <= width * FIT_SLACK:
        return f"{prefix.replace(' ', NBSP)} {kept}"
    return f"{prefix}\n{kept}"


def keep(text: str, name: str) -> str:
    """`text` with the words of `name` joined by no-break spaces."""
    name = str(name)
    return str(text).replace(name, name.replace(" ", NBSP)) if name else str(text)


class RuleParagraph:
    """A paragraph drawing a centred line (its bottom border) of a given length; docxtpl inserts its XML."""

    def __init__(self, length: float, width: float) -> None:
        self.length = round(length)
        self.indent = max(0, round((width - length) / 2))

    def __html__(self) -> str:
        return (
            '<w:p><w:pPr><w:pStyle w:val="RuleLine"/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
            f'w:color="000000"/></w:pBdr><w:ind w:left="{self.indent}" w:right="{self.indent}"/></w:pPr></w:p>'
        )

    __str__ = __html__


def rule_under(text: str, width: float, size: float = 13, bold: bool = True) -> RuleParagraph:
    """The line under `text` (as it wraps in `width` twips): RULE_FRACTION of its longest line."""
    longest = max(text_width(line, size, bold=bold) for line in wrap(str(text), width, size, bold=bold))
    return RuleParagraph(longest * RULE_FRACTION, width)


FILTERS = {"agency": agency, "rule_under": rule_under, "keep": keep}
