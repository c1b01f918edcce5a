#!/usr/bin/env bash
# Install the Debian packages casefile needs, only those missing. Called by `make demo` / `make test`.
#   tesseract-ocr, tesseract-ocr-chi-sim  the design card's OCR engine with simplified Chinese
#   fonts-wqy-zenhei, fonts-arphic-*      CJK fonts the fixture generator renders documents with
#   poppler-utils                         pdftoppm, to look at reports and PDFs as images
#   ocrmypdf                              the baseline `make bench` compares against
#   redis-server, postgresql              the broker and shared database the distributed-mode tests run
#                                         against (started by the tests when not already running)
#   chromium                              the browser tests (tests/browser) drive Debian's build through
#                                         Playwright; Playwright's own browser download cannot reach this network
#   python3-venv                          Debian splits venv out of python3
set -euo pipefail

PACKAGES=(tesseract-ocr tesseract-ocr-chi-sim fonts-wqy-zenhei fonts-arphic-ukai fonts-arphic-uming poppler-utils ocrmypdf redis-server postgresql chromium)
if ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  PACKAGES+=(python3-venv)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "error: need root to install: apt-get install ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
