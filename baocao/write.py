"""Step 6: write outputs atomically (temporary file + rename) and convert to PDF."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

from baocao.errors import OutputError, PdfError
from baocao.isolate import die_with_parent, resource

# LibreOffice runs under a small shell that owns its process group: when the process that started it
# ends (killed, or the server stops), the shell is signalled (PR_SET_PDEATHSIG) and kills the whole
# group: soffice's launcher (oosplash) AND soffice.bin, which would otherwise outlive everything.
SOFFICE_GUARD = 'trap "kill -KILL 0" TERM HUP; "$@" & wait $!'


def slugify(text: str) -> str:
    """ASCII file-name part: 'phường Nhị Chiểu' → 'phuong-nhi-chieu' (safe on Windows and in zips)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words) or "bao-cao"


def write_atomic(path: Path, data: bytes, *, sync: bool = True) -> Path:
    """Write data to path through a temporary file in the same folder; never a half-written file.

    With sync=False the data is not flushed to disk here: the caller calls sync_folders once
    at the end (a batch writes thousands of files; one fsync each costs more than the render).
    Where the system cannot flush everything at once (no os.sync), each file is flushed anyway.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(f"Không tạo được thư mục kết quả {path.parent}: {e.strerror}.") from e
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync or not hasattr(os, "sync"):
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(
            f"Không ghi đè được {path} ({e.strerror}): tệp cũ đang mở (trong Word?), là một thư mục, hoặc không có "
            "quyền ghi. Tệp cũ được giữ nguyên; đóng tệp rồi chạy lại."
        ) from e
    finally:
        tmp.unlink(missing_ok=True)
    return path


def sync_folders(folders: Iterable[Path]) -> None:
    """Make what write_atomic(sync=False) wrote durable: the file systems' data flushed in one call,
    then each folder fsynced so that the renames are on disk too."""
    if hasattr(os, "sync"):
        os.sync()
    for folder in sorted(set(map(Path, folders))):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue  # a folder cannot be opened on Windows (nor needs its own fsync there)
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def find_soffice() -> str | None:
    """Path of LibreOffice's soffice, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_pdf_command(soffice: str, profile: Path, out_dir: Path, docs: list[Path]) -> list[str]:
    """One headless LibreOffice converting `docs` to PDF in out_dir, with its own user profile
    (so that several can run at once)."""
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        *map(str, docs),
    ]


def convert_to_pdf(docx: Path) -> Path:
    """Convert one .docx to PDF beside it (atomically), with headless LibreOffice."""
    return convert_many_to_pdf([docx], workers=1)[docx]


def convert_many_to_pdf(docs: list[Path], workers: int = 1, timeout: int = 1800) -> dict[Path, Path]:
    """Convert many .docx to PDF beside them, with LibreOffice started once per worker, not once per file.

    Each worker is one `soffice --convert-to pdf` over its share of the files, with its own profile
    so that several can run at once. Returns docx → pdf for those converted.
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(
            "Chưa cài LibreOffice nên không tạo được PDF. Cài LibreOffice (https://www.libreoffice.org) "
            "hoặc chạy lại không có --pdf; tệp .docx vẫn được tạo."
        )
    if not docs:
        return {}
    chunks = [docs[i :: max(1, workers)] for i in range(max(1, min(workers, len(docs))))]
    converted: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as work:
        jobs = []
        try:
            for n, chunk in enumerate(chunks):
                out = Path(work, f"out{n}")
                out.mkdir()
                cmd = soffice_pdf_command(soffice, Path(work, f"profile{n}"), out, chunk)
                jobs.append((chunk, out, start_guarded(cmd)))
            for chunk, out, process in jobs:
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    kill_group(process)
                for docx in chunk:
                    produced = out / docx.with_suffix(".pdf").name
                    if produced.is_file():
                        converted[docx] = write_atomic(docx.with_suffix(".pdf"), produced.read_bytes())
        finally:  # Ctrl+C, a full disk, …: no LibreOffice left running
            for _chunk, _out, process in jobs:
                kill_group(process)
    missing = [d.name for d in docs if d not in converted]
    if missing:
        raise PdfError(f"LibreOffice không chuyển được sang PDF: {', '.join(missing[:10])}.")
    return converted


def _soffice_child() -> None:
    """In the child before exec: die with the parent, and get back the memory a worker had given up."""
    die_with_parent(signal.SIGTERM)
    with contextlib.suppress(AttributeError, ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def start_guarded(cmd: list[str]) -> subprocess.Popen:
    """Start cmd (LibreOffice) in its own process group, which dies with this process (POSIX)."""
    if os.name != "posix":
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.Popen(
        ["/bin/sh", "-c", SOFFICE_GUARD, "baocao-soffice", *cmd],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_soffice_child,
    )


def kill_group(process: subprocess.Popen) -> None:
    """Kill a process started by start_guarded and everything it started; reap it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) entries; Office files (already compressed) are stored, not deflated again."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            packed = name.lower().endswith((".docx", ".xlsx", ".pdf", ".zip"))
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
