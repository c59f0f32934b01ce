"""Uploads of the web page: one job per upload, in its own temporary folder, run in the background
with the same library call as the CLI (run_batch), and deleted after download or a timeout.

Nothing the browser sends becomes a path: uploaded files are stored under an ASCII name made
here, and a download is looked up by name in the job's own list of files it wrote.
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, Any

from baocao import layout
from baocao.batch.rollup_info import RollupInfo
from baocao.batch.run import BatchOptions, BatchResult
from baocao.errors import CodedError, WorkbookError
from baocao.intake.guard import check_content, check_name
from baocao.messages import Audience
from baocao.stages import Stage
from baocao.web.run import Outcome, copy_limited, disk_usage, kill_job, run_in_process
from baocao.write import slugify

log = logging.getLogger(__name__)

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one upload may hold, and how long its files are kept."""

    max_files: int = 200
    max_file_bytes: int = layout.MAX_FILE_BYTES
    max_request_bytes: int = 100 * 1024 * 1024
    keep_seconds: int = 60 * 60  # a job nobody downloads from is deleted after this
    after_download_seconds: int = 5 * 60  # after the main download, time left for the other files
    parallel_jobs: int = 2  # batches run at the same time; later uploads wait their turn
    job_workers: int = 1  # worker processes of one job (each job runs in its own process too)
    max_disk_bytes: int = 2 * 1024**3  # every job's files together; the oldest finished jobs go first
    disk_per_upload_byte: int = 4  # room kept for an upload: its size × this (the upload, reports, zip)
    job_seconds: float = 60.0  # a job's time limit: this, plus per MB uploaded (until its workbooks are
    job_seconds_per_mb: float = 600.0  # counted, a city's columns too), then this again plus per workbook
    job_seconds_per_workbook: float = 3.0
    job_seconds_per_pdf: float = 10.0  # (and per PDF); never more than max_job_seconds in all
    max_job_seconds: float = 1800.0

    def job_time(self, workbooks: int, pdf: bool, megabytes: float = 0.0) -> float:
        """Seconds a job of this many workbooks (and megabytes not yet split into workbooks) may run."""
        each = self.job_seconds_per_workbook + (self.job_seconds_per_pdf if pdf else 0.0)
        seconds = self.job_seconds + each * workbooks + self.job_seconds_per_mb * megabytes
        return min(self.max_job_seconds, seconds)


@dataclass
class Upload:
    """One file as the browser sent it: its name (shown, never used as a path) and where we stored it."""

    original: str
    stored: Path | None = None
    refused: str = ""  # why the file was not accepted


@dataclass
class Job:
    id: str
    folder: Path
    uploads: list[Upload]
    pdf: bool
    roll_up: RollupInfo | None = None  # the consolidated report's số, date, signer, nơi nhận
    created: float = field(default_factory=time.monotonic)
    started: float = 0.0
    delete_at: float = 0.0
    state: str = "queued"  # queued → running → done | failed
    behind_others: bool = False  # queued because `parallel_jobs` others were running
    stage: Stage | None = None
    done: int = 0
    total: int = 0
    error: str = ""
    result: BatchResult | None = None
    downloadable: dict[str, Path] = field(default_factory=dict)  # the only files that can be downloaded
    main_file: str = ""  # the download after which the job is deleted (report, or the zip)

    @property
    def out_dir(self) -> Path:
        return self.folder / "ket-qua"

    @property
    def accepted(self) -> list[Path]:
        return [u.stored for u in self.uploads if u.stored is not None]

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def progress(self, stage: Stage | None, count: int) -> None:
        """run_batch's progress callback: (stage, total) starts a stage, (None, 1) ticks it."""
        if stage:
            self.stage, self.total, self.done = stage, count, 0
        else:
            self.done += count

    @property
    def names(self) -> dict[str, str]:
        """Each stored file's name → the name the clerk uploaded: the page's sentences show these."""
        return {u.stored.name: u.original for u in self.uploads if u.stored is not None}

    def said(self, error: CodedError) -> str:
        """An error (a batch's note) as the page words it, with the names the clerk uploaded."""
        return error.said(Audience.PAGE, self.names)

    def original_name(self, stored: Path) -> str:
        return next((u.original for u in self.uploads if u.stored == stored), stored.name)

    @property
    def refused(self) -> list[Upload]:
        return [u for u in self.uploads if u.refused]

    def group_downloads(self) -> list[tuple[str, str]]:
        """The roll-up files of every group: zip, consolidated report, tong_hop.xlsx."""
        labels = {
            ".zip": "Tất cả kết quả (.zip)",
            ".docx": "Báo cáo tổng hợp (.docx)",
            ".pdf": "Báo cáo tổng hợp (.pdf)",
            ".xlsx": "Bảng tổng hợp các đơn vị (.xlsx)",
        }
        found = []
        for group in self.result.groups if self.result else []:
            for path in sorted(group.outputs, key=lambda p: list(labels).index(p.suffix)):
                if path.name in self.downloadable:
                    found.append((labels.get(path.suffix, path.name), path.name))
        return found

    def missing(self) -> list[str]:
        return [m.full for g in (self.result.groups if self.result else []) for m in g.missing]


def display_name(raw: str | None) -> str:
    """The uploaded file's own name, for showing only: no folders, no control characters."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] if name.strip(". ") else "(tệp không tên)"


def stored_name(original: str, taken: set[str]) -> str:
    """An ASCII name for the stored copy, unique in the job: 'Báo cáo Nhị Chiểu.xlsx' → 'bao-cao-nhi-chieu.xlsx'."""
    stem = slugify(PurePath(original).stem)[:80]
    name, n = f"{stem}.xlsx", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.xlsx"
    taken.add(name)
    return name


def refusal(stored: Path, original: str) -> str:
    """Why this upload is not a workbook we accept ('' when it is). The content decides; when the
    content is wrong, a name that says what the file is (.xls, .ods, ~$ lock file) explains it best."""
    try:
        check_content(stored)
        return ""
    except WorkbookError as e:
        by_content = e
    try:
        check_name(PurePath(original) if PurePath(original).suffix else PurePath(original + ".xlsx"))
    except WorkbookError as e:
        return e.phrased(Audience.PAGE)
    return by_content.phrased(Audience.PAGE)


class JobStore:
    """Every job of the running server, each in its own folder under one temporary root."""

    def __init__(self, limits: Limits = Limits(), root: Path | None = None) -> None:
        self.limits = limits
        self.root = Path(tempfile.mkdtemp(prefix="baocao-web-", dir=root))
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=limits.parallel_jobs, thread_name_prefix="baocao-job")
        self.stopped = threading.Event()
        self.running: set[Any] = set()  # the processes of the jobs running now
        self.room_lock = threading.Lock()

    def create(
        self, files: Iterable[tuple[str | None, IO[bytes]]], pdf: bool, roll_up: RollupInfo | None = None
    ) -> Job:
        """Store the uploaded files of one request in a new job's folder; refuse what is not a workbook."""
        job_id = secrets.token_urlsafe(24)
        folder = self.root / job_id
        (folder / "tai-len").mkdir(parents=True)
        taken: set[str] = set()
        uploads = []
        for raw_name, stream in files:
            upload = Upload(original=display_name(raw_name))
            target = folder / "tai-len" / stored_name(upload.original, taken)
            if not copy_limited(stream, target, self.limits.max_file_bytes):
                upload.refused = (
                    f"tệp lớn hơn {self.limits.max_file_bytes // 1048576} MB. Bảng tính báo cáo chỉ cần vài "
                    "chục KB: hãy dùng bảng tính mẫu và không dán ảnh, dữ liệu khác vào."
                )
            elif reason := refusal(target, upload.original):
                upload.refused = reason
                target.unlink()
            else:
                upload.stored = target
            uploads.append(upload)
        job = Job(id=job_id, folder=folder, uploads=uploads, pdf=pdf, roll_up=roll_up)
        job.delete_at = job.created + self.limits.keep_seconds
        with self.lock:
            self.jobs[job_id] = job
        return job

    def start(self, job: Job, run: Callable[[Job], None] | None = None) -> None:
        """Run the job in the background (at most `parallel_jobs` at once)."""
        if not job.accepted:
            job.state = "done"
            return
        with self.lock:
            job.behind_others = sum(j.state == "running" for j in self.jobs.values()) >= self.limits.parallel_jobs
        self.pool.submit(run or self.run_job, job)

    def run_job(self, job: Job) -> None:
        """The batch of one upload, exactly as `python generate.py FILES --pdf?` runs it, in its own process."""
        if self.stopped.is_set():
            return
        job.state, job.started = "running", time.monotonic()
        options = BatchOptions(pdf=job.pdf, workers=self.limits.job_workers, roll_up=job.roll_up)
        megabytes = sum(p.stat().st_size for p in job.accepted) / 1048576
        limits = self.limits
        seconds = (
            limits.job_time(len(job.accepted), job.pdf, megabytes),
            lambda workbooks: limits.job_time(workbooks, job.pdf),
            limits.max_job_seconds,
        )
        try:
            outcome = run_in_process(
                job.accepted, job.out_dir, options, job.progress, seconds, self.stopped, self.running
            )
        except Exception as e:  # e.g. no process could be started: the page must say something
            log.exception("job %s could not run", job.id)
            outcome = Outcome(failure="error", detail=type(e).__name__)
        finish(job, outcome)
        job.delete_at = time.monotonic() + self.limits.keep_seconds

    def make_room(self, incoming: int) -> bool:
        """Room on disk for an upload of `incoming` bytes and what it will write: the oldest finished jobs
        are deleted until it fits; False (nothing deleted) when even that would not be enough."""
        need = incoming * self.limits.disk_per_upload_byte
        with self.room_lock:
            used = disk_usage(self.root)
            with self.lock:
                finished = sorted((j for j in self.jobs.values() if j.finished), key=lambda j: j.created)
            sizes = [disk_usage(j.folder) for j in finished]
            if used - sum(sizes) + need > self.limits.max_disk_bytes:
                return False
            for job, size in zip(finished, sizes, strict=True):
                if used + need <= self.limits.max_disk_bytes:
                    break
                if self.delete(job.id):
                    used -= size
            return True

    def get(self, job_id: str) -> Job | None:
        if not JOB_ID.match(job_id or ""):
            return None
        self.sweep()
        with self.lock:
            return self.jobs.get(job_id)

    def file(self, job: Job, name: str) -> Path | None:
        """A file the job wrote, by its name; None for anything else (no path is ever built from `name`)."""
        path = job.downloadable.get(name)
        if path is None or not path.is_file() or not path.resolve().is_relative_to(job.folder.resolve()):
            return None
        return path

    def downloaded(self, job: Job, name: str) -> None:
        """After the main file is downloaded, the job is deleted once the others have had time."""
        if name == job.main_file:
            job.delete_at = min(job.delete_at, time.monotonic() + self.limits.after_download_seconds)

    def delete(self, job_id: str) -> bool:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None or not job.finished:
                return False
            del self.jobs[job_id]
        shutil.rmtree(job.folder, ignore_errors=True)
        return True

    def sweep(self, now: float | None = None) -> list[str]:
        """Delete the finished jobs whose time is up; returns their ids."""
        now = time.monotonic() if now is None else now
        with self.lock:
            expired = [j for j in self.jobs.values() if j.finished and j.delete_at <= now]
            for job in expired:
                del self.jobs[job.id]
        for job in expired:
            shutil.rmtree(job.folder, ignore_errors=True)
        return [j.id for j in expired]

    def start_janitor(self, every: float = 30.0) -> None:
        """Sweep in the background too, so files go on time even when nobody opens the page."""

        def loop() -> None:
            while not self.stopped.wait(every):
                self.sweep()

        threading.Thread(target=loop, name="baocao-janitor", daemon=True).start()

    def close(self) -> None:
        """Stop, kill the jobs still running (with their workers and LibreOffice), and delete every job's files
        (the server is shutting down)."""
        self.stopped.set()
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in list(self.running):
            kill_job(process)
        shutil.rmtree(self.root, ignore_errors=True)


def finish(job: Job, outcome: Outcome) -> None:
    """What the page shows once the job's process has ended."""
    result = outcome.result
    if result is None:
        if outcome.failure == "timeout":
            job.error = (
                f"Quá thời gian cho phép ({outcome.detail} giây) nên đã dừng lập báo cáo. "
                "Hãy chia thành nhiều lần tải lên nhỏ hơn" + (", hoặc bỏ chọn “Kèm bản PDF”." if job.pdf else ".")
            )
        else:
            log.error("job %s failed: %s %s", job.id, outcome.failure, outcome.detail)
            shown = outcome.detail.split(":", 1)[0] or outcome.failure  # the kind of error, no internals
            job.error = (
                f"Có lỗi không mong đợi khi lập báo cáo ({shown}). Hãy tải lên lại; "
                "nếu vẫn lỗi, gửi bảng tính cho bộ phận công nghệ thông tin."
            )
        job.state = "failed"
        return
    job.result = result
    job.downloadable = {p.name: p for p in job.out_dir.rglob("*") if p.is_file() and not p.name.startswith(".")}
    outputs = [p for g in result.groups for p in g.outputs if p.suffix == ".zip"]
    reports = [c.docx for c in result.checked if c.written and c.docx is not None]
    main = outputs[0] if outputs else (reports[0] if len(reports) == 1 else None)
    job.main_file = main.name if main else ""
    job.state = "done"
