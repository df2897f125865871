#!/usr/bin/env bash
# Set up (if needed) and build the book into _build/html. Warnings are errors; cells that raise
# fail the build; only chapters that changed are re-executed (jupyter-cache in _build/.jupyter_cache).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m sphinx -n -W --keep-going -b html . _build/html "$@"
echo "Boka er bygget: _build/html/index.html"
