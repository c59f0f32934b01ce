"""Before a PDF: do the fonts LibreOffice will use (through fontconfig) have every character of the document?

Liberation Serif 1.07 (Debian's `fonts-liberation`) lacks 60 Vietnamese letters, which LibreOffice then takes
from another typeface; `fonts-liberation2` has them. One `fc-match` per font family and process (cached).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from functools import lru_cache
from pathlib import Path

_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_FONT = re.compile(r'<w:rFonts\b[^>]*?\bw:(?:ascii|hAnsi)="([^"]+)"')
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_DEFAULTS = re.compile(r"<w:docDefaults>.*?</w:docDefaults>", re.S)
_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}


def document_fonts_and_chars(docx: Path) -> tuple[set[str], set[str]]:
    """The font families named by the document's defaults and runs, and every character of its text."""
    fonts: set[str] = set()
    chars: set[str] = set()
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            if name == "word/styles.xml":
                defaults = _DEFAULTS.search(z.read(name).decode("utf-8"))
                fonts.update(_FONT.findall(defaults.group(0)) if defaults else [])
            elif _TEXT_PARTS.match(name):
                xml = z.read(name).decode("utf-8")
                fonts.update(_FONT.findall(xml))
                for text in _TEXT.findall(xml):
                    chars.update(re.sub(r"&\w+;", lambda m: _ENTITY.get(m.group(0), ""), text))
    return fonts, {c for c in chars if not c.isspace()}


@lru_cache(maxsize=64)
def font_coverage(family: str) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """(the family fontconfig prints `family` with, the code-point ranges it has); None without fontconfig."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{family[0]}\t%{charset}", family], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    actual, _, charset = out.partition("\t")
    ranges = []
    for part in charset.split():
        low, _, high = part.partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return actual, tuple(ranges)


def missing_chars(chars: set[str], ranges: tuple[tuple[int, int], ...]) -> list[str]:
    """The characters no range covers, sorted."""
    return sorted(c for c in chars if not any(low <= ord(c) <= high for low, high in ranges))


def font_warnings(docx: Path) -> list[str]:
    """One Vietnamese warning per font that lacks characters of the document (none when all are there)."""
    fonts, chars = document_fonts_and_chars(docx)
    warnings = []
    for family in sorted(fonts):
        coverage = font_coverage(family)
        if coverage is None:
            continue
        actual, ranges = coverage
        missing = missing_chars(chars, ranges)
        if missing:
            shown = " ".join(missing[:12]) + (" …" if len(missing) > 12 else "")
            printed = family if actual == family else f"{actual} (thay cho {family})"
            warnings.append(
                f"Cảnh báo: phông {printed} thiếu {len(missing)} ký tự của {docx.name} ({shown}); bản PDF sẽ lấy "
                "các chữ này từ phông khác, trộn hai kiểu chữ. Cài phông đủ chữ tiếng Việt: với Times New Roman là "
                "gói fonts-liberation2 (sudo apt-get install fonts-liberation2)."
            )
    return warnings
