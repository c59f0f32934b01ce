"""Deterministic synthetic workbooks for trying the batch and for benchmarks — clearly marked as demo.

Each commune's figures come from a random generator seeded with its official code, so the same
command always writes the same workbooks; every figure respects the form's checks.
"""

from __future__ import annotations

import os
import random
from functools import partial
from pathlib import Path
from typing import Any

from baocao.batch.run import Progress, map_items
from baocao.communes import Commune
from baocao.form import Form
from baocao.stages import Stage
from baocao.workbook.blank import write_blank_workbook
from baocao.write import slugify

DEMO_MARK = "DỮ LIỆU MẪU — không phải số liệu thật"


def demo_inputs(commune: Commune, period: str = "6 tháng", year: int = 2026) -> dict[str, Any]:
    """Info, values and texts for one commune (the keys of the Hải Phòng 2025 form)."""
    r = random.Random(commune.code)
    tasks = r.randint(20, 60)
    assigned = r.randint(10, 50)
    on_time = assigned - r.randint(0, 5)
    late = r.randint(0, assigned - on_time)
    resolved = r.randint(800, 12000)
    feedback = r.choice([0, 0, 1, 2, 3, 5])
    staff = r.randint(30, 60)
    psu_staff = r.randint(150, 700)
    psu = r.randint(8, 25)
    partial = [r.randint(0, 2), r.randint(0, 2), r.randint(0, 2)]
    self_invest, self_regular = 0, r.randint(0, 1)
    plan = r.randint(20000, 90000)
    eligible = r.randint(150, 240)
    with_files = r.randint(20, 60)
    full_files = r.randint(300, 2000)
    part_files = r.randint(500, 9000)
    fees = r.randint(30, 120)
    values = {
        "directive_docs": r.randint(3, 20),
        "plan_tasks": tasks,
        "plan_done": r.randint(tasks // 3, tasks),
        "inspected_units": r.randint(0, 4),
        "inspection_issues": 0,
        "inspection_fixed": 0,
        "assigned_tasks": assigned,
        "assigned_on_time": on_time,
        "assigned_done_late": late,
        "assigned_overdue": 0,
        "survey_forms": r.randint(100, 9000),
        "survey_method": r.randint(0, 2),
        "dialogue": r.randint(0, 1),
        "legal_docs_commune": r.randint(0, 3),
        "one_stop_rate": 100,
        "borderless_procedures": r.randint(100, 2100),
        "files_resolved": resolved,
        "files_on_time": resolved - r.randint(0, resolved // 50),
        "feedback_received": feedback,
        "feedback_resolved": r.randint(0, feedback),
        "staff_quota": staff,
        "staff_present": staff - r.randint(0, 8),
        "contract_workers": r.randint(0, 4),
        "staff_reduced": r.randint(0, 2),
        "psu_quota": psu_staff,
        "psu_present": psu_staff - r.randint(0, 30),
        "psu_reduced": 0,
        "psu_reduced_rate_2015": None,
        "job_positions_admin": r.randint(3, 6),
        "job_positions_psu": psu - r.randint(0, 2),
        "job_positions_violations": 0,
        "recruited_civil_servants": r.randint(0, 3),
        "recruited_public_employees": r.randint(0, 12),
        "leaders_by_exam": 0,
        "disciplined_commune_leaders": 0,
        "disciplined_dept_leaders": 0,
        "disciplined_psu_staff": r.randint(0, 1),
        "investment_plan": plan,
        "investment_done": r.randint(plan // 4, plan),
        "psu_units": psu,
        "psu_self_invest": self_invest,
        "psu_self_regular": self_regular,
        "psu_partial_70": partial[0],
        "psu_partial_30": partial[1],
        "psu_partial_10": partial[2],
        "psu_state_funded": psu - self_invest - self_regular - sum(partial),
        "psu_equitized": 0,
        "full_online_eligible": eligible,
        "full_online_services": eligible - r.randint(0, 10),
        "services_with_files": with_files,
        "services_with_online_files": with_files - r.randint(0, 5),
        "full_service_files": full_files,
        "full_online_files": r.randint(full_files // 3, full_files),
        "partial_service_files": part_files,
        "partial_online_files": r.randint(part_files // 3, part_files),
        "fee_procedures": fees,
        "online_payment_procedures": fees - r.randint(0, 5),
    }
    values["services_with_online_files"] = min(values["services_with_online_files"], values["full_online_services"])
    info = {
        "province": commune.province,
        "unit_type": commune.unit_type,
        "unit_name": commune.name,
        "period": period,
        "year": year,
        "doc_number": str(r.randint(1, 400)),
        "sign_date": None,
        "place": commune.name,
        "subject": f"Báo cáo công tác cải cách hành chính ({DEMO_MARK})",
        "basis": "Công văn số 0000/UBND-NV (văn bản mẫu, dùng để thử nghiệm)",
        "signing_mode": "TM.",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Mẫu",
        "recipients": "Sở Nội vụ\nLưu: VT",
    }
    mark = f"{DEMO_MARK}."
    text = {key: mark for key in ("direction", "procedures", "strengths", "weaknesses", "next_tasks")}
    return {"info": info, "values": values, "text": text, "remarks": {}}


def _write_demo(commune: Commune, form: Form, out_dir: Path, by_province: bool) -> Path:
    folder = out_dir / slugify(commune.province) if by_province else out_dir
    return write_blank_workbook(form, folder / f"{commune.file_stem}.xlsx", demo_inputs(commune))


def write_demo_workbooks(
    form: Form, communes: tuple[Commune, ...], out_dir: Path, workers: int = 0, progress: Progress | None = None
) -> int:
    """One demo workbook per commune in out_dir (process pool); returns how many were written."""
    by_province = len({c.province for c in communes}) > 1  # one sub-folder per province: names repeat
    write = partial(_write_demo, form=form, out_dir=Path(out_dir), by_province=by_province)
    return sum(1 for _ in map_items(write, list(communes), workers or os.cpu_count() or 1, progress, Stage.DEMO))
