"""The previous period's workbooks in a batch (`--previous FILE_OR_FOLDER`): checked like the others,
matched to this run's communes by official name (as baocao.batch.decide matches them), and summed
for each roll-up, which then compares its summed figures with theirs.

With one workbook and one previous workbook (`render X.xlsx --previous Y.xlsx`) a mismatch (another
commune, another form, not an earlier period) refuses the run with its reason; in a batch a commune
without an earlier workbook gets a warning and its report no comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from baocao.batch.citybatch import Expanded, expand
from baocao.batch.consolidate import Rollup
from baocao.batch.decide import identify, keep_last_copy
from baocao.batch.mapping import map_isolated
from baocao.batch.model import BatchResult, Checked, Group
from baocao.communes import name_key, province_slug
from baocao.form import Form
from baocao.history.figures import Figures, compared_values, figures_of, prev_context
from baocao.history.previous import PreviousMismatch, mismatch, previous_problem
from baocao.isolate import Failure, IsolatedPool
from baocao.pipeline import load_prepared
from baocao.problems import WARNING, Problem
from baocao.stages import Hold

PREVIOUS_CODES = frozenset({"previous-has-errors", "previous-missing"})  # problems this module adds


@dataclass
class PreviousRollup:
    """The previous period of a roll-up: its identity, and the spooled reports to sum."""

    figures: Figures
    spools: list[str] = field(default_factory=list)


def check_previous(
    pool: IsolatedPool,
    paths: tuple[Path, ...],
    check: Callable[[Path], Checked],
    crashed: Callable[[Path, Failure], Checked],
    spool_dir: str,
) -> list[Checked]:
    """Every previous workbook checked (city workbooks split) and matched to its official commune."""

    def unsplit(path: Path, failure: Failure) -> Expanded:
        return Expanded(path, [(path, None)])

    split = list(map_isolated(pool, partial(expand, work=spool_dir), list(paths), None, "", unsplit))
    items = [item for e in split for item, _column in e.items]
    checked = list(map_isolated(pool, check, items, None, "", crashed))
    identify(checked, rolled_up=True)
    keep_last_copy(checked)
    return checked


def pair_previous(result: BatchResult, previous: list[Checked], single: bool) -> None:
    """Each commune of this run gets its earlier report's Figures (Checked.previous), or a warning;
    each roll-up its previous period (Group.previous). `single`: one workbook and one previous
    workbook, whose mismatch raises PreviousMismatch."""
    usable = [p for p in previous if p.figures is not None and not p.is_held(Hold.REPLACED)]
    for c in result.checked:
        if not c.spool or c.is_held(Hold.EXCLUDED) or c.figures is None:
            continue
        before = _earlier(c, usable)
        if before is None and single:
            before = _only(c, previous[0])  # raises when it is another commune's, form's or period's
        if before is None:
            params = {"official": _official(c), "period": c.figures.period}
            c.problems.append(Problem("previous-missing", WARNING, c.shown_file, params=params))
        elif before.errors or not before.spool:
            errors = max(len(before.errors), 1)
            c.problems.append(previous_problem(c.shown_file, before.figures, errors, before.shown_file))
        else:
            c.previous = before.figures
    for group in result.groups:
        group.previous = _previous_group(group, usable)


def _earlier(c: Checked, previous: list[Checked]) -> Checked | None:
    """The latest earlier workbook of the same commune and form."""
    now = c.figures
    assert now is not None
    same = [p for p in previous if p.figures and _same_commune(c, p) and not mismatch(now, p.figures)]
    return max(same, key=lambda p: p.figures.end if p.figures else date.min, default=None)


def _same_commune(c: Checked, p: Checked) -> bool:
    if c.commune and p.commune:
        return c.commune.code == p.commune.code
    return province_slug(c.province) == province_slug(p.province) and name_key(c.name) == name_key(p.name)


def _only(c: Checked, p: Checked) -> Checked:
    """One workbook and one previous workbook: the previous one when it is unusable (its warning is
    given); PreviousMismatch, with why, when it is another commune's, form's or period's."""
    if p.figures is None:
        return p
    assert c.figures is not None
    raise PreviousMismatch(mismatch(c.figures, p.figures) or f"Không so sánh được với kỳ trước: {p.shown_file}.")


def _official(c: Checked) -> str:
    return c.commune.full if c.commune else c.name


def _previous_group(group: Group, previous: list[Checked]) -> PreviousRollup | None:
    """A roll-up's previous period: the latest earlier period of the same form and province among the
    previous workbooks; its reports without errors are summed, as its own roll-up summed them."""
    now = next((c.figures for c in group.members if c.figures is not None), None)
    if now is None or not group.key[1]:
        return None
    candidates = [
        p
        for p in previous
        if p.figures and p.figures.form_id == now.form_id and province_slug(p.province) == group.key[1]
        and p.figures.end < now.end
    ]  # fmt: skip
    if not candidates:
        return None
    latest = max(candidates, key=lambda p: p.figures.end if p.figures else date.min)
    assert latest.figures is not None
    period = (latest.figures.kind, latest.figures.year)
    spools = [p.spool for p in candidates if p.figures and (p.figures.kind, p.figures.year) == period and p.spool
              and not p.errors and not p.is_held(Hold.EXCLUDED)]  # fmt: skip
    return PreviousRollup(latest.figures, spools) if spools else None


def rollup_prev(form: Form, now_values: dict[str, Any], info: dict[str, Any], previous: PreviousRollup | None) -> Any:
    """The consolidated template's `prev`: the summed figures compared with the previous period's sum
    (None without a previous period)."""
    if previous is None:
        return None
    before = Rollup(form)
    for spool in previous.spools:
        before.add(load_prepared(spool).report.values)
    now = figures_of(form, {**info, "date_to": None}, now_values)
    then = replace(previous.figures, unit_type="", unit_name="", values=compared_values(form, before.values()))
    context = prev_context(form, now, then)
    context["units"] = before.count
    return context
