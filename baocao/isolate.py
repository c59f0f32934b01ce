"""Worker processes in which one item's crash fails that item alone.

`IsolatedPool.map(fn, items)` runs fn on each item in a child process, one item at a time per worker,
so the parent always knows which item a worker was running: when a worker dies (abort, segfault,
the memory limit), overruns its time limit (it is killed) or raises, that item gets a `Failure`
instead of a result, the worker is replaced and the other items go on. Nothing runs in the calling
process, even with one worker, so a crash never takes the caller (the CLI, the web server) with it.

Each worker has a soft address-space limit (RLIMIT_AS: its size at start plus `memory_bytes`) and
dies with its parent (PR_SET_PDEATHSIG on Linux). Its stderr (e.g. a Rust "memory allocation
failed" message) goes to a temporary file that is logged, never to the clerk's terminal.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from baocao.errors import BatchError, WorkbookError

try:
    import resource
except ImportError:  # Windows: no memory limit
    resource = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

GIB = 1024**3
CRASH, TIMEOUT, MEMORY, ERROR = "crash", "timeout", "memory", "error"
PR_SET_PDEATHSIG = 1
GRACE_SECONDS = 2.0  # a busy worker asked to stop (SIGTERM) has this long to unwind before SIGKILL


@dataclass(frozen=True)
class WorkerLimits:
    """What one item may use: memory above the worker's own size, and wall time."""

    memory_bytes: int = 2 * GIB
    seconds: float = 300.0


@dataclass(frozen=True)
class Failure:
    """Why an item gave no result: kind is crash, timeout, memory or error; detail is technical."""

    kind: str
    detail: str = ""


def die_with_parent(sig: int = 9) -> None:  # 9: SIGKILL
    """Ask Linux to send `sig` to this process when the thread that started it ends (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def _address_space() -> int:
    """This process's virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(budget: int) -> None:
    """Soft RLIMIT_AS = current size + budget (the hard limit stays, so LibreOffice can be given it back)."""
    if budget <= 0 or resource is None or not hasattr(resource, "RLIMIT_AS"):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _Stopped(BaseException):
    """SIGTERM in a worker: the item unwinds (its `finally` blocks remove its temporary files), then
    the worker exits."""


def _stop(_signum: int, _frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second SIGTERM would cut the unwinding short
    raise _Stopped


def _worker(conn: Connection, parent: int, memory_bytes: int, stderr_path: str) -> None:
    """A worker's life: items from the parent, one at a time, until None, the pipe closes or SIGTERM."""
    signal.signal(signal.SIGTERM, _stop)
    try:
        _serve(conn, parent, memory_bytes, stderr_path)
    except _Stopped:
        os._exit(128 + signal.SIGTERM)


def _serve(conn: Connection, parent: int, memory_bytes: int, stderr_path: str) -> None:
    die_with_parent()  # (a forkserver's child dies with the forkserver, which lives as long as our caller)
    if parent and os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    with contextlib.suppress(OSError):
        fd = os.open(stderr_path, os.O_WRONLY | os.O_APPEND)
        os.dup2(fd, 2)
        os.close(fd)
        if faulthandler.is_enabled():  # e.g. under pytest: its report goes to the log too
            faulthandler.enable(file=sys.stderr)
    limited = False
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, item = task
        if not limited:  # after the first task is unpickled: a forkserver's worker imports fn's module then
            _limit_memory(memory_bytes)
            limited = True
        try:
            reply: tuple[str, Any] = ("ok", fn(item))
        except _Stopped:
            raise
        except MemoryError:
            reply = (MEMORY, "")
        except BaseException as e:  # whatever it is (SystemExit too), it fails this item alone
            reply = (ERROR, f"{type(e).__name__}: {e}"[:500])
        try:
            conn.send(reply)
        except MemoryError:
            conn.send((MEMORY, ""))
        except Exception as e:  # an unpicklable result
            conn.send((ERROR, f"{type(e).__name__}: {e}"[:500]))
        if reply[0] == MEMORY:  # a process that ran out of memory is not trusted with more work
            return


class _Worker:
    def __init__(self, context: Any, limits: WorkerLimits) -> None:
        fd, self.stderr_path = tempfile.mkstemp(prefix="baocao-worker-", suffix=".log")
        os.close(fd)
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker,
            args=(
                child,
                os.getpid() if context.get_start_method() == "fork" else 0,
                limits.memory_bytes,
                self.stderr_path,
            ),
            daemon=True,
        )
        self.process.start()
        child.close()
        self.task: tuple[int, Any] | None = None
        self.started = 0.0

    def send(self, index: int, fn: Callable[[Any], Any], item: Any) -> None:
        self.task, self.started = (index, item), time.monotonic()
        self.conn.send((fn, item))

    def stderr_tail(self) -> str:
        with contextlib.suppress(OSError), open(self.stderr_path, "rb") as f:
            f.seek(max(0, os.fstat(f.fileno()).st_size - 2000))
            return f.read().decode("utf-8", "replace").strip()
        return ""

    def halt(self) -> None:
        """Ask a busy worker to stop (SIGTERM: the item's temporary files are removed as it unwinds)."""
        if self.process.is_alive():
            with contextlib.suppress(OSError):
                self.process.terminate()

    def stop(self, kill: bool = False, grace: float = GRACE_SECONDS) -> None:
        """Stop the worker: an idle one is told to end; a busy one (`kill`) is halted, given `grace`
        seconds to unwind, then killed."""
        if self.process.is_alive():
            if kill:
                self.halt()
            else:
                with contextlib.suppress(OSError, ValueError):
                    self.conn.send(None)
            self.process.join(timeout=grace)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()
        with contextlib.suppress(OSError):
            os.unlink(self.stderr_path)


def exit_text(exitcode: int | None) -> str:
    """'SIGABRT', 'SIGSEGV', 'exit 3'."""
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-exitcode).name
    return f"exit {exitcode}"


def default_context() -> Any:
    """fork while this process has one thread (cheap, and what a CLI run has), else forkserver."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class IsolatedPool:
    """`workers` child processes, kept for every map() until close(); see the module docstring."""

    def __init__(self, workers: int = 1, limits: WorkerLimits = WorkerLimits(), context: Any = None) -> None:
        self.size = max(1, workers)
        self.limits = limits
        self.context = context or default_context()
        self.workers: list[_Worker] = []

    def __enter__(self) -> IsolatedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker: the busy ones are halted all at once, then each is waited for (killed
        when it does not stop within the grace time)."""
        for worker in self.workers:
            if worker.task is not None:
                worker.halt()
        end = time.monotonic() + GRACE_SECONDS
        for worker in self.workers:
            worker.stop(kill=worker.task is not None, grace=max(0.0, end - time.monotonic()))
        self.workers = []

    def map(self, fn: Callable[[Any], Any], items: list[Any], seconds: float | None = None) -> Iterator[Any | Failure]:
        """fn(item) for each item, in order; a Failure for each item whose worker crashed, overran
        `seconds` (default: the pool's limit) or raised."""
        limit = self.limits.seconds if seconds is None else seconds
        pending = deque(enumerate(items))
        done: dict[int, Any] = {}
        resent: dict[int, int] = {}
        following = 0
        for worker in [w for w in self.workers if w.task is not None]:  # left busy by an abandoned map()
            worker.stop(kill=True)
            self.workers.remove(worker)
        while following < len(items):
            while pending and len(self.workers) < min(self.size, len(pending) + self._busy()):
                self.workers.append(_Worker(self.context, self.limits))
            for worker in list(self.workers):
                if worker.task is None and pending:
                    index, item = pending.popleft()
                    try:
                        worker.send(index, fn, item)
                    except (OSError, EOFError):  # the worker died while idle: the item goes to a new one
                        worker.stop(kill=True)
                        self.workers.remove(worker)
                        resent[index] = resent.get(index, 0) + 1
                        if resent[index] < 3:
                            pending.appendleft((index, item))
                        else:
                            done[index] = Failure(CRASH, exit_text(worker.process.exitcode))
                    except Exception as e:  # an item that cannot be sent (not picklable)
                        worker.task = None
                        done[index] = Failure(ERROR, f"{type(e).__name__}: {e}"[:500])
            self._collect(done, limit)
            while following in done:
                yield done.pop(following)
                following += 1

    def _busy(self) -> int:
        return sum(w.task is not None for w in self.workers)

    def _collect(self, done: dict[int, Any], limit: float) -> None:
        """Wait for at least one busy worker to answer, die or overrun; record what happened."""
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return
        now = time.monotonic()
        timeout = max(0.0, min(w.started + limit for w in busy) - now) if limit > 0 else None
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        now = time.monotonic()
        for worker in busy:
            index = worker.task[0] if worker.task else -1
            outcome: Any = None
            replace = False
            if worker.conn in ready:
                try:
                    kind, value = worker.conn.recv()
                    outcome = value if kind == "ok" else Failure(kind, value)
                    replace = kind == MEMORY
                except (EOFError, OSError):
                    outcome, replace = self._death(worker), True
            elif worker.process.sentinel in ready:
                outcome, replace = self._death(worker), True
            elif limit > 0 and now >= worker.started + limit:
                worker.stop(kill=True)
                outcome, replace = Failure(TIMEOUT, f"{limit:g} s"), True
            else:
                continue
            done[index] = outcome
            worker.task = None
            if replace:
                worker.stop(kill=True)
                self.workers.remove(worker)

    def _death(self, worker: _Worker) -> Failure:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        tail = worker.stderr_tail()
        log.info("worker %s died (%s) on item %s: %s", worker.process.pid, exit_text(code), worker.task, tail)
        if code == 1 and "MemoryError" in tail:
            return Failure(MEMORY, tail[-300:])
        return Failure(CRASH, exit_text(code))


# --- what the clerk is told ---------------------------------------------------------------------


def read_failure(path: Path, failure: Failure, limits: WorkerLimits) -> WorkbookError:
    """Why the workbook at `path` could not be read and checked (crash, memory, time), and what to do."""
    if failure.kind == MEMORY:
        return WorkbookError(path, "worker-memory", memory=limits.memory_bytes)
    if failure.kind == TIMEOUT:
        return WorkbookError(path, "worker-timeout", seconds=limits.seconds)
    if failure.kind == CRASH:
        return WorkbookError(path, "worker-crash", detail=failure.detail)
    return WorkbookError(path, "worker-error", detail=failure.detail)


def work_failure(failure: Failure, limits: WorkerLimits) -> BatchError:
    """Why a report could not be made from data that passed the checks (crash, memory, time)."""
    kind = failure.kind if failure.kind in (MEMORY, TIMEOUT, CRASH) else ERROR
    return BatchError(
        "report-failed", kind=kind, memory=limits.memory_bytes, seconds=limits.seconds, detail=failure.detail
    )
