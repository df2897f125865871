"""The built web site as a reader and a reader's tools meet it, checked in the HTML (the browser
checks are in test_browser.py): Norwegian interface strings everywhere (web and EPUB), one meta
description and one viewport per page, image sizes and lazy loading, scrollable table regions,
citation metadata for reference managers, the search texts, and the offline zip."""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from test_site import chapter_files, pages, soup

sys.path.insert(0, str(ROOT / "_ext"))

BOOK = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SOFT = "\u00ad"

#: English interface strings of Sphinx, Furo and the EPUB builder that must not reach a reader.
ENGLISH_UI = ["Link to this heading", "Link to this term", "Link to this image", "Link to this table",
              "Link to this code", "Link to this definition", "Link to this equation", "Link to this toctree",
              "Index", "Contents", "Menu", "Light mode", "Dark mode", "Auto light/dark", "Table of Contents",
              "unknown", "Expand", "Search", "Search Results", "Toggle navigation", "Toggle hidden content",
              "Hide navigation sidebar", "Hide table of contents sidebar", "Skip to content", "Back to top",
              "On this page", "Copyright", "Previous", "Next", "Made with", "Last updated", "Exercise",
              "Solution", "Error", "Please activate JavaScript", "Show code", "Hide code", "Click to show",
              "Click to hide", "Show Source", "Table of contents"]
_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(ENGLISH_UI, key=len, reverse=True))
                      + r")(?![\w-])")
#: Inside the page's content, the interface parts (the rest there is the book's prose, which may
#: quote English: source titles, the English abstract, code).
CHROME_TAGS = {"summary", "button", "label"}
CHROME_CLASSES = {"admonition-title", "caption-number", "headerlink", "table-scroll-hint", "figure-fullsize",
                  "chapter-meta"}


def _is_chrome(el) -> bool:
    return any(node.name in CHROME_TAGS or CHROME_CLASSES & set(node.get("class") or [])
               for node in [el, *el.parents] if getattr(node, "name", None) and node.name != "[document]")


def interface_text(doc: BeautifulSoup) -> list[str]:
    """Every string a reader may meet that is not the book's prose: attribute values (title,
    aria-label, placeholder, alt), <title> (also an SVG's), the text around the content (header,
    navigation, footer) and the interface parts inside it."""
    found = []
    for el in doc.find_all(True):
        for attr in ("title", "aria-label", "placeholder", "alt"):
            if el.get(attr):
                found.append(el[attr])
        if el.name == "title":
            found.append(el.get_text())
    content = doc.select('article, [role="main"], div.body')
    for text in (doc.body or doc).find_all(string=True):
        parent = text.parent
        if parent is None or parent.name in ("script", "style", "title"):
            continue
        in_content = any(parent is c or c in parent.parents for c in content)
        if in_content and not _is_chrome(parent):
            continue
        found.append(str(text))
    return found


def english_in(strings: list[str]) -> list[str]:
    return sorted({m.group(1) for s in strings for m in _ENGLISH.finditer(s)})


def test_no_english_interface_strings_on_the_site(build):
    found = {}
    for page in pages(build.html):
        hits = english_in(interface_text(soup(page)))
        if hits:
            found[page.relative_to(build.html).as_posix()] = hits
    assert not found, found


def test_no_english_interface_strings_in_the_epub(build):
    found = {}
    with zipfile.ZipFile(build.epub) as z:
        for name in z.namelist():
            if not name.endswith((".xhtml", ".opf", ".ncx")):
                continue
            text = z.read(name).decode("utf-8")
            if name.endswith((".opf", ".ncx")):
                strings = re.findall(r">([^<>]+)<", text) + re.findall(r'(?:title|content)="([^"]+)"', text)
            else:
                strings = interface_text(BeautifulSoup(text, "html.parser"))
            hits = english_in(strings)
            if hits:
                found[name] = hits
    assert not found, found


def test_scanner_sees_the_strings_it_looks_for():
    """The scanner itself: the strings from the bug report are found where they used to be."""
    html = ('<html><head><title>x</title></head><body><svg><symbol><title>Contents</title></symbol></svg>'
            '<a class="headerlink" title="Link to this heading">#</a><article><p>Index funds</p>'
            '<h1>Tittel<a class="headerlink" title="Link to this heading">#</a></h1></article>'
            '<link rel="index" title="Index"></body></html>')
    assert english_in(interface_text(BeautifulSoup(html, "html.parser"))) == [
        "Contents", "Index", "Link to this heading"]


def test_every_page_has_one_meta_description_and_one_viewport(build):
    for page in pages(build.html):
        doc = soup(page)
        descriptions = doc.find_all("meta", attrs={"name": "description"})
        assert len(descriptions) == 1, f"{page.name}: {len(descriptions)} meta descriptions"
        text = descriptions[0]["content"]
        assert 50 <= len(text) <= 160, f"{page.name}: description of {len(text)} characters: {text!r}"
        assert SOFT not in text and "Lesetid" not in text
        assert len(doc.find_all("meta", attrs={"name": "viewport"})) == 1, f"{page.name}: viewport tags"


def test_images_have_their_size_and_load_lazily(build):
    from nettside import _size_of

    for page in pages(build.html):
        doc = soup(page)
        images = doc.select("article img")
        first_h2 = doc.select_one("article h2")
        below = {id(x) for x in first_h2.find_all_next("img")} if first_h2 else set()
        for i, img in enumerate(images):
            assert img.get("width") and img.get("height"), f"{page.name}: {img['src']} without width/height"
            size = _size_of((page.parent / img["src"]).resolve())
            assert size == (int(img["width"]), int(img["height"])), f"{page.name}: {img['src']} size {size}"
            if i > 0 or id(img) in below:
                assert img.get("loading") == "lazy", f"{page.name}: image {i + 1} is not lazy-loaded"
        for figure in soup(page).select("article figure"):
            if figure.find("img"):
                link = figure.select_one("a.figure-fullsize")
                assert link is not None and link["href"] == figure.find("img")["src"], f"{page.name}: no full-size link"
                assert link.get_text().startswith("Åpne figur"), link.get_text()


def test_every_table_is_in_a_named_scroll_region(build):
    for page in pages(build.html):
        doc = soup(page)
        for table in doc.select("article table:not(.genindextable)"):  # the index stacks (CSS)
            region = table.find_parent("div", class_="table-scroll")
            assert region is not None, f"{page.name}: a table outside a scroll region"
            assert region.get("role") == "region" and region.get("tabindex") == "0"
            if region.get("aria-labelledby"):
                label = doc.find(id=region["aria-labelledby"])
                assert label is not None and label.get_text(strip=True), f"{page.name}: region label missing"
            else:
                assert (region.get("aria-label") or "").strip(), f"{page.name}: unnamed table region"
            hint = region.find_previous_sibling("p", class_="table-scroll-hint")
            assert hint is not None and "rull sideveis" in hint.get_text()


def test_long_words_in_headings_can_hyphenate(build):
    """Long Norwegian words in headings carry soft hyphens (the browser test checks the breaks)."""
    doc = soup(build.html / "chapters" / "04-ettersporselssiden.html")
    h1 = doc.find("h1").get_text()
    assert "Etter" + SOFT in h1 or SOFT in h1, h1
    assert doc.find("title").get_text().count(SOFT) == 0


def _meta(doc, name):
    return [m["content"] for m in doc.find_all("meta", attrs={"name": name})]


def test_chapters_carry_citation_metadata(build):
    from nettside import CHAPTER_PDF

    any_pdf = any((build.html / CHAPTER_PDF.format(stem=Path(f).name)).is_file() for f in chapter_files())
    for f in chapter_files():
        doc = soup(build.html / f"{f}.html")
        title = doc.find("h1").get_text(" ", strip=True).replace(SOFT, "").rstrip("#").strip()
        assert _meta(doc, "citation_title") == [title], f
        assert _meta(doc, "citation_inbook_title") == [BOOK["title"]]
        assert _meta(doc, "citation_author") == [BOOK["author"]]
        assert _meta(doc, "citation_publication_date") == [BOOK["edition_date"].replace("-", "/")]
        assert _meta(doc, "citation_publisher") == [BOOK["author"]]
        assert _meta(doc, "citation_language") == [BOOK["html_lang"]]
        pdf = CHAPTER_PDF.format(stem=Path(f).name)
        [pdf_url] = _meta(doc, "citation_pdf_url")
        assert pdf_url == "../" + pdf, pdf_url
        if any_pdf:  # the chapter PDFs are built by the PDF step; once one exists, all must
            assert (build.html / pdf).is_file(), f"{pdf} is named in {f} but was not built"
        [script] = doc.find_all("script", attrs={"type": "application/ld+json"})
        data = json.loads(script.string)
        assert data["@type"] == "Chapter" and data["name"] == title
        assert data["isPartOf"]["@type"] == "Book" and data["isPartOf"]["name"] == BOOK["title"]
        assert data["inLanguage"] == BOOK["html_lang"] and data["datePublished"] == BOOK["edition_date"]
        assert data["encoding"]["contentUrl"] == pdf_url
        assert data["position"] == int(title.split()[0])
    for page in ("index.html", "backmatter/referanser.html"):
        assert not _meta(soup(build.html / page), "citation_title"), f"{page}: not a chapter"


def test_search_texts_cover_every_page_without_the_meta_line(build):
    js = (build.html / "_static" / "search-texts.js").read_text(encoding="utf-8")
    texts = json.loads(js[js.index("=") + 1: js.rindex(";")])
    index = (build.html / "searchindex.js").read_text(encoding="utf-8")
    docnames = json.loads(re.search(r'"docnames":(\[[^\]]*\])', index).group(1))
    assert set(docnames) <= set(texts), sorted(set(docnames) - set(texts))
    for doc, entry in texts.items():
        assert "Lesetid ca." not in entry["t"][:200] and SOFT not in entry["t"], doc
        for ident, (start, end) in entry["s"].items():
            assert 0 <= start <= end <= len(entry["t"]), (doc, ident)
    chapter = texts["chapters/05-supported-employment-ips"]
    assert chapter["t"].startswith("5 Støtteperspektivet")
    start, end = chapter["s"]["laeringsmal"]
    assert chapter["t"][start:end].startswith("Læringsmål")


def test_offline_zip_does_not_offer_itself(build):
    with zipfile.ZipFile(build.html / "_downloads" / "arbeidsinkludering-nettsted.zip") as z:
        names = set(z.namelist())
        for name in names:
            if not name.endswith(".html"):
                continue
            doc = BeautifulSoup(z.read(name).decode("utf-8"), "html.parser")
            assert not doc.select("li.download-site"), f"{name}: the zip links to itself"
            for link in doc.select("details.downloads a"):
                target = (Path(name).parent / link["href"]).as_posix()
                target = re.sub(r"[^/]+/\.\./", "", target)
                assert target in names, f"{name}: download {link['href']} is not in the zip"
    assert soup(build.html / "index.html").select("li.download-site"), "the site itself still offers the zip"


@pytest.mark.parametrize("word", ["Arbeidsinkludering", "Etterspørselssiden", "Inkluderingskompetanse"])
def test_hyphenation_keeps_the_word(word):
    from nettside import hyphenate_text

    out = hyphenate_text(word)
    assert out.replace(SOFT, "") == word and SOFT in out


def test_figures_and_exercises_are_numbered_per_chapter(build):
    """«Figur 5.1», «Oppgave 5.3»: numbered within each chapter, from its own number, in order."""
    for f in chapter_files():
        doc = soup(build.html / f"{f}.html")
        chapter = int(doc.find("h1").get_text(" ", strip=True).split()[0])
        figures = [s.get_text(strip=True) for s in doc.select("figure .caption-number")]
        assert figures == [f"Figur {chapter}.{i}" for i in range(1, len(figures) + 1)], (f, figures)
        exercises = [t.get_text(" ", strip=True).split(" (")[0] for t in doc.select("div.exercise > .admonition-title")]
        assert exercises and exercises == [f"Oppgave {chapter}.{i}" for i in range(1, len(exercises) + 1)], (f, exercises)
        for ref in doc.select("a.reference.internal span.std-numref, a.reference.internal > span.std.std-numref"):
            assert re.match(rf"(Figur|Tabell|Oppgave) \d+\.\d+", ref.get_text(strip=True)), (f, ref.get_text())


def test_a_noop_rebuild_rewrites_no_page(build):
    """An author's edit loop: building again without a change reads and writes no page (the
    per-chapter numbering used to mark every page outdated on every build)."""
    import os

    import build_book

    before = {p: p.stat().st_mtime_ns for p in build.html.rglob("*.html")}
    env = dict(os.environ, BOOK_EXECUTION_CACHE=str(build.cache), PYTHONHASHSEED="0")
    log = build_book.sphinx("html", build.root, env, build.root / "warnings-rebuild.txt")
    assert "0 added, 0 changed, 0 removed" in log, log[-2000:]
    assert "no targets are out of date" in log, log[-2000:]
    regenerated = {"search.html", "genindex.html"}  # Sphinx writes these on every build
    changed = [p.name for p, t in before.items() if p.stat().st_mtime_ns != t and p.name not in regenerated]
    assert not changed, changed


def test_pygments_stylesheet_keeps_every_token_the_pages_use(build):
    """The stylesheet is pruned to the token classes the pages use (page weight); none may be lost."""
    import re

    css = (build.html / "_static" / "pygments.css").read_text(encoding="utf-8")
    used = set()
    for page in build.html.rglob("*.html"):
        for block in re.findall(r'<div class="highlight"><pre[^>]*>(.*?)</pre>', page.read_text(encoding="utf-8"), re.S):
            used.update(re.findall(r'<span class="([\w-]+)"', block))
    # names (n) are drawn in the code block's own colour, so _ext/sidevekt.py unwraps their spans
    assert {"k", "o", "c1"} <= used, "the chapters' code should use keywords, operators and comments"
    for token in used - {"w"}:
        assert f".highlight .{token} {{" in css, f"pygments.css lost the rule for .{token}"
    assert len(css) < 10_000, f"pygments.css is {len(css)} bytes: rules for unused tokens are back"
