"""Step 6: write outputs atomically (temporary file + rename) and convert to PDF."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from lxml import etree

from baocao.errors import OutputError, PdfError
from baocao.isolate import die_with_parent, resource

# LibreOffice runs under a small shell that owns its process group: when the process that started it
# ends (killed, or the server stops), the shell is signalled (PR_SET_PDEATHSIG) and kills the whole
# group: soffice's launcher (oosplash) AND soffice.bin, which would otherwise outlive everything.
SOFFICE_GUARD = 'trap "kill -KILL 0" TERM HUP; "$@" & wait $!'

# parts already parsed, by (name, CRC-32, size): a template's styles.xml (350 KB) is the same in every report
_SOUND_PARTS: set[tuple[str, int, int]] = set()


def slugify(text: str) -> str:
    """ASCII file-name part: 'phường Nhị Chiểu' → 'phuong-nhi-chieu' (safe on Windows and in zips)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words) or "bao-cao"


def fit_slug(text: str, limit: int = 80) -> str:
    """slugify(text), at most `limit` characters: a longer one is cut and ends with a short hash of the
    whole, so that file names stay within the file system's limit (255 bytes) and stay unique."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
    return f"{slug[: limit - 9].rstrip('-')}-{digest}"


def package_problem(name: str, data: bytes) -> str:
    """Why a .docx/.xlsx we are about to write would not open ('' when it is sound): the zip must open
    and every XML part must parse (Word refuses a package with one bad character in one part)."""
    if not name.lower().endswith((".docx", ".xlsx")):
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                key = (info.filename, info.CRC, info.file_size)
                if info.filename.endswith((".xml", ".rels")) and key not in _SOUND_PARTS:
                    why = xml_problem(z.read(info))  # z.read checks the CRC: a cached key is these bytes
                    if why:
                        return f"phần {info.filename} không phải XML hợp lệ: {why}"
                    if len(_SOUND_PARTS) > 10_000:
                        _SOUND_PARTS.clear()
                    _SOUND_PARTS.add(key)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        return f"tệp nén không mở được: {e}"
    return ""


class _Discard:
    """A parser target that builds nothing: libxml2 still reads every character, tag, attribute and
    entity of the part, at half the cost of building its tree (a report's document.xml: 2.5 → 1.2 ms)."""

    def close(self) -> None:
        return None


_DISCARD = _Discard()


def xml_problem(data: bytes) -> str:
    """Why data is not well-formed, namespaces included, as libxml2 says it ('' when it parses):
    what `etree.fromstring` would refuse, without building the tree."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, target=_DISCARD)
    try:
        etree.fromstring(data, parser)  # a new parser each time: its error log is this part's alone
    except etree.XMLSyntaxError as e:
        return e.msg
    for entry in parser.error_log:  # an undeclared prefix only stops a parser that builds the tree
        if entry.level >= etree.ErrorLevels.ERROR:
            return f"{entry.message}, line {entry.line}, column {entry.column}"
    return ""


def os_error(path: Path, error: OSError) -> OutputError:
    """What happened and what to do, for an OS error while writing `path`."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputError("no-space", path=path)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError("no-write-permission", path=path, folder=path.parent)
    if code == errno.ENAMETOOLONG:
        return OutputError("name-too-long", name=path.name[:60])
    if code in (errno.ENOTDIR, errno.EEXIST):
        return OutputError("file-in-the-way", path=path, blocker=_file_on_the_way(path))
    if code == errno.EISDIR:
        return OutputError("folder-in-the-way", path=path)
    return OutputError("file-open", path=path, error=error.strerror or str(error))


def _file_on_the_way(path: Path) -> Path:
    """The nearest parent of path that exists (a file where a folder was expected)."""
    for parent in path.parents:
        if parent.exists():
            return parent
    return path.parent


def prepare_folder(folder: Path) -> None:
    """Create the output folder; OutputError (in Vietnamese) when it cannot be one."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise FileExistsError(errno.EEXIST, "File exists", str(folder))
    except OSError as e:
        if e.errno in (errno.ENOTDIR, errno.EEXIST):
            blocker = folder if folder.exists() else _file_on_the_way(folder)
            raise OutputError("output-folder-is-file", folder=folder, blocker=blocker) from e
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputError("output-folder-no-permission", folder=folder, parent=_file_on_the_way(folder)) from e
        raise os_error(folder, e) from e


def _file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the process's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A unique temporary file in path's folder ('.xxxx.tmp'), renamed to path when the block ends without
    an error, and removed on any failure (Ctrl+C too). OS errors become OutputError."""
    path = Path(path)
    prepare_folder(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except OSError as e:
        raise os_error(path, e) from e
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, FILE_MODE)  # mkstemp's file is private (0600); the output is an ordinary file
        yield tmp
        os.replace(tmp, path)
    except OSError as e:
        raise os_error(path, e) from e
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, *, sync: bool = True) -> Path:
    """Write data to path through a temporary file in the same folder; never a half-written file.

    A .docx or .xlsx is parsed back first (zip and every XML part): one that would not open is never
    written, and the old file is kept (OutputError, an internal error).
    With sync=False the data is not flushed to disk here: the caller calls sync_folders once
    at the end (a batch writes thousands of files; one fsync each costs more than the render).
    Where the system cannot flush everything at once (no os.sync), each file is flushed anyway.
    """
    path = Path(path)
    problem = package_problem(path.name, data)
    if problem:
        raise OutputError("package-broken", name=path.name, problem=problem)
    with atomic_path(path) as tmp, tmp.open("wb") as f:
        f.write(data)
        f.flush()
        if sync or not hasattr(os, "sync"):
            os.fsync(f.fileno())
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


# One `soffice --convert-to` call converts at most about 246 files and then stops, silently and with
# exit status 0 (LibreOffice 7/24: measured, whatever the length of the names); calls take fewer.
SOFFICE_MAX_FILES = 200


def convert_many_to_pdf(docs: list[Path], workers: int = 1, timeout: int = 1800) -> dict[Path, Path]:
    """Convert many .docx to PDF beside them, with LibreOffice started once per worker and per
    SOFFICE_MAX_FILES files, not once per file.

    Each worker is one `soffice --convert-to pdf` at a time over its share of the files, with its own
    profile so that several can run at once. Returns docx → pdf for those converted; when some are not,
    PdfError names them and carries the others (`converted`).
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfError("no-libreoffice")
    if not docs:
        return {}
    shares = [docs[i :: max(1, workers)] for i in range(max(1, min(workers, len(docs))))]
    calls = [[share[k : k + SOFFICE_MAX_FILES] for k in range(0, len(share), SOFFICE_MAX_FILES)] for share in shares]
    converted: dict[Path, Path] = {}
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as work:
        for round_ in range(max(len(c) for c in calls)):  # in each round, one call per worker
            jobs = []
            try:
                for n, share_calls in enumerate(calls):
                    if round_ < len(share_calls):
                        chunk = share_calls[round_]
                        out = Path(work, f"out{n}-{round_}")
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
        more = f" và {len(missing) - 10} tệp khác" if len(missing) > 10 else ""
        error = PdfError("pdf-failed", files=", ".join(missing[:10]) + more)
        error.converted = converted
        raise error
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


def _zip_into(target: Path | IO[bytes], entries: Iterable[tuple[str, bytes | Path]]) -> None:
    """Zip (name, data or file) entries into target; Office files (already compressed) are stored,
    not deflated again; files are copied from disk as they are added, never held in memory."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            packed = name.lower().endswith((".docx", ".xlsx", ".pdf", ".zip"))
            compress = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            if isinstance(data, Path):
                z.write(data, name, compress_type=compress)
            else:
                z.writestr(name, data, compress_type=compress)


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) entries, in memory."""
    buffer = io.BytesIO()
    _zip_into(buffer, entries)
    return buffer.getvalue()


def write_zip(path: Path, files: Iterable[Path]) -> Path:
    """A zip of files (each under its own name, in name order) written atomically, and read back
    (every member's CRC) before the rename: a broken zip is never written (OutputError)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        _zip_into(tmp, [(f.name, f) for f in sorted(set(files), key=lambda p: p.name)])
        with zipfile.ZipFile(tmp) as z:
            broken = z.testzip()
        if broken is not None:
            raise OutputError("zip-broken", name=path.name, member=broken)
    return path


def refuse_overwriting(inputs: Iterable[Path], outputs: Iterable[Path]) -> None:
    """OutputError, before anything is written, when an output would replace one of the inputs
    (the same file, whatever the path: links and relative paths included)."""
    read: dict[tuple[int, int], Path] = {}
    for path in inputs:
        with contextlib.suppress(OSError):
            info = os.stat(path)
            read.setdefault((info.st_dev, info.st_ino), Path(path))
    for output in outputs:
        try:
            info = os.stat(output)
        except OSError:
            continue
        source = read.get((info.st_dev, info.st_ino))
        if source is not None:
            raise OutputError("would-overwrite-input", output=output, source=source)
