"""A zip made once with some members left out, completed many times with those members' new bytes.

The renderer writes one .docx per report: the template's untouched parts, already compressed,
plus the rendered XML. zipfile would re-read the central directory and go through its
streaming writer on every report; here the untouched entries and their central-directory
records are kept as bytes, and each report only deflates its parts and appends their records.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate, no zip64 (a report's parts are far below 4 GB)
_UTF8_NAME = 0x800


class ZipTemplate:
    """The members of a zip except `replaced`, to be completed by `build` (see module docstring)."""

    def __init__(self, data: bytes, replaced: list[str], level: int) -> None:
        self.level = level
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename not in replaced:
                    target.writestr(info, source.read(info.filename), compress_type=info.compress_type)
            self.count = len(target.infolist())
            self._dates = {name: _dos_date_time(source.getinfo(name).date_time) for name in replaced}
            self._new = next(iter(self._dates.values()), (0, 33))  # (00:00:00, 1980-01-01) when none
        whole = out.getvalue()
        end = len(whole) - _END.size  # zipfile writes no comment and, this small, no zip64 records
        signature, _, _, _, count, size, offset, _ = _END.unpack_from(whole, end)
        if signature != b"PK\x05\x06" or count != self.count or offset + size != end:
            raise ValueError("unexpected zip layout")
        self.entries, self.central = whole[:offset], whole[offset : offset + size]

    def build(self, parts: list[tuple[str, list[bytes]]]) -> bytes:
        """The whole zip: the kept entries, then each (member, chunks) deflated, in this order."""
        body, central, offset = [self.entries], [self.central], len(self.entries)
        for name, chunks in parts:
            deflater = zlib.compressobj(self.level, zlib.DEFLATED, -15)
            crc, size, packed = 0, 0, []
            for chunk in chunks:
                crc, size = zlib.crc32(chunk, crc), size + len(chunk)
                packed.append(deflater.compress(chunk))
            packed.append(deflater.flush())
            data = b"".join(packed)
            encoded = name.encode("utf-8")
            flags = 0 if name.isascii() else _UTF8_NAME
            time, date = self._dates.get(name, self._new)  # a member the template lacks: its parts' date
            common = (flags, zipfile.ZIP_DEFLATED, time, date, crc, len(data), size, len(encoded))
            body += [_LOCAL.pack(b"PK\x03\x04", _VERSION, *common, 0), encoded, data]
            central += [_CENTRAL.pack(b"PK\x01\x02", _VERSION, _VERSION, *common, 0, 0, 0, 0, 0, offset), encoded]
            offset += _LOCAL.size + len(encoded) + len(data)
        directory = b"".join(central)
        count = self.count + len(parts)
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
        return b"".join([*body, directory, end])


def _dos_date_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day
