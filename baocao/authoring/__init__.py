"""A form's author's tools: a form imported from its official document (.docx, or a workbook laid out
like it), `new-form`, and check-form's look at the Word template.

- `read`: the document into paragraphs and table grids (`xlsx` for workbooks), as `doc`'s types;
- `rows`: sections and indicator rows; `guess`: each row's kind, id and formula;
- `write`: the imported form as form.yaml; `newform`: a new form from an installed one, the starter or a document;
- `templatecheck`: the template's tags against the form, rendered once with a sample context (so it
  sits above the steps it uses: read, format, render), and which fields and columns it prints.
"""
