"""Many communes submitting at once, one client (thread) each, over real HTTP: used by the load test
(tests/portal/test_scale.py) and by benchmarks/bench_portal.py."""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from baocao.portal.db import make_engine, sessions
from baocao.portal.models import Submission, Version
from tests.portal.conftest import Client, Portal
from tests.portal.test_web import unit_id


@dataclass
class Sent:
    username: str
    status: int
    seconds: float  # from sending the workbook to the answer (checked, stored, counted)


@dataclass
class LoadResult:
    sent: list[Sent] = field(default_factory=list)
    wall: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.sent) / self.wall if self.wall else 0.0

    @property
    def p95(self) -> float:
        times = sorted(s.seconds for s in self.sent)
        return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def prepare_clients(clients: dict[str, Client], period: int) -> dict[str, int]:
    """Each client opens its home page (its own commune, a CSRF token), as a clerk would first."""
    return {name: unit_id(client, period) for name, client in clients.items()}


def submit_all(clients: dict[str, Client], units: dict[str, int], period: int, books: dict[str, Path],
               parallel: bool = True) -> LoadResult:  # fmt: skip
    """Every client uploads its workbook once: all at the same moment (a thread each), or one after another."""
    result = LoadResult()
    lock = threading.Lock()
    start = threading.Barrier(len(clients) if parallel else 1)

    def one(name: str) -> None:
        client, content = clients[name], books[name].read_bytes()
        if parallel:
            start.wait()
        began = time.monotonic()
        reply = client.post(f"/ky/{period}/don-vi/{units[name]}/nop", {}, {"workbook": (books[name].name, content)})
        with lock:
            result.sent.append(Sent(name, reply.status, time.monotonic() - began))

    began = time.monotonic()
    if parallel:
        threads = [threading.Thread(target=one, args=(name,)) for name in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for name in clients:
            one(name)
    result.wall = time.monotonic() - began
    return result


def stored(portal: Portal, period: int) -> dict[int, list[int]]:
    """unit id → the version numbers stored for it in the period (from the database itself)."""
    engine = make_engine(portal.database_url)
    with sessions(engine)() as s:
        rows = s.execute(
            select(Submission.unit_id, Version.number)
            .join(Version, Version.submission_id == Submission.id)
            .where(Submission.period_id == period)
            .order_by(Submission.unit_id, Version.number)
        ).all()
        assert s.scalar(select(func.count()).select_from(Submission).where(Submission.period_id == period)) == len(
            {u for u, _ in rows}
        )
    engine.dispose()
    found: dict[int, list[int]] = {}
    for unit, number in rows:
        found.setdefault(unit, []).append(number)
    return found
