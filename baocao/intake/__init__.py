"""Opening an input workbook safely, before the read step looks at its cells.

- `guard`: refuse, with one message each, what is not a workbook of ours (size, zip bombs, far cells, formats);
- `sheetscan`: one fast pass over the raw sheet XML; `xlsx`: cell values through python-calamine;
- `recognize`: the form of a workbook that lost its mark sheet, from its sheets and rows.
"""
