"""Issue 10, points 1 and 9: a workbook that crashes the reader fails alone (CLI, serial and parallel,
and the web page), each workbook has a memory and a time limit, the server never dies with a job, the
jobs' disk is capped, a job has a time limit, and no LibreOffice outlives its job or the server."""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
import pytest

from baocao.batch.city import save_city_workbook
from baocao.batch.run import BatchOptions, run_batch
from baocao.communes import communes_of
from baocao.form import find_form
from baocao.isolate import CRASH, ERROR, MEMORY, TIMEOUT, Failure, IsolatedPool, WorkerLimits
from baocao.web.app import create_app
from baocao.web.jobs import Limits
from baocao.web.run import disk_usage
from baocao.write import atomic_path
from tests.conftest import ROOT, all_text, make_workbook, run_cli, start_server
from tests.test_web import SAMPLE, Site, fetch

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
UNREADABLE = "tệp không đọc được: tệp bị hỏng hoặc có ô nằm quá xa ngoài biểu mẫu (chương trình đọc tệp dừng đột ngột"
ADVICE = "Mở tệp bằng Excel, xoá các hàng, cột thừa ở cuối trang tính"


# --- workbooks that really crash the reader --------------------------------------------------------


def sheet_part(z: zipfile.ZipFile, sheet: str) -> str:
    """The zip member of a sheet, by its name (workbook.xml and its relationships)."""
    from lxml import etree

    book = etree.fromstring(z.read("xl/workbook.xml"))
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    rel = next(s.get(f"{{{s.nsmap['r']}}}id") for s in book.iter(f"{MAIN_NS}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rel)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def rewrite(source: Path, target: Path, parts: dict[str, bytes | None], extra: dict[str, str] | None = None) -> Path:
    """A copy of a workbook with some parts changed (a callable edit of the old bytes) and some added."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            edit = parts.get(info.filename)
            zout.writestr(info, edit(data) if edit else data)
        for name, text in (extra or {}).items():
            zout.writestr(name, text)
    return target


def far_cell_workbook(source: Path, target: Path) -> Path:
    """The issue's case: a clerk pressed Ctrl+End on "Biểu mẫu 1" and typed a letter at XFD1048576."""
    with zipfile.ZipFile(source) as z:
        part = sheet_part(z, "Biểu mẫu 1")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return rewrite(source, target, {part: lambda data: data.replace(b"</sheetData>", far)})


def string_table_bomb(source: Path, target: Path) -> Path:
    """A shared-string table that claims four billion strings (the reader reserves room for them)."""
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS[1:-1]}" count="4000000000" '
        'uniqueCount="4000000000"><si><t>a</t></si></sst>'
    )
    return rewrite(source, target, {}, {"xl/sharedStrings.xml": sst})


def aborts_the_reader(path: Path) -> subprocess.CompletedProcess:
    """Open and read every sheet with the reader (calamine) itself, in a child process."""
    code = (  # calamine itself, without the guards of baocao.intake.xlsx that now refuse these files first
        "import sys; import python_calamine\n"
        "wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
        "for s in wb.sheet_names: wb.get_sheet_by_name(s).to_python()\n"
    )
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    return subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True, env=env)


def reaches_the_reader(path: Path) -> bool:
    """Whether the product hands this file to the reader at all (a guard before it may refuse it)."""
    code = (
        "import sys; from pathlib import Path; from baocao.pipeline import GenerateOptions, prepare\n"
        "try:\n    prepare(Path(sys.argv[1]), GenerateOptions(), with_context=False)\n"
        "except Exception:\n    pass\n"
    )
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    return (
        subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, env=env).returncode < 0
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("demo")
    result = run_cli("demo-data", "--communes", "3", "-o", folder)
    assert result.returncode == 0, result.stderr
    return sorted(folder.glob("*.xlsx"))


@pytest.fixture(scope="module")
def crashing(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Made from a workbook of no real commune: a crashing copy of a demo commune's workbook would be
    a second copy of that commune (of two copies, the one saved last counts: tests/test_identity.py)."""
    folder = tmp_path_factory.mktemp("crashing")
    base = make_workbook(tmp_path_factory.mktemp("base") / "thu_nghiem.xlsx")
    return {
        "o_xa.xlsx": far_cell_workbook(base, folder / "o_xa.xlsx"),
        "bang_chuoi.xlsx": string_table_bomb(base, folder / "bang_chuoi.xlsx"),
    }


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_crashing_workbooks_really_abort_the_reader(crashing: dict[str, Path]) -> None:
    for path in crashing.values():
        result = aborts_the_reader(path)
        assert result.returncode == -signal.SIGABRT, (path.name, result.returncode, result.stderr[-500:])
        assert "memory allocation of" in result.stderr and "failed" in result.stderr


# --- the CLI: a crash fails its workbook alone ----------------------------------------------------------


def batch_folder(demo: list[Path], crashing: dict[str, Path], folder: Path) -> Path:
    folder.mkdir()
    for path in [*demo, *crashing.values()]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def assert_failed_alone(result: subprocess.CompletedProcess, out: Path, demo: list[Path], crashing: dict) -> None:
    """The good workbooks get their reports, each bad one is listed with its Vietnamese message, exit 1."""
    shown = result.stdout + result.stderr
    assert result.returncode == 1, shown[-3000:]
    for word in ("Traceback", "BrokenProcessPool", "memory allocation", "rust", "panicked"):
        assert word not in shown
    reports = sorted(out.glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == len(demo)
    for report in reports:
        assert "DỮ LIỆU MẪU" in all_text(docx.Document(str(report))) or "BÁO CÁO" in all_text(
            docx.Document(str(report))
        )
    assert f"{len(demo)}/{len(demo) + len(crashing)} báo cáo; {len(crashing)} đơn vị lỗi" in result.stdout
    for name, path in crashing.items():
        line = next(x for x in result.stderr.splitlines() if x.startswith(f"  ✗ {name}: "))
        listing = (out / f"{Path(name).stem.replace('_', '-')}.kiem-tra.txt").read_text(encoding="utf-8")
        if reaches_the_reader(path):  # no guard before the reader refused it: the isolation caught the crash
            assert f"✗ {name}: {UNREADABLE}, SIGABRT). {ADVICE}" in line, line
            assert "(python generate.py new-input)" in line
            assert f"[LỖI] {UNREADABLE}, SIGABRT)" in listing
        else:  # refused before the reader, in Vietnamese
            assert re.search(r"[ạảãáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự]", line), line
            assert "[LỖI]" in listing


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_crashing_workbook_fails_alone_in_a_batch(
    demo: list[Path], crashing: dict[str, Path], tmp_path: Path, workers: str
) -> None:
    folder = batch_folder(demo, crashing, tmp_path / "nhan")
    before = digests(folder)
    out = tmp_path / "ket_qua"
    result = run_cli(folder, "-o", out, "--workers", workers, "--province", "Hải Phòng")
    assert_failed_alone(result, out, demo, crashing)
    assert digests(folder) == before
    assert list(out.glob("tong_hop*.xlsx")) and list(out.glob("tong-hop_*.docx"))


def test_serial_and_parallel_write_the_same_reports_around_a_crash(
    demo: list[Path], crashing: dict[str, Path], tmp_path: Path
) -> None:
    folder = batch_folder(demo, crashing, tmp_path / "nhan")
    runs = {}
    for workers in ("1", "3"):
        out = tmp_path / f"ket_qua_{workers}"
        done = run_cli(folder, "-o", out, "--workers", workers)
        assert done.returncode == 1
        documents = {}
        for path in out.glob("*.docx"):  # the roll-up's zip has its own time stamps: compare its text
            with zipfile.ZipFile(path) as z:
                documents[path.name] = (
                    path.read_bytes() if "_bao-cao-cchc_" in path.name else z.read("word/document.xml")
                )
        runs[workers] = (done.stdout.replace(str(out), "OUT"), done.stderr.replace(str(out), "OUT"), documents)
    assert len(runs["1"][2]) == len(demo) + 1  # the reports and the roll-up
    assert runs["1"] == runs["3"]


def test_one_crashing_workbook_alone_gets_its_message(crashing: dict[str, Path], tmp_path: Path) -> None:
    result = run_cli(crashing["bang_chuoi.xlsx"], "-o", tmp_path)
    assert result.returncode == 1
    assert "0/1 báo cáo; 1 đơn vị lỗi" in result.stdout
    assert "Traceback" not in result.stderr and "memory allocation" not in result.stderr


# --- the time and memory limits of one workbook ---------------------------------------------------------


def test_a_workbook_that_overruns_its_time_is_killed_and_the_others_go_on(demo: list[Path], tmp_path: Path) -> None:
    """A city workbook of 168 communes takes far longer to split (about 12 s on a quiet machine) than a
    commune workbook to check (well under a second, even on a loaded one)."""
    city = save_city_workbook(find_form(), communes_of("Hồ Chí Minh"), tmp_path / "thanh_pho.xlsx")
    result = run_batch([city, *demo], tmp_path / "out", BatchOptions(workers=2, item_seconds=4))
    by_name = {c.source.name: c for c in result.checked}
    assert by_name["thanh_pho.xlsx"].held.line == (
        "thanh_pho.xlsx: tệp không đọc được: đọc và kiểm tra tệp quá 4 giây (tệp bị hỏng hoặc quá lớn so với một "
        f"bảng tính báo cáo). {ADVICE} (Ctrl+End cho biết ô cuối cùng) rồi lưu lại, hoặc lấy lại bảng tính trống "
        "(python generate.py new-input) và nhập lại số liệu."
    )
    assert [c.written for c in result.checked if c.source != city] == [True] * len(demo)
    assert result.summary().startswith(f"{len(demo)}/{len(demo) + 1} báo cáo; 1 đơn vị lỗi")
    assert children_left() == []


def children_left() -> list[str]:
    """Processes started by this one still running, but multiprocessing's own helpers (forkserver,
    resource tracker): the worker processes must have been stopped or killed."""
    me = str(os.getpid())
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        command = cmdline(int(stat.parent.name))
        if fields[1] == me and fields[0] != "Z" and "from multiprocessing." not in command:
            left.append(command)
    return left


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def misbehave(item: str) -> str:
    """A worker's task that really crashes, overruns, raises or runs out of memory, by name."""
    if item == "segfault":
        ctypes.string_at(0)
    elif item == "abort":
        os.abort()
    elif item == "slow":
        time.sleep(60)
    elif item == "raise":
        raise ValueError("hỏng")
    elif item == "memory":
        bytearray(512 * 1048576)
    elif item == "exit":
        os._exit(3)
    return item.upper()


@pytest.mark.parametrize(("workers", "start"), [(1, "fork"), (2, "fork"), (3, "fork"), (2, "forkserver")])
def test_each_failure_is_given_to_its_own_item(workers: int, start: str) -> None:
    """forkserver: what a process with threads (a server) gets, as fork is unsafe there."""
    items = ["a", "segfault", "b", "abort", "slow", "c", "raise", "memory", "d", "exit", "e"]
    context = multiprocessing.get_context(start)
    seconds = 3 if start == "fork" else 30  # a forkserver's worker first imports this module
    with IsolatedPool(workers, WorkerLimits(memory_bytes=64 * 1048576, seconds=seconds), context) as pool:
        results = list(pool.map(misbehave, items))
        again = list(pool.map(misbehave, ["f", "g"]))  # the pool goes on after all that
    assert results == [
        "A",
        Failure(CRASH, "SIGSEGV"),
        "B",
        Failure(CRASH, "SIGABRT"),
        Failure(TIMEOUT, f"{seconds} s"),
        "C",
        Failure(ERROR, "ValueError: hỏng"),
        Failure(MEMORY, ""),
        "D",
        Failure(CRASH, "exit 3"),
        "E",
    ]
    assert again == ["F", "G"]
    assert children_left() == []


def write_slowly(target: str) -> str:
    """A worker's task that is stopped while it writes a file through a temporary one."""
    if target.endswith("nhanh.docx"):
        return "xong"
    with atomic_path(Path(target)) as tmp:
        tmp.write_bytes(b"dang ghi")
        time.sleep(60)
    return "không tới đây"


def test_a_worker_stopped_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Over its time, or at Ctrl+C (the pool closed while an item runs), a worker is asked to stop
    (SIGTERM) before it is killed: the file it was writing unwinds, its '.tmp' removed."""
    slow = str(tmp_path / "cham.docx")
    with IsolatedPool(1, WorkerLimits(seconds=2)) as pool:
        assert list(pool.map(write_slowly, [slow])) == [Failure(TIMEOUT, "2 s")]
    assert list(tmp_path.iterdir()) == []
    pool = IsolatedPool(2)
    results = pool.map(write_slowly, [str(tmp_path / "nhanh.docx"), slow])
    assert next(results) == "xong"  # the other worker is still writing
    assert wait_for(lambda: list(tmp_path.glob(".*.tmp")), 30)
    pool.close()
    assert list(tmp_path.iterdir()) == []
    assert children_left() == []


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_the_memory_limit_leaves_the_caller_alone(start: str) -> None:
    """forkserver: what the pool picks when this process has threads (as in a long pytest run);
    its worker imports this module for the first task, which the item's budget must not pay for."""
    before = Path("/proc/self/status").read_text()
    context = multiprocessing.get_context(start)
    with IsolatedPool(1, WorkerLimits(memory_bytes=32 * 1048576), context) as pool:
        assert list(pool.map(misbehave, ["memory", "a"])) == [Failure(MEMORY, ""), "A"]
    bytearray(256 * 1048576)  # the limit was the worker's, not ours
    assert "VmSize" in before


# --- the web page ----------------------------------------------------------------------------------------


@contextmanager
def serve(limits: Limits, tmp: Path) -> Iterator[Site]:
    tmp.mkdir(parents=True, exist_ok=True)
    app = create_app(limits, work_root=tmp)
    with start_server(app) as url:
        yield Site(url, app.extensions["baocao_jobs"])
    app.extensions["baocao_jobs"].close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with serve(Limits(keep_seconds=600), tmp_path) as running:
        yield running


def test_the_server_keeps_answering_after_a_crashing_upload(site: Site, crashing: dict[str, Path]) -> None:
    other_id, other = site.run([("cua_nguoi_khac.xlsx", SAMPLE.read_bytes())])
    other_links = site.links(other)
    job_id, page = site.run(
        [(name, path.read_bytes()) for name, path in crashing.items()] + [("tot.xlsx", SAMPLE.read_bytes())]
    )
    assert page.status == 200
    text = page.page_text
    assert "1/3 báo cáo; 2 đơn vị lỗi" in text
    for name, path in crashing.items():
        assert name in text
        if reaches_the_reader(path):
            assert "Tệp không đọc được: tệp bị hỏng hoặc có ô nằm quá xa ngoài biểu mẫu" in text
            assert "(nút “Tải bảng tính trống” trên trang chính)" in text
    assert "memory allocation" not in page.text and "Traceback" not in page.text
    site.alive()
    for url in other_links.values():  # the other user's job is intact
        assert fetch(url).status == 200
    assert fetch(f"{site.url}/ket-qua/{other_id}").status == 200
    again_id, again = site.run([("lan_sau.xlsx", SAMPLE.read_bytes())])  # and the next upload works
    assert "1/1 báo cáo" in again.page_text
    folders = [site.store.root / j for j in (other_id, job_id, again_id)]
    assert all(f.is_dir() for f in folders)
    assert site.store.sweep(now=time.monotonic() + 1) == []
    assert sorted(site.store.sweep(now=time.monotonic() + 601)) == sorted([other_id, job_id, again_id])  # on time
    assert not any(f.exists() for f in folders)
    assert children_left() == []


def test_a_job_whose_process_dies_fails_alone(site: Site) -> None:
    """Whatever kills a job's process (here: us, as the kernel's OOM killer would), the page says so."""
    reply = site.upload([(f"x{i}.xlsx", SAMPLE.read_bytes()) for i in range(6)])
    for _ in range(600):
        if site.store.running:
            break
        time.sleep(0.05)
    (process,) = site.store.running
    os.kill(process.pid, signal.SIGKILL)
    _, page = site.finished(reply)
    assert "Có lỗi không mong đợi khi lập báo cáo" in page.page_text
    site.alive()
    assert "1/1 báo cáo" in site.run([("a.xlsx", SAMPLE.read_bytes())])[1].page_text


def job_footprint(tmp: Path) -> tuple[int, int]:
    """(bytes on disk of one finished job of the sample, bytes of its upload request)."""
    from tests.test_web import multipart

    with serve(Limits(), tmp) as site:
        job_id, _ = site.run([("a.xlsx", SAMPLE.read_bytes())])
        return disk_usage(site.store.root / job_id), len(multipart([("a.xlsx", SAMPLE.read_bytes())])[0])


def test_the_disk_of_all_jobs_is_capped(tmp_path: Path) -> None:
    footprint, body = job_footprint(tmp_path / "thu")
    need = body * Limits().disk_per_upload_byte  # give or take a few bytes: the multipart boundary varies
    with serve(Limits(max_disk_bytes=2 * footprint + need - 100), tmp_path / "web") as site:
        first, _ = site.run([("a.xlsx", SAMPLE.read_bytes())])
        second, _ = site.run([("a.xlsx", SAMPLE.read_bytes())])
        third, page = site.run([("a.xlsx", SAMPLE.read_bytes())])  # no room for three: the oldest goes
        assert fetch(f"{site.url}/ket-qua/{third}").status == 200
        assert "1/1 báo cáo" in page.page_text
        assert fetch(f"{site.url}/ket-qua/{first}").status == 404
        assert fetch(f"{site.url}/ket-qua/{second}").status == 200
        assert disk_usage(site.store.root) <= 2 * footprint + need
    with serve(Limits(max_disk_bytes=need - 100), tmp_path / "day") as site:
        reply = site.upload([("a.xlsx", SAMPLE.read_bytes())])
        assert reply.status == 503
        assert reply.headers["Retry-After"] == "120"
        assert "Máy chủ đang bận, vui lòng thử lại sau" in reply.page_text
        assert site.store.jobs == {}
        site.alive()


# --- time limits and LibreOffice --------------------------------------------------------------------------


def processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command name) of every process (from /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            found[int(stat.parent.name)] = (int(fields[1]), name)
    return found


def offices_under(root: int) -> set[int]:
    """LibreOffice processes (soffice.bin, oosplash) descending from process `root`."""
    table = processes()
    found = set()
    for pid, (_parent, name) in table.items():
        if name not in ("soffice.bin", "oosplash"):
            continue
        up = pid
        while up > 1 and up in table:
            up = table[up][0]
            if up == root:
                found.add(pid)
                break
    return found


def wait_for(condition: Callable[[], Any], seconds: float = 180.0) -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(0.1)
    return condition()


def gone(pids: set[int], seconds: float = 15.0) -> bool:
    return bool(wait_for(lambda: not (pids & set(processes())), seconds))


def long_workbook(path: Path, unit: Any = None) -> Path:
    """A workbook whose every note and narrative section is long: LibreOffice takes seconds over it
    (about 6 s on a quiet machine)."""
    form = find_form()
    line = "Tiếp tục triển khai các nhiệm vụ cải cách hành chính theo kế hoạch đã ban hành. "
    text = {n.key: "\n".join(line * 3 for _ in range(120)) for n in form.narrative}
    remarks = {r.id: line * 60 for t in form.tables for r in t.rows if r.is_input}
    info = {"unit_type": unit.unit_type, "unit_name": unit.name} if unit else None  # a Commune
    return make_workbook(path, info=info, text=text, remarks=remarks)


def test_a_job_over_its_time_is_stopped_with_its_libreoffice(tmp_path: Path) -> None:
    """Eight long reports: their PDFs take well over the job's 15 s even on a fast, quiet machine, and
    LibreOffice starts well within them even on a loaded one."""
    limits = Limits(job_seconds=15, job_seconds_per_workbook=0, job_seconds_per_pdf=0, job_seconds_per_mb=1000)
    units = communes_of("Hải Phòng")[:8]
    uploads = [
        (f"dai_{i}.xlsx", long_workbook(tmp_path / f"dai_{i}.xlsx", u).read_bytes()) for i, u in enumerate(units)
    ]
    with serve(limits, tmp_path / "web") as site:
        reply = site.upload(uploads, pdf="1")
        offices = wait_for(lambda: offices_under(os.getpid()))
        assert offices, "LibreOffice never started"
        _, page = site.finished(reply)
        assert "Quá thời gian cho phép (15 giây) nên đã dừng lập báo cáo" in page.page_text
        assert "hoặc bỏ chọn “Kèm bản PDF”" in page.page_text
        assert gone(offices)
        site.alive()
        assert "1/1 báo cáo" in site.run([("a.xlsx", SAMPLE.read_bytes())])[1].page_text


def test_the_time_limit_grows_with_the_workbooks() -> None:
    limits = Limits()
    assert limits.job_time(1, False) == 63
    assert limits.job_time(114, False) == 60 + 3 * 114
    assert limits.job_time(114, True) == 60 + 13 * 114
    assert limits.job_time(200, True) == 1800  # at most max_job_seconds
    assert limits.job_time(1, False, megabytes=0.05) == 93


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_no_libreoffice_outlives_the_server(tmp_path: Path, demo: list[Path], stop: int) -> None:
    from tests.test_web import multipart

    server = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0", "--no-browser"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
        body, kind = multipart([(p.name, p.read_bytes()) for p in demo], pdf="1")
        assert fetch(f"{url}/tai-len", body, {"Content-Type": kind}).status == 303
        offices = wait_for(lambda: offices_under(server.pid))
        assert offices, "LibreOffice never started"
        server.send_signal(stop)
        server.wait(timeout=30)
        assert gone(offices), (stop, offices & set(processes()))
        assert gone({pid for pid, (parent, _) in processes().items() if parent == server.pid})
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    if stop != signal.SIGKILL:
        assert not [p for p in tmp_path.iterdir() if p.name.startswith("baocao-web-")]


def test_an_item_that_cannot_be_sent_fails_alone() -> None:
    with IsolatedPool(1) as pool:
        results = list(pool.map(misbehave, ["a", lambda: "b", "c"]))  # a lambda cannot be pickled
    assert results[0] == "A" and results[2] == "C"
    assert isinstance(results[1], Failure) and results[1].kind == ERROR
