"""The web page against a running server (waitress, as `serve` runs it): what it offers, what it makes
of uploads, and every safety rule of issue 5 (content checks, limits, no path traversal, own folder per
upload, deletion, users kept apart, the server alive after anything bad)."""

from __future__ import annotations

import io
import re
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from werkzeug.test import EnvironBuilder

from baocao.web.app import create_app
from baocao.web.jobs import JobStore, Limits, display_name, stored_name
from tests.conftest import DATA, ROOT, all_text, run_cli, start_server

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
BAD = DATA / "bad_part_exceeds_total.xlsx"


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def page_text(self) -> str:
        """The page as a person reads it: tags removed, entities decoded, spaces collapsed."""
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", self.text))).strip()


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str = "") -> Reply:
    """One HTTP request without following redirects (urllib), whatever the status."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method or None)
    try:
        with opener.open(request, timeout=120) as r:
            return Reply(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.headers, e.read())


def multipart(files: list[tuple[str, bytes]], **fields: str) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends it: files under 'tep', names exactly as given."""
    builder = EnvironBuilder(method="POST", data={"tep": [(io.BytesIO(data), name) for name, data in files], **fields})
    environ = builder.get_environ()
    return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]


@dataclass
class Site:
    url: str
    store: JobStore

    def upload(self, files: list[tuple[str, bytes]], **fields: str) -> Reply:
        body, content_type = multipart(files, **fields)
        return fetch(f"{self.url}/tai-len", body, {"Content-Type": content_type})

    def finished(self, reply: Reply) -> tuple[str, Reply]:
        """Follow an upload's redirect; wait for the job; return (job id, result page)."""
        assert reply.status == 303, reply.text
        location = reply.headers["Location"]
        job_id = location.rstrip("/").split("/")[-1]
        for _ in range(600):
            status = fetch(f"{self.url}/ket-qua/{job_id}/trang-thai")
            assert status.status == 200
            if '"state":"done"' in status.text.replace(" ", "") or '"failed"' in status.text:
                break
            time.sleep(0.1)
        return job_id, fetch(f"{self.url}/ket-qua/{job_id}")

    def run(self, files: list[tuple[str, bytes]], **fields: str) -> tuple[str, Reply]:
        return self.finished(self.upload(files, **fields))

    def links(self, page: Reply) -> dict[str, str]:
        """Download links of a result page: file name → URL."""
        found = re.findall(r'href="(/ket-qua/[^"]+/tai-ve/([^"]+))"', page.text)
        return {name: f"{self.url}{unescape(href)}" for href, name in found}

    def alive(self) -> None:
        page = fetch(f"{self.url}/")
        assert page.status == 200 and "Tải bảng tính đã nhập lên" in page.text


def serve(limits: Limits, tmp: Path) -> Iterator[Site]:
    app = create_app(limits, work_root=tmp)
    with start_server(app) as url:
        yield Site(url, app.extensions["baocao_jobs"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from serve(Limits(max_files=6, max_file_bytes=2 * 1048576, max_request_bytes=5 * 1048576),
                     tmp_path_factory.mktemp("web"))  # fmt: skip


@pytest.fixture(scope="module")
def lai_chau(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("lai_chau")
    result = run_cli("demo-data", "--communes", "4", "--province", "Lai Châu", "-o", folder)
    assert result.returncode == 0, result.stderr
    return sorted(folder.rglob("*.xlsx"))


def job_files(site: Site) -> list[Path]:
    return [p for p in site.store.root.rglob("*") if p.is_file()]


# --- what the page offers -------------------------------------------------------------------------


def test_index_page_is_vietnamese_and_offers_every_form_and_province(site: Site) -> None:
    page = fetch(f"{site.url}/")
    assert page.status == 200
    text = page.page_text
    for words in (
        "Tải bảng tính trống về để nhập số liệu",
        "Kéo thả bảng tính (.xlsx) vào đây",
        "Kiểm tra và lập báo cáo",
        "Tối đa 6 tệp một lần, mỗi tệp tối đa 2 MB.",
    ):
        assert words in text
    forms = re.findall(r'<option value="([a-z0-9_@]+)">', page.text[: page.text.index('id="mau-tinh"')])
    assert forms == ["hai_phong_2025", "hai_duong_2023@commune", "hai_duong_2023@district"]  # the CLI's defaults first
    default = openpyxl.load_workbook(io.BytesIO(fetch(f"{site.url}/bang-tinh-trong").body))["_baocao"]
    assert [default["B1"].value, default["B3"].value] == ["hai_phong_2025", None]
    assert '<option value="hai-phong">Thành phố Hải Phòng</option>' in page.text
    provinces = page.text[page.text.index('id="tinh"') :].split("</select>")[0]
    assert len(re.findall(r'<option value="[a-z-]+">', provinces)) == 34
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self'")
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_blank_workbook_download(site: Site) -> None:
    reply = fetch(f"{site.url}/bang-tinh-trong?mau=hai_duong_2023@district")
    assert reply.status == 200
    assert reply.headers["Content-Disposition"] == "attachment; filename=bang-tinh-trong_hai-duong-2023-district.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(reply.body))
    assert wb.sheetnames[0] == "Thông tin chung"
    mark = wb["_baocao"]
    assert [mark["B1"].value, mark["B3"].value] == ["hai_duong_2023", "district"]


def test_one_blank_workbook_per_commune_of_a_province(site: Site) -> None:
    reply = fetch(f"{site.url}/bang-tinh-trong?mau=hai_phong_2025&tinh=lai-chau&kieu=tung-don-vi")
    assert reply.status == 200
    assert reply.headers["Content-Disposition"] == "attachment; filename=bang-tinh-cac-don-vi_lai-chau.zip"
    with zipfile.ZipFile(io.BytesIO(reply.body)) as z:
        names = z.namelist()
        assert len(names) == 38 and "xa-bum-nua.xlsx" in names
        info = openpyxl.load_workbook(io.BytesIO(z.read("xa-bum-nua.xlsx")))["Thông tin chung"]
    values = {row[0]: row[1] for row in info.iter_rows(values_only=True) if row[0]}
    assert values["Tỉnh/thành phố"] == "Lai Châu"
    assert values["Loại đơn vị"] == "Xã"
    assert values["Tên đơn vị"] == "Bum Nưa"


def test_city_workbook_download(site: Site) -> None:
    reply = fetch(f"{site.url}/bang-tinh-trong?tinh=lai-chau&kieu=chung")
    assert reply.status == 200
    wb = openpyxl.load_workbook(io.BytesIO(reply.body))
    header = [c.value for c in wb["Biểu mẫu 1"][1]]
    assert header[:3] == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính"]
    assert header[3] == "Xã Bản Bo" and "Xã Bum Nưa" in header
    assert len([h for h in header if str(h).startswith(("Xã ", "Phường "))]) == 38


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("mau=khong_co", "Biểu mẫu không có trong danh sách. Hãy chọn lại trên trang chính."),
        ("mau=../../etc/passwd", "Biểu mẫu không có trong danh sách. Hãy chọn lại trên trang chính."),
        ("tinh=khong-co&kieu=chung", "Hãy chọn một tỉnh, thành phố trong danh sách."),
        ("tinh=lai-chau&kieu=khac", "Kiểu bảng tính không hợp lệ."),
    ],
)
def test_bad_blank_workbook_requests_get_a_vietnamese_message(site: Site, query: str, message: str) -> None:
    reply = fetch(f"{site.url}/bang-tinh-trong?{query}")
    assert reply.status == 400
    assert message in reply.page_text
    site.alive()


# --- uploads: the same results as the CLI ----------------------------------------------------------


def test_one_workbook_gives_the_cli_report_byte_for_byte(site: Site, tmp_path: Path) -> None:
    _, page = site.run([("Báo cáo Nhị Chiểu.xlsx", SAMPLE.read_bytes())])
    assert page.status == 200
    assert "1/1 báo cáo; 0 đơn vị lỗi." in page.page_text
    assert "✓ Phường Nhị Chiểu Báo cáo Nhị Chiểu.xlsx Đã lập báo cáo" in page.page_text
    links = site.links(page)
    name = "nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx"
    assert list(links) == [name]
    reply = fetch(links[name])
    assert reply.status == 200
    assert reply.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert run_cli(SAMPLE, "-o", tmp_path).returncode == 0
    assert reply.body == (tmp_path / name).read_bytes()
    document = docx.Document(io.BytesIO(reply.body))
    assert "Ủy ban nhân dân phường Nhị Chiểu" in all_text(document)


def test_errors_are_the_cli_lines_with_sheet_and_cell_and_no_report(site: Site) -> None:
    _, page = site.run([("so_lieu_loi.xlsx", BAD.read_bytes())])
    cli_line = next(line.strip() for line in run_cli("check", BAD).stdout.splitlines() if "Biểu mẫu 1!D14" in line)
    assert cli_line.startswith("[LỖI] Biểu mẫu 1!D14 (4.1.2. Số nhiệm vụ đã hoàn thành nhưng quá hạn)")
    assert f'<li class="loi">{cli_line}</li>' in unescape(page.text)
    assert "✗ Phường Nhị Chiểu so_lieu_loi.xlsx Có 1 lỗi, chưa lập được báo cáo. Sửa rồi tải lên lại." in page.page_text
    assert "0/1 báo cáo; 1 đơn vị lỗi." in page.page_text
    links = site.links(page)
    assert [n for n in links if n.endswith(".docx")] == []
    listing = fetch(links["so-lieu-loi.kiem-tra.txt"]).body.decode("utf-8")
    assert cli_line in listing and "KẾT QUẢ KIỂM TRA SỐ LIỆU: so-lieu-loi.xlsx" in listing


def test_several_workbooks_give_the_zip_the_roll_up_and_tong_hop(site: Site, lai_chau: list[Path]) -> None:
    _, page = site.run([(p.name, p.read_bytes()) for p in lai_chau])
    assert "4/4 báo cáo; 0 đơn vị lỗi; 34 thiếu." in page.page_text
    assert "Chưa gửi bảng tính: 34 đơn vị" in page.page_text
    links = site.links(page)
    assert "tong-hop_tinh-lai-chau_6-thang-dau-nam-2026.zip" in links
    assert "tong_hop.xlsx" in links and "tong-hop_tinh-lai-chau_6-thang-dau-nam-2026.docx" in links
    archive = zipfile.ZipFile(io.BytesIO(fetch(links["tong-hop_tinh-lai-chau_6-thang-dau-nam-2026.zip"]).body))
    names = archive.namelist()
    assert len([n for n in names if "_bao-cao-cchc_" in n]) == 4
    assert {"tong_hop.xlsx", "tong-hop_tinh-lai-chau_6-thang-dau-nam-2026.docx"} <= set(names)
    rollup = docx.Document(io.BytesIO(archive.read("tong-hop_tinh-lai-chau_6-thang-dau-nam-2026.docx")))
    assert "TỈNH LAI CHÂU" in "\n".join(p.text for p in rollup.paragraphs).upper()


def test_city_workbook_upload_names_the_city_files_cells(site: Site, tmp_path: Path) -> None:
    city = tmp_path / "thanh_pho.xlsx"
    assert run_cli("new-input", "--province", "Lai Châu", "--city", "-o", city).returncode == 0
    _, page = site.run([("Số liệu cả tỉnh.xlsx", city.read_bytes())])
    text = page.page_text
    assert (
        "✗ Số liệu cả tỉnh.xlsx Thông tin chung của bảng tính chung (chung cho 38 đơn vị) "
        "Danh sách lỗi, cảnh báo (.txt) [LỖI] Thông tin chung!B8 (Kỳ báo cáo): chưa nhập. Đây là thông tin bắt buộc của báo cáo."
    ) in text
    assert text.count("Thông tin chung!B8") == 1  # once, not once per commune
    assert (
        "✗ Xã Bản Bo Số liệu cả tỉnh.xlsx, cột D (Xã Bản Bo) Thông tin chung của Số liệu cả tỉnh.xlsx có 4 lỗi "
        "(ghi một lần, chung cho mọi đơn vị của bảng tính): chưa lập được báo cáo. Sửa Thông tin chung rồi tải lên lại."
    ) in text
    assert "0/38 báo cáo; 38 đơn vị lỗi" in text
    assert "Tất cả (38) Lỗi (38) Cảnh báo (0) Đủ (0)" in text


@pytest.mark.pdf
def test_pdf_when_asked(site: Site) -> None:
    _, page = site.run([(SAMPLE.name, SAMPLE.read_bytes())], pdf="1")
    links = site.links(page)
    pdf = [n for n in links if n.endswith(".pdf")]
    assert pdf == ["nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026.pdf"]
    assert fetch(links[pdf[0]]).body.startswith(b"%PDF")


# --- safety: only workbooks, checked by content ----------------------------------------------------


def macro_workbook() -> bytes:
    """The sample with a VBA project added: a .xlsm whatever its name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(SAMPLE) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """An .xlsx-looking package whose one part unpacks to 30 MB of zeros (a ratio of ~1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1048576))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("so_lieu.xlsx", lambda: "STT;Chỉ tiêu\n1;2\n".encode(), "không phải bảng tính Excel: nội dung là văn bản"),
        ("so_lieu.xls", lambda: (DATA / "bad_format_old.xls").read_bytes(), "đây là bảng tính Excel kiểu cũ (.xls)."),
        ("so_lieu.xlsx", lambda: (DATA / "bad_format_old.xls").read_bytes(), "kiểu cũ (.xls) được đổi tên thành .xlsx"),
        ("so_lieu.ods", lambda: (DATA / "bad_format_opendocument.ods").read_bytes(), "bảng tính OpenDocument (.ods)"),
        ("so_lieu.xlsx", lambda: (DATA / "bad_format_docx_renamed.xlsx").read_bytes(), "là văn bản Word được đổi tên"),
        ("so_lieu.xlsx", macro_workbook, "đây là bảng tính có macro (.xlsm), không được nhận vì lý do an toàn."),
        ("so_lieu.xlsx", zip_bomb, "tệp nén chứa dữ liệu quá lớn so với một bảng tính báo cáo, không được mở."),
        ("so_lieu.xlsx", lambda: b"", "tệp rỗng (0 byte)."),
        ("so_lieu.xlsx", lambda: (DATA / "bad_file_truncated.xlsx").read_bytes(), "tệp bị hỏng, không mở được."),
        ("~$so_lieu.xlsx", lambda: b"\x0bclerk lock", "đây là tệp khóa tạm của Excel"),
        ("so_lieu.xlsx", lambda: b"x" * (2 * 1048576 + 1), "tệp lớn hơn 2 MB."),
    ],
    ids=[
        "csv",
        "xls",
        "xls-renamed",
        "ods",
        "docx-renamed",
        "macro",
        "zip-bomb",
        "empty",
        "truncated",
        "lock",
        "too-big",
    ],
)
def test_what_is_not_a_workbook_is_refused_by_content(site: Site, name: str, content: Any, reason: str) -> None:
    job_id, page = site.run([(name, content()), ("Nhị Chiểu.xlsx", SAMPLE.read_bytes())])
    assert f"✗ {name} Không nhận tệp: " in page.page_text
    refused = page.page_text.split(f"✗ {name} Không nhận tệp: ", 1)[1]
    assert reason in refused.split(" ✓ ")[0]
    assert "1/1 báo cáo; 0 đơn vị lỗi; không nhận 1 tệp." in page.page_text  # the good file is still done
    assert [p.name for p in (site.store.root / job_id / "tai-len").iterdir()] == ["nhi-chieu.xlsx"]
    site.alive()


def test_a_workbook_is_accepted_by_its_content_whatever_its_name(site: Site) -> None:
    _, page = site.run([("bao cao gui so", SAMPLE.read_bytes())])
    assert "✓ Phường Nhị Chiểu bao cao gui so Đã lập báo cáo" in page.page_text


def test_too_many_files_are_refused_whole(site: Site) -> None:
    before = job_files(site)
    reply = site.upload([(f"{i}.xlsx", SAMPLE.read_bytes()) for i in range(7)])
    assert reply.status == 400
    assert "Đã chọn 7 tệp; mỗi lần chỉ tải lên được tối đa 6 tệp. Hãy chia thành nhiều lần." in reply.page_text
    assert job_files(site) == before
    site.alive()


def test_a_request_over_the_total_limit_is_refused_and_the_server_goes_on(site: Site) -> None:
    reply = site.upload([(f"{i}.xlsx", b"\0" * 1900 * 1024) for i in range(3)])
    assert reply.status == 413
    assert "Các tệp tải lên quá lớn (tổng cộng tối đa 5 MB một lần, mỗi tệp tối đa 2 MB)." in reply.page_text
    site.alive()


def test_no_file_chosen(site: Site) -> None:
    body, content_type = multipart([], pdf="1")
    reply = fetch(f"{site.url}/tai-len", body, {"Content-Type": content_type})
    assert reply.status == 400
    assert "Chưa chọn tệp nào." in reply.page_text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b'--x\r\nContent-Disposition: form-data; name="tep"; filename="a.xlsx"\r\n\r\nabc',
            "multipart/form-data; boundary=x",
        ),
        (b"\xff" * 1000, "multipart/form-data"),
        (b"tep=abc", "application/x-www-form-urlencoded"),
    ],
    ids=["truncated-multipart", "no-boundary", "not-multipart"],
)
def test_malformed_requests_do_not_stop_the_server(site: Site, body: bytes, content_type: str) -> None:
    reply = fetch(f"{site.url}/tai-len", body, {"Content-Type": content_type})
    assert reply.status in (400, 413)
    site.alive()


# --- safety: names never become paths; only the job's own outputs can be downloaded -----------------


@pytest.mark.parametrize(
    "name",
    [
        "../../../../../tmp/baocao-evil.xlsx",
        "..\\..\\..\\baocao-evil.xlsx",
        "/etc/baocao-evil.xlsx",
        "C:\\Windows\\baocao-evil.xlsx",
        "baocao-evil.xlsx\0.txt",
    ],
)
def test_uploaded_names_never_become_paths(site: Site, name: str) -> None:
    """Whatever the multipart parser leaves of the name (Werkzeug 3.1.9 drops backslashes, 3.1.8 keeps
    them), the copy is stored under an ASCII name made here, in the job's own folder."""
    job_id, page = site.run([(name, SAMPLE.read_bytes())])
    assert not Path("/tmp/baocao-evil.xlsx").exists() and not Path("/etc/baocao-evil.xlsx").exists()
    uploads = [p for p in job_files(site) if job_id in p.parts and p.parent.name == "tai-len"]
    assert len(uploads) == 1 and uploads[0].parent.parent == site.store.root / job_id
    assert re.fullmatch(r"[a-z0-9-]*baocao-evil[a-z0-9-]*\.xlsx", uploads[0].name)
    shown = unescape(re.search(r'<span class="file-name">([^<]*)</span>', page.text).group(1))
    assert "baocao-evil" in shown and "/" not in shown and "\\" not in shown and "\0" not in shown
    assert "Đã lập báo cáo" in page.page_text


@pytest.mark.parametrize(
    ("raw", "shown", "stored"),
    [
        ("../../../../../tmp/baocao-evil.xlsx", "baocao-evil.xlsx", "baocao-evil.xlsx"),
        ("..\\..\\..\\baocao-evil.xlsx", "baocao-evil.xlsx", "baocao-evil.xlsx"),
        ("C:\\Windows\\Báo cáo Nhị Chiểu.xlsx", "Báo cáo Nhị Chiểu.xlsx", "bao-cao-nhi-chieu.xlsx"),
        ("baocao\0evil\x1b[31m.xlsx", "baocaoevil[31m.xlsx", "baocaoevil-31m.xlsx"),
        ("", "(tệp không tên)", "tep-khong-ten.xlsx"),
        ("..", "(tệp không tên)", "tep-khong-ten.xlsx"),
    ],
)
def test_shown_and_stored_names(raw: str, shown: str, stored: str) -> None:
    assert display_name(raw) == shown
    assert stored_name(shown, set()) == stored
    assert stored_name(shown, {stored}) == stored.replace(".xlsx", "-2.xlsx")


def test_names_are_shown_escaped(site: Site) -> None:
    _, page = site.run([("<img src=x onerror=alert(1)>.xlsx", b"not a workbook")])
    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;.xlsx" in page.text


def test_nothing_outside_the_jobs_outputs_can_be_downloaded(site: Site) -> None:
    job_id, page = site.run([("a.xlsx", SAMPLE.read_bytes())])
    other_id, other = site.run([("b.xlsx", BAD.read_bytes())])
    assert list(site.links(other)) == ["b.kiem-tra.txt"]
    base = f"{site.url}/ket-qua/{job_id}/tai-ve"
    for attempt in [
        f"{base}/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        f"{base}/%2Fetc%2Fpasswd",
        f"{base}/..%2Ftai-len%2Fa.xlsx",  # the uploaded input itself
        f"{base}/a.xlsx",
        f"{base}/..",
        f"{base}/b.kiem-tra.txt",  # another user's file, through this user's job
        f"{site.url}/static/..%2F..%2Fpyproject.toml",
        f"{site.url}/ket-qua/..%2F{other_id}/tai-ve/b.kiem-tra.txt",
    ]:
        reply = fetch(attempt)
        assert reply.status == 404, attempt
        assert b"root:" not in reply.body and "[LỖI]".encode() not in reply.body
    assert fetch(site.links(other)["b.kiem-tra.txt"]).status == 200
    assert fetch(next(iter(site.links(page).values()))).status == 200


def test_jobs_of_different_users_are_apart_and_unguessable(site: Site) -> None:
    results: dict[str, tuple[str, Reply]] = {}

    def user(name: str, data: bytes) -> None:
        results[name] = site.run([(name, data)])

    threads = [
        threading.Thread(target=user, args=("nguoi_a.xlsx", SAMPLE.read_bytes())),
        threading.Thread(target=user, args=("nguoi_b.xlsx", BAD.read_bytes())),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (id_a, page_a), (id_b, page_b) = results["nguoi_a.xlsx"], results["nguoi_b.xlsx"]
    assert id_a != id_b and len(id_a) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", id_a)
    assert "nguoi_b" not in page_a.text and "nguoi_a" not in page_b.text
    assert "1/1 báo cáo" in page_a.page_text and "0/1 báo cáo" in page_b.page_text
    assert fetch(f"{site.url}/ket-qua/{id_a[:-1]}x").status == 404
    assert fetch(f"{site.url}/ket-qua/{id_a[:-1]}x/trang-thai").status == 404


def test_only_loopback_host_names_are_answered(site: Site) -> None:
    reply = fetch(f"{site.url}/", headers={"Host": "attacker.example"})
    assert reply.status == 400
    assert reply.page_text == "Yêu cầu không hợp lệ: trang chỉ trả lời địa chỉ 127.0.0.1 hoặc localhost."
    assert fetch(f"{site.url}/", headers={"Host": "localhost"}).status == 200


# --- deletion ----------------------------------------------------------------------------------------


@pytest.fixture
def quick(tmp_path: Path) -> Iterator[Site]:
    """A server whose jobs go right after the main download, and after 2 s otherwise."""
    yield from serve(Limits(after_download_seconds=0, keep_seconds=2), tmp_path)


def test_files_are_deleted_after_the_download(quick: Site) -> None:
    job_id, page = quick.run([("a.xlsx", SAMPLE.read_bytes())])
    folder = quick.store.root / job_id
    assert (folder / "tai-len" / "a.xlsx").is_file()
    (url,) = quick.links(page).values()
    assert fetch(url).body.startswith(b"PK")
    gone = fetch(f"{quick.url}/ket-qua/{job_id}")
    assert gone.status == 404
    assert "Không tìm thấy kết quả này: các tệp đã được xoá sau khi tải về hoặc quá hạn" in gone.page_text
    assert not folder.exists()
    assert fetch(url).status == 404


def test_files_are_deleted_after_the_timeout_without_any_request(quick: Site) -> None:
    quick.store.start_janitor(every=0.2)
    job_id, _ = quick.run([("a.xlsx", BAD.read_bytes())])
    folder = quick.store.root / job_id
    assert folder.is_dir()
    for _ in range(50):
        if not folder.exists():
            break
        time.sleep(0.1)
    assert not folder.exists()


def test_delete_now_button(site: Site) -> None:
    job_id, _ = site.run([("a.xlsx", SAMPLE.read_bytes())])
    reply = fetch(f"{site.url}/ket-qua/{job_id}/xoa", b"", method="POST")
    assert reply.status == 303 and reply.headers["Location"].endswith("/?da-xoa=1")
    assert "Đã xoá các tệp của lần tải lên trước khỏi máy." in fetch(f"{site.url}/?da-xoa=1").page_text
    assert not (site.store.root / job_id).exists()
    assert fetch(f"{site.url}/ket-qua/{job_id}/xoa", b"", method="POST").status == 404


def test_the_store_removes_everything_when_closed(tmp_path: Path) -> None:
    store = JobStore(Limits(), tmp_path)
    job = store.create([("a.xlsx", io.BytesIO(SAMPLE.read_bytes()))], pdf=False)
    assert job.accepted[0].is_file()
    store.close()
    assert list(tmp_path.iterdir()) == []


# --- the serve command -------------------------------------------------------------------------------


def test_serve_command_starts_the_page(tmp_path: Path) -> None:
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert first.startswith("Trang lập báo cáo đang chạy tại http://127.0.0.1:") and match, first
        page = fetch(f"http://127.0.0.1:{match.group(1)}/")
        assert page.status == 200 and "Kiểm tra và lập báo cáo" in page.text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_on_a_port_in_use_says_what_to_do() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", port, "--no-browser")
    assert result.returncode == 1
    assert f"Không mở được trang tại 127.0.0.1:{port}" in result.stderr
    assert f"chạy với --port {port + 1}" in result.stderr


def test_web_code_has_no_second_pipeline() -> None:
    """The page calls run_batch and the blank-workbook writers; it never reads or renders itself."""
    source = "".join(p.read_text() for p in (ROOT / "baocao" / "web").glob("*.py"))
    assert "run_batch(" in source
    for step in ("read_workbook", "render_docx", "compute_report", "build_context", "validate("):
        assert step not in source


def test_advice_to_run_a_command_is_worded_for_the_page(site: Site) -> None:
    """The CLI's sentences, except that 'python generate.py new-input' becomes the page's own button."""
    _, page = site.run([("thieu_dong.xlsx", (DATA / "bad_row_deleted.xlsx").read_bytes())])
    cli = run_cli("check", DATA / "bad_row_deleted.xlsx").stdout
    assert "(python generate.py new-input)" in cli
    assert "python generate.py" not in page.text
    assert (
        "Hãy chép số liệu sang bảng tính mẫu (nút “Tải bảng tính trống” trên trang chính) và không xóa"
        in page.page_text
    )
