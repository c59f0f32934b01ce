"""The command line (`python generate.py`), a thin shell over baocao.pipeline and baocao.batch.

- `main`: the click group, `render` (one workbook or a whole batch) and `serve`; `check`; `newinput` (`new-input`,
  `demo-data`); `forms` (`forms`, `check-form`, `new-form`), `newform` (what `new-form` prints);
- `common`: what the commands share (finding workbooks, printing problems, the progress bar);
- `errors`: every way a command can end, as one Vietnamese line and an exit status.
"""
