"""More than one machine, and load: two `portal serve` processes on one PostgreSQL serving the same
sessions and submissions; 114 communes submitting at once within a minute, on SQLite and PostgreSQL,
with no submission lost or counted twice and the board's counts right."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT
from tests.portal.conftest import ADMIN, OFFICER, Client, Portal
from tests.portal.load import prepare_clients, stored, submit_all
from tests.portal.sessions import logged_in, share
from tests.portal.test_so import wait_for
from tests.portal.workbooks import HAI_PHONG, demo_workbook


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def portal_serve(portal: Portal) -> Iterator[str]:
    """`python generate.py portal serve` in its own process, until it answers; its base URL."""
    port = _free_port()
    command = [sys.executable, str(ROOT / "generate.py"), "portal", "serve", "--port", str(port), "--data", portal.data]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        ends = time.monotonic() + 120
        while time.monotonic() < ends:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def open_period_on(client: Client, period: str, year: str) -> int:
    client.get("/")
    reply = client.post("/ky", {"form": "hai_phong_2025", "period": period, "year": year, "deadline": "2099-12-31"})
    assert reply.status == 302, reply.page_text[:300]
    return max(int(n) for n in re.findall(r'href="/ky/(\d+)"', client.get("/").text))


def board_counts(client: Client, period: int) -> dict[str, int]:
    text = client.get(f"/ky/{period}").page_text
    return {s: int(n) for s, n in re.findall(r"(chưa nộp|có lỗi|bị trả lại|nộp muộn|đã nộp|đã duyệt): (\d+)", text)}


def test_two_servers_on_one_postgresql_serve_the_same_users(portal_postgresql: Portal, tmp_path: Path) -> None:
    communes = [c.file_stem for c in HAI_PHONG[20:26]]
    racer = HAI_PHONG[30].file_stem
    with portal_serve(portal_postgresql) as a, portal_serve(portal_postgresql) as b:
        staff = logged_in(portal_postgresql, a, [ADMIN, OFFICER])
        period = open_period_on(staff[ADMIN], "Quý IV", "2027")
        books = {u: demo_workbook(tmp_path, u, "Quý IV", 2027) for u in [*communes, racer]}
        on_a = logged_in(portal_postgresql, a, [*communes, racer])
        units = prepare_clients(on_a, period)
        on_b = {u: share(c, b) for u, c in on_a.items()}
        assert "Các kỳ báo cáo" in on_b[racer].get("/").page_text  # the session signed by A is valid on B
        replies: list[int] = []

        def send(client: Client, name: str) -> None:
            book = books[name]
            reply = client.post(
                f"/ky/{period}/don-vi/{units[name]}/nop", {}, {"workbook": (book.name, book.read_bytes())}
            )
            replies.append(reply.status)

        def twice(name: str) -> None:
            send(on_a[name], name)
            send(on_b[name], name)

        threads = [threading.Thread(target=twice, args=(u,)) for u in communes]
        racer_clients = [on_a[racer], on_b[racer], share(on_a[racer], a), share(on_a[racer], b)]
        threads += [threading.Thread(target=send, args=(c, racer)) for c in racer_clients]  # all at once
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert replies == [302] * (2 * len(communes) + 4)
        versions = stored(portal_postgresql, period)
        assert versions == {**{units[u]: [1, 2] for u in communes}, units[racer]: [1, 2, 3, 4]}
        officer_b = share(staff[OFFICER], b)
        counts = board_counts(officer_b, period)
        assert counts["đã nộp"] == len(communes) + 1 and counts["chưa nộp"] == 114 - len(communes) - 1

        # a consolidation started on A is followed and downloaded on B (state in the database, files shared)
        started = staff[OFFICER].post(f"/ky/{period}/tong-hop", {"scope": "moi-nhat"})
        assert started.status == 302, started.page_text[:300]
        text = wait_for(officer_b, started.location.split(a, 1)[-1])
        href = next(h for h, n in re.findall(r'<a href="([^"]+)">([^<]+)</a>', text) if n == "tong_hop.xlsx")
        assert officer_b.get(href).status == 200


def test_114_communes_submit_within_a_minute(portal: Portal, tmp_path: Path) -> None:
    names = [c.file_stem for c in HAI_PHONG]
    staff = logged_in(portal, portal.url, [ADMIN, OFFICER])
    period = open_period_on(staff[ADMIN], "Năm", "2027")
    books = {u: demo_workbook(tmp_path, u, "Năm", 2027) for u in names}
    clients = logged_in(portal, portal.url, names)
    units = prepare_clients(clients, period)
    result = submit_all(clients, units, period, books)
    print(f"\n114 submissions: {result.wall:.1f} s, {result.per_second:.2f}/s, p95 {result.p95:.2f} s")
    assert [s.status for s in result.sent] == [302] * 114
    assert result.wall < 60
    assert stored(portal, period) == {units[u]: [1] for u in names}  # none lost, none twice
    assert board_counts(staff[OFFICER], period) == {
        "chưa nộp": 0, "có lỗi": 0, "bị trả lại": 0, "nộp muộn": 0, "đã nộp": 114, "đã duyệt": 0}  # fmt: skip
