"""Sphinx configuration. Book metadata lives in _config.yml; this file only wires the tools."""

import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "_ext"))
BOOK = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))

project = BOOK["title"]
author = BOOK["author"]
version = release = BOOK["edition"]
copyright = f"{BOOK['copyright']} {author}. Teksten: {BOOK['license']['id']}; koden: {BOOK['code_license']}"
language = BOOK["language"]
html_lang = BOOK["html_lang"]
html_search_language = "no"  # "nb" silently falls back to English stemming
locale_dirs = ["locale"]
html_title = BOOK["title"]

extensions = [
    "myst_nb",
    "sphinx_external_toc",
    "sphinxcontrib.bibtex",
    "norsk",  # before sphinx_exercise: registers the book's exercise labels first
    "sphinx_exercise",
]
external_toc_path = "_toc.yml"
external_toc_exclude_missing = True  # only files in _toc.yml are built (no stray pages)
exclude_patterns = ["_build", ".venv", ".pytest_cache", "**/.ipynb_checkpoints", "README.md", "benchmarks", "tests", "locale", "data", "book", "scripts", "tools", "_templates"]

# Execution: cached with jupyter-cache; a cell that raises fails the build.
nb_execution_mode = BOOK["execute"]["execute_notebooks"]
# BOOK_EXECUTION_CACHE lets the tests build from a clean cache without touching yours.
nb_execution_cache_path = os.environ.get("BOOK_EXECUTION_CACHE", str(ROOT / BOOK["execute"]["cache"]))
nb_execution_timeout = BOOK["execute"]["timeout"]
nb_execution_allow_errors = BOOK["execute"]["allow_errors"]
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_code_prompt_show = "Vis innhold"
nb_code_prompt_hide = "Skjul innhold"
nb_number_source_lines = False

myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3
myst_substitutions = {  # metadata for the pages, from _config.yml
    "title": BOOK["title"],
    "subtitle": BOOK["subtitle"],
    "edition": BOOK["edition"],
    "edition_date": BOOK["edition_date"],
    "edition_year": BOOK["edition_date"][:4],
    "license": BOOK["license"]["name"],
    "code_license": BOOK["code_license"],
}
numfig = True
numfig_format = {"figure": "Figur %s", "table": "Tabell %s", "code-block": "Kode %s", "section": "Avsnitt %s"}

bibtex_bibfiles = BOOK["bibtex_bibfiles"]
bibtex_default_style = "apa_nb"
bibtex_reference_style = "author_year_nb"

nitpicky = True
# A chapter cites a work in its own list and in the book-wide list on purpose;
# sphinxcontrib-bibtex then links each citation to the list in the same document.
suppress_warnings = ["bibtex.duplicate_citation"]

templates_path = ["_templates"]
html_theme = "furo"  # light (no icon fonts, ~55 KB of CSS/JS), dark mode, keyboard-friendly
html_static_path = ["_static"]
html_css_files = ["cells.css", "book.css"]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False
html_permalinks_icon = "#"
html_theme_options = {
    "navigation_with_keys": False,  # arrow keys must keep scrolling the page
    "top_of_page_buttons": [],
    "footer_icons": [],
}
html_context = {
    "book_footer": f"Utgave {BOOK['edition']} ({BOOK['edition_date']}). "
    f"Teksten er lisensiert under {BOOK['license']['name']}; koden under {BOOK['code_license']}-lisens.",
}
