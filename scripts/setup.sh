#!/usr/bin/env bash
# Set up everything the book needs: system packages (as root on Debian), a virtual environment in
# .venv with the exact versions in requirements.txt, and the book's own package. Idempotent and
# quick when nothing changed. Used by scripts/build.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)          # search test runs the site's stemmer in Node
command -v hunspell >/dev/null 2>&1 || need_apt+=(hunspell)    # spelling test
[ -f /usr/share/hunspell/nb_NO.dic ] || need_apt+=(hunspell-no) # Norwegian dictionary (nb_NO)
"$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)
# PDF: xelatex with Norwegian hyphenation (polyglossia), latexmk, xindy, the FreeSerif fonts
command -v xelatex >/dev/null 2>&1 || need_apt+=(texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended texlive-lang-european)
command -v latexmk >/dev/null 2>&1 || need_apt+=(latexmk)
command -v xindy >/dev/null 2>&1 || need_apt+=(xindy)
[ -f /usr/share/fonts/opentype/freefont/FreeSerif.otf ] || need_apt+=(fonts-freefont-otf)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)    # PDF tests read the text back
# tagged PDF/UA (scripts/pdf_ua.py): WeasyPrint lays out text with Pango (it loads the libraries itself)
/sbin/ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)  # EPUBCheck runs on Java
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)            # browser tests (axe, requests, keyboard)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)                      # installs axe-core for the browser tests
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installerer Debian-pakker: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Mangler systempakker: ${need_apt[*]} (kjør som root, eller installer dem selv)" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  .venv/bin/python -m pip install --quiet --no-deps -e .
  echo "$want" > "$stamp"
fi

# axe-core for the browser tests and Ace by DAISY for the EPUB test, at the versions pinned in
# tests/browser/package-lock.json. Ace drives the system Chromium: puppeteer downloads no browser.
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] || [ ! -x tests/browser/node_modules/.bin/ace-cli ] \
    || [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then
  (cd tests/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
