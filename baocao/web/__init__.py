"""The local web page (`python generate.py serve`).

- `app`: the Flask application and its routes; `templates/`, `static/`: its pages;
- `jobs`: one job per upload, in its own folder, under the server's limits;
- `run`: a job in its own process, so that the server never dies with a job;
- `results`: the result page of an upload with many files.
"""
