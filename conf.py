"""Sphinx configuration. Book metadata lives in _config.yml; this file only wires the tools."""

import hashlib
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "_ext"))
from epubbok import UNUSED_STATIC as EPUB_UNUSED_STATIC  # noqa: E402  (theme files no EPUB page uses)
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
html_baseurl = BOOK.get("url", "")  # the published address, if _config.yml has one: canonical links, citation URLs
book_metadata = {**BOOK, "author": author}  # for the page extras in _ext/norsk.py
book_redirects = BOOK.get("redirects") or {}  # old page → new page (_ext/omdirigering.py)

# The lecturer edition (scripts/build.sh --lecturer sets BOOK_LECTURER=1) opens every solution and
# shows what only lecturers should see: exam tasks and their marking guides, written in the sources as
# ```{only} laerer``` blocks. The public site, PDF and EPUB leave them out (tests/test_editions.py).
if os.environ.get("BOOK_LECTURER") == "1":
    tags.add("laerer")  # noqa: F821 (Sphinx provides tags to conf.py)

extensions = [
    "myst_nb",
    "sphinx_external_toc",
    "sphinxcontrib.bibtex",
    "norsk",  # before sphinx_exercise: registers the book's exercise labels first
    "notebooks",  # the chapters as notebooks students can run anywhere (setup cell, plain Markdown)
    "omdirigering",  # old addresses of moved chapters: redirect pages and download copies (redirects: in _config.yml)
    "laerebok",  # computed pages: «Om dataene», RETHOS table, reading times, glossary back-links
    "nettside",  # the web site: scrollable tables, hyphenated headings, figure sizes, page and citation metadata, search texts
    "sidevekt",  # the web pages without markup nothing styles or reads (Pygments spans in the block's colour, spans round glued numbers)
    "stilark",  # the web site's stylesheets pruned to the rules its pages and scripts can use (page weight)
    "quiz",  # «Sjekk deg selv»: the chapters' self-tests from quizzes/*.yml, for web, PDF, EPUB and learning platforms
    "epubbok",  # the EPUB: language on every document, accessibility metadata, solutions at chapter end
    "pdfbok",  # the PDF: citations and solution back-links that resolve, computed tables' column widths
    "sphinx_exercise",
]
external_toc_path = "_toc.yml"
external_toc_exclude_missing = True  # only files in _toc.yml are built (no stray pages)
exclude_patterns = ["_build", "_build_*", "backmatter/eksamen-laerer.md", ".venv", ".pytest_cache", "**/.ipynb_checkpoints", "README.md", "benchmarks", "tests", "locale", "data", "book", "scripts", "tools", "_themes"]

# Execution: cached with jupyter-cache; a cell that raises fails the build.
nb_execution_mode = BOOK["execute"]["execute_notebooks"]
# BOOK_EXECUTION_CACHE lets the tests build from a clean cache without touching yours.
# The cache is keyed on the notebooks' code; the code they import (book/) and the data (data/) are
# not part of that key, so the cache lives in a folder named after a hash of both: changing either
# re-executes every chapter instead of showing stale outputs.
_inputs = sorted([*(ROOT / "book").glob("*.py"), *(ROOT / "data").iterdir()])
_inputs_hash = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in _inputs if p.is_file())).hexdigest()[:12]
nb_execution_cache_path = os.environ.get(
    "BOOK_EXECUTION_CACHE", str(ROOT / BOOK["execute"]["cache"] / f"inputs-{_inputs_hash}"))
nb_execution_timeout = BOOK["execute"]["timeout"]
nb_execution_allow_errors = BOOK["execute"]["allow_errors"]
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
nb_render_markdown_format = "myst"  # Markdown outputs (the PDF's data tables) may hold tables
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
bibtex_tooltips = False  # the pages drop the reference tooltips anyway; halves the formatting time

nitpicky = True
# A chapter cites a work in its own list and in the book-wide list on purpose;
# sphinxcontrib-bibtex then links each citation to the list in the same document. The lists'
# internal labels may then repeat, which is harmless: APA lists show no labels.
suppress_warnings = ["bibtex.duplicate_citation", "bibtex.duplicate_label"]  # labels are not shown (APA)
# The student kit is linked from the text (``path:`` links) but written after Sphinx has run
# (scripts/student_kit.py), so Sphinx cannot see it; tests/test_student_kit.py checks the links.
suppress_warnings += ["download.not_readable"]

html_theme_path = ["_themes"]
pygments_style = "a11y-light"  # WCAG-contrast code colours, and a small stylesheet
pygments_dark_style = "a11y-dark"
html_theme = "bok"  # Furo (light: no icon fonts, ~55 KB CSS/JS; dark mode) + Norwegian page.html
html_static_path = ["_static"]
html_css_files = ["cells.css", "book.css"]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = False  # no _sources/ copies: the chapters' sources are offered as downloads, and a copied
                          # source would carry the lecturer-only blocks the public pages leave out
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

# ---- PDF (LaTeX with xelatex): the same sources, metadata from _config.yml ----
latex_engine = "xelatex"
latex_documents = [("index", "arbeidsinkludering.tex", BOOK["title"], author, "manual", True)]
latex_show_urls = "no"
latex_show_pagerefs = False
latex_elements = {
    "papersize": "a4paper",
    "extraclassoptions": "openany",  # no blank pages before chapters
    "pointsize": "11pt",
    "fncychap": r"\usepackage[Sonny]{fncychap}",
    # polyglossia loads «norsk» as norwegian (bokmål): its captions are \captionsnorwegian.
    # Chapter titles carry the book's own numbers («5 Støtteperspektivet …»): LaTeX adds none,
    # and figures and tables are numbered through the whole PDF.
    "releasename": "Utgave",
    "preamble": r"""
\setcounter{secnumdepth}{-1}
\addto\captionsnorwegian{\renewcommand{\contentsname}{Innhold}\renewcommand{\bibname}{Referanser}
  \renewcommand{\figurename}{Figur~}\renewcommand{\tablename}{Tabell~}}
\makeatletter\renewcommand\@biblabel[1]{}
%% the reference list: hanging indent; long URLs and DOIs break anywhere (xurl), not into the margin
\renewcommand\@openbib@code{\setlength\leftmargin{1.5em}\setlength\itemindent{-\leftmargin}}
\makeatother
\usepackage{xurl}
%% LaTeX prints the reference list at the very end; links to its page (backmatter/referanser) land there
\AtBeginEnvironment{sphinxthebibliography}{\clearpage\phantomsection\label{\detokenize{backmatter/referanser::doc}}}
\counterwithout{figure}{chapter}
\counterwithout{table}{chapter}
%% figures and tables numbered per chapter as on the web («Figur 5.1»); pages outside the chapters
%% count from 1. _ext/pdfbok.py starts every page with \bookchapter{N} (N = 0 outside the chapters).
\newcounter{bookdoc}
\newcommand\bookchapter[1]{\stepcounter{bookdoc}\setcounter{chapter}{#1}\setcounter{figure}{0}\setcounter{table}{0}}
\renewcommand\thefigure{\ifnum\value{chapter}>0 \arabic{chapter}.\fi\arabic{figure}}
\renewcommand\thetable{\ifnum\value{chapter}>0 \arabic{chapter}.\fi\arabic{table}}
\renewcommand\theHfigure{\arabic{bookdoc}.\arabic{figure}}
\renewcommand\theHtable{\arabic{bookdoc}.\arabic{table}}
%% an exercise's label, printing its number through \ref (_ext/pdfbok.py)
\makeatletter
\newcommand\booklabel[2]{\phantomsection\begingroup\def\@currentlabel{#1}\label{\detokenize{#2}}\endgroup}
\makeatother
%% part pages, as the web's parts (Del I–IV, Tillegg): _ext/pdfbok.py writes \bookpart{caption}
\newcommand\bookpart[1]{\clearpage\phantomsection\addcontentsline{toc}{part}{#1}\part*{#1}}
%% the stikkordregister lists words, not code: entries in the text face
\renewcommand{\sphinxstyleindexentry}[1]{#1}
%% no heading or exercise title alone at the foot of a page
\usepackage{needspace}
\makeatletter
\newif\ifbook@afterheading  %% true from a heading until the next paragraph or box
\pretocmd{\section}{\Needspace{10\baselineskip}\global\book@afterheadingtrue}{}{\errmessage{conf.py: could not patch section}}
\pretocmd{\subsection}{\Needspace{6\baselineskip}\global\book@afterheadingtrue}{}{\errmessage{conf.py: could not patch subsection}}
\let\book@AtStartPar\sphinxAtStartPar
\protected\def\sphinxAtStartPar{\global\book@afterheadingfalse\book@AtStartPar}
%% an exercise or note box right under a heading stays with it (the heading reserved the space)
\AtBeginEnvironment{sphinxadmonition}{\ifbook@afterheading\else\Needspace{8\baselineskip}\fi\global\book@afterheadingfalse}
\makeatother
\hypersetup{pdftitle={%(title)s}, pdfauthor={%(author)s}, pdflang={nb-NO},
  pdfsubject={Lærebok for sosionomstudenter. Utgave %(edition)s (%(date)s). %(license)s},
  pdfkeywords={arbeidsinkludering, NAV, Supported Employment, IPS, sosialt arbeid}}
""" % {"title": BOOK["title"], "author": author, "edition": BOOK["edition"],
       "date": BOOK["edition_date"], "license": BOOK["license"]["name"]},
    # the title page is page i (no arabic label), the contents go on from ii; page 1 is the Forord
    "maketitle": r"""
\pagenumbering{roman}
\begin{titlepage}
\centering
\vspace*{3cm}
{\Huge\bfseries %(title)s\par}
\vspace{0.6cm}
{\Large %(subtitle)s\par}
\vspace{2cm}
{\large %(author)s\par}
\vfill
{\large Utgave %(edition)s, %(date)s\par}
\vspace{0.8cm}
{\small Teksten er lisensiert under %(license)s (\url{%(license_url)s}).
Koden er lisensiert under %(code_license)s-lisensen.\par}
\end{titlepage}
\setcounter{page}{2}
""" % {"title": BOOK["title"], "subtitle": BOOK["subtitle"], "author": author, "edition": BOOK["edition"],
       "date": BOOK["edition_date"], "license": BOOK["license"]["name"], "license_url": BOOK["license"]["url"],
       "code_license": BOOK["code_license"]},
    "tableofcontents": r"""\begingroup\parskip 0pt\sphinxtableofcontentshook\tableofcontents\endgroup
\clearpage\pagenumbering{arabic}""",
    "printindex": r"\printindex",  # «Stikkordregister»: the glossary's terms, where defined and used
}

# ---- EPUB 3: the same sources; cover drawn from _config.yml ----
_cover_dir = ROOT / "_build" / "cover"
_cover_dir.mkdir(parents=True, exist_ok=True)
_cover = f"""<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1800" viewBox="0 0 1200 1800">
<title>{BOOK['title']}</title>
<rect width="1200" height="1800" fill="#0b3c5d"/>
<rect x="0" y="1180" width="1200" height="16" fill="#e69f00"/>
<text x="100" y="520" font-family="DejaVu Sans, sans-serif" font-size="104" font-weight="bold" fill="#ffffff">Arbeids-</text>
<text x="100" y="640" font-family="DejaVu Sans, sans-serif" font-size="104" font-weight="bold" fill="#ffffff">inkludering</text>
<text x="100" y="760" font-family="DejaVu Sans, sans-serif" font-size="104" font-weight="bold" fill="#ffffff">i sosialt arbeid</text>
<text x="100" y="880" font-family="DejaVu Sans, sans-serif" font-size="44" fill="#dbe9f4">{BOOK['subtitle']}</text>
<text x="100" y="1320" font-family="DejaVu Sans, sans-serif" font-size="40" fill="#ffffff">Utgave {BOOK['edition']} · {BOOK['edition_date']}</text>
<text x="100" y="1390" font-family="DejaVu Sans, sans-serif" font-size="34" fill="#dbe9f4">{author}</text>
<text x="100" y="1700" font-family="DejaVu Sans, sans-serif" font-size="32" fill="#dbe9f4">Åpen lærebok · {BOOK['license']['id']}</text>
</svg>
"""
if not (_cover_dir / "cover.svg").is_file() or (_cover_dir / "cover.svg").read_text(encoding="utf-8") != _cover:
    (_cover_dir / "cover.svg").write_text(_cover, encoding="utf-8")
html_static_path = ["_static", str(_cover_dir)]

epub_title = BOOK["title"]
epub_description = BOOK["subtitle"]
epub_author = author
epub_publisher = author
epub_contributor = author  # Sphinx writes «unknown» otherwise
epub_copyright = copyright
epub_language = html_lang
epub_identifier = epub_uid = f"arbeidsinkludering-i-sosialt-arbeid-utgave-{BOOK['edition']}"  # NCX and OPF must agree
epub_cover = ("_static/cover.svg", "")
epub_show_urls = "no"
epub_exclude_files = ["search.html", "genindex.html", *EPUB_UNUSED_STATIC]
epub_theme = "epub"
epub_basename = "arbeidsinkludering"
