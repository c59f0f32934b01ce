"""The web page's overhead: a city's workbooks uploaded to the running page (waitress) until the result is
ready, against run_batch called directly on the same files with the same options, in the same run.

    python benchmarks/bench_web.py [--communes 114] [--runs 2]

The page runs the batch with one worker (a process pool is not forked from a server thread), so the
baseline does too; the difference is the upload, the content checks, the copies and the polling.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from werkzeug.test import EnvironBuilder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao.batch.run import BatchOptions, run_batch  # noqa: E402
from baocao.web.app import create_app, serving  # noqa: E402
from baocao.web.jobs import Limits  # noqa: E402


def direct(files: list[Path], work: Path) -> float:
    start = time.perf_counter()
    run_batch(files, Path(tempfile.mkdtemp(dir=work)), BatchOptions(workers=1))
    return time.perf_counter() - start


def through_the_page(files: list[Path], url: str) -> float:
    start = time.perf_counter()
    builder = EnvironBuilder(method="POST", data={"tep": [(io.BytesIO(p.read_bytes()), p.name) for p in files]})
    environ = builder.get_environ()
    request = urllib.request.Request(
        f"{url}/tai-len", data=environ["wsgi.input"].read(), headers={"Content-Type": environ["CONTENT_TYPE"]}
    )
    with urllib.request.urlopen(request) as reply:  # follows the 303 to the result page
        job = reply.url.rstrip("/").split("/")[-1]
    while True:
        with urllib.request.urlopen(f"{url}/ket-qua/{job}/trang-thai") as reply:
            if json.load(reply)["state"] in ("done", "failed"):
                break
        time.sleep(0.05)
    with urllib.request.urlopen(f"{url}/ket-qua/{job}") as reply:
        reply.read()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=114)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, str(ROOT / "generate.py"), "demo-data", "--communes", str(args.communes), "-o",
             str(work / "in")],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        files = sorted((work / "in").rglob("*.xlsx"))
        size = sum(p.stat().st_size for p in files) / 1048576
        app = create_app(Limits(max_files=max(200, len(files)), max_request_bytes=500 * 1048576), work_root=work)
        with serving(app) as url:
            base = min(direct(files, work) for _ in range(args.runs))
            page = min(through_the_page(files, url) for _ in range(args.runs))
        app.extensions["baocao_jobs"].close()
    print(f"{len(files)} workbooks ({size:.1f} MB), best of {args.runs}")
    print(f"  baseline, run_batch called directly (1 worker): {base:6.2f} s  (1.00)")
    print(f"  uploaded to the page until the result is shown: {page:6.2f} s  ({page / base:.2f}×)")


if __name__ == "__main__":
    main()
