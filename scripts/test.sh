#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: unit tests of book/, two clean builds of the
# whole book and the checks on the built site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest "$@"
