"""A WorkbookError is data (a code and its parameters) worded by one catalogue, baocao.messages_workbook.

Every code raised in the package has its sentence there and every sentence is raised somewhere; each
code is raised here through the real entry points (the guard, the reader, the city split, the isolated
worker's failure) on a hostile file, with the parameters its raising site gives, and its sentence is
the same however it is asked for: str(), .message, after a trip through pickle (a worker hands it
back), and on the web page, where it is the CLI's sentence with the page's advice.
"""

from __future__ import annotations

import ast
import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao import layout
from baocao.batch import citybatch
from baocao.batch.city import save_city_workbook, split_city_workbook
from baocao.communes import communes_of
from baocao.errors import BaocaoError, WorkbookError, about
from baocao.form import find_form
from baocao.intake.guard import open_workbook
from baocao.intake.xlsx import XlsxWorkbook
from baocao.isolate import CRASH, ERROR, MEMORY, TIMEOUT, Failure, WorkerLimits, read_failure
from baocao.messages import ADVICE, Audience
from baocao.messages_workbook import WORKBOOK_ERRORS
from baocao.read import read_workbook
from tests.conftest import DATA, ROOT, make_workbook

GUARDS = DATA / "guards"


def _raising_sites() -> dict[str, set[frozenset[str]]]:
    """code → the parameter names given where it is raised, read from the package's source."""
    sites: dict[str, set[frozenset[str]]] = {}
    for file in sorted((ROOT / "baocao").rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _names(n.func) == "WorkbookError"]
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            if any(_names(b) == "WorkbookError" for b in cls.bases):  # super().__init__(path, code, …)
                calls += [n for n in ast.walk(cls) if isinstance(n, ast.Call) and _names(n.func) == "__init__"]
        for call in calls:
            code = call.args[1]
            options = (code.body, code.orelse) if isinstance(code, ast.IfExp) else (code,)
            assert all(isinstance(o, ast.Constant) for o in options), f"{file}:{call.lineno}: a code is a literal"
            for option in options:
                sites.setdefault(option.value, set()).add(frozenset(k.arg for k in call.keywords))
    return sites


def _names(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


SITES = _raising_sites()


def _package(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _raised(fn: Callable[..., object], *args: object) -> WorkbookError:
    try:
        fn(*args)
    except WorkbookError as e:
        return e
    raise AssertionError(f"{fn.__name__}{args} raised nothing")


def _read(path: Path) -> WorkbookError:
    return _raised(read_workbook, path)


def _sample(tmp: Path, name: str = "mau.xlsx") -> Path:
    return make_workbook(tmp / name)


def _marked(tmp: Path, **marks: str) -> Path:
    """The sample workbook with its hidden mark changed (form_id, form_level…)."""
    path = _sample(tmp)
    wb = openpyxl.load_workbook(path)
    for row in wb[layout.MARK_SHEET].iter_rows():
        if row[0].value in marks:
            row[1].value = marks[row[0].value]
    wb.save(path)
    return path


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → its part in the package."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    sheets = re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book)
    return {name: "xl/" + targets[rid].lstrip("/").removeprefix("xl/") for name, rid in sheets}


def _with_broken_sheet(path: Path, sheet: str) -> Path:
    """The workbook with one sheet's XML cut short (lxml refuses it)."""
    part = _sheet_parts(path)[sheet]
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    members[part] = members[part][:200]
    return _package(path, members)


def _city(tmp: Path, communes: int = 2) -> Path:
    return save_city_workbook(find_form(), communes_of("Lai Châu")[:communes], tmp / "thanh_pho.xlsx")


def _city_edited(tmp: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    path = _city(tmp)
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _city_form(wb: openpyxl.Workbook) -> None:
    for row in wb[layout.MARK_SHEET].iter_rows():
        if row[0].value == "form_id":
            row[1].value = "ha_noi_2024"


def _zip_bomb(tmp: Path) -> Path:
    """A small zip whose central directory claims a member of 4 GB."""
    path = _package(tmp / "bom.xlsx", {"xl/workbook.xml": b"<workbook/>"})
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (0xFFFF0000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def _unreadable_as_root(tmp: Path) -> WorkbookError:
    """Root reads every file: the guard runs in a process without the capabilities that bypass permissions."""
    path = _sample(tmp, "bi_mat.xlsx")
    path.chmod(0o000)
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    script = (
        "import json, sys; from pathlib import Path; from baocao.intake.guard import open_workbook\n"
        "from baocao.errors import WorkbookError\n"
        "try: open_workbook(Path(sys.argv[1]))\n"
        "except WorkbookError as e: print(json.dumps([e.code, e.params]))\n"
    )
    done = subprocess.run([*drop, sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True)
    path.chmod(0o644)
    code, params = json.loads(done.stdout)
    return WorkbookError(path, code, **params)


def _not_utf8(tmp: Path) -> Path:
    path = tmp / os.fsdecode(b"b\xe1o c\xe1o.xlsx")  # Latin-1 bytes: not UTF-8
    shutil.copyfile(_sample(tmp), path)
    return path


def _not_split(tmp: Path) -> WorkbookError:
    """A city workbook the split fails on unexpectedly (a bug, simulated): its one error, no traceback."""

    def bug(_path: Path, _work: Path) -> None:
        raise RuntimeError("bug")

    city = _city(tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(citybatch, "split_city_workbook", bug)
        ((path, _shown, why),) = citybatch.expand(city, str(tmp)).failed
    assert isinstance(why, WorkbookError)  # the error itself, worded for each audience where it is shown
    assert (why.path, why.code, why.params) == (path, "city-not-split", {"error": "RuntimeError"})
    return why


MAKERS: dict[str, Callable[[Path], WorkbookError]] = {
    "lock-file": lambda t: _raised(open_workbook, t / "~$bao_cao.xlsx"),
    "xls": lambda t: _raised(open_workbook, _copy(DATA / "bad_format_old.xls", t)),
    "xlsm": lambda t: _raised(
        open_workbook, _package(t / "a.xlsx", {"xl/workbook.xml": b"", "xl/vbaProject.bin": b""})
    ),
    "ods": lambda t: _raised(open_workbook, _copy(DATA / "bad_format_opendocument.ods", t)),
    "not-xlsx": lambda t: _raised(open_workbook, _copy(DATA / "bad_file_empty.xlsx", t / "bao_cao")),
    "file-not-found": lambda t: _raised(open_workbook, t / "khong_co.xlsx"),
    "not-a-file": lambda t: _raised(open_workbook, (t / "thu_muc.xlsx").mkdir() or t / "thu_muc.xlsx"),
    "empty-file": lambda t: _raised(open_workbook, _copy(DATA / "bad_file_empty.xlsx", t)),
    "file-too-big": lambda t: _raised(open_workbook, _sparse(t / "lon.xlsx", layout.MAX_FILE_BYTES + 1)),
    "password": lambda t: _raised(open_workbook, _copy(DATA / "bad_file_password.xlsx", t)),
    "xls-renamed": lambda t: _raised(open_workbook, _copy(DATA / "bad_format_xls_renamed.xlsx", t)),
    "not-a-package": lambda t: _raised(open_workbook, _copy(DATA / "bad_format_csv_renamed.xlsx", t)),
    "bad-zip": lambda t: _raised(open_workbook, _copy(DATA / "bad_file_truncated.xlsx", t)),
    "zip-bomb": lambda t: _raised(open_workbook, _zip_bomb(t)),
    "ods-renamed": lambda t: _raised(open_workbook, _copy(DATA / "bad_format_ods_renamed.xlsx", t)),
    "docx-renamed": lambda t: _raised(open_workbook, _copy(DATA / "bad_format_docx_renamed.xlsx", t)),
    "zip-renamed": lambda t: _raised(open_workbook, _package(t / "a.xlsx", {"a.txt": b"x"})),
    "no-permission": _unreadable_as_root,
    "os-error": lambda t: _raised(open_workbook, t / ("x" * 300 + ".xlsx")),
    "name-not-utf8": lambda t: _raised(open_workbook, _not_utf8(t)),
    "damaged-package": lambda t: _raised(open_workbook, _package(t / "a.xlsx", {"xl/workbook.xml": b"<x"})),
    "string-table-too-big": lambda t: _raised(
        open_workbook,
        _package(t / "a.xlsx", {"xl/workbook.xml": b"", "xl/sharedStrings.xml": b'<sst uniqueCount="4294967295">'}),
    ),
    "sheet-damaged": lambda t: _read(_with_broken_sheet(_sample(t), "Biểu mẫu 1")),
    "far-cell": lambda t: _raised(
        XlsxWorkbook(GUARDS / "bad_far_cell_xfd1048576.xlsx").rows, "Biểu mẫu 1", 10, layout.NOTE_COL
    ),
    "form-unrecognized": lambda t: _read(GUARDS / "bad_mark_sheet_deleted_no_tables.xlsx"),
    "form-not-installed": lambda t: _read(DATA / "bad_other_form.xlsx"),
    "form-error": lambda t: _read(_marked(t, form_level="khong_co")),
    "city-form-not-installed": lambda t: _raised(split_city_workbook, _city_edited(t, _city_form), t),
    "city-sheets-missing": lambda t: _raised(
        split_city_workbook, _city_edited(t, lambda wb: wb.remove(wb["Biểu mẫu 2"])), t
    ),
    "city-damaged": lambda t: _raised(split_city_workbook, _with_broken_sheet(_city(t), "Biểu mẫu 1"), t),
    "city-not-split": _not_split,
    "city-no-units": lambda t: _raised(split_city_workbook, _city(t, communes=0), t),
    "worker-memory": lambda t: read_failure(t / "a.xlsx", Failure(MEMORY, "MemoryError"), WorkerLimits()),
    "worker-timeout": lambda t: read_failure(t / "a.xlsx", Failure(TIMEOUT, "300 s"), WorkerLimits()),
    "worker-crash": lambda t: read_failure(t / "a.xlsx", Failure(CRASH, "SIGSEGV"), WorkerLimits()),
    "worker-error": lambda t: read_failure(t / "a.xlsx", Failure(ERROR, "KeyError: 'x'"), WorkerLimits()),
    "other-error": lambda t: about(BaocaoError("Không có biểu mẫu “x”."), t / "a.xlsx"),
}


def _copy(source: Path, target: Path) -> Path:
    return Path(shutil.copy(source, target))


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


def cli_advice_for_the_page(sentence: str) -> str:
    """The CLI's sentence with each of its advice words replaced by the page's."""
    for key in ("new_input", "new_input_q", "rerun_xlsx", "rerun"):  # "rồi chạy lại với …" before "rồi chạy lại"
        sentence = sentence.replace(ADVICE[Audience.CLI][key], ADVICE[Audience.PAGE][key])
    return sentence


def same_everywhere(e: WorkbookError) -> None:
    """One sentence, however it is asked for."""
    assert e.code in WORKBOOK_ERRORS
    assert str(e) == f"{e.path.name}: {e.message}" == e.args[0]
    assert e.message == e.phrased(Audience.CLI)
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), back.code, back.params, str(back), back.args) == (type(e), e.code, e.params, str(e), e.args)
    assert e.phrased(Audience.PAGE) == cli_advice_for_the_page(e.message)
    assert "python generate.py new-input)" not in e.phrased(Audience.PAGE)


def test_every_code_raised_has_a_sentence_and_every_sentence_is_raised() -> None:
    assert set(SITES) == set(WORKBOOK_ERRORS)
    assert set(MAKERS) == set(WORKBOOK_ERRORS)


@pytest.mark.parametrize("code", sorted(MAKERS))
def test_each_code_through_its_entry_point(code: str, tmp_path: Path) -> None:
    error = MAKERS[code](tmp_path)
    assert error.code == code, str(error)
    assert frozenset(error.params) in SITES[code], "the parameters its raising site gives"
    same_everywhere(error)


def test_a_code_the_catalogue_lacks_or_a_missing_parameter_fails_where_raised() -> None:
    with pytest.raises(KeyError):
        WorkbookError("a.xlsx", "khong-co")
    with pytest.raises(KeyError):
        WorkbookError("a.xlsx", "sheet-damaged", sheet="Biểu mẫu 1")


FAILURES = st.builds(Failure, st.sampled_from([CRASH, TIMEOUT, MEMORY, ERROR]), st.text(max_size=40))
LIMITS = st.builds(WorkerLimits, st.integers(1, 64 << 30), st.floats(0.01, 1e6, allow_nan=False, allow_infinity=False))


# any name a file can have, surrogates too (a name that is not UTF-8 on disk reads back with them)
ANY_NAME = st.text(st.characters(exclude_categories=(), exclude_characters="/\0"), min_size=1, max_size=20)


@given(failure=FAILURES, limits=LIMITS, name=ANY_NAME)
def test_any_worker_failure_is_worded_the_same_everywhere(failure: Failure, limits: WorkerLimits, name: str) -> None:
    error = read_failure(Path(name + ".xlsx"), failure, limits)
    same_everywhere(error)
    assert error.code == f"worker-{failure.kind}"


MEMBERS = st.dictionaries(
    st.sampled_from(["xl/workbook.xml", "xl/vbaProject.bin", "word/document.xml", "mimetype", "xl/sharedStrings.xml"]),
    st.one_of(
        st.binary(max_size=40),
        st.sampled_from([b"application/vnd.oasis.opendocument.spreadsheet", b'<sst count="99999999999">']),
    ),
    max_size=4,
)
HEADS = st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"<html>", "EncryptionInfo".encode("utf-16-le")])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    head=HEADS,
    members=MEMBERS,
    zipped=st.booleans(),
    suffix=st.sampled_from([".xlsx", ".XLSX", ".xls", ".xlsm", ".ods", ".csv", ""]),
    lock=st.booleans(),
)
def test_any_hostile_file_is_refused_with_a_catalogued_code(
    tmp_path: Path, head: bytes, members: dict[str, bytes], zipped: bool, suffix: str, lock: bool
) -> None:
    """Any package (or bytes) under any name: opened, or refused by a code of the catalogue, worded alike."""
    path = tmp_path / f"{'~$' if lock else ''}bang tinh{suffix}"
    if zipped:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for name, data in members.items():
                z.writestr(name, data)
        path.write_bytes(buffer.getvalue())
    else:
        path.write_bytes(head + b"".join(members.values()))
    try:
        open_workbook(path).close()
    except WorkbookError as e:
        assert frozenset(e.params) in SITES[e.code]
        same_everywhere(e)
