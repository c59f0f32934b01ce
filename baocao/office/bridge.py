"""Run by a Python that has LibreOffice's `uno` module (Debian: /usr/bin/python3 with python3-uno; a LibreOffice
install: its own program/python), never imported by baocao:

    python3 bridge.py SOFFICE PROFILE_URI PIPE_NAME

Starts one headless LibreOffice, connects to it, prints {"ready": true}, then converts one document per line of
standard input ({"docx": path, "pdf": path} → {"ok": true} or {"ok": false, "error": text}). At the end of
standard input (its parent exited or closed it) LibreOffice is ended too.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def props(**values):
    """UNO property values."""
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def connect(pipe, office, deadline):
    """The desktop of the LibreOffice listening on `pipe`, waiting for it to start."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def convert(desktop, docx, pdf):
    """One document to PDF (writer_pdf_Export), opened hidden and read-only, closed afterwards."""
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0, props(Hidden=True, ReadOnly=True))
    if doc is None:
        raise RuntimeError("LibreOffice did not open the document")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(pdf), props(FilterName="writer_pdf_Export"))
    finally:
        doc.close(True)


def reply(**values):
    sys.stdout.write(json.dumps(values) + "\n")
    sys.stdout.flush()


def main():
    soffice, profile, pipe = sys.argv[1:4]
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        desktop = connect(pipe, office, time.monotonic() + 120)
        reply(ready=True)
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request["docx"], request["pdf"])
                reply(ok=True)
            except Exception as e:
                if office.poll() is not None:
                    reply(ok=False, error=f"LibreOffice stopped: {e}", dead=True)
                    return
                reply(ok=False, error=str(e))
        with contextlib.suppress(Exception):
            desktop.terminate()
        office.wait(timeout=10)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
        if hasattr(os, "killpg") and os.getpgrp() == os.getpid():  # the whole group: oosplash's soffice.bin too
            os.killpg(os.getpgrp(), signal.SIGKILL)


if __name__ == "__main__":
    main()
