"""The tagged PDFs (issue 16, items 13 and 14): the whole book and one PDF per chapter, PDF/UA-1.

    .venv/bin/python scripts/pdf_ua.py [OUT]     # OUT = _build: reads OUT/epub, writes OUT/pdf-ua

The print PDF is made by LaTeX, and the TeX Live in Debian bookworm cannot tag it. These PDFs are
made from the EPUB's XHTML instead, which already is what a screen reader needs (language, alt text
on every figure, the numbers behind each figure as a table with header cells, solutions at the
chapter end), laid out by WeasyPrint with ``pdf_variant="pdf/ua-1"`` and a print stylesheet
(``scripts/pdf_ua.css``): A4, the book's fonts (FreeSerif, FreeSans, FreeMono, embedded), running
heads, page numbers, a table of contents and cross-references with page numbers, Norwegian
hyphenation (pyphen's nb_NO patterns), table headers repeated on every page a table runs over.

* The book is laid out once. Each chapter's PDF is the chapter's pages of the book (same layout,
  same page numbers as the whole book, so a page reference is the same in both), written as a
  document of its own: its own structure tree, bookmarks and title. Links to other parts of the
  book go to the published site when ``published_url`` is set in ``_config.yml``; otherwise they
  become plain text (their words stay).
* Every id is prefixed with its page (``chapters-05-…--fig-forest``): the XHTML files were
  separate documents, and ``id1`` exists in all of them.
* The English abstract is marked ``lang="en"``, so a screen reader switches voice.

Output: ``arbeidsinkludering-tilgjengelig.pdf`` and ``<chapter stem>.pdf`` (the name the chapter
page's «Last ned» menu links, ``_ext/nettside.py`` CHAPTER_PDF).
"""
from __future__ import annotations

import copy
import html as html_text
import logging
import posixpath
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

ROOT = Path(__file__).resolve().parent.parent
NAME = "arbeidsinkludering"
BOOK_PDF = f"{NAME}-tilgjengelig.pdf"
STYLESHEET = Path(__file__).resolve().with_name("pdf_ua.css")
#: parts of _toc.yml that get no part page (the front matter)
NO_PART_PAGE = {"Om boka"}


class PdfUaError(RuntimeError):
    pass


def slug(docname: str) -> str:
    return docname.replace("/", "-")


@dataclass
class Part:
    caption: str
    docs: list[str]


def read_toc(root: Path = ROOT) -> tuple[str, list[Part]]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = [Part(p["caption"], [c["file"] for c in p.get("chapters", [])]) for p in toc.get("parts", [])]
    return toc["root"], parts


def book_config(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def _body(epub: Path, docname: str) -> Tag:
    path = epub / f"{docname}.xhtml"
    if not path.is_file():
        raise PdfUaError(f"{path} is missing: build the EPUB first (scripts/build_book.py --formats epub)")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.find("div", class_="body") or soup.body
    if body is None:
        raise PdfUaError(f"{path}: no body")
    return body


def _rewrite(body: Tag, docname: str, docs: list[str]) -> None:
    """Ids prefixed with the page, links to the combined document, images relative to the EPUB root,
    <details> opened into plain blocks (paper has no disclosure widget)."""
    prefix = slug(docname) + "--"
    earlier = set(docs[: docs.index(docname)])
    folder = posixpath.dirname(docname)
    for el in body.find_all(id=True):
        el["id"] = prefix + el["id"]
    for a in body.find_all("a", href=True):
        href = a["href"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):
            continue  # http:, https:, mailto:
        path, _, frag = href.partition("#")
        if not path:
            target = docname
        else:
            target = posixpath.normpath(posixpath.join(folder, path))
            target = re.sub(r"\.x?html$", "", target)
        if target in docs:
            a["href"] = "#" + slug(target) + ("--" + frag if frag else "")
            # «(s. 123)» after a reference to an earlier page of the book (a forward reference
            # would make WeasyPrint lay out the pages after it again: a third more build time)
            if target in earlier and ({"std-ref", "std-numref"} & set(a.get("class", []))
                                      or a.find(class_={"std-ref", "std-numref"}) is not None):
                a["class"] = a.get("class", []) + ["xref-page"]
        else:
            a.unwrap()  # genindex and the like: no page in the PDF
    for a in body.find_all("a"):
        # WeasyPrint puts a link's annotation on the first box inside it: a <span> there (Sphinx's
        # «std std-ref» wrappers) would own it, and PDF/UA wants it on the Link structure element
        for span in a.find_all("span"):
            span.unwrap()
    for img in body.find_all("img", src=True):
        if not re.match(r"^[a-z]+:", img["src"]):
            img["src"] = posixpath.normpath(posixpath.join(folder, img["src"]))
    for details in body.find_all("details"):
        details.name = "div"
        details["class"] = details.get("class", []) + ["details"]
        details.attrs.pop("open", None)
        summary = details.find("summary")
        if summary is not None:
            closed = summary.find(class_="collapsed")
            text = (closed or summary).get_text(" ", strip=True)
            text = re.sub(r"^Vis\s+", "", text)
            summary.clear()
            summary.name = "p"
            summary["class"] = ["details-label"]
            summary.append(text[:1].upper() + text[1:])
    for h2 in body.find_all("h2"):
        if h2.get_text(strip=True) == "Abstract" and h2.parent is not None and h2.parent.name == "section":
            h2.parent["lang"] = "en"  # a screen reader reads it in English


def _chapter_title(body: Tag) -> str:
    h1 = body.find("h1")
    return h1.get_text(" ", strip=True) if h1 else ""


def assemble(epub: Path, root: Path = ROOT) -> tuple[str, list[tuple[str, str]]]:
    """The whole book as one HTML document; returns it and [(chapter docname, title)]."""
    index, parts = read_toc(root)
    config = book_config(root)
    docs = [index] + [d for p in parts for d in p.docs]
    out: list[str] = []
    chapters: list[tuple[str, str]] = []

    # Title page and «Om boka»: the root page, whose own list of contents becomes the one with page numbers
    body = _body(epub, index)
    _rewrite(body, index, docs)
    top = body.find("section")
    h1 = top.find("h1")
    h1["class"] = ["book-title"]
    sub = h1.find_next_sibling("p")
    title_page = [str(h1)]
    if sub is not None:
        title_page.append(f'<p class="book-subtitle">{sub.decode_contents()}</p>')
        sub.decompose()
    title_page.append(f'<p class="book-author">{html_text.escape(config["author"])}</p>')
    title_page.append(
        '<p class="book-edition-note">Denne PDF-en er laget for skjermlesere og annen hjelpeteknologi: '
        "den er tagget etter PDF/UA-1, med overskrifter, lister, tabeller med overskriftsceller, "
        "alternativ tekst til hver figur og språket merket som bokmål. Innholdet er det samme som i "
        "nettutgaven, EPUB-en og den trykte PDF-en.</p>")
    h1.replace_with(BeautifulSoup('<div class="title-page">' + "".join(title_page) + "</div>", "html.parser"))
    contents = top.find("section", id=f"{slug(index)}--innhold")
    if contents is not None:
        contents.decompose()
    toc = ['<section class="toc" id="innhold"><h2>Innhold</h2><ul class="toc">']
    part_html: list[str] = []
    for n, part in enumerate(parts):
        items = []
        for doc in part.docs:
            b = _body(epub, doc)
            title = _chapter_title(b)
            items.append(f'<li><a href="#{slug(doc)}">{html_text.escape(title)}</a></li>')
            _rewrite(b, doc, docs)
            kind = "chapter" if doc.startswith("chapters/") else "matter"
            if kind == "chapter":
                chapters.append((doc, title))
            part_html.append(f'<article class="{kind}" id="{slug(doc)}">{b.decode_contents()}</article>')
        if part.caption in NO_PART_PAGE:
            toc.extend(items)
        else:
            pid = f"del-{n}"
            part_html.insert(len(part_html) - len(part.docs),
                             f'<section class="part-page" id="{pid}"><h1 class="part-title">{html_text.escape(part.caption)}</h1></section>')
            toc.append(f'<li class="toc-part"><a href="#{pid}">{html_text.escape(part.caption)}</a><ul>{"".join(items)}</ul></li>')
    toc.append("</ul></section>")
    top.append(BeautifulSoup("".join(toc), "html.parser"))
    out.append(f'<article class="front" id="{slug(index)}">{body.decode_contents()}</article>')
    out.extend(part_html)

    title = config["title"]
    keywords = "arbeidsinkludering, Nav, Supported Employment, IPS, sosialt arbeid"
    html = (
        f'<!DOCTYPE html>\n<html lang="{config.get("html_lang", "nb")}"><head><meta charset="utf-8"/>'
        f"<title>{html_text.escape(title)}</title>"
        f'<meta name="author" content="{html_text.escape(config["author"])}"/>'
        f'<meta name="description" content="{html_text.escape(config["subtitle"])}. Utgave {config["edition"]} ({config["edition_date"]}). '
        f'{config["license"]["name"]}. Tagget PDF (PDF/UA-1)."/>'
        f'<meta name="keywords" content="{keywords}"/>'
        f'<meta name="dcterms.created" content="{config["edition_date"]}"/>'
        f'<meta name="dcterms.modified" content="{config["edition_date"]}"/>'
        f'<link rel="stylesheet" href="_static/pygments.css"/>'
        f'<link rel="stylesheet" href="{STYLESHEET.as_uri()}"/>'
        f"</head><body>{''.join(out)}</body></html>"
    )
    return html, chapters


def _list_bodies() -> None:
    """Give WeasyPrint's tagger the LBody it leaves out (pinned WeasyPrint 70.0).

    A paragraph in a list item (``<li><p>…</p></li>``, as Sphinx writes every list) becomes a P
    right under the LI; PDF/UA allows only Lbl and LBody there (veraPDF rule 7.2-… / page's
    PDFUA1-LI-KIDS-001). Such children go into one LBody per list item instead."""
    import pydyf
    import weasyprint
    from weasyprint.pdf import tags

    if weasyprint.__version__ != "70.0":  # the patch replaces a private function of that version
        raise PdfUaError(f"the LBody patch in scripts/pdf_ua.py is written for WeasyPrint 70.0, not "
                         f"{weasyprint.__version__}: pin 70.0 in requirements.txt or port the patch")
    if getattr(tags, "_book_lbody", False):
        return
    original = tags._build_box_tree

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, stream_tags):
        if parent["S"] == "/LI" and box.element is not None and box.element_tag not in (
                "li", "li::marker", "dt", "dd", "ul", "ol", "dl"):
            lbody = getattr(parent, "book_lbody", None)  # kept on the LI itself: one LBody per item
            fresh = lbody is None
            if fresh:
                lbody = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array([]),
                                          "Pg": pdf.page_references[page_number], "P": parent.reference})
                pdf.add_object(lbody)
                parent.book_lbody = lbody
            for child in original(box, lbody, pdf, page_number, nums, annotations, stream_tags):
                lbody["K"].append(child.reference)
            if fresh:
                yield lbody
            return
        yield from original(box, parent, pdf, page_number, nums, annotations, stream_tags)

    tags._build_box_tree = build_box_tree
    tags._book_lbody = True


def _reset_links(pages) -> None:
    """A page's link boxes remember the annotation of the last PDF written; start afresh."""
    for page in pages:
        for link in page.links:
            link[3].link_annotation = None


def _chapter_document(document, pages, title: str, web: str):
    """The chapter's pages as a document of its own: links into the rest of the book go to the
    web site (*web*) or are dropped; the bookmarks and the title are the chapter's."""
    anchors = {name for page in pages for name in page.anchors}
    new_pages = []
    for page in pages:
        page = copy.copy(page)
        links = []
        for link_type, target, rect, box in page.links:
            if link_type == "internal" and target not in anchors:
                if not web:
                    continue
                doc, _, frag = target.partition("--")
                docname = re.sub(r"^(chapters|frontmatter|backmatter)-", r"\1/", doc)
                link_type, target = "external", f"{web}{docname}.html" + (f"#{frag}" if frag else "")
            links.append((link_type, target, rect, box))
        page.links = links
        new_pages.append(page)
    chapter = document.copy(new_pages)
    chapter.metadata = copy.copy(document.metadata)
    chapter.metadata.title = title
    chapter.metadata.description = f"Kapittel i {document.metadata.title}. {document.metadata.description}"
    return chapter


def chapter_pages(document, chapters: list[tuple[str, str]]) -> dict[str, list]:
    """Each chapter's pages: from the page with its start to the page before the next article or part."""
    starts: dict[str, int] = {}  # a box split over pages has its anchor on each of them: keep the first
    for i, page in enumerate(document.pages):
        for name in page.anchors:
            if "--" not in name and name.startswith(("chapters-", "frontmatter-", "backmatter-", "del-")):
                starts.setdefault(name, i)
    boundaries = sorted(set(starts.values())) + [len(document.pages)]
    result = {}
    for doc, _ in chapters:
        start = starts.get(slug(doc))
        if start is None:
            raise PdfUaError(f"{doc}: no page starts the chapter")
        end = next(b for b in boundaries if b > start)
        result[doc] = document.pages[start:end]
    return result


def _write_chapters(document, chapters: list[tuple[str, str]], target: Path, web: str) -> None:
    for doc, pages in chapter_pages(document, chapters).items():
        path = target / f"{doc.split('/', 1)[1]}.pdf"
        try:
            _reset_links(pages)
            _chapter_document(document, pages, dict(chapters)[doc], web).write_pdf(path, pdf_variant="pdf/ua-1")
        except Exception as error:  # runs in a forked process: say which chapter, on its stderr and exit code
            sys.exit(f"pdf_ua: {path.name} ({doc}): {type(error).__name__}: {error}")


def build(out: Path, root: Path = ROOT) -> dict[str, float]:
    """Write the tagged book and the chapter PDFs into OUT/pdf-ua; return seconds per step (wall
    clock, and the CPU seconds of this process and the chapter writer)."""
    import multiprocessing
    import os

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    _list_bodies()
    epub = out / "epub"
    target = out / "pdf-ua"
    target.mkdir(parents=True, exist_ok=True)
    times = {}
    start, cpu, before = time.perf_counter(), time.process_time(), os.times()
    html, chapters = assemble(epub, root)
    source = epub / "pdf-ua.html"
    source.write_text(html, encoding="utf-8")
    try:
        document = weasyprint.HTML(filename=str(source), base_url=str(epub) + "/").render()
    finally:
        source.unlink()
    times["layout"] = time.perf_counter() - start
    start = time.perf_counter()
    web = (book_config(root).get("published_url") or "").strip()
    if web and not web.endswith("/"):
        web += "/"
    chapter_pages(document, chapters)  # fails here, not in the child, if a chapter has no pages
    # The chapters are written by a forked copy of this process while this one writes the book:
    # the layout is shared, and writing is a third of the work.
    writer = multiprocessing.get_context("fork").Process(target=_write_chapters, args=(document, chapters, target, web))
    writer.start()
    _reset_links(document.pages)
    document.write_pdf(target / BOOK_PDF, pdf_variant="pdf/ua-1")
    writer.join()
    if writer.exitcode != 0:
        raise PdfUaError(f"writing the chapter PDFs failed (exit {writer.exitcode}); the chapter writer's "
                         "message above names the chapter")
    times["write"] = time.perf_counter() - start
    after = os.times()  # children of this step only: the html, LaTeX and EPUB runs before it are not ours
    times["cpu"] = (time.process_time() - cpu + (after.children_user - before.children_user)
                    + (after.children_system - before.children_system))
    times["pages"] = len(document.pages)
    missing = [doc for doc, _ in chapters if not (target / f"{doc.split('/', 1)[1]}.pdf").is_file()]
    if missing or not (target / BOOK_PDF).is_file():
        raise PdfUaError(f"tagged PDFs missing: {missing or BOOK_PDF}")
    return times


def copy_under_old_names(downloads: Path, root: Path = ROOT) -> None:
    """A moved chapter's PDF under its old name too (``redirects`` in _config.yml), as
    ``_ext/omdirigering.py`` does for the other chapter downloads: a static site cannot redirect a
    download, and the web build runs before the PDFs exist."""
    for old, new in (book_config(root).get("redirects") or {}).items():
        src = downloads / f"{new.rsplit('/', 1)[-1]}.pdf"
        dst = downloads / f"{old.rsplit('/', 1)[-1]}.pdf"
        if src.is_file():
            dst.write_bytes(src.read_bytes())
        else:
            dst.unlink(missing_ok=True)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    times = build(out)
    print(f"{times['pages']} pages; layout {times['layout']:.1f} s, writing {times['write']:.1f} s "
          f"({times['cpu']:.1f} s CPU) → {out / 'pdf-ua'}")


if __name__ == "__main__":
    main()
