"""What Word documents need beyond docxtpl.

- `nd30`: the Nghị định 30/2020/NĐ-CP layout that depends on the text (line breaks, rule lengths), with
  `fontmetrics_data` (Liberation Serif's advance widths, written by tools/font_metrics.py);
- `runs`: Word runs in the schema's element order; `chart`: native bar charts for the consolidated report;
  `chartparts`: the parts, relationships and content types a chart adds in a compiled render;
- `zipparts`: a .docx zip made once and completed many times.
"""
