"""A submission's report (.docx, .pdf): made by baocao.pipeline.write, exactly as `generate.py render`
makes it, in an isolated worker process (never in a web thread), and kept by the upload's sha256 so
that the second download is immediate. Where the commune sent the period its reports compare with
(baocao.portal.periods.compared_period), the report compares with that version (the template's `prev`,
Prepared.compare_with), as `generate.py render --previous` does; it is then kept by both sha256."""

from __future__ import annotations

from contextlib import ExitStack, suppress
from functools import partial
from pathlib import Path

from baocao.errors import BaocaoError, PdfError
from baocao.messages import problem_line
from baocao.pipeline import GenerateOptions, prepare, write
from baocao.portal.intake import expected_of, run_apart, stored_copy
from baocao.portal.models import Period, Unit


def report_dir(data_dir: Path, sha: str, earlier: str = "") -> Path:
    """reports/<sha[:2]>/<sha>, or <sha>-<earlier sha[:16]> for a report compared with an earlier version."""
    return Path(data_dir) / "reports" / sha[:2] / (f"{sha}-{earlier[:16]}" if earlier else sha)


def _write_report(
    path: Path, options: GenerateOptions, out_dir: Path, earlier: Path | None = None
) -> tuple[str, str, str] | str:
    """In a worker: prepare and write the report (compared with `earlier` when given and comparable);
    (docx, pdf, why no pdf), or why no report."""
    try:
        prepared = prepare(path, options, with_context=False)
        if earlier is not None:
            # not comparable (PreviousMismatch) or unreadable now: the report is made without comparison
            with suppress(BaocaoError):
                prepared.problems += prepared.compare_with(prepare(earlier, with_context=False))
        blocking = prepared.blocking()
        if blocking:
            lines = " ".join(problem_line(p) for p in blocking)
            return f"Bản nộp này còn lỗi nên chưa lập được báo cáo. {lines}"
        result = write(prepared, out_dir, GenerateOptions(pdf=options.pdf))
    except BaocaoError as e:
        return str(e)
    return str(result.docx), str(result.pdf or ""), result.pdf_error


def report_file(data_dir: Path, sha: str, period: Period, unit: Unit, pdf: bool, earlier: str = "") -> Path:
    """The .docx (or .pdf) of the upload `sha` (compared with the upload `earlier`), made once;
    BaocaoError (PdfError) saying why not."""
    out_dir = report_dir(data_dir, sha, earlier)
    suffix = ".pdf" if pdf else ".docx"
    kept = sorted(out_dir.glob(f"*{suffix}")) if out_dir.is_dir() else []
    if kept:
        return kept[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    options = GenerateOptions(pdf=pdf, expected=expected_of(period, unit))
    with stored_copy(data_dir, sha) as source, ExitStack() as stack:
        before = stack.enter_context(stored_copy(data_dir, earlier)) if earlier else None
        result = run_apart(partial(_write_report, options=options, out_dir=out_dir, earlier=before), source, source)
    if isinstance(result, str):
        raise BaocaoError(result)
    docx, pdf_path, pdf_error = result
    if pdf and not pdf_path:
        raise PdfError("other-error", text=pdf_error) if pdf_error else PdfError("pdf-not-made")
    return Path(pdf_path if pdf else docx)
