"""`python -m baocao.form > docs/form.schema.json`: the JSON Schema of form.yaml, from schema.py."""

import sys

from baocao.form.schema import json_schema_text

sys.stdout.write(json_schema_text())
