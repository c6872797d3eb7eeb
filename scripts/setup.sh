#!/usr/bin/env bash
# Set up a fresh machine for thaiplan: Debian packages (tesseract with Thai,
# LibreOffice for .doc, Thai fonts for the test fixtures, Chromium for the
# report's screenshot test) when run as root,
# then a virtual environment .venv with the package and its test tools.
# A venv always: Debian's own python3 is externally managed (PEP 668), and a
# venv keeps the project's packages off the system's either way.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${VENV:-.venv}

apt_needed=()
command -v tesseract >/dev/null 2>&1 || apt_needed+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/tha.traineddata >/dev/null 2>&1 || apt_needed+=(tesseract-ocr-tha)
command -v soffice >/dev/null 2>&1 || apt_needed+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi garuda || apt_needed+=(fonts-thai-tlwg fontconfig)
# headless Chromium: the test that looks at report.html as a person would
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || apt_needed+=(chromium)

if [ ${#apt_needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${apt_needed[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null
  else
    echo "setup: not root; install by hand: sudo apt-get install ${apt_needed[*]} (scans, .doc and the venv need them)" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating the virtual environment $VENV with $PY" >&2
  if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
    rm -rf "$VENV"  # Debian ships venv's pip apart: python3-venv (python3.X-venv)
    minor=$("$PY" -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}-venv")')
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing python3-venv $minor" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv "$minor" >/dev/null
      "$PY" -m venv "$VENV"
    else
      echo "setup: $PY cannot make a virtual environment; install it: sudo apt-get install python3-venv $minor" >&2
      exit 1
    fi
  fi
fi
if ! "$VENV/bin/python" -c "import thaiplan.extract, pythainlp, pdfplumber, pypdfium2, docx, cv2, pytest, hypothesis" >/dev/null 2>&1 \
   || [ pyproject.toml -nt "$VENV/.setup-done" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
  touch "$VENV/.setup-done"
fi
