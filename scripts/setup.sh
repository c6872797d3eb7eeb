#!/usr/bin/env bash
# Set up a fresh machine for thaiplan: Debian packages (tesseract with Thai,
# LibreOffice for .doc, Thai fonts) when run as root, then the Python package.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

apt_needed=()
command -v tesseract >/dev/null 2>&1 || apt_needed+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/tha.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/tha.traineddata >/dev/null 2>&1 || apt_needed+=(tesseract-ocr-tha)
command -v soffice >/dev/null 2>&1 || apt_needed+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || apt_needed+=(poppler-utils)
fc-list 2>/dev/null | grep -qi garuda || apt_needed+=(fonts-thai-tlwg fontconfig)

if [ ${#apt_needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${apt_needed[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null
  else
    echo "setup: not root; install by hand: apt-get install ${apt_needed[*]} (OCR and .doc need them)" >&2
  fi
fi

if ! "$PY" -c "import thaiplan, pythainlp, pdfplumber, pypdfium2, docx, cv2, pytest, hypothesis" >/dev/null 2>&1 \
   || [ pyproject.toml -nt .setup-done ]; then
  "$PY" -m pip install -q --disable-pip-version-check -e '.[test]'
  touch .setup-done
fi
