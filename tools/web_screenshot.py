"""Screenshot of the web page's result for the docs: serve the page (waitress, as `generate.py serve`
does), upload a good workbook and one with an error together in headless chromium, and save the
whole result page as a PNG.

    python tools/web_screenshot.py                # → docs/web-screenshot.png
    python tools/web_screenshot.py -o /tmp/page.png --chromium /usr/bin/chromium
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao.web.app import create_app, serving  # noqa: E402

UPLOADS = [ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx", ROOT / "tests" / "data" / "bad_part_exceeds_total.xlsx"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@contextmanager
def serving_page(work_root: Path) -> Iterator[str]:
    """The page on a free loopback port, in a background thread; yields its base URL."""
    app = create_app(work_root=work_root)
    try:
        with serving(app) as url:
            yield url
    finally:
        app.extensions["baocao_jobs"].close()


def screenshot(output: Path, chromium: str, width: int = 1100) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="baocao-screenshot-") as tmp,
        serving_page(Path(tmp)) as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": 800}, locale="vi-VN")
        page.goto(f"{url}/")
        page.locator("#tep").set_input_files(UPLOADS)
        page.locator("#nut-lap-bao-cao").click()
        page.wait_for_url("**/ket-qua/*")
        expect(page.locator("#ket-qua")).to_have_attribute("data-state", "done", timeout=120_000)
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output), full_page=True)
        browser.close()
    print(f"Saved {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "web-screenshot.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the chromium executable")
    parser.add_argument("--width", type=int, default=1100, help="viewport width in pixels")
    args = parser.parse_args()
    screenshot(args.output, args.chromium, args.width)


if __name__ == "__main__":
    main()
