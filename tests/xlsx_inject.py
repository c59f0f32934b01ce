"""Put any text into a workbook's cells, as Excel or a hostile file would hold it.

openpyxl refuses control characters and cannot write lone surrogates, so each cell first gets a
marker and the marker is then replaced in the sheet XML by the text's bytes: characters that
UTF-8 cannot hold or XML forbids are written as Excel writes them (`_x000B_`), or raw.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

# characters XML cannot hold (controls, lone surrogates, noncharacters), and a carriage return
NASTY = "\x00\x01\x08\x0b\x0c\x1f\r\ud800\udbff\udfff\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff"


def encode_cell_text(text: str, raw: bool = False) -> bytes:
    """The bytes of text inside <t>…</t>: XML's own escapes for & < >; controls and surrogates as
    Excel's _xHHHH_ escapes, or (raw=True) as their bytes (surrogates: invalid UTF-8)."""
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if ch in "&<>":
            out += {"&": b"&amp;", "<": b"&lt;", ">": b"&gt;"}[ch]
        elif 0xD800 <= code <= 0xDFFF or (code < 0x20 and ch not in "\t\n\r"):
            out += ch.encode("utf-8", "surrogatepass") if raw else f"_x{code:04X}_".encode()
        else:
            out += ch.encode("utf-8")
    return bytes(out)


def inject(source: Path, target: Path, cells: dict[tuple[str, str], Any], raw: bool = False) -> Path:
    """Copy the workbook `source` to `target` with cells {(sheet, 'B21'): value} set; text values
    go into the XML byte for byte (see encode_cell_text), other values through openpyxl."""
    wb = openpyxl.load_workbook(source)
    markers: dict[bytes, bytes] = {}
    for i, ((sheet, coordinate), value) in enumerate(cells.items()):
        if isinstance(value, str):
            marker = f"@@inject{i}@@"
            wb[sheet][coordinate].value = marker
            markers[marker.encode()] = encode_cell_text(value, raw)
        else:
            wb[sheet][coordinate].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            for marker, text in markers.items():
                data = data.replace(marker, text)
            w.writestr(info, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(out.getvalue())
    return target
