"""Many workbooks at once, and the roll-up of a province's communes.

- `run`: `run_batch`, every commune's report and per province and period the roll-up;
- `check`: `check_workbooks`, the checks only (the `check` command), each workbook in an isolated worker;
- `decide`: which official commune each workbook is, and which copy of a commune counts;
- `mapping`: one function over the batch's items, in a process pool or in turn; `model`: what a batch gives back;
- `city`, `citybatch`: the city workbook (one column per commune), each column checked as its own workbook;
- `consolidate`: the consolidated report (counts summed, rates recomputed); `rollup_info`: its header and signature;
- `previous`: a batch's previous-period workbooks (`--previous FOLDER`), matched to its communes and roll-ups;
- `summary`: tong_hop.xlsx; `outputs`: the names of the files a batch writes; `demo`: synthetic demo workbooks.
"""
