"""The form: its model (model.py), the schema of its file (schema.py), loading and checking it
(load.py, schemaissues.py, specs.py, rows.py, checks.py, compare.py, fielduse.py), the installed forms (registry.py).
check-form's look at the Word template needs the report's context: baocao/authoring/templatecheck.py.

The names the rest of the package uses are re-exported here.
"""

from baocao.form.infofields import INFO_FIELDS_FILE, TEMPLATES_DIR, load_info_fields
from baocao.form.issues import FormIssue, FormIssues, did_you_mean
from baocao.form.load import inspect_form, load_form, parse_form, read_form_yaml
from baocao.form.model import (
    COMPUTED_KINDS,
    INPUT_KINDS,
    NOT_NUMBERS,
    ROW_KINDS,
    SEVERITIES,
    Check,
    Form,
    Grid,
    GridColumn,
    InfoField,
    NarrativeSection,
    Row,
    Table,
    stt_level,
)
from baocao.form.registry import DEFAULT_FORM_ID, find_form, form_from_argument, installed_forms
from baocao.form.rows import roman
from baocao.form.schema import DEFAULT_COLUMNS, Appendix, Consolidated, Numbers

__all__ = [
    "COMPUTED_KINDS",
    "DEFAULT_COLUMNS",
    "DEFAULT_FORM_ID",
    "INFO_FIELDS_FILE",
    "INPUT_KINDS",
    "NOT_NUMBERS",
    "ROW_KINDS",
    "SEVERITIES",
    "TEMPLATES_DIR",
    "Appendix",
    "Check",
    "Consolidated",
    "Form",
    "FormIssue",
    "FormIssues",
    "Grid",
    "GridColumn",
    "InfoField",
    "NarrativeSection",
    "Numbers",
    "Row",
    "Table",
    "did_you_mean",
    "find_form",
    "form_from_argument",
    "inspect_form",
    "installed_forms",
    "load_form",
    "load_info_fields",
    "parse_form",
    "read_form_yaml",
    "roman",
    "stt_level",
]
