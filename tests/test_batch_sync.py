"""Issue 15: a batch flushes its outputs once at the end (one fsync per folder), not once per file,
and every output is still written through a temporary file and a rename."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import docx
import pytest

from baocao.batch.demo import write_demo_workbooks
from baocao.batch.run import BatchOptions, run_batch
from baocao.communes import communes_of
from baocao.form import find_form
from baocao.write import sync_folders, write_atomic


@pytest.fixture
def syncs(monkeypatch) -> dict[str, list[str]]:
    """The paths of every os.fsync (files and folders apart) and the os.sync calls made during the test."""
    seen: dict[str, list[str]] = {"files": [], "folders": [], "sync": []}
    real_fsync, real_sync = os.fsync, os.sync

    def fsync(fd: int) -> None:
        kind = "folders" if stat.S_ISDIR(os.fstat(fd).st_mode) else "files"
        seen[kind].append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def sync() -> None:
        seen["sync"].append("sync")
        real_sync()

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", sync)
    return seen


def test_batch_flushes_once_at_the_end_not_once_per_report(tmp_path: Path, syncs) -> None:
    data, out = tmp_path / "in", tmp_path / "out"
    write_demo_workbooks(find_form(), communes_of("Lai Châu")[:6], data, workers=1)
    for seen in syncs.values():
        seen.clear()  # only the batch's own flushes
    result = run_batch(sorted(data.glob("*.xlsx")), out, BatchOptions(workers=1, zip=False))
    assert result.written == 6
    reports = sorted(out.glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 6 and all(docx.Document(p).paragraphs for p in reports)
    assert not list(out.glob(".*.tmp")), "a temporary file was left behind"
    assert syncs["sync"] == ["sync"]  # everything written flushed in one call, at the end
    assert syncs["folders"] == [str(out)]  # then the folder's renames, once
    assert not [f for f in syncs["files"] if "_bao-cao-cchc_" in f]  # no report flushed on its own
    # the roll-up (its report and tong_hop.xlsx, flushed one by one) runs in an isolated worker process
    # (baocao/isolate.py), whose flushes this process does not see
    assert syncs["files"] == []


def test_write_atomic_without_sync_still_writes_through_a_rename(tmp_path: Path, syncs, monkeypatch) -> None:
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(a: str, b: str) -> None:
        renames.append((str(a), str(b)))
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "a.txt"  # not a .docx: write_atomic parses a .docx back, and b"new" is no package
    target.write_bytes(b"old")
    assert write_atomic(target, b"new", sync=False) == target
    assert target.read_bytes() == b"new" and syncs["files"] == []
    temporary = Path(renames[0][0]).name  # unique, in the same folder: '.xxxxxxxx.tmp'
    assert renames[0][1] == str(target) and temporary.startswith(".") and temporary.endswith(".tmp")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    write_atomic(target, b"newer")  # the default still flushes the file itself
    assert len(syncs["files"]) == 1 and target.read_bytes() == b"newer"
    sync_folders([tmp_path, tmp_path, tmp_path / "not-there"])
    assert syncs["folders"] == [str(tmp_path)] and syncs["sync"] == ["sync"]
