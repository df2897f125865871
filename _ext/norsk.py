"""Local Sphinx extension: the Norwegian bits the upstream packages don't do.

* ``<html lang>`` from ``_config.yml`` (``nb``), while ``language = "no"`` keeps the
  Norwegian catalogs of Sphinx, the theme and sphinx-exercise and the Norwegian search stemmer;
* the book's own sphinx-exercise labels («Oppgave», «Løsningsforslag til»), registered before
  sphinx-exercise registers its catalog (the first catalog registered for a domain wins);
* a slim page: Sphinx's search scripts (documentation options, doctools, search-word
  highlighting, translations) load only on the search page, where they are used; MyST-NB's 43 KB stylesheet is replaced by ``_static/cells.css`` (the rules the book
  uses), citation links lose their full-reference tooltip (the reference list is one click
  away), and the show/hide toggles say what they hide («Vis koden», «Vis tallene bak figuren»);
* downloads, citation and dates on every page: links to the PDFs (for print, and tagged PDF/UA) and the EPUB (copied into
  ``_downloads/`` by scripts/build_book.py), each chapter as a tagged PDF, as an executed notebook and as its MyST
  source, «Slik siterer du» for the chapter, and «Sist oppdatert» from the source's last commit
  (the same commit always gives the same pages);
* solutions at the end of each chapter in the PDF («Løsningsforslag til oppgavene»), so a reader
  on paper meets each exercise before its answer, as the collapsed web version intends; the
  lecturer edition (``BOOK_LECTURER=1``, ``scripts/build.sh --lecturer``) opens them on the web;
* figure descriptions in the PDF: a PDF reader cannot show an image's alt text, so the LaTeX
  build prints it under the caption («Beskrivelse: …»);
* figures, tables and exercises numbered per chapter on the web («Figur 5.2», «Oppgave 5.3»),
  from the chapter number in the chapter's title (the book numbers its chapters by hand, so that
  a chapter keeps its number while the book grows);
* one reference list in the PDF: LaTeX gathers every citation into one bibliography at the end
  anyway, so the chapters' own lists (web only) and the «Referanser» page's wrapper are dropped
  from the LaTeX doctrees, and the final list is titled «Referanser»;
* collapsed solutions as native ``<details>``/``<summary>`` (no JavaScript, keyboard-operable):
  sphinx-exercise marks a solution with ``:class: dropdown`` but leaves the collapsing to
  sphinx-togglebutton's script; we write the HTML element that does it by itself;
* an APA 7-like bibliography style with Norwegian words («Red.», «I», «s.», «mfl.») and
  an author–year citation style that writes «og»/«&» and «mfl.» (pybtex plugins, not patches).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field as dc_field
from pathlib import Path

import re
from urllib.parse import unquote

import pybtex.plugin
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import pages as _pages
from pybtex.style.names.plain import NameStyle as _FirstLast
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting
from pybtex.style.template import FieldIsMissing, field, first_of, href, join, node, optional, sentence, tag
from sphinx.util.i18n import CatalogInfo
from sphinxcontrib.bibtex.plugin import register_plugin

import notebooks  # noqa: E402  (the student notebooks: kit name, launch links)
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference


#: Characters a URL must keep percent-encoded to mean the same thing (or to be valid at all),
#: and U+FFFD, which is no character a reader can use: every other escape is shown decoded.
_KEEP_ENCODED = set(' "#%&+/<=>?[\\]^`{|}') | {"\ufffd"}
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def readable_url(url: str) -> str:
    """The URL as a reader should see it: ``…/tr%C3%A5r`` → ``…/trår``, ``%C2%A7`` → ``§``;
    escapes that carry meaning (``%3F``, ``%23``, ``%20`` …) and undecodable bytes stay."""

    def decode(match: re.Match) -> str:
        text = unquote(match.group(0), errors="strict") if _decodable(match.group(0)) else None
        if text is None:
            return match.group(0)
        return "".join(c if c not in _KEEP_ENCODED and c.isprintable() else _encode(c) for c in text)

    return _ESCAPES.sub(decode, url)


def _decodable(escapes: str) -> bool:
    try:
        unquote(escapes, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def _encode(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


@node
def _url_text(children, context):
    """The entry's URL, percent-decoded for reading (the link target is the URL as stored)."""
    try:
        url = context["entry"].fields["url"]
    except KeyError:
        raise FieldIsMissing("url", context["entry"])
    return Text(readable_url(url))


MONTHS_NB = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
             "oktober", "november", "desember"]


@node
def _retrieved(children, context):
    """«Hentet 6. desember 2026 fra » for an undated page that may change (APA 7: a retrieval
    date only where the content is not fixed, which the book marks by having no year)."""
    entry = context["entry"]
    year = entry.fields.get("year", "u.å.")
    urldate = entry.fields.get("urldate")
    if not urldate or year not in ("", "u.å."):
        return Text()
    y, m, d = (int(x) for x in urldate.split("-"))
    return Text(f"Hentet {d}. {MONTHS_NB[m - 1]} {y} fra ")


_doi = join["https://doi.org/", field("doi", raw=True)]
_link = first_of[
    optional[href[_doi, _doi]],
    optional[join[_retrieved, href[field("url", raw=True), _url_text]]],
    optional[join["ISBN ", field("isbn", raw=True)]],
]


@node
def _year(children, context):
    """The year with the letter that tells apart two works of the same authors in the same year
    (APA 7: «2021a», «2021b»; undated: «u.å.-a»). The letter is the entry's ``yearsuffix``:
    tests/test_bibliography.py fails when two entries would be cited the same way without one."""
    entry = context["entry"]
    year = entry.fields.get("year", "") or "u.å."
    suffix = entry.fields.get("yearsuffix", "")
    return Text(f"{year}-{suffix}" if suffix and year == "u.å." else year + suffix)


@node
def _names_ref(children, context, role):
    """Names in the reference list: «Dahl, E. S., & Lima, I.»; a list the entry cuts short with
    «and others» ends in «mfl.» (no «&»)."""
    try:
        persons = context["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, context["entry"])
    style = context["style"]
    truncated = len(persons) > 1 and str(persons[-1]) == "others"
    shown = persons[:-1] if truncated else persons
    formatted = [style.format_name(person, style.abbreviate_names) for person in shown]
    if truncated:
        return join(sep=", ")[formatted + ["mfl."]].format_data(context)
    if len(formatted) > 20:  # APA 7: the first 19, an ellipsis and the last author, no «&»
        return join(sep=", ")[formatted[:19] + ["…", formatted[-1]]].format_data(context)
    return join(sep=", ", sep2=", & ", last_sep=", & ")[formatted].format_data(context)


@node
def _names_in(children, context, role):
    """Editors after «I»: initials first, «&» between two, «, &» before the last of three or more
    (APA 7: «I A. A. Kane & Ø. Spjelkavik (Red.)»). Also the authors of a book that is not edited
    (biblatex ``bookauthor``, a plain field to BibTeX): «I A. L. Ellingsæter, A. Hatland, P. Haave,
    & S. Stjernø, *Boka*»."""
    entry = context["entry"]
    persons = entry.persons.get(role)
    if persons is None:
        raw = entry.fields.get(role)
        if not raw:
            raise FieldIsMissing(role, entry)
        persons = [Person(name) for name in split_name_list(raw)]
    style = context["style"]
    formatted = [_FirstLast().format(person, style.abbreviate_names) for person in persons]
    return join(sep=", ", sep2=" & ", last_sep=", & ")[formatted].format_data(context)


#: A title followed by a period, unless it already ends with «?», «!» or «.».
_title = sentence(add_period=True)[field("title")]


_NB_ORDER = str.maketrans({"æ": "z\u0001", "ä": "z\u0001", "ø": "z\u0002", "ö": "z\u0002", "å": "z\u0003"})


class NorwegianSorting(AuthorYearTitleSorting):
    """APA 7 order with Norwegian letters: one alphabet for people and group authors (braces do
    not count), Æ Ø Å after Z, and «u.å.» before the dated works of the same author."""

    def sorting_key(self, entry):
        author, year, title = super().sorting_key(entry)
        if not author and entry.persons.get("editor"):
            author = self.persons_key(entry.persons["editor"])
        year = ("0000" if year in ("", "u.å.") else year) + entry.fields.get("yearsuffix", "")
        return (_alphabetical(author), year, _alphabetical(title))


def _alphabetical(text: str) -> str:
    """A sort key in the Norwegian alphabet: braces ignored, «é» and «á» as «e» and «a»,
    Æ Ø Å (and Ä Ö) after Z."""
    import unicodedata

    text = re.sub(r"[{}\\]", "", text).lower().translate(_NB_ORDER)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class ApaNorwegianStyle(UnsrtStyle):
    """APA 7 reference list entries with Norwegian conventions."""

    default_name_style = "lastfirst"
    default_sorting_style = NorwegianSorting

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("abbreviate_names", True)
        super().__init__(*args, **kwargs)

    def _names(self, role):
        # APA 7: a comma before «&» also between two names in the reference list
        return _names_ref(role)

    def _creator(self):
        return first_of[
            optional[self._names("author")],
            optional[join[self._names("editor"), " (Red.)."]],
            optional[field("organization")],
            optional[field("institution")],
        ]

    def _head(self):
        # APA 7: the creator ends with a period before the year – «Kane, A. A. (2020).»,
        # «Kane, A. A., & Spjelkavik, Ø. (Red.). (2021).», «Folketrygdloven. (1997).», «Nav. (u.å.).»
        return join[sentence(add_period=True)[self._creator()], " (", _year, "). "]

    def get_article_template(self, e):
        return join[
            self._head(), _title, " ",
            tag("em")[field("journal")],
            first_of[
                optional[", ", tag("em")[field("volume")], optional["(", field("number"), ")"]],
                optional[", (", field("number"), ")"],  # an issue number without a volume
            ],
            first_of[
                optional[", ", _pages],
                optional[", Artikkel ", field("eid")],  # an article number (APA 7: «Article 687384»)
            ],
            ". ", _link,
        ]

    def get_book_template(self, e):
        # a title that ends in «?» or «!» gets no extra period (APA 7: «Well-Being? TSO.»)
        return join[
            self._head(), sentence(add_period=True, sep="")[tag("em")[field("title")],
                                                            optional[" (", field("edition"), ")"]], " ",
            optional[field("publisher"), ". "], _link,
        ]

    def get_incollection_template(self, e):
        return join[
            self._head(), _title, " I ",
            first_of[
                optional[_names_in("bookauthor"), ", "],  # a chapter in a book written by its authors
                optional[_names_in("editor"), " (Red.), "],
            ],
            tag("em")[field("booktitle")],
            optional[" (s. ", _pages, ")"], ". ",
            optional[field("publisher"), ". "], _link,
        ]

    def get_techreport_template(self, e):
        return join[
            self._head(), tag("em")[field("title")],
            optional[" (", field("type"), optional[" ", field("number")], ")"], ". ",
            optional[field("institution"), ". "], _link,
        ]

    def get_misc_template(self, e):
        return join[
            self._head(), tag("em")[field("title")],
            optional[" [", field("howpublished"), "]"], ". ",
            optional[field("publisher"), ". "], _link,
        ]

    get_online_template = get_misc_template
    get_unpublished_template = get_misc_template
    # A paper in conference proceedings is cited as a chapter in a book (APA 7: «I Proceedings … (s. 92–96)»)
    get_inproceedings_template = get_incollection_template


class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    """(Kane & Spjelkavik, 2021a): the year as in the reference list, with its letter."""

    def inner(self, role_name: str):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[self.person.author_or_editor_or_title(full="s" in role_name), _year]],
            post_text,
        ]


class _Textual(BasicAuthorYearTextualReferenceStyle):
    """Kane og Spjelkavik (2021a)."""

    def inner(self, role_name: str):
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[_year], post_text],
                self.bracket.right,
            ],
        ]


def _person(sep2: str) -> PersonStyle:
    return PersonStyle(sep2=sep2, last_sep=sep2, other=" mfl.")


@dataclass
class NorwegianAuthorYearStyle(AuthorYearReferenceStyle):
    """Author–year citations: (Dahl & Lima, 2021), Dahl og Lima (2021), Reme mfl. (2019)."""

    person: PersonStyle = dc_field(default_factory=lambda: _person(" & "))
    # APA 7: works in one parenthesis are separated by semicolons – (Kane & Spjelkavik, 2021a; Nav, u.å.-a)
    bracket_parenthetical: BracketStyle = dc_field(default_factory=lambda: BracketStyle(left="(", right=")", sep="; "))
    bracket_textual: BracketStyle = dc_field(default_factory=lambda: BracketStyle(left="(", right=")"))
    bracket_year: BracketStyle = dc_field(default_factory=lambda: BracketStyle(left="(", right=")"))

    def __post_init__(self):
        super().__post_init__()
        textual = _person(" og ")
        for i, style in enumerate(self.styles):
            if isinstance(style, BasicAuthorYearTextualReferenceStyle):
                self.styles[i] = _Textual(bracket=style.bracket, person=textual, text_reference_sep=style.text_reference_sep,
                                          pre_text_sep=style.pre_text_sep, post_text_sep=style.post_text_sep)
            elif isinstance(style, BasicAuthorYearParentheticalReferenceStyle):
                self.styles[i] = _Parenthetical(bracket=style.bracket, person=style.person, author_year_sep=style.author_year_sep,
                                                pre_text_sep=style.pre_text_sep, post_text_sep=style.post_text_sep)
        self.role_style.update((role, style) for style in self.styles for role in style.role_names())


def _set_lang(app, pagename, templatename, context, doctree):
    context["language"] = app.config.html_lang


def _solutions_as_details(app, pagename, templatename, context, doctree):
    """Turn ``<div class="solution dropdown">`` into ``<details>`` with its title as ``<summary>``,
    and drop the duplicate ids sphinx-exercise puts on every exercise and solution body."""
    body = context.get("body") or ""
    web = app is not None and app.builder is not None and app.builder.name == "html" and bool(body)
    if not web and not any(k in body for k in ("dropdown", 'id="exercise-content"', "Toggle hidden content",
                                   "bibtex-citation", "doc-biblioentry", "<summary", 'class="citation"',
                                   'class="highlight"', 'role="heading"')):
        return
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, "html.parser")
    # sphinx-exercise gives every exercise/solution body the same id: ids must be unique in a page
    # (find_all, not CSS selectors: soupsieve walks the whole page for each selector, and this
    # runs on every page of every build)
    for section in soup.find_all("section", id=["exercise-content", "solution-content"]):
        section["class"] = section.get("class", []) + [section["id"]]
        del section["id"]
    # MyST-NB's show/hide toggles carry an English aria-label that differs from their visible
    # Norwegian text; the visible text is the accessible name, and it says what is hidden.
    for summary in soup.find_all("summary", attrs={"aria-label": "Toggle hidden content"}):
        del summary["aria-label"]
    for box in soup.find_all("details", class_="hide"):
        what = "tallene bak figuren" if box.find("div", class_="data-table") else (
            "koden" if "above-input" in box.get("class", []) else None)
        summary = box.find("summary")
        if what and summary is not None:
            for cls, verb in (("collapsed", "Vis"), ("expanded", "Skjul")):
                p = summary.find("p", class_=cls, recursive=False)
                if p is not None:
                    p.string = f"{verb} {what}"
    # Code that scrolls sideways must be reachable by keyboard (WCAG 2.1.1)
    for div in soup.find_all("div", class_="highlight"):
        for pre in div.find_all("pre", recursive=False):
            pre["tabindex"] = "0"
    # Toctree captions in the page body (the front page's contents) are level-2 headings
    for caption in soup.find_all(attrs={"role": "heading", "aria-level": False}):
        caption["aria-level"] = "2"
    for span in soup.find_all("span", class_="bibtex-citation"):
        for link in span.find_all("a", title=True):
            del link["title"]
    # A <summary> may hold phrasing content only (EPUB/XHTML validity): MyST-NB puts <p> there.
    for summary in soup.find_all("summary"):
        for p in summary.find_all("p", recursive=False):
            p.name = "span"
    # ARIA 1.2 deprecates role="doc-biblioentry" (axe and EPUBCheck warn): each entry is a plain
    # list item of the role="list" around it. APA lists have no labels: the [n] goes.
    for el in soup.find_all(attrs={"role": "doc-biblioentry"}):
        el["role"] = "listitem"
    for citations in soup.find_all("div", class_="citation-list"):
        for el in citations.find_all("div", class_="citation", recursive=False):
            el["role"] = "listitem"
    for citation in soup.find_all("div", class_="citation"):
        for label in citation.find_all("span", class_="label", recursive=False):
            label.decompose()
        # the numbered back-links «(1,2,3)» before each entry: 3–5 KB a chapter page, and a reader
        # finds the citing sentences with the browser's search; the page must stay under 300 KB
        for backrefs in citation.find_all("span", class_="backrefs", recursive=False):
            backrefs.decompose()
    # Solutions, and any admonition a chapter marks ``:class: dropdown`` (technical detail a reader
    # may skip), become <details>; the lecturer edition opens solutions only.
    epub = app is not None and app.builder is not None and app.builder.name == "epub"
    for box in [d for d in soup.find_all("div", class_=["solution", "admonition"]) if "dropdown" in d.get("class", [])]:
        if epub and "solution" in box.get("class", []):
            continue  # in the EPUB the solutions stand open at the chapter end (see above)
        title = box.find(class_="admonition-title")
        if title is None:
            raise ValueError(f"{pagename}: a solution or box without a title cannot be collapsed")
        for link in title.find_all("a"):
            link.unwrap()  # no link inside <summary>: the whole summary is the toggle
        box.name, title.name = "details", "summary"
        if os.environ.get("BOOK_LECTURER") == "1" and "solution" in box.get("class", []):
            box["open"] = ""  # the lecturer edition shows every solution
    if web:
        from nettside import rewrite_body

        rewrite_body(app, pagename, soup, doctree)
    context["body"] = str(soup)


LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _exercise_catalog(app) -> None:
    """Compile locale/<lang>/LC_MESSAGES/exercise.po and register it ahead of sphinx-exercise's."""
    if "sphinx_exercise" in app.extensions:
        raise RuntimeError("norsk must be listed before sphinx_exercise in conf.extensions")
    catalog = CatalogInfo(str(LOCALE / app.config.language / "LC_MESSAGES"), "exercise", "utf-8")
    if not Path(catalog.po_path).is_file():
        raise FileNotFoundError(f"missing {catalog.po_path}")
    if catalog.is_outdated():
        catalog.write_mo(app.config.language)
    app.add_message_catalog("exercise", str(LOCALE))


def _drop_mystnb_css(app) -> None:
    """Don't load MyST-NB's stylesheet on the pages; ``_static/cells.css`` has what the book uses.
    In the EPUB also drop sphinx-exercise's, which it copies too late to be packaged."""
    dropped = ("mystnb.", "exercise.css") if app.builder is not None and app.builder.name == "epub" else ("mystnb.",)

    def keep(entry) -> bool:
        name = str(getattr(entry, "filename", entry[0] if isinstance(entry, tuple) else entry))
        return not Path(name).name.startswith(dropped)

    app.registry.css_files[:] = [f for f in app.registry.css_files if keep(f)]
    if app.builder is not None and hasattr(app.builder, "_css_files"):
        app.builder._css_files[:] = [f for f in app.builder._css_files if keep(f)]


def _norwegian_epub_guide(app) -> None:
    """The EPUB's navigation document and guide are titled from a fixed English table in Sphinx
    («Table of Contents»); give the builder the Norwegian title."""
    if app.builder is not None and app.builder.name == "epub":
        app.builder.guide_titles = {**app.builder.guide_titles, "toc": "Innholdsfortegnelse"}


def _one_reference_list_in_latex(app, doctree) -> None:
    """LaTeX: keep only the book-wide ``:all:`` bibliography, and none of the page around it."""
    if app.builder is None or app.builder.format != "latex":
        return
    from sphinxcontrib.bibtex.nodes import bibliography

    docname = app.env.docname
    lists = list(doctree.findall(bibliography))
    if not lists:
        return
    if docname == "backmatter/referanser":
        # the page becomes only its list: LaTeX moves the entries to the end («Referanser»)
        keep = lists[0]
        keep.parent.remove(keep)
        doctree.children = [keep]
    else:
        from docutils import nodes

        for node in lists:
            section = node.parent
            section.remove(node)
            # a «Referanser» section that held only the list goes too
            if isinstance(section, nodes.section) and all(isinstance(c, nodes.title) for c in section.children):
                section.parent.remove(section)


NAME = "arbeidsinkludering"
MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "desember"]


def _norwegian_date(iso: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day}. {MONTHS[month - 1]} {year}"


def _last_commit_date(path: Path) -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(path)], cwd=path.parent,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None


def _chapter_title(app, docname: str) -> str:
    title = app.env.titles.get(docname)
    return title.astext() if title is not None else docname


SEARCH_ONLY_SCRIPTS = ("documentation_options.js", "doctools.js", "sphinx_highlight.js", "translations.js")


def _search_scripts_on_search_page_only(app, pagename, templatename, context, doctree):
    if app.builder.name != "html" or pagename == "search" or "script_files" not in context:
        return
    context["script_files"] = [
        js for js in context["script_files"]
        if not str(getattr(js, "filename", js)).split("?")[0].endswith(SEARCH_ONLY_SCRIPTS)
    ]


def _page_extras(app, pagename, templatename, context, doctree):
    """Downloads, citation and «Sist oppdatert» for the page template (web site only)."""
    if app.builder.name != "html" or doctree is None:
        return
    book = app.config.book_metadata
    to = lambda target: app.builder.get_relative_uri(pagename, "index").replace("index.html", "") + target
    # two PDFs of the whole book, each for a reason the label gives: LaTeX's for print (stikkordregister,
    # part pages), WeasyPrint's tagged PDF/UA-1 for screen readers (scripts/pdf_ua.py)
    downloads = [("Hele boka som PDF for utskrift", to(f"_downloads/{NAME}.pdf")),
                 ("Hele boka som PDF for skjermleser (tagget, PDF/UA)", to(f"_downloads/{NAME}-tilgjengelig.pdf")),
                 ("Hele boka som EPUB", to(f"_downloads/{NAME}.epub"))]
    if pagename.startswith("chapters/"):
        stem = pagename.split("/", 1)[1]
        downloads += [("Kapitlet som PDF (tagget, PDF/UA)", to(app.config.book_chapter_pdf.format(stem=stem))),
                      ("Kapitlet som notatbok (.ipynb, kjørt)", to(f"_downloads/kapitler/{stem}.ipynb")),
                      ("Kapitlet som MyST-kilde (.md)", to(f"_downloads/kapitler/{stem}.md"))]
        context["book_launch"] = notebooks.launch_links(book, stem)
        context["book_citation"] = (
            f"{book['author']}. ({book['edition_date'][:4]}). {_chapter_title(app, pagename)}. "
            f"I <em>{book['title']}: {book['subtitle']}</em> (utg. {book['edition']})."
        )
    downloads.append(("Studentpakken: alle kapitlene som notatbøker, med analysepakken (.zip)",
                      to(f"_downloads/{notebooks.kit_name(book)}")))
    if os.environ.get("BOOK_LECTURER") != "1":  # the lecturer edition holds the exam set: no zip to share
        downloads.append(("Hele nettstedet som zip (for lesing uten nett)", to(f"_downloads/{NAME}-nettsted.zip")))
    context["book_downloads"] = downloads
    source = Path(app.env.doc2path(pagename))
    date = _last_commit_date(source)
    context["last_updated"] = _norwegian_date(date) if date else None


def _solutions_to_chapter_end_in_print(app, doctree) -> None:
    """PDF and EPUB: the solutions leave their exercises for a section at the chapter end. A reader
    meets the task before the answer, and EPUB reading systems without ``<details>`` would
    otherwise print every answer right under its exercise."""
    if app.builder is None or (app.builder.format != "latex" and app.builder.name != "epub"):
        return
    from docutils import nodes
    from sphinx_exercise.nodes import solution_node

    solutions = list(doctree.findall(solution_node))
    if not solutions:
        return
    chapter = next(doctree.findall(nodes.section))  # the chapter's own (top) section
    slug = app.env.docname.replace("/", "-")
    section = nodes.section(ids=[f"losningsforslag-{slug}"], names=[f"løsningsforslag til oppgavene {slug}"])
    section += nodes.title(text="Løsningsforslag til oppgavene")
    for node in solutions:
        node.parent.remove(node)
        section += node
    chapter += section


def _figure_descriptions_in_latex(app, doctree) -> None:
    if app.builder is None or app.builder.format != "latex":
        return
    from docutils import nodes

    # Tables may break across pages in the PDF (a tall table must not run off the page)
    for table in doctree.findall(nodes.table):
        if "longtable" not in table["classes"]:
            table["classes"].append("longtable")
    for figure in doctree.findall(nodes.figure):
        image = next(figure.findall(nodes.image), None)
        alt = (image.get("alt") or "").strip() if image is not None else ""
        if alt and not any(isinstance(c, nodes.legend) for c in figure.children):
            legend = nodes.legend()
            legend += nodes.paragraph(text=f"Beskrivelse: {alt}")
            figure += legend


# ---------------------------------------------------------------- numbering per chapter, fast
#
# Sphinx numbers figures, tables and exercises through the whole book, walking every page's
# doctree on every build (about a second for this book, even when nothing changed), and the book
# wants them per chapter («Figur 5.2»). The numbers of a page depend only on that page and its
# chapter number, so they are collected when the page is read and the book-wide walk is skipped.


def _enumerable_ids(app, doctree) -> dict[str, list[str]]:
    """The ids of a page's numbered nodes per type, in document order, chosen as Sphinx's own
    walk (``TocTreeCollector.assign_figure_numbers``) chooses them."""
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.domains.std import StandardDomain

    env = app.env
    found: dict[str, list[str]] = {}

    def figtype(node) -> str | None:
        for domain in env.domains.sorted():
            kind = domain.get_enumerable_node_type(node)
            if isinstance(domain, StandardDomain) and not domain.get_numfig_title(node):
                continue  # Sphinx skips uncaptioned nodes
            if kind:
                return kind
        return None

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, addnodes.toctree) or not isinstance(child, nodes.Element):
                continue
            if not isinstance(child, nodes.section):
                kind = figtype(child)
                if kind and child["ids"]:
                    found.setdefault(kind, []).append(child["ids"][0])
            walk(child)

    walk(doctree)
    return found


def _collect_numbered(app, doctree) -> None:
    if not hasattr(app.env, "book_enumerables"):
        app.env.book_enumerables = {}
    app.env.book_enumerables[app.env.docname] = _enumerable_ids(app, doctree)


def _purge_numbered(app, env, docname) -> None:
    getattr(env, "book_enumerables", {}).pop(docname, None)


def _merge_numbered(app, env, docnames, other) -> None:
    if not hasattr(env, "book_enumerables"):
        env.book_enumerables = {}
    for docname in docnames:
        if docname in getattr(other, "book_enumerables", {}):
            env.book_enumerables[docname] = other.book_enumerables[docname]


def chapter_number(env, docname: str) -> int | None:
    import re

    title = env.titles.get(docname)
    match = re.match(r"(\d+)\s", title.astext()) if title is not None else None
    return int(match.group(1)) if match else None


def _numbers_per_chapter(app, env) -> list[str]:
    """Number figures, tables and exercises within each numbered chapter («Figur 5.2»); return
    the pages whose numbers changed (only those are rewritten)."""
    numbers: dict[str, dict[str, dict[str, tuple[int, ...]]]] = {}
    if app.config.numfig:
        for docname, kinds in sorted(getattr(env, "book_enumerables", {}).items()):
            if docname not in env.all_docs:
                continue
            if not any(kinds.values()):
                continue
            chapter = chapter_number(env, docname)  # pages outside the chapters count from 1
            prefix = (chapter,) if chapter is not None else ()
            numbers[docname] = {kind: {fid: (*prefix, i + 1) for i, fid in enumerate(ids)}
                                for kind, ids in kinds.items()}
    old = env.toc_fignumbers
    env.toc_fignumbers = numbers
    return sorted(d for d in set(numbers) | set(old) if numbers.get(d) != old.get(d))


def _skip_sphinx_figure_walk(app) -> None:
    """Sphinx's book-wide figure walk is replaced by :func:`_numbers_per_chapter`."""
    from sphinx.environment.collectors.toctree import TocTreeCollector

    for listener in app.events.listeners.get("env-get-updated", []):
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollector):
            collector.assign_figure_numbers = lambda env: []
            return
    raise RuntimeError("Sphinx's toctree collector not found: cannot number figures per chapter")


# ---------------------------------------------------------------- quick rebuilds


def _bibtex_key(app, env) -> str:
    """What sphinxcontrib-bibtex's formatted citations depend on: the bib files, the
    bibliographies, the citations in each page (not their line numbers) and the page order."""
    import ast
    import hashlib

    from sphinxcontrib.bibtex.domain import get_docnames

    dom = env.get_domain("cite")
    docnames = list(get_docnames(env))
    order = {d: i for i, d in enumerate(docnames)}
    bibliographies = sorted(
        ((k.docname, k.id_, [str(f) for f in v.bibfiles], v.style, v.list_, v.enumtype, v.start, v.labelprefix,
          v.keyprefix, ast.dump(v.filter_), sorted((key, node["ids"][0]) for key, node in v.citation_nodes.items()),
          list(v.keys))
         for k, v in dom.bibliographies.items()), key=lambda t: (t[0], t[1]))
    refs = [(r.docname, r.citation_ref_id, [tuple(t) for t in r.targets])
            for r in sorted(dom.citation_refs, key=lambda r: order.get(r.docname, -1))]
    bibfiles = sorted((str(path), info.mtime, list(info.keys)) for path, info in dom.bibdata.bibfiles.items())
    config = (app.config.bibtex_default_style, app.config.bibtex_reference_style, app.config.bibtex_tooltips,
              app.config.bibtex_tooltips_style)
    # repr, not pickle: pickle's bytes depend on which equal strings happen to be one object
    return hashlib.sha256(repr((docnames, bibliographies, refs, bibfiles, config)).encode()).hexdigest()


def _bibtex_only_when_needed(app) -> None:
    """sphinxcontrib-bibtex formats every reference on every build (2–3 s here, also when nothing
    changed). Run its step only when what it depends on changed; otherwise the formatted
    citations stored in the environment from the last build are kept."""
    import sphinxcontrib.bibtex as bibtex

    for listener in list(app.events.listeners.get("env-updated", [])):
        if listener.handler is bibtex.env_updated:
            app.disconnect(listener.id)
            break
    else:
        raise RuntimeError("sphinxcontrib-bibtex's env-updated handler not found")

    def env_updated(app, env):
        dom = env.get_domain("cite")
        key = _bibtex_key(app, env)
        saved = dom.data.get("book_citations")
        if dom.data.get("book_key") == key and saved:
            # a re-read page lost its citations (clear_doc); they are the same as before
            dom.data["citations"] = list(saved)
            return []
        result = bibtex.env_updated(app, env)
        dom.data["book_key"] = key
        dom.data["book_citations"] = list(dom.citations)
        return result

    app.connect("env-updated", env_updated)


def _slim_exercise_registry(app, env) -> None:
    """sphinx-exercise keeps each exercise's node in the environment, and with it (through the
    node's parents) every page's whole doctree: the pickled environment grows to megabytes and
    every build spends time loading it. Keep a detached copy of each node (its number, title and
    content are all sphinx-exercise reads from it)."""
    for entry in getattr(env, "sphinx_exercise_registry", {}).values():
        node = entry.get("node")
        if node is not None and (node.parent is not None
                                 or any(getattr(part, "_document", None) is not None for part in node.findall())):
            copy = node.deepcopy()
            for part in copy.findall():
                if hasattr(part, "_document"):
                    part._document = None  # a copy still points at its page's document
            entry["node"] = copy


def setup(app):
    app.connect("doctree-read", _collect_numbered, priority=999)
    app.connect("env-purge-doc", _purge_numbered)
    app.connect("env-merge-info", _merge_numbered)
    app.connect("env-get-updated", _numbers_per_chapter, priority=900)
    app.connect("env-updated", _slim_exercise_registry)
    _skip_sphinx_figure_walk(app)
    app.connect("builder-inited", _bibtex_only_when_needed)
    app.connect("doctree-read", _figure_descriptions_in_latex)
    app.connect("doctree-read", _solutions_to_chapter_end_in_print)
    app.add_config_value("book_metadata", {}, "html")
    app.connect("html-page-context", _page_extras)
    app.connect("html-page-context", _search_scripts_on_search_page_only)
    app.connect("doctree-read", _one_reference_list_in_latex)
    app.connect("builder-inited", _drop_mystnb_css, priority=900)
    app.connect("builder-inited", _norwegian_epub_guide)
    _exercise_catalog(app)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "apa_nb", ApaNorwegianStyle)
    # sphinxcontrib-bibtex looks the plain-text backend up for every citation it resolves, and
    # each look-up scans all installed packages' entry points: register it once, at run time
    from pybtex.backends.plaintext import Backend as PlaintextBackend

    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", PlaintextBackend, force=True)
    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_nb", NorwegianAuthorYearStyle)
    app.add_config_value("html_lang", "nb", "html")
    app.connect("html-page-context", _set_lang)
    app.connect("html-page-context", _solutions_as_details)
    # env_version: bump it when the reference-list style changes, so that an incremental build
    # re-reads the pages and does not keep the reference lists formatted by the old style
    return {"version": "1.0", "env_version": 4, "parallel_read_safe": True, "parallel_write_safe": True}
