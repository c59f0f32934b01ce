"""Rebuild the sample workbooks in inputs/ from tools/samples/*.yaml.

Each YAML holds what a clerk would type (info, values, remarks, grids, text) and the form
it is for (`form:`, default hai_phong_2025); the workbook is the same blank workbook
`python generate.py new-input` writes, filled with it.

    python tools/build_samples.py [NAME ...]     # all samples, or only these (e.g. chi_lang_nam_2023)
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baocao.form import find_form  # noqa: E402
from baocao.workbook.blank import write_blank_workbook  # noqa: E402

SAMPLES = ROOT / "tools" / "samples"


def load_sample(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["text"] = {k: v or "" for k, v in (data.get("text") or {}).items()}
    return data


def build(out_dir: Path = ROOT / "inputs", names: list[str] | None = None) -> list[Path]:
    written = []
    for path in sorted(SAMPLES.glob("*.yaml")):
        if names and path.stem not in names:
            continue
        data = load_sample(path)
        form = find_form(data.get("form"))
        written.append(write_blank_workbook(form, out_dir / f"{path.stem}.xlsx", data))
    return written


if __name__ == "__main__":
    for p in build(names=sys.argv[1:]):
        print(p.relative_to(ROOT))
