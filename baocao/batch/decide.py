"""The decide step's rules about communes: which official commune each workbook is, and which of
two copies of one commune's workbook is used.

- identity: a workbook of a roll-up must name a commune of its province's official list; a name
  typed without accents matches with a warning when only one commune has it; anything else is an
  error that suggests the closest official names (baocao.communes.match_commune);
- copies: of two workbooks of one commune and period, the one saved last (the workbook's own
  `dcterms:modified`, else the file's time) is used; the other is listed as replaced, with a warning.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from baocao import layout
from baocao.batch.model import BatchOptions, Checked, Group
from baocao.communes import communes_of, find_commune, match_commune, name_key, province_slug
from baocao.errors import BaocaoError, BatchError
from baocao.pipeline import report_stem
from baocao.problems import ERROR, WARNING, Problem
from baocao.stages import Held, Hold
from baocao.write import slugify

MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([^<\s]+)\s*</dcterms:modified>")


def identify(members: list[Checked], rolled_up: bool) -> None:
    """Set each workbook's official commune; in a roll-up, a name that is not official is an error
    (the workbook is not written) and a name matched without accents a warning."""
    for c in members:
        if c.is_held(Hold.UNREADABLE, Hold.EXCLUDED) or not c.province:
            continue
        try:
            match = match_commune(c.province, c.unit_type, c.unit_name) if rolled_up else None
            c.commune = match.commune if match else find_commune(c.province, c.unit_type, c.unit_name)
        except BaocaoError:
            match, c.commune = None, None
        if match is None or not match.severity:
            continue
        sheet, cell, label = c.name_cell or (layout.INFO_SHEET, "", "Tên đơn vị")
        c.problems.append(Problem(match.code, match.severity, c.shown_file, sheet, cell, label, match.params))
        if match.severity == ERROR:
            c.spool = ""  # a workbook with an error gets no report and is not summed


def saved_at(path: Path) -> float:
    """When the workbook was last saved: its own core property `dcterms:modified` (Excel and
    LibreOffice write it), else the file's modification time."""
    try:
        with zipfile.ZipFile(path) as z:
            found = MODIFIED.search(z.read("docProps/core.xml")[:65536])
        if found:
            text = found.group(1).decode("ascii", "replace").replace("Z", "+00:00")
            moment = datetime.fromisoformat(text)
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def shown_time(moment: float) -> str:
    """'09:05:31 ngày 09/6/2026' (this machine's time zone)."""
    when = datetime.fromtimestamp(moment)
    return f"{when:%H:%M:%S} ngày {when.day:02d}/{when.month}/{when.year}"


def keep_last_copy(candidates: list[Checked]) -> None:
    """Of several workbooks of one commune and period, use the one saved last; the others are
    replaced (not written, not summed) with a warning. When no time tells them apart, none is
    used, as before: the clerk must say which."""
    by_unit: dict[tuple, list[Checked]] = {}
    for c in candidates:
        if c.is_held(Hold.UNREADABLE, Hold.EXCLUDED) or not c.unit_name or not c.period:
            continue
        identity = c.commune.code if c.commune else name_key(c.name)
        by_unit.setdefault((c.group, identity), []).append(c)
    for same in by_unit.values():
        if len(same) < 2:
            continue
        times = {id(c): (saved_at(c.city or c.source), _mtime(c.city or c.source)) for c in same}
        ordered = sorted(same, key=lambda c: times[id(c)], reverse=True)
        newest, others = ordered[0], ordered[1:]
        files = [x.shown_file for x in same]
        if times[id(newest)] == times[id(others[0])]:
            for c in same:
                why = BatchError("copies-saved-together", name=c.name, count=len(same), files=files)
                c.held = Held(Hold.EXCLUDED, why)
            continue
        by = 0 if times[id(newest)][0] != times[id(others[0])][0] else 1  # the time that tells them apart
        moment = shown_time(times[id(newest)][by])
        newest.problems.append(
            Problem(
                "newest-copy-used",
                WARNING,
                newest.shown_file,
                params={"count": str(len(same)), "official": _official(newest), "workbooks": files, "moment": moment},
            )
        )
        for c in others:
            params = {"official": _official(c), "newest": newest.shown_file, "moment": moment}
            replaced = Problem(
                "copy-replaced", WARNING, c.shown_file, params={**params, "own_moment": shown_time(times[id(c)][by])}
            )
            c.held = Held(Hold.REPLACED, BatchError("problem", problem=replaced))  # the status line says the same
            c.problems.append(replaced)
            c.spool = ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _official(c: Checked) -> str:
    """'phường Nhị Chiểu': the official name once matched, else the name as typed."""
    return c.commune.full if c.commune else c.name


def decide(checked: list[Checked], options: BatchOptions, out_dir: Path) -> list[Group]:
    """The decide step of a batch: group by form, province and period; in a roll-up, match each
    commune against the official list; of two copies of a commune keep the one saved last; flag
    other provinces."""
    wanted = province_slug(options.province) if options.province else None
    for c in checked:
        if c.is_held(Hold.UNREADABLE, Hold.EXCLUDED) or not c.province:
            continue
        if wanted and province_slug(c.province) != wanted:
            why = BatchError("other-province", province=c.province, wanted=options.province)
            c.held = Held(Hold.EXCLUDED, why)
    keys: dict[tuple, list[Checked]] = {}
    for c in checked:
        keys.setdefault(c.group if c.period else ("", "", ""), []).append(c)
    for key, members in keys.items():
        identify(members, rolled_up=bool(key[1]) and (len(members) > 1 or bool(wanted)))
    keep_last_copy(checked)
    _unique_stems([c for c in checked if c.spool and not c.is_held(Hold.EXCLUDED)])
    groups = []
    for key, members in sorted(keys.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        group = Group(key=key, members=[c for c in members if not c.is_held(Hold.REPLACED)], out_dir=out_dir)
        if key[1] and (len(members) > 1 or wanted):
            sent = {c.commune.code for c in members if c.commune and not c.is_held(Hold.UNREADABLE)}
            try:
                group.missing = [m for m in communes_of(members[0].province) if m.code not in sent]
            except BaocaoError:
                group.missing = []
        groups.append(group)
    return groups


def _unique_stems(writable: list[Checked]) -> None:
    """Output names are ASCII; two communes whose names differ only by accents ('Cẩm Giang',
    'Cẩm Giàng') get their official code (or the workbook name) added to keep them apart."""
    stems: dict[str, list[Checked]] = {}
    for c in writable:
        stems.setdefault(report_stem(c.unit_name, c.unit_type, c.period), []).append(c)
    for stem, same in stems.items():
        for c in same:
            if len(same) == 1:
                c.stem = stem
            else:
                tag = str(c.commune.code) if c.commune else slugify(c.source.stem)
                c.stem = report_stem(f"{c.unit_name} {tag}", c.unit_type, c.period)
