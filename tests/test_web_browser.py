"""The web page in a real browser (Debian's chromium driven by Playwright): what a clerk sees and does —
choose or drag workbooks, watch the progress, read each file's result, download the reports — against
the page served by waitress exactly as `python generate.py serve` serves it."""

from __future__ import annotations

import base64
import fnmatch
import io
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Download,
    Locator,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from baocao.stages import Stage
from baocao.web import jobs as webjobs
from baocao.web.app import create_app
from baocao.web.jobs import JobStore, Limits
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, DATA, ROOT, all_text, run_cli, start_server

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
BAD = DATA / "bad_part_exceeds_total.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DONE_TIMEOUT = 120_000  # ms: a batch with its roll-up, in a slow CI
PDF_TIMEOUT = 300_000  # ms: LibreOffice's first start can be slow


@dataclass
class Site:
    url: str
    store: JobStore


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    app = create_app(work_root=tmp_path_factory.mktemp("web-browser"))
    store: JobStore = app.extensions["baocao_jobs"]
    with start_server(app) as url:
        yield Site(url, store)
    store.close()


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # No skip: CI installs chromium, and a missing browser must fail the run.
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is not installed (apt-get install chromium)"
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def open_page(browser: Browser, base_url: str) -> tuple[Page, list[str]]:
    """A fresh context and page; the list collects script errors and console errors (e.g. CSP violations)."""
    context = browser.new_context(accept_downloads=True, base_url=base_url, viewport={"width": 1100, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))

    def on_console(message: ConsoleMessage) -> None:
        # A 404 page we open on purpose is logged as "Failed to load resource"; anything else is a fault.
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    return page, problems


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    page, problems = open_page(browser, site.url)
    yield page
    page.context.close()
    assert problems == [], problems


# --- helpers: what a clerk does --------------------------------------------------------------------


def submit(page: Page) -> str:
    """Click "Kiểm tra và lập báo cáo"; returns the result page's job id."""
    page.locator("#nut-lap-bao-cao").click()
    page.wait_for_url(re.compile(r"/ket-qua/[A-Za-z0-9_-]+$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def upload(page: Page, *files: Path | dict[str, Any], pdf: bool = False) -> str:
    """Choose the files with the file picker on the index page and submit; returns the job id."""
    page.goto("/")
    page.locator("#tep").set_input_files(list(files))
    expect(page.locator("#tep-da-chon li")).to_have_count(len(files))
    if pdf:
        page.locator("#pdf").check()
    return submit(page)


def wait_done(page: Page, timeout: float = DONE_TIMEOUT) -> None:
    expect(page.locator("#ket-qua")).to_have_attribute("data-state", "done", timeout=timeout)


def file_line(page: Page, name: str) -> Locator:
    """The result line of one uploaded file (li.file), found by the name the clerk uploaded."""
    line = page.locator("#danh-sach-tep > li.file").filter(
        has=page.locator(".file-name", has_text=re.compile(f"^{re.escape(name)}$"))
    )
    expect(line).to_have_count(1)
    return line


def download(page: Page, link: Locator, folder: Path) -> tuple[Download, Path]:
    """Click a download link; the file saved under its suggested name in `folder`."""
    with page.expect_download() as info:
        link.click()
    got = info.value
    assert got.failure() is None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / got.suggested_filename
    got.save_as(path)
    return got, path


@pytest.fixture(scope="module")
def lai_chau(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("lai_chau")
    result = run_cli("demo-data", "--communes", "4", "--province", "Lai Châu", "-o", folder)
    assert result.returncode == 0, result.stderr
    workbooks = sorted(folder.rglob("*.xlsx"))
    assert len(workbooks) == 4
    return workbooks


# --- the index page ----------------------------------------------------------------------------------


def test_index_page_is_vietnamese_and_gives_a_blank_workbook(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    expect(page).to_have_title("Lập báo cáo cải cách hành chính")
    expect(page.locator("header.top .home")).to_have_text("Lập báo cáo cải cách hành chính")
    expect(page.locator("h2")).to_have_text(
        ["1 Tải bảng tính trống về để nhập số liệu", "2 Tải bảng tính đã nhập lên để kiểm tra và lập báo cáo"]
    )
    expect(page.locator("#vung-tha strong")).to_have_text("Kéo thả bảng tính (.xlsx) vào đây")
    expect(page.locator("#nut-lap-bao-cao")).to_have_text("Kiểm tra và lập báo cáo")
    expect(page.locator("#loi-chon-tep")).to_be_hidden()

    # The blank workbook of the form shown as chosen, as the page offers it.
    shown = page.locator("#mau").input_value()
    button = page.get_by_role("button", name="Tải bảng tính trống (.xlsx)")
    got, path = download(page, button, tmp_path / "default")
    assert got.suggested_filename.startswith("bang-tinh-trong_") and got.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Thông tin chung"
    assert "Biểu mẫu 1" in wb.sheetnames
    form_id, _, level = shown.partition("@")
    assert [wb["_baocao"]["B1"].value, wb["_baocao"]["B3"].value or ""] == [form_id, level]

    # Another form chosen in the list: its workbook.
    page.locator("#mau").select_option("hai_duong_2023@commune")
    got, path = download(page, button, tmp_path / "chosen")
    assert got.suggested_filename == "bang-tinh-trong_hai-duong-2023-commune.xlsx"
    wb = openpyxl.load_workbook(path)
    assert "Thông tin chung" in wb.sheetnames
    assert [wb["_baocao"]["B1"].value, wb["_baocao"]["B3"].value] == ["hai_duong_2023", "commune"]


# --- uploads -----------------------------------------------------------------------------------------


def test_one_workbook_gives_the_cli_report(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    page.locator("#tep").set_input_files(SAMPLE)
    expect(page.locator("#tep-da-chon li")).to_have_text([re.compile(r"^nhi_chieu_2026_6thang\.xlsx \(\d+ KB\)$")])
    submit(page)
    wait_done(page)
    expect(page.locator("#tom-tat")).to_have_text("1/1 báo cáo; 0 đơn vị lỗi.")
    line = file_line(page, SAMPLE.name)
    expect(line).to_have_class(re.compile(r"\bdu\b"))
    expect(line.locator(".status")).to_contain_text("Đã lập báo cáo")
    expect(page.locator("#tai-tong-hop")).to_have_count(0)  # one report: no roll-up

    got, path = download(page, line.get_by_role("link", name="Báo cáo (.docx)"), tmp_path / "web")
    assert "Nhị Chiểu" in all_text(docx.Document(str(path)))

    cli_out = tmp_path / "cli"
    result = run_cli(SAMPLE, "-o", cli_out)
    assert result.returncode == 0, result.stdout + result.stderr
    [cli_docx] = cli_out.rglob("*.docx")
    assert got.suggested_filename == cli_docx.name
    assert path.read_bytes() == cli_docx.read_bytes()


def test_errors_show_the_cli_line_and_no_report(page: Page) -> None:
    cli = run_cli("check", BAD)
    assert cli.returncode == 1
    [cli_line] = [line.strip() for line in cli.stdout.splitlines() if "Biểu mẫu 1!D14" in line]
    assert cli_line.startswith("[LỖI] Biểu mẫu 1!D14 (")

    upload(page, BAD)
    wait_done(page)
    expect(page.locator("#tom-tat")).to_have_text("0/1 báo cáo; 1 đơn vị lỗi.")
    line = file_line(page, BAD.name)
    expect(line).to_have_class(re.compile(r"\bloi\b"))
    expect(line.locator(".status")).to_have_text("Có 1 lỗi, chưa lập được báo cáo. Sửa rồi tải lên lại.")
    shown = [text.strip() for text in line.locator(".problems li.loi").all_text_contents()]
    assert cli_line in shown
    expect(line.get_by_role("link", name="Báo cáo (.docx)")).to_have_count(0)
    expect(page.get_by_role("link", name="Báo cáo (.docx)")).to_have_count(0)
    expect(line.get_by_role("link", name="Danh sách lỗi, cảnh báo (.txt)")).to_have_count(1)


def test_several_workbooks_give_the_zip_with_the_roll_up(page: Page, lai_chau: list[Path], tmp_path: Path) -> None:
    upload(page, *lai_chau)
    expect(page.locator("#tep-da-chon li")).to_have_count(0)  # we are on the result page now
    wait_done(page)
    expect(page.locator("#tom-tat")).to_have_text("4/4 báo cáo; 0 đơn vị lỗi; 34 thiếu.")
    expect(page.locator("#danh-sach-tep > li.file.du")).to_have_count(4)
    for workbook in lai_chau:
        expect(file_line(page, workbook.name).locator(".status")).to_contain_text("Đã lập báo cáo")
    roll_up = page.locator("#tai-tong-hop a")
    expect(roll_up).to_have_text(
        ["Tất cả kết quả (.zip)", "Báo cáo tổng hợp (.docx)", "Bảng tổng hợp các đơn vị (.xlsx)"]
    )
    expect(roll_up.first).to_have_class(re.compile(r"\bprimary\b"))

    got, path = download(
        page, page.locator("#tai-tong-hop").get_by_role("link", name="Tất cả kết quả (.zip)"), tmp_path
    )
    assert fnmatch.fnmatch(got.suggested_filename, "tong-hop_*.zip")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        communes = sorted(n for n in names if n.endswith(".docx") and not n.startswith("tong-hop_"))
        assert [n.split("_")[0] for n in communes] == ["ban-bo", "binh-lu", "bum-nua", "bum-to"]
        [consolidated] = fnmatch.filter(names, "tong-hop_*.docx")
        assert "tong_hop.xlsx" in names
        assert len(names) == 6
        rollup = docx.Document(io.BytesIO(archive.read(consolidated)))
        openpyxl.load_workbook(io.BytesIO(archive.read("tong_hop.xlsx")))
    assert "LAI CHÂU" in all_text(rollup).upper()


def test_drag_and_drop(page: Page) -> None:
    page.goto("/")
    zone = page.locator("#vung-tha")
    transfer = page.evaluate_handle(
        """([name, type, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            return transfer;
        }""",
        ["Nhị Chiểu.xlsx", XLSX_MIME, base64.b64encode(SAMPLE.read_bytes()).decode("ascii")],
    )
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile(r"\bover\b"))
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    expect(zone).not_to_have_class(re.compile(r"\bover\b"))
    expect(page.locator("#tep-da-chon li")).to_have_text([re.compile(r"^Nhị Chiểu\.xlsx \(\d+ KB\)$")])
    assert page.locator("#tep").evaluate("(input) => Array.from(input.files, (f) => f.name)") == ["Nhị Chiểu.xlsx"]
    expect(page.locator("#loi-chon-tep")).to_be_hidden()

    submit(page)
    wait_done(page)
    line = file_line(page, "Nhị Chiểu.xlsx")
    expect(line).to_have_class(re.compile(r"\bdu\b"))
    expect(line.get_by_role("link", name="Báo cáo (.docx)")).to_have_count(1)


def test_progress_is_shown_live_and_the_page_turns_into_the_result(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    begin, release = threading.Event(), threading.Event()
    real_run = webjobs.run_in_process

    def held(paths: Any, out_dir: Any, options: Any, progress: Any, *rest: Any) -> Any:
        """The real batch (in its job process), held at two points the test controls."""
        if not begin.wait(60):
            raise TimeoutError("the test never let the batch begin")
        progress(Stage.CHECK, 3)
        progress(None, 1)
        if not release.wait(60):
            raise TimeoutError("the test never released the batch")
        return real_run(paths, out_dir, options, progress, *rest)

    monkeypatch.setattr(webjobs, "run_in_process", held)
    try:
        job_id = upload(page, SAMPLE)
        result_url = page.url
        navigations: list[str] = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
        box = page.locator("#ket-qua")
        text, bar = page.locator("#tien-do-chu"), page.locator("#thanh-tien-do")
        expect(box).to_have_attribute("data-state", re.compile(r"^(queued|running)$"))
        expect(text).to_have_text("Đang chuẩn bị…")
        expect(page.locator("#danh-sach-tep")).to_have_count(0)

        begin.set()  # the batch reports its first stage; the page follows without reloading
        expect(text).to_have_text("Đang kiểm tra số liệu: 1/3")
        expect(bar).to_have_js_property("max", 3)
        expect(bar).to_have_js_property("value", 1)
        assert navigations == []
        assert box.get_attribute("data-state") in ("queued", "running")

        release.set()  # the batch finishes; the page reloads itself into the result
        wait_done(page)
        assert navigations == [result_url]
        assert page.url == result_url and result_url.endswith(job_id)
        expect(page.locator("#tien-do")).to_have_count(0)
        expect(page.locator("#tom-tat")).to_have_text("1/1 báo cáo; 0 đơn vị lỗi.")
        expect(file_line(page, SAMPLE.name).get_by_role("link", name="Báo cáo (.docx)")).to_have_count(1)
    finally:
        begin.set()
        release.set()


def test_a_failure_inside_the_run_is_told_in_vietnamese(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("simulated failure inside the job's run")

    monkeypatch.setattr(webjobs, "run_in_process", broken)
    upload(page, SAMPLE)
    expect(page.locator("#ket-qua")).to_have_attribute("data-state", "failed", timeout=DONE_TIMEOUT)
    message = page.locator("#loi-chay")
    expect(message).to_contain_text("Có lỗi không mong đợi khi lập báo cáo (RuntimeError).")
    expect(message).not_to_contain_text("simulated failure")  # no internals shown
    expect(page.locator("#danh-sach-tep")).to_have_count(0)

    # The page still works: back to the index, and the next upload is made.
    monkeypatch.undo()
    page.locator("#tai-tep-khac").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("h2").first).to_contain_text("Tải bảng tính trống về để nhập số liệu")
    page.locator("#tep").set_input_files(SAMPLE)
    submit(page)
    wait_done(page)
    expect(page.locator("#tom-tat")).to_have_text("1/1 báo cáo; 0 đơn vị lỗi.")


def test_a_file_that_is_not_a_workbook_is_refused_with_the_reason(page: Page) -> None:
    text_file = {"name": "x.xlsx", "mimeType": XLSX_MIME, "buffer": "STT;Chỉ tiêu;Số liệu\n1;Văn bản;3\n".encode()}
    upload(page, text_file)
    wait_done(page)
    line = file_line(page, "x.xlsx")
    expect(line).to_have_class(re.compile(r"\bloi\b"))
    expect(line.locator(".status")).to_contain_text(
        "Không nhận tệp: không phải bảng tính Excel: nội dung là văn bản hoặc định dạng khác"
    )
    expect(line.locator(".status")).to_contain_text("rồi tải tệp .xlsx lên lại.")
    expect(line.locator("a")).to_have_count(0)
    expect(page.locator("#tom-tat")).to_have_text("Không có tệp nào được nhận.")


def test_the_chosen_files_are_checked_before_upload(browser: Browser, tmp_path: Path) -> None:
    app = create_app(Limits(max_files=2), work_root=tmp_path)
    store: JobStore = app.extensions["baocao_jobs"]
    with start_server(app) as url:
        page, problems = open_page(browser, url)
        try:
            posts: list[str] = []
            page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
            page.goto("/")
            expect(page.locator("form#form-tai-len .hint")).to_contain_text("Tối đa 2 tệp một lần")
            problem, button = page.locator("#loi-chon-tep"), page.locator("#nut-lap-bao-cao")

            button.click()  # nothing chosen
            expect(problem).to_be_visible()
            expect(problem).to_have_text("Chưa chọn tệp nào. Hãy kéo thả hoặc bấm “Chọn tệp” để chọn bảng tính .xlsx.")

            page.locator("#tep").set_input_files([SAMPLE, BAD, ROOT / "inputs" / "chi_lang_nam_2023.xlsx"])
            expect(page.locator("#tep-da-chon li")).to_have_count(3)
            expect(problem).to_be_visible()
            expect(problem).to_have_text(
                "Đã chọn 3 tệp; mỗi lần chỉ tải lên được tối đa 2 tệp. Hãy chia thành nhiều lần."
            )
            button.click()
            page.wait_for_timeout(500)  # time for a submission to start, if the page let one through
            assert posts == []
            assert page.url == f"{url}/"
            expect(button).to_be_enabled()
            expect(button).to_have_text("Kiểm tra và lập báo cáo")
            assert store.jobs == {}

            page.locator("#tep").set_input_files([SAMPLE, BAD])  # within the limit: the message goes, it is sent
            expect(problem).to_be_hidden()
            submit(page)
            wait_done(page)
            assert posts == [f"{url}/tai-len"]
            expect(page.locator("#danh-sach-tep > li.file")).to_have_count(2)
        finally:
            page.context.close()
            store.close()
    assert problems == [], problems


def test_delete_now_removes_the_files(page: Page, site: Site) -> None:
    job_id = upload(page, SAMPLE)
    wait_done(page)
    result_url = page.url
    assert (site.store.root / job_id / "ket-qua").is_dir()

    page.get_by_role("button", name="Xoá ngay các tệp này").click()
    page.wait_for_url(re.compile(r"/\?da-xoa=1$"))
    expect(page.locator(".message.ok")).to_have_text("Đã xoá các tệp của lần tải lên trước khỏi máy.")
    expect(page.locator("#tep")).to_be_attached()
    assert not (site.store.root / job_id).exists()

    response = page.goto(result_url)
    assert response is not None and response.status == 404
    expect(page.locator("#thong-bao-loi")).to_contain_text("Không tìm thấy kết quả này")


@pytest.mark.pdf
def test_pdf_when_asked(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    expect(page.locator("#pdf")).to_be_enabled()  # LibreOffice is installed
    upload(page, SAMPLE, pdf=True)
    wait_done(page, PDF_TIMEOUT)
    line = file_line(page, SAMPLE.name)
    expect(line.locator(".downloads a")).to_have_text(["Báo cáo (.docx)", "Báo cáo (.pdf)"])
    got, path = download(page, line.get_by_role("link", name="Báo cáo (.pdf)"), tmp_path)
    assert got.suggested_filename.endswith(".pdf")
    assert path.read_bytes().startswith(b"%PDF")
