"""The Sở's consolidation from the portal: the stored workbooks of a period go through the very call
of `python generate.py render FOLDER --province …` (baocao.batch.run.run_batch), in a child process
(baocao.web.run.run_in_process) started from a worker thread, never in the web threads.

Its state is a row of `consolidations` and its files are under data/tong-hop/<id>/, so any `portal
serve` process sharing the database and the data folder shows it and serves them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from baocao.batch.run import BatchOptions
from baocao.communes import communes_of, find_province
from baocao.errors import BaocaoError
from baocao.form import find_form
from baocao.portal.models import (
    APPROVED,
    APPROVED_ONLY,
    DONE,
    FAILED,
    LATEST,
    QUEUED,
    RUNNING,
    Consolidation,
    Period,
    Submission,
    Unit,
    User,
    Version,
    now,
)
from baocao.portal.periods import compared_versions
from baocao.portal.service import audit, upload_path
from baocao.web.run import Outcome, run_in_process
from baocao.write import slugify

log = logging.getLogger(__name__)
ROLLUPS = "tong-hop"
MAX_SECONDS = 1800.0  # a consolidation still unfinished after this (its server stopped?) has failed
STALE = timedelta(seconds=MAX_SECONDS + 120)


def taken(session: Session, period: Period, scope: str) -> list[tuple[Unit, Version]]:
    """The communes and versions a consolidation takes: the latest version of each approved submission
    (scope APPROVED_ONLY), or of every submission (LATEST)."""
    query = select(Submission).where(Submission.period_id == period.id)
    if scope == APPROVED_ONLY:
        query = query.where(Submission.state == APPROVED)
    pairs = [(s.unit, s.latest) for s in session.scalars(query) if s.versions]
    return sorted(pairs, key=lambda p: p[0].code)


def fingerprint(period: Period, scope: str, pairs: list[tuple[Unit, Version]], earlier: list[str] | None = None) -> str:
    """The same period, scope and versions (and versions compared with) give the same consolidation
    (made once, downloaded often)."""
    text = json.dumps([period.id, period.form_id, scope, [(u.code, v.sha256) for u, v in pairs], sorted(earlier or [])])
    return hashlib.sha256(text.encode()).hexdigest()


def period_province(pairs: list[tuple[Unit, Version]]) -> str:
    """The province of the portal's communes (official name), which the roll-up lists in full."""
    return find_province(pairs[0][0].province)


def is_stale(run: Consolidation) -> bool:
    return run.state in (QUEUED, RUNNING) and run.created_at < now() - STALE


def request(session: Session, user: User, period: Period, scope: str, data: Path) -> tuple[Consolidation, bool]:
    """The consolidation of these versions: one already made whose files are still there (or one on its
    way), else a new one queued (True: it must be started)."""
    if scope not in (APPROVED_ONLY, LATEST):
        raise BaocaoError("Hãy chọn tổng hợp các báo cáo đã duyệt hoặc bản nộp mới nhất.")
    pairs = taken(session, period, scope)
    if not pairs:
        what = "được duyệt" if scope == APPROVED_ONLY else "được nộp"
        raise BaocaoError(f"Chưa có báo cáo nào {what} trong kỳ này: chưa có gì để tổng hợp.")
    mark = fingerprint(period, scope, pairs, [v.sha256 for v in compared_versions(session, period).values()])
    earlier = session.scalars(
        select(Consolidation)
        .where(Consolidation.period_id == period.id, Consolidation.fingerprint == mark)
        .order_by(Consolidation.id.desc())
    ).first()
    if earlier is not None and earlier.state in (QUEUED, RUNNING) and not is_stale(earlier):
        return earlier, False
    if earlier is not None and earlier.state == DONE and all(output_file(data, earlier, n) for n in files_of(earlier)):
        return earlier, False
    run = Consolidation(period=period, scope=scope, fingerprint=mark, state=QUEUED, user_id=user.id, units=len(pairs))
    session.add(run)
    session.flush()
    audit(session, user, "consolidate", f"kỳ {period.id}, lần tổng hợp {run.id}, {len(pairs)} đơn vị ({scope})")
    return run, True


def folder(data: Path, run_id: int) -> Path:
    return Path(data) / ROLLUPS / str(run_id)


def output_file(data: Path, run: Consolidation, name: str) -> Path | None:
    """A file the consolidation wrote, by its name as recorded (no path is built from what the browser sent)."""
    if name not in files_of(run):
        return None
    out = folder(data, run.id) / "ket-qua"
    path = out / name
    return path if path.is_file() and path.resolve().is_relative_to(out.resolve()) else None


def files_of(run: Consolidation) -> list[str]:
    return list(json.loads(run.output_files or "[]"))


def _copied(sources: list[tuple[str, Path]], folder: Path) -> list[Path]:
    """The stored workbooks copied under the names the batch matches communes by."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, source in sources:
        target = folder / f"{stem}.xlsx"
        shutil.copyfile(source, target)
        paths.append(target)
    return paths


def execute(make_session: sessionmaker[Session], data: Path, run_id: int, stopped: threading.Event,
            running: set[Any]) -> None:  # fmt: skip
    """Make one queued consolidation (claimed first, so two servers never make the same one)."""
    with make_session.begin() as session:
        claimed = session.execute(
            update(Consolidation)
            .where(Consolidation.id == run_id, Consolidation.state == QUEUED)
            .values(state=RUNNING, started_at=now())
        ).rowcount
        if claimed != 1:
            return
        run = session.get(Consolidation, run_id)
        period = run.period
        pairs = taken(session, period, run.scope)
        options = BatchOptions(
            province=period_province(pairs),
            form=find_form(period.form_id),
            workers=1,
        )
        stems = {c.code: c.file_stem for c in communes_of(period_province(pairs))}
        names = {u.id: stems.get(u.code) or slugify(f"{u.full_name} {u.code}") for u, _ in pairs}
        sources = [(names[u.id], upload_path(data, v.sha256)) for u, v in pairs]
        earlier = [  # the compared period's reports: the roll-up and each report compare with them (`prev`)
            (names[unit_id], upload_path(data, v.sha256))
            for unit_id, v in compared_versions(session, period).items()
            if unit_id in names
        ]
    base = folder(data, run_id)
    inputs, out = base / "dau-vao", base / "ket-qua"
    shutil.rmtree(base, ignore_errors=True)
    inputs.mkdir(parents=True)
    paths = _copied(sources, inputs)
    if earlier:
        options = replace(options, previous=tuple(_copied(earlier, base / "ky-truoc")))
    seconds = (600.0, lambda count: 120.0 + 10.0 * count, MAX_SECONDS)
    try:
        outcome = run_in_process(paths, out, options, lambda *_: None, seconds, stopped, running)
    except Exception as e:  # no process could be started: the page must say something
        log.exception("consolidation %s could not run", run_id)
        outcome = Outcome(failure="error", detail=type(e).__name__)
    finally:
        shutil.rmtree(inputs, ignore_errors=True)
        shutil.rmtree(base / "ky-truoc", ignore_errors=True)
    _record(make_session, run_id, outcome)


def _record(make_session: sessionmaker[Session], run_id: int, outcome: Outcome) -> None:
    result = outcome.result
    with make_session.begin() as session:
        run = session.get(Consolidation, run_id)
        run.finished_at = now()
        if result is None:
            run.state = FAILED
            run.message = (
                f"Quá thời gian cho phép ({outcome.detail} giây)." if outcome.failure == "timeout"
                else f"Có lỗi không mong đợi khi tổng hợp ({outcome.failure}). Hãy thử lại; nếu vẫn lỗi, "
                "báo bộ phận công nghệ thông tin."
            )  # fmt: skip
            return
        names = [p.name for g in result.groups for p in g.outputs]
        run.output_files = json.dumps(names, ensure_ascii=False)
        run.state = DONE if names else FAILED
        run.message = "\n".join([result.summary(), *map(str, result.notes)])


def preload_workers() -> None:
    """The server's worker processes (each upload's check, each consolidation) are forks of a forkserver
    that has imported the library once, so a check starts in milliseconds, not after a second of imports."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        modules = ["baocao.portal.intake", "baocao.batch.run", "baocao.web.run"]
        multiprocessing.get_context("forkserver").set_forkserver_preload(modules)


class RollupWorker:
    """The consolidations this server process starts: one at a time, each in its own child process."""

    def __init__(self, make_session: sessionmaker[Session], data: Path) -> None:
        self.make_session, self.data = make_session, Path(data)
        preload_workers()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-rollup")
        self.stopped = threading.Event()
        self.running: set[Any] = set()

    def start(self, run_id: int) -> None:
        self.pool.submit(self._run, run_id)

    def _run(self, run_id: int) -> None:
        try:
            execute(self.make_session, self.data, run_id, self.stopped, self.running)
        except Exception:
            log.exception("consolidation %s failed", run_id)
            with self.make_session.begin() as session:
                run = session.get(Consolidation, run_id)
                if run is not None and run.state in (QUEUED, RUNNING):
                    run.state, run.finished_at = FAILED, now()
                    run.message = "Có lỗi không mong đợi khi tổng hợp. Hãy thử lại."

    def close(self) -> None:
        self.stopped.set()
        self.pool.shutdown(wait=False, cancel_futures=True)
