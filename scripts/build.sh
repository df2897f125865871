#!/usr/bin/env bash
# Set up (if needed) and build the book: the web site in _build/html, the PDF and the EPUB, with
# the downloads linked from every page. Warnings are errors in every format; cells that raise fail
# the build; only chapters that changed are re-executed (jupyter-cache in _build/.jupyter_cache).
#   bash scripts/build.sh                     # site + PDF + EPUB
#   bash scripts/build.sh --formats html      # the site only (quick)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python scripts/build_book.py _build "$@"
echo "Boka er bygget: _build/html/index.html (PDF og EPUB: _build/html/_downloads/)"
