"""A form imported from its official document (.docx, or a workbook laid out like it), and `new-form`.

- `read`: the document into paragraphs and table grids (`xlsx` for workbooks), as `doc`'s types;
- `rows`: sections and indicator rows; `guess`: each row's kind, id and formula;
- `write`: the imported form as form.yaml; `newform`: a new form from an installed one, the starter or a document.
"""
