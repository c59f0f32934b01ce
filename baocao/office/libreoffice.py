"""A warm LibreOffice: one headless instance kept running for the PDFs of a process (the web page's server,
the roll-ups of a batch, a one-file conversion), started on first need and restarted if it dies.

A cold `soffice --convert-to pdf` with a fresh profile starts the whole office for one file; here one
LibreOffice listens on a private pipe and `bridge.py`, run by a Python that has LibreOffice's `uno`
module, converts each document through it. Without that Python (no python3-uno) conversions fall back to the
cold command of baocao.write, with the same result.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import multiprocessing.util
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from baocao.errors import PdfError
from baocao.office.fontcheck import font_warnings
from baocao.write import convert_many_to_pdf, find_soffice, write_atomic

BRIDGE = Path(__file__).with_name("bridge.py")
START_TIMEOUT = 120.0
CONVERT_TIMEOUT = 600.0
WARM_MAX = 6  # per worker; above it parallel cold instances finish sooner (~270 ms warm vs ~1 s start + 176 ms)


@lru_cache(maxsize=4)
def uno_python(soffice: str) -> str | None:
    """A Python that can `import uno`: LibreOffice's own (program/python) or the system's (python3-uno)."""
    program = Path(soffice).resolve().parent
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3")]
    for python in candidates:
        if python.is_file():
            probe = subprocess.run([str(python), "-c", "import uno"], capture_output=True, timeout=60, check=False)
            if probe.returncode == 0:
                return str(python)
    return None


class WarmOffice:
    """One LibreOffice (through its bridge) kept running; thread-safe, one conversion at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bridge: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._work = Path(tempfile.mkdtemp(prefix="baocao-office-"))
        self.starts = 0

    @property
    def running(self) -> bool:
        """Whether the bridge (and so its LibreOffice) is alive."""
        return self._bridge is not None and self._bridge.poll() is None

    def convert(self, docx: Path) -> Path:
        """docx → PDF beside it (atomically); raises PdfError when LibreOffice cannot convert it."""
        with self._lock:
            for attempt in (1, 2):
                if not self.running:
                    self._start()
                out = self._work / "out.pdf"
                out.unlink(missing_ok=True)
                answer = self._ask({"docx": str(Path(docx).resolve()), "pdf": str(out)}, CONVERT_TIMEOUT)
                if answer.get("ok") and out.is_file():
                    return write_atomic(Path(docx).with_suffix(".pdf"), out.read_bytes())
                if answer.get("dead") or not self.running:
                    self._stop()
                    if attempt == 1:
                        continue  # LibreOffice died: start a new one and try once more
                raise PdfError("pdf-failed", files=Path(docx).name)
        raise AssertionError("unreachable")

    def _start(self) -> None:
        soffice = find_soffice()
        python = uno_python(soffice) if soffice else None
        if soffice is None or python is None:
            raise _NoBridge
        self._stop()
        self.starts += 1
        profile = (self._work / "profile").as_uri()  # kept across restarts: a second start is warm too
        pipe = f"baocao{os.getpid()}x{self.starts}"
        self._bridge = subprocess.Popen(
            [python, str(BRIDGE), soffice, profile, pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # its own process group: LibreOffice's processes are ended with it
        )
        self._replies = queue.Queue()
        threading.Thread(target=_read_lines, args=(self._bridge, self._replies), daemon=True).start()
        if not self._next(START_TIMEOUT).get("ready"):
            self._stop()
            raise _NoBridge

    def _ask(self, request: dict[str, str], timeout: float) -> dict[str, object]:
        assert self._bridge is not None and self._bridge.stdin is not None
        try:
            self._bridge.stdin.write(json.dumps(request) + "\n")
            self._bridge.stdin.flush()
        except OSError:
            return {"ok": False, "dead": True}
        return self._next(timeout)

    def _next(self, timeout: float) -> dict[str, object]:
        try:
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            return {"ok": False, "dead": True}  # hung: treated as dead, killed by _stop
        return json.loads(line) if line else {"ok": False, "dead": True}

    def _stop(self) -> None:
        bridge, self._bridge = self._bridge, None
        if bridge is None:
            return
        if bridge.stdin is not None:
            with contextlib.suppress(OSError):
                bridge.stdin.close()  # the bridge ends its LibreOffice at the end of its input
        try:
            bridge.wait(timeout=15)
        except subprocess.TimeoutExpired:
            bridge.kill()
            bridge.wait()
        if hasattr(os, "killpg"):  # what is left of its group (LibreOffice when the bridge was killed)
            with contextlib.suppress(OSError):
                os.killpg(bridge.pid, signal.SIGKILL)

    def close(self) -> None:
        """End LibreOffice and remove the profile."""
        with self._lock:
            self._stop()
            shutil.rmtree(self._work, ignore_errors=True)


class _NoBridge(Exception):
    """Raised when no Python with `uno` is found or the bridge does not start: use the cold command."""


def _read_lines(process: subprocess.Popen[str], replies: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        replies.put(line)
    replies.put(None)


_office: WarmOffice | None = None
_office_pid = 0
_office_lock = threading.Lock()


def warm_office() -> WarmOffice:
    """The process's one WarmOffice (created on first need, closed at exit; a forked worker makes its own)."""
    global _office, _office_pid
    with _office_lock:
        if _office is None or _office_pid != os.getpid():
            _office, _office_pid = WarmOffice(), os.getpid()
            atexit.register(_office.close)
            multiprocessing.util.Finalize(_office, _office.close, exitpriority=10)  # pool workers skip atexit
        return _office


def warn_fonts(docx: Path) -> None:
    """Print a warning when the fonts the PDF will use lack characters of the document."""
    for warning in font_warnings(docx):
        print(warning, file=sys.stderr)


def convert_to_pdf(docx: Path) -> Path:
    """One .docx → PDF beside it, through the warm LibreOffice (or the cold command without a bridge)."""
    if find_soffice() is None:
        return convert_many_to_pdf([docx])[docx]  # raises the "Chưa cài LibreOffice" PdfError
    warn_fonts(docx)
    try:
        return warm_office().convert(docx)
    except _NoBridge:
        return convert_many_to_pdf([docx])[docx]


def convert_pdfs(docs: list[Path], workers: int = 1) -> dict[Path, Path]:
    """Many .docx → PDF: a few through the warm LibreOffice, many in parallel cold instances (one per worker)."""
    if docs:
        warn_fonts(docs[0])
    if find_soffice() is None or len(docs) > WARM_MAX * max(1, workers):
        return convert_many_to_pdf(docs, workers=workers)
    converted: dict[Path, Path] = {}
    try:
        for docx in docs:
            converted[docx] = warm_office().convert(docx)
    except _NoBridge:
        converted.update(convert_many_to_pdf([d for d in docs if d not in converted], workers=workers))
    return converted
