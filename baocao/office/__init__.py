"""PDFs through LibreOffice.

- `libreoffice`: one warm headless LibreOffice per process, killed with its job;
- `bridge`: run by LibreOffice's own Python (`uno`), it converts on the warm instance's pipe;
- `fontcheck`: before a PDF, the fonts fontconfig will use are checked for every character.
"""
