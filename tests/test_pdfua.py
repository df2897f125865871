"""The tagged PDFs (issue 16, items 13 and 14): the whole book and each chapter as PDF/UA-1.

Two kinds of check: the PDF/UA-1 profile of ``page`` (PyPI ``page-validation``, a reimplementation
of veraPDF's machine-checkable PDF/UA-1 rules), and the book's own checks read with pypdf, which
say what a reader needs (the web's alt text, table headers, headings in order, the chapter PDF in
its page's «Last ned» menu)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from conftest import ROOT
from test_site import chapter_files, soup

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "_ext"))
import pdf_ua  # noqa: E402
from nettside import CHAPTER_PDF  # noqa: E402

BOOK = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
HEADINGS = {f"/H{n}": n for n in range(1, 7)}


def tagged(build) -> Path:
    return build.html / "_downloads" / pdf_ua.BOOK_PDF


def chapter_pdf(build, docname: str) -> Path:
    return build.html / CHAPTER_PDF.format(stem=docname.split("/", 1)[1])


def all_tagged(build) -> list[Path]:
    return [tagged(build)] + [chapter_pdf(build, f) for f in chapter_files()]


# ------------------------------------------------------------------ reading a structure tree


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def structure(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element, in reading order (depth first)."""
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    out: list[DictionaryObject] = []
    stack = list(reversed(_kids(root)))
    while stack:
        node = stack.pop()
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            continue  # marked-content ids and annotation references
        out.append(node)
        stack.extend(reversed(_kids(node)))
    return out


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def fonts_not_embedded(reader: PdfReader) -> set[str]:
    missing: set[str] = set()
    seen: set[int] = set()

    def check(font) -> None:
        font = font.get_object()
        if font.get("/Subtype") == "/Type3":
            return
        for desc in font.get("/DescendantFonts", []):
            check(desc)
        descriptor = font.get("/FontDescriptor")
        if font.get("/Subtype") != "/Type0":
            if descriptor is None or not any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))

    def walk(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in (resources.get("/Font") or {}).values():
            if isinstance(ref, IndirectObject):
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            check(ref)
        for ref in (resources.get("/XObject") or {}).values():
            xobj = ref.get_object()
            if isinstance(ref, IndirectObject):
                if ref.idnum in seen:
                    continue
                seen.add(ref.idnum)
            if xobj.get("/Subtype") == "/Form":
                walk(xobj.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return missing


def bookmarks(outline) -> list[str]:
    """Every bookmark's title, nested ones included."""
    return [t for item in outline for t in (bookmarks(item) if isinstance(item, list) else [item.title])]


def heading_jumps(levels: list[int]) -> list[str]:
    """Headings that skip a level going down (H1 → H3); going up any number is fine."""
    problems = []
    previous = 0
    for i, level in enumerate(levels):
        if level > previous + 1:
            problems.append(f"heading {i}: H{previous} → H{level}")
        previous = level
    return problems


def test_heading_jumps_are_found():
    assert heading_jumps([1, 2, 3, 2, 3, 1, 2]) == []
    assert heading_jumps([1, 3]) == ["heading 1: H1 → H3"]
    assert heading_jumps([2]) == ["heading 0: H0 → H2"]


# ------------------------------------------------------------------ without a build


def test_pages_are_combined_with_prefixed_ids_and_rewritten_links():
    from bs4 import BeautifulSoup

    page = BeautifulSoup(
        '<div class="body"><section id="s"><h2>Abstract</h2><p id="id1">x <a class="reference internal" '
        'href="../backmatter/begrepsliste.xhtml#term-IPS"><span class="xref std std-term">IPS</span></a> '
        '<a class="reference internal" href="01-a.xhtml#fig-x"><span class="std std-numref">Figur 1.1</span></a> '
        '<a href="../genindex.xhtml">Stikkord</a> <a href="https://nav.no">Nav</a> <a href="#id1">her</a></p>'
        '<img alt="A" src="../_images/f.svg"/><details class="admonition"><summary><span class="collapsed '
        'admonition-title">Vis tallene bak figuren</span><span class="expanded admonition-title">Skjul</span>'
        '</summary><table><tr><th>a</th></tr></table></details></section></div>', "html.parser").div
    docs = ["index", "chapters/01-a", "chapters/02-b", "backmatter/begrepsliste"]
    pdf_ua._rewrite(page, "chapters/02-b", docs)
    assert page.find(id="chapters-02-b--id1") is not None and page.find(id="id1") is None
    links = [a["href"] for a in page.find_all("a")]
    assert links == ["#backmatter-begrepsliste--term-IPS", "#chapters-01-a--fig-x", "https://nav.no", "#chapters-02-b--id1"]
    assert "xref-page" in page.find("a", href="#chapters-01-a--fig-x")["class"], "a reference back gets its page"
    assert "xref-page" not in page.find("a", href="#backmatter-begrepsliste--term-IPS")["class"]
    assert not page.find_all("span"), "spans inside links would own the link annotation"
    assert "Stikkord" in page.get_text() and not page.find("a", string="Stikkord")
    assert page.find("img")["src"] == "_images/f.svg"
    assert page.find("details") is None and page.find("summary") is None
    assert page.find("p", class_="details-label").get_text() == "Tallene bak figuren"
    assert page.find("section")["lang"] == "en", "the English abstract is marked as English"


def _render(html: str, path: Path) -> PdfReader:
    import weasyprint

    pdf_ua._list_bodies()
    weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf(path, pdf_variant="pdf/ua-1")
    return PdfReader(path)


def test_list_items_get_a_body_as_pdf_ua_asks(tmp_path):
    """Sphinx writes every list item as <li><p>…</p></li>; WeasyPrint alone tags that LI > P, which
    PDF/UA forbids (LI holds Lbl and LBody). The patch in scripts/pdf_ua.py adds the LBody."""
    reader = _render('<html lang="nb"><head><title>T</title></head><body><h1>T</h1><ol><li><p>en</p>'
                     '<p>to</p></li><li>tre</li></ol><dl><dt>a</dt><dd><p>b</p></dd></dl></body></html>',
                     tmp_path / "list.pdf")
    items = [e for e in structure(reader) if e["/S"] == "/LI"]
    assert len(items) >= 2
    for item in items:
        kinds = [k.get_object()["/S"] for k in _kids(item) if isinstance(k, IndirectObject)]
        assert kinds and set(kinds) <= {"/Lbl", "/LBody"}, kinds
        assert kinds.count("/LBody") <= 1, "both paragraphs belong in one LBody"


def test_pdf_ua_checker_fails_an_untagged_pdf_and_passes_a_tagged_one(tmp_path):
    """The checker can fail: an untagged PDF of the same page breaks PDF/UA-1 rules."""
    import page
    import weasyprint

    html = '<html lang="nb"><head><title>T</title></head><body><h1>T</h1><p>Tekst.</p></body></html>'
    weasyprint.HTML(string=html).write_pdf(tmp_path / "plain.pdf")
    assert not page.validate_pdf(str(tmp_path / "plain.pdf"), profile="ua1").is_compliant
    _render(html, tmp_path / "ua.pdf")
    report = page.validate_pdf(str(tmp_path / "ua.pdf"), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures][:5]


# ------------------------------------------------------------------ the built PDFs


def test_tagged_pdfs_pass_the_pdf_ua_checker(build):
    import page

    limits = page.SafetyLimits.unlimited()
    for path in all_tagged(build):
        assert path.is_file(), f"{path.name} was not built"
        report = page.validate_pdf(str(path), profile="ua1", limits=limits)
        failures = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
        assert report.is_compliant and not failures, f"{path.name}: {failures[:8]}"


@pytest.mark.parametrize("which", ["book", "chapter"])
def test_tagged_pdf_catalog_and_metadata(build, which):
    path = tagged(build) if which == "book" else chapter_pdf(build, chapter_files()[4])
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject)
    assert str(catalog["/Lang"]).startswith("nb")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    meta = xmp(reader)
    assert re.search(r'pdfuaid:part(="1"|>1<)', meta), "no PDF/UA identification in the XMP metadata"
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>([^<]+)</rdf:li>", meta, re.S)
    assert title and title.group(1).strip(), "no dc:title"
    if which == "book":
        assert title.group(1) == BOOK["title"] == reader.metadata.title
    else:
        assert title.group(1).startswith("5 "), "a chapter PDF is titled with its chapter"
    marks = bookmarks(reader.outline)
    assert len(marks) >= (3 * len(chapter_files()) if which == "book" else 5), "bookmarks missing"
    assert any(m.startswith("5 Støtteperspektivet") for m in marks)
    assert fonts_not_embedded(reader) == set()


def test_tagged_book_structure(build):
    """Figures carry the web's alt text, tables have header cells, headings H1–H3 come in order."""
    reader = PdfReader(tagged(build))
    elements = structure(reader)
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) >= 2 * len(chapter_files())
    empty = [i for i, f in enumerate(figures) if not str(f.get("/Alt", "")).strip()]
    assert not empty, f"{len(empty)} figures without alt text"
    alts = {str(f["/Alt"]) for f in figures}
    web = soup(build.html / "chapters" / "05-supported-employment-ips.html")
    forest = web.find(id="fig-forest").find("img")["alt"]
    assert forest in alts, "the forest plot's alt text differs from the web's"
    web_alts = {img["alt"] for f in chapter_files() for img in soup(build.html / f"{f}.html").select("figure img[alt]")}
    assert web_alts <= alts, f"{len(web_alts - alts)} web alt texts missing in the PDF"
    tables = [e for e in elements if e["/S"] == "/Table"]
    assert len(tables) >= len(chapter_files())
    kinds = [e["/S"] for e in elements]
    assert kinds.count("/TH") >= len(tables), "tables without header cells"
    levels = [HEADINGS[k] for k in kinds if k in HEADINGS]
    assert levels.count(1) >= len(chapter_files()) and 2 in levels and 3 in levels
    assert heading_jumps(levels) == []
    assert "/L" in kinds and "/LI" in kinds and "/Link" in kinds


def test_tagged_book_reads_like_the_book(build):
    """All chapters, Norwegian letters intact, the contents with page numbers, running heads."""
    from test_editions import chapter_titles, pdf_text

    text = pdf_text(tagged(build))
    flat = re.sub(r"\s+", " ", text.replace("\u00ad", ""))
    for title in chapter_titles(build):
        assert title in flat or title.replace("-", "") in flat.replace("-", ""), f"{title!r} missing"
    assert "Innhold" in flat and re.search(r"5 Støtteperspektivet[^\n]*?\.\s*\.\s*\.[ .]*\d+", text), \
        "the contents give no page numbers"
    assert text.count("Arbeidsinkludering i sosialt arbeid") > 100, "no running heads"
    reader = PdfReader(tagged(build))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1), "A4"


def test_each_chapter_pdf_exists_and_is_linked_from_its_page(build):
    for f in chapter_files():
        path = chapter_pdf(build, f)
        assert path.is_file() and path.stat().st_size > 20_000, f"{path.name} missing"
        page = build.html / f"{f}.html"
        links = {(page.parent / a["href"]).resolve(): a.get_text(strip=True)
                 for a in soup(page).select("details.downloads a[href]")}
        assert path.resolve() in links, f"{f}: the «Last ned» menu does not link {path.name}"
        assert "PDF/UA" in links[path.resolve()]
        head = soup(page).find("meta", attrs={"name": "citation_pdf_url"})["content"]
        assert head.endswith(path.name)
        reader = PdfReader(path)
        title = soup(page).find("h1").get_text(" ", strip=True).replace("\u00ad", "").rstrip("#").strip()
        assert reader.metadata.title == title
        text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in reader.pages[:1]).replace("\u00ad", ""))
        assert title.split(" ", 1)[1][:20] in text.replace("- ", "").replace("‐ ", "")
        assert 5 <= len(reader.pages) < 80


def test_index_page_offers_both_book_pdfs_with_reasons(build):
    labels = {a.get_text(strip=True): a["href"] for a in soup(build.html / "index.html").select("details.downloads a[href]")}
    assert any("utskrift" in label and href.endswith("arbeidsinkludering.pdf") for label, href in labels.items())
    assert any("skjermleser" in label and href.endswith(pdf_ua.BOOK_PDF) for label, href in labels.items())


def test_course_cartridge_holds_each_chapter_pdf(build):
    import lms

    files = lms.cartridge_files(build.html / "_downloads", {**lms.book_config(), "published_url": ""})
    manifest = files["imsmanifest.xml"].decode("utf-8")
    for f in chapter_files():
        name = f"web_resources/kapitler/{f.split('/', 1)[1]}.pdf"
        assert name in files and files[name][:5] == b"%PDF-", f"{name} not in the cartridge"
        assert name in manifest


def test_moved_chapters_keep_their_old_pdf_address(build):
    for old, new in BOOK["redirects"].items():
        old_pdf = build.html / CHAPTER_PDF.format(stem=old.rsplit("/", 1)[1])
        assert old_pdf.is_file() and old_pdf.read_bytes() == chapter_pdf(build, new).read_bytes(), old


def test_accessibility_statement_describes_the_tagged_pdf():
    text = (ROOT / "backmatter" / "tilgjengelighet.md").read_text(encoding="utf-8")
    assert "PDF/UA" in text and "ikke tagget" not in text.split("## Kjente begrensninger")[0]
