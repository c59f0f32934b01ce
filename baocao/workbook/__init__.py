"""Writing input workbooks and their styles.

- `blank`: the workbook a clerk fills (`blank_workbook`, `commune_workbooks`);
- `grid_sheet`: the sheet of a grid (rows the clerk types, a total row);
- `formulas`: the live Excel formulas of computed rows and of the "Kiểm tra" column;
- `styles`: fonts, fills, borders, number formats and sheet protection, shared with the city
  workbook and the roll-up workbook;
- `print_setup`: one print setup for every workbook we write.
"""
