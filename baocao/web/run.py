"""One web job in its own process, so that the server never dies with a job.

The server's job thread starts `job_main` in a child process (forkserver: never a fork of the
threaded server), which runs run_batch exactly as the CLI does (its workers are forks of this
single-threaded child) and sends its progress and its BatchResult back through a pipe. The child
leads its own process group: a job that overruns its time limit, or is still running when the
server stops, is killed with everything it started (workers; LibreOffice dies with its parent), and
a watchdog kills the group if the server itself is killed.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import IO, Any

from baocao.batch.run import BatchOptions, BatchResult, run_batch
from baocao.stages import Stage

log = logging.getLogger(__name__)

_CONTEXT: Any = None


def job_context() -> Any:
    """forkserver (with the batch already imported, so a job starts in milliseconds), or spawn."""
    global _CONTEXT
    if _CONTEXT is None:
        methods = multiprocessing.get_all_start_methods()
        _CONTEXT = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            _CONTEXT.set_forkserver_preload(["baocao.batch.run", "baocao.web.run"])
    return _CONTEXT


def job_main(conn: Connection, paths: list[Path], out_dir: Path, options: BatchOptions) -> None:
    """In the job's process: the batch, with progress and the result sent to the server."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in the server's terminal stops the server, which stops us
    _watch_server(conn)

    def progress(stage: Stage | None, count: int) -> None:
        conn.send(("progress", stage, count))

    try:
        result = run_batch(paths, out_dir, options, progress)
        conn.send(("result", result))
    except BaseException as e:  # the server must hear something, whatever went wrong
        log.exception("job failed")
        conn.send(("error", f"{type(e).__name__}: {e}"[:500]))


def _watch_server(conn: Connection) -> None:
    """Fork a watchdog that kills this job's process group once the server's end of the pipe is closed
    (the server stopped or was killed: a forkserver child's parent is the forkserver, which lives on)."""
    if not hasattr(select, "poll") or not hasattr(os, "fork"):
        return
    if os.fork():
        return
    try:
        watch = select.poll()
        watch.register(conn.fileno(), select.POLLERR)
        while not watch.poll():
            pass
        os.killpg(0, signal.SIGKILL)
    finally:
        os._exit(0)


@dataclass
class Outcome:
    """How a job's process ended: its result, or why there is none ('timeout', 'stopped', 'crash', 'error')."""

    result: BatchResult | None = None
    failure: str = ""
    detail: str = ""


def run_in_process(
    paths: list[Path],
    out_dir: Path,
    options: BatchOptions,
    progress: Callable[[Stage | None, int], None],
    seconds: tuple[float, Callable[[int], float], float],
    stopped: threading.Event,
    running: set[Any],
) -> Outcome:
    """Run one job in a child process and wait for it. `seconds` is (time allowed until the job has
    counted its workbooks, a city's columns too; time allowed from then on for that many workbooks;
    time allowed in all)."""
    first, per_count, at_most = seconds
    context = job_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=job_main, args=(sender, paths, out_dir, options), name="baocao-job")
    process.start()
    started = time.monotonic()
    sender.close()
    running.add(process)
    allowed, ends = first, started + min(first, at_most)
    try:
        while True:
            if stopped.is_set():
                return Outcome(failure="stopped")
            left = ends - time.monotonic()
            if left <= 0:
                return Outcome(failure="timeout", detail=f"{allowed:.0f}")
            ready = wait([receiver, process.sentinel], min(left, 0.5))
            if not ready:
                continue
            try:
                if receiver not in ready and not receiver.poll():
                    raise EOFError
                message = receiver.recv()
            except (EOFError, OSError):  # the job's process died without a word
                process.join(timeout=5)
                return Outcome(failure="crash", detail=f"exit {process.exitcode}")
            if message[0] == "progress":
                progress(message[1], message[2])
                if message[1] == Stage.CHECK:  # the number of workbooks (a city's columns counted)
                    allowed = per_count(message[2])
                    ends = min(started + at_most, time.monotonic() + allowed)
            elif message[0] == "result":
                process.join(timeout=5)  # it only has to exit now
                return Outcome(result=message[1])
            else:
                return Outcome(failure="error", detail=message[1])
    finally:
        kill_job(process)
        running.discard(process)
        receiver.close()


def kill_job(process: Any) -> None:
    """Kill a job's process group (its workers too) while it runs; reap it."""
    if process.is_alive():
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError, ValueError):
            process.kill()
    process.join(timeout=10)


def disk_usage(root: Path) -> int:
    """Bytes of the files under root (their sizes: the same for the same files, whatever the file system)."""
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(folder, name)).st_size
    return total


def copy_limited(source: IO[bytes], target: Path, limit: int) -> bool:
    """Copy at most `limit` bytes; False (and nothing left behind) when the source is larger."""
    size = 0
    with target.open("wb") as out:
        while chunk := source.read(1048576):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        target.unlink()
        return False
    return True
