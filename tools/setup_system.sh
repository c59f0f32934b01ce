#!/bin/sh
# The system packages the tests need (README command (b) and .ci/run both call this script):
# LibreOffice Writer (PDF tests) and python3-uno (its warm converter), poppler-utils (reads the PDFs back),
# fonts-liberation2 (Liberation Serif 2 has every Vietnamese letter; 1.07 lacks 60 of them) and Debian's
# chromium (browser tests, driven by Playwright through /usr/bin/chromium; Playwright's download is never used)
# and postgresql (the portal's tests start their own throwaway cluster with initdb/pg_ctl).
# Installs them with apt-get when run as root and something is missing; otherwise says what to run.
set -eu
PACKAGES="libreoffice-writer-nogui python3-uno fonts-liberation2 poppler-utils chromium postgresql"

missing=""
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
[ -f /usr/lib/python3/dist-packages/uno.py ] || missing="$missing python3-uno"
command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
# Liberation Serif with ơ, ư, ạ, ộ (fontconfig answers only for a face that has all four).
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list 'Liberation Serif:charset=1a1 1b0 1ea1 1ed9' family 2>/dev/null)" ]; then
  missing="$missing fonts-liberation2"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES
  exit 0
fi
echo "Thiếu gói hệ thống:$missing. Chạy trước: sudo apt-get update && sudo apt-get install -y --no-install-recommends $PACKAGES" >&2
exit 1
