"""The province portal under load: submissions per second and the p95 time from sending a workbook
to its result (checked, stored, counted), for 114 communes submitting at once (one client thread
each) against one `python generate.py portal serve`, with a baseline measured in the same run: one
client submitting alone, one workbook after another.

    python benchmarks/bench_portal.py [--database sqlite|postgresql] [--communes 114] [--baseline 10]

The portal is made by the real `portal init` (Hải Phòng) in a temporary folder, on SQLite or on a
throwaway PostgreSQL cluster (tests/pg_cluster.py); the workbooks are each commune's demo workbook.
Sessions are signed cookies made with the portal's key (tests/portal/sessions.py): logins are
argon2 by design and would measure the hash, not the submissions.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg_cluster import cluster, create_database  # noqa: E402
from tests.portal.conftest import ADMIN, Portal, init_portal  # noqa: E402
from tests.portal.load import LoadResult, prepare_clients, stored, submit_all  # noqa: E402
from tests.portal.sessions import logged_in  # noqa: E402
from tests.portal.test_scale import open_period_on, portal_serve  # noqa: E402
from tests.portal.workbooks import HAI_PHONG, demo_workbook  # noqa: E402


def _line(label: str, result: LoadResult) -> str:
    ok = sum(s.status == 302 for s in result.sent)
    return (
        f"{label:<28} {len(result.sent):>4} bản nộp ({ok} nhận) trong {result.wall:6.1f} s: "
        f"{result.per_second:5.2f} bản nộp/giây, p95 {result.p95:5.2f} s"
    )


def run(portal: Portal, communes: int, baseline: int, work: Path) -> None:
    names = [c.file_stem for c in HAI_PHONG[:communes]]
    with portal_serve(portal) as url:
        admin = logged_in(portal, url, [ADMIN])[ADMIN]
        alone, together = open_period_on(admin, "Quý I", "2031"), open_period_on(admin, "Quý II", "2031")
        first = {u: demo_workbook(work / "q1", u, "Quý I", 2031) for u in names[:baseline]}
        books = {u: demo_workbook(work / "q2", u, "Quý II", 2031) for u in names}
        clients = logged_in(portal, url, names)
        base = {u: clients[u] for u in first}
        sequential = submit_all(base, prepare_clients(base, alone), alone, first, parallel=False)
        parallel = submit_all(clients, prepare_clients(clients, together), together, books)
    for period, expected in ((alone, len(first)), (together, len(names))):
        versions = stored(portal, period)
        assert len(versions) == expected and all(v == [1] for v in versions.values()), "lost or duplicated"
    print(_line("1 đơn vị, lần lượt (gốc)", sequential))
    print(_line(f"{len(names)} đơn vị cùng lúc", parallel))
    print(
        f"tỷ lệ so với gốc: {parallel.per_second / sequential.per_second:.2f}× bản nộp/giây, "
        f"p95 {parallel.p95 / sequential.p95:.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--communes", type=int, default=114)
    parser.add_argument("--baseline", type=int, default=10, help="workbooks the single client sends in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        url = None
        if args.database == "postgresql":
            url = create_database(stack.enter_context(cluster()), f"bench_{uuid.uuid4().hex[:8]}")
        portal = init_portal(work / "data", url)
        print(f"Cổng tỉnh Hải Phòng trên {args.database}; {args.communes} đơn vị, gốc {args.baseline} bản nộp.")
        run(portal, args.communes, args.baseline, work)


if __name__ == "__main__":
    main()
