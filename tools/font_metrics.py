"""Write baocao/word/fontmetrics_data.py: the advance widths of Liberation Serif (metric-compatible with Times New
Roman) for the characters of Vietnamese reports, read with fontTools from the installed TTFs.

    python tools/font_metrics.py [FONT_DIR]     (default /usr/share/fonts/truetype/liberation2)
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FACES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
CHARS = "".join(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x100)]
    + [chr(c) for c in (0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0)]
    + [chr(c) for c in range(0x1EA0, 0x1EFA)]
    + list("–—‘’“”…•")
)


def widths(path: Path) -> tuple[int, list[int]]:
    """(units per em, advance width of each of CHARS)."""
    font = TTFont(path)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return font["head"].unitsPerEm, [hmtx[cmap[ord(c)]][0] for c in CHARS]


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2")
    lines = [
        '"""Advance widths of Liberation Serif 2 (= Times New Roman), written by tools/font_metrics.py."""',
        "",
        "CHARS = (",
        *(f"    {CHARS[i : i + 60]!r}" for i in range(0, len(CHARS), 60)),
        ")",
    ]
    for key, face in FACES.items():
        units, values = widths(folder / f"LiberationSerif-{face}.ttf")
        lines.append(f"UNITS_PER_EM = {units}")
        rows = [", ".join(map(str, values[i : i + 16])) for i in range(0, len(values), 16)]
        lines += ["# fmt: off", f"{key.upper()} = (", *(f"    {row}," for row in rows), ")", "# fmt: on"]
    units_lines = [line for line in lines if line.startswith("UNITS_PER_EM")]
    assert len(set(units_lines)) == 1, units_lines  # 2048 in every face
    lines = [line for line in lines if not line.startswith("UNITS_PER_EM")] + [units_lines[0]]
    text = "\n".join(lines) + "\n"
    (ROOT / "baocao" / "word" / "fontmetrics_data.py").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
