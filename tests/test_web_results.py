"""The result page of an upload with many files, against the real server and in a real browser: each
result under the commune's official name (the uploaded file name small beside it), errors first, then
warnings, then đủ; a filter (links with ?loc=…, no script needed); counts per commune; of two copies of
one commune's workbook the one saved last is used and the other listed as replaced."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import run_cli
from tests.test_identity import renamed, set_saved_time
from tests.test_web import Limits, Site, fetch, serve
from tests.test_web_browser import (  # noqa: F401 - fixtures
    XLSX_MIME,
    browser,
    page,
    playwright_driver,
    site,
    upload,
    wait_done,
)

NOT_A_WORKBOOK = ("ghi chu.xlsx", "STT;Chỉ tiêu;Số liệu\n1;Văn bản;3\n".encode())
# (state, name shown, file shown) in page order: errors, then warnings, then đủ; by name within each
EXPECTED = [
    ("loi", "Phường An Biên", "Bao cao CCHC 6 thang (57).xlsx"),
    ("loi", "", "ghi chu.xlsx"),
    ("canh-bao", "Phường An Dương", "Bao cao CCHC 6 thang (58).xlsx"),
    ("canh-bao", "Phường An Dương", "Bao cao CCHC 6 thang (59).xlsx"),
    ("du", "Phường Ái Quốc", "Bao cao CCHC 6 thang (56).xlsx"),
]


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    """Four workbooks of three Hải Phòng communes as a Sở receives them, and one file that is no workbook:
    (56) Ái Quốc, fine; (57) An Biên with an error; (58) An Dương typed without accents, saved last;
    (59) An Dương again, saved before (58)."""
    folder = tmp_path_factory.mktemp("many")
    assert run_cli("demo-data", "--communes", "3", "-o", folder).returncode == 0
    ai_quoc, an_bien, an_duong = (folder / f"phuong-{n}.xlsx" for n in ("ai-quoc", "an-bien", "an-duong"))
    wb = openpyxl.load_workbook(an_bien)
    ws = wb["Biểu mẫu 1"]
    next(r for r in ws.iter_rows() if r[0].value == "4.1.2.")[3].value = 999
    wb.save(an_bien)
    plain = set_saved_time(renamed(an_duong, folder / "an_duong_khong_dau.xlsx", "An Duong"), "2026-06-10T08:00:00Z")
    set_saved_time(an_duong, "2026-06-09T08:00:00Z")
    files = [ai_quoc, an_bien, plain, an_duong]
    return [(f"Bao cao CCHC 6 thang ({56 + i}).xlsx", p.read_bytes()) for i, p in enumerate(files)] + [NOT_A_WORKBOOK]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve(Limits(), tmp_path_factory.mktemp("web-results"))


def entries(html: str) -> list[tuple[str, str, str]]:
    """(state, name, file) of each entry of the result list, in page order."""
    found = []
    for item in re.findall(r'<li class="file [^"]*" data-state="([^"]+)">(.*?)</li>\s*(?=<li class="file|</ul>\s*<form)',
                           html, re.S):  # fmt: skip
        state, body = item
        name = re.search(r'<span class="unit-name">([^<]*)</span>', body)
        file = re.search(r'<span class="file-name[^"]*">([^<]*)</span>', body)
        found.append((state, unescape(name.group(1)) if name else "", unescape(file.group(1))))
    return found


def test_results_by_commune_errors_first_with_a_filter(server: Site, uploads: list[tuple[str, bytes]]) -> None:
    job_id, result = server.run(uploads)
    assert result.status == 200
    assert entries(result.text) == EXPECTED
    text = result.page_text
    assert "2/3 báo cáo; 1 đơn vị lỗi; 111 thiếu; không nhận 1 tệp." in text
    assert "Tất cả (4) Lỗi (2) Cảnh báo (1) Đủ (1)" in text  # An Dương's two workbooks are one commune
    assert (
        "“Phường An Duong” được hiểu là Phường An Dương (tên viết không dấu). Hãy ghi đúng tên chính thức “An Dương”."
    ) in text
    assert (
        "Không dùng bảng tính này: phường An Dương đã có bảng tính lưu sau (Bao cao CCHC 6 thang (58).xlsx, "
    ) in text
    assert "bao-cao-cchc-6-thang" not in text  # the stored names never show
    for chosen, states in (("loi", {"loi"}), ("canh-bao", {"canh-bao"}), ("du", {"du"})):
        filtered = fetch(f"{server.url}/ket-qua/{job_id}?loc={chosen}")
        assert filtered.status == 200
        assert entries(filtered.text) == [e for e in EXPECTED if e[0] in states]
        assert re.search(rf'<a href="[^"]*\?loc={chosen}" data-loc="{chosen}"\s+class="current" aria-current="true"',
                         filtered.text)  # fmt: skip
    assert entries(fetch(f"{server.url}/ket-qua/{job_id}?loc=khong-co").text) == EXPECTED  # unknown: everything


@pytest.mark.browser
def test_the_filter_in_the_browser(page: Page, uploads: list[tuple[str, bytes]]) -> None:  # noqa: F811
    upload(page, *({"name": name, "mimeType": XLSX_MIME, "buffer": data} for name, data in uploads))
    wait_done(page)
    items = page.locator("#danh-sach-tep > li.file")
    expect(items).to_have_count(5)
    assert [items.nth(i).get_attribute("data-state") for i in range(5)] == [e[0] for e in EXPECTED]
    expect(items.first.locator(".unit-name")).to_have_text("Phường An Biên")
    expect(items.first.locator(".file-name")).to_have_text("Bao cao CCHC 6 thang (57).xlsx")
    page.locator("#loc").get_by_role("link", name="Lỗi (2)").click()
    page.wait_for_url(re.compile(r"\?loc=loi$"))
    expect(items).to_have_count(2)
    expect(page.locator("#loc a.current")).to_have_text("Lỗi (2)")
    page.locator("#loc").get_by_role("link", name="Đủ (1)").click()
    expect(items).to_have_count(1)
    expect(items.first.locator(".unit-name")).to_have_text("Phường Ái Quốc")
    page.locator("#loc").get_by_role("link", name="Tất cả (4)").click()
    expect(items).to_have_count(5)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    """Two copies of Ái Quốc's workbook, the first saved last: the first's name has regex metacharacters
    (stored as 'bao-cao-ai-quoc-1.xlsx'), the second is named as that stored name (stored under a longer
    name it is a prefix of, 'bao-cao-ai-quoc-1-2.xlsx'); and An Biên's with an error."""
    folder = tmp_path_factory.mktemp("copies")
    assert run_cli("demo-data", "--communes", "2", "-o", folder).returncode == 0
    ai_quoc, an_bien = folder / "phuong-ai-quoc.xlsx", folder / "phuong-an-bien.xlsx"
    wb = openpyxl.load_workbook(an_bien)
    next(r for r in wb["Biểu mẫu 1"].iter_rows() if r[0].value == "4.1.2.")[3].value = 999
    wb.save(an_bien)
    newest = set_saved_time(renamed(ai_quoc, folder / "moi.xlsx", "Ái Quốc"), "2026-06-10T08:00:00Z").read_bytes()
    older = set_saved_time(ai_quoc, "2026-06-09T08:00:00Z").read_bytes()
    return [
        ("Báo cáo (Ái Quốc) [1]+.xlsx", newest),
        ("bao-cao-ai-quoc-1.xlsx", older),
        ("An Biên.xlsx", an_bien.read_bytes()),
    ]


def test_every_sentence_names_the_uploaded_files(server: Site, copies: list[tuple[str, bytes]]) -> None:
    """The page words each sentence from the data with the clerk's names (Job.names), never by
    rewriting a sentence: a name with regex metacharacters, and one that is another's stored name."""
    job_id, result = server.run(copies)
    job = server.store.get(job_id)
    assert job is not None and job.names == {
        "bao-cao-ai-quoc-1.xlsx": "Báo cáo (Ái Quốc) [1]+.xlsx",
        "bao-cao-ai-quoc-1-2.xlsx": "bao-cao-ai-quoc-1.xlsx",
        "an-bien.xlsx": "An Biên.xlsx",
    }
    assert entries(result.text) == [
        ("loi", "Phường An Biên", "An Biên.xlsx"),
        ("canh-bao", "Phường Ái Quốc", "Báo cáo (Ái Quốc) [1]+.xlsx"),
        ("canh-bao", "Phường Ái Quốc", "bao-cao-ai-quoc-1.xlsx"),
    ]
    text = result.page_text
    both = ("Báo cáo (Ái Quốc) [1]+.xlsx", "bao-cao-ai-quoc-1.xlsx")
    assert any(f"có 2 bảng tính của phường Ái Quốc cùng kỳ ({a}, {b}): dùng bảng tính này" in text
               for a, b in (both, both[::-1]))  # fmt: skip
    assert "Không dùng bảng tính này: phường Ái Quốc đã có bảng tính lưu sau (Báo cáo (Ái Quốc) [1]+.xlsx, " in text
    assert "vượt" in text  # An Biên's error is listed
    assert "bao-cao-ai-quoc-1-2" not in text and "an-bien.xlsx" not in text  # no stored name shows


def test_the_page_never_rewrites_a_sentence() -> None:
    """Issue 11: the web page phrases from the data; no regular expression runs on its sentences."""
    web = Path(__file__).parent.parent / "baocao" / "web"
    for path in web.glob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert "re.sub(" not in code and "re.subn(" not in code, path
        assert [line for line in code.splitlines() if "re.compile(" in line and "JOB_ID" not in line] == [], path
