"""The result page of an upload with many files: one entry per commune under its official name
(the file name beside it, small), errors first, then warnings, then đủ; counts per commune; a
filter by state (links with ?loc=…, so it works without JavaScript); a city workbook's shared
problems once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from baocao.batch.model import Checked
from baocao.communes import name_key
from baocao.messages import Audience, problem_line, vn
from baocao.pipeline import problem_list_path
from baocao.problems import Problem
from baocao.stages import Held, Hold
from baocao.web.jobs import Job
from baocao.write import slugify

STATES = {"loi": "Lỗi", "canh-bao": "Cảnh báo", "du": "Đủ"}  # filter value → label, in page order
SHOWN_PROBLEMS = 5  # more than this: the rest behind "Xem thêm" (a <details>, no script)


@dataclass
class Entry:
    """One commune (or one file that is no commune) on the page."""

    name: str  # the commune's official name, else what the workbook or file says
    file: str  # the uploaded file (or city column), shown small beside the name
    state: str  # a key of STATES
    status: str
    key: str = ""  # the commune's identity, for counting per commune
    problems: list[tuple[str, str]] = field(default_factory=list)  # (css class, the CLI's line)
    downloads: list[tuple[str, str]] = field(default_factory=list)  # (label, file name)

    @property
    def first_problems(self) -> list[tuple[str, str]]:
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def more_problems(self) -> list[tuple[str, str]]:
        return self.problems[SHOWN_PROBLEMS:]


@dataclass
class ResultView:
    entries: list[Entry]  # every entry, in page order
    shown: list[Entry]  # those the filter keeps
    chosen: str  # the filter: "" (all) or a key of STATES
    counts: dict[str, int]  # state → number of communes (not files)
    shared: list[Entry]  # city workbooks' shared problems, once per city

    @property
    def units(self) -> int:
        return sum(self.counts.values())

    @property
    def filters(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for the filter links, 'all' first."""
        return [("", "Tất cả", self.units)] + [(k, label, self.counts[k]) for k, label in STATES.items()]

    def summary(self) -> str:
        """'114 đơn vị: 4 đơn vị lỗi, 10 đơn vị có cảnh báo, 100 đơn vị đủ'."""
        parts = [f"{self.counts['loi']} đơn vị lỗi", f"{self.counts['canh-bao']} đơn vị có cảnh báo",
                 f"{self.counts['du']} đơn vị đủ"]  # fmt: skip
        return f"{self.units} đơn vị: " + ", ".join(parts)


def result_view(job: Job, chosen: str = "") -> ResultView:
    """The page's entries for a finished job, filtered by state when `chosen` is one."""
    chosen = chosen if chosen in STATES else ""
    entries = [
        Entry(u.original, u.original, "loi", f"Không nhận tệp: {u.refused}", key=f"tệp:{u.original}")
        for u in job.uploads
        if u.refused
    ]
    shared: list[Entry] = []
    if job.result is not None:
        entries += [_entry(job, c) for c in job.result.checked]
        for city in job.result.cities:
            if city.problems:
                state = "loi" if any(p.is_error for p in city.problems) else "canh-bao"
                name = job.original_name(city.source)
                status = f"Thông tin chung của bảng tính chung (chung cho {city.columns} đơn vị)"
                entry = Entry(name, name, state, status, problems=_problems(job, city.problems))
                listing = problem_list_path(city.source, job.out_dir).name
                if listing in job.downloadable:
                    entry.downloads.append(("Danh sách lỗi, cảnh báo (.txt)", listing))
                shared.append(entry)
    order = list(STATES)
    entries.sort(key=lambda e: (order.index(e.state), _sort_name(e.name), e.name, e.file))
    # a commune counts once, in its worst state (a replaced copy beside its used workbook adds nothing)
    worst: dict[str, str] = {}
    for e in entries:
        worst.setdefault(e.key, e.state)
    counts = {state: sum(s == state for s in worst.values()) for state in STATES}
    shown = [e for e in entries if not chosen or e.state == chosen]
    return ResultView(entries, shown, chosen, counts, [s for s in shared if not chosen or s.state == chosen])


def _problems(job: Job, problems: list[Problem]) -> list[tuple[str, str]]:
    names = job.names
    ordered = sorted(problems, key=lambda p: not p.is_error)  # errors first
    return [("loi" if p.is_error else "canh-bao", problem_line(p, Audience.PAGE, names)) for p in ordered]


def _held_text(job: Job, held: Held) -> str:
    """Why a workbook was held, as the page words it (from the reason's data)."""
    return _capital(held.phrased(Audience.PAGE, job.names))


def _entry(job: Job, c: Checked) -> Entry:
    official = f"{c.commune.unit_type} {c.commune.name}" if c.commune else ""
    typed = f"{c.unit_type} {c.unit_name}".strip() if c.unit_name else ""
    file = vn(c.origin, job.names) if c.origin else job.original_name(c.source)
    problems = [p for p in c.problems if not (c.is_held(Hold.UNREADABLE) and p.is_error)]
    if c.held and c.held.kind is Hold.REPLACED:
        state, status = "canh-bao", _held_text(job, c.held)
    elif c.written:
        state = "canh-bao" if problems else "du"
        status = "Đã lập báo cáo" + (f" ({len(problems)} cảnh báo, hãy xem lại)" if problems else "")
    else:
        state = "loi"
        reason = f"có {len(c.errors)} lỗi, chưa lập được báo cáo. Sửa rồi tải lên lại."
        status = _held_text(job, c.held) if c.held else _capital(reason)
    key = f"xã:{c.commune.code}" if c.commune else (f"tên:{name_key(typed)}" if typed else f"tệp:{file}")
    entry = Entry(official or typed or file, file, state, status, key, _problems(job, problems))
    for path, label in ((c.docx, "Báo cáo (.docx)"), (c.pdf, "Báo cáo (.pdf)")):
        if path is not None and path.name in job.downloadable:
            entry.downloads.append((label, path.name))
    listing = problem_list_path(c.source, job.out_dir).name
    if listing in job.downloadable and c.source.parent == job.folder / "tai-len":
        entry.downloads.append(("Danh sách lỗi, cảnh báo (.txt)", listing))
    return entry


def _sort_name(name: str) -> str:
    """As a person sorts communes: by the name without its type, accents ignored first."""
    for kind in ("Đặc khu ", "Phường ", "Xã "):
        name = name.removeprefix(kind)
    return slugify(name)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
