"""The lysark (scripts/slides.py): a deck per chapter in _toc.yml, with the chapter's learning goals and
every figure with the book's own alt text, nothing from another host, axe-clean, and a PDF per deck.

Reads the clean build of the test session (the ``build`` fixture): the decks are part of every html
build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import slides  # noqa: E402

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
MIN_PAGES = 6   # title, goals, concepts, case, two discussion slides at the least

def chapters() -> list[str]:
    return slides.toc_chapters()


def downloads(build) -> Path:
    return build.html / "_downloads" / slides.FOLDER


def deck(build, docname: str) -> dict[str, bytes]:
    stem = Path(docname).name
    with zipfile.ZipFile(downloads(build) / f"lysark-{stem}.zip") as z:
        return {n.split("/", 1)[1]: z.read(n) for n in z.namelist() if not n.endswith("/")}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text()).strip()


def test_chapter_list_comes_from_the_toc():
    assert chapters(), "no chapters in _toc.yml"
    assert all(c.startswith("chapters/") for c in chapters())


@pytest.mark.parametrize("docname", chapters())
def test_every_chapter_has_a_deck_as_zip_and_pdf(build, docname):
    stem = Path(docname).name
    assert (downloads(build) / f"lysark-{stem}.zip").is_file()
    pdf = downloads(build) / f"lysark-{stem}.pdf"
    assert pdf.is_file()
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        slides_in_deck = len(BeautifulSoup(deck(build, docname)["index.html"], "html.parser").select(".slides section > section"))
        assert pages >= max(MIN_PAGES, slides_in_deck), f"{pdf.name}: {pages} pages"


@pytest.mark.parametrize("docname", chapters())
def test_deck_has_the_learning_goals_and_every_figure_with_the_books_alt_text(build, docname):
    files = deck(build, docname)
    page = BeautifulSoup(files["index.html"], "html.parser")
    chapter = BeautifulSoup((build.html / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    goals = slides._section(chapter.find("article"), "Læringsmål").find(["ol", "ul"]).find_all("li", recursive=False)
    deck_text = text(files["index.html"])
    for li in goals:
        assert slides._text(li) in deck_text, f"{docname}: learning goal missing: {slides._text(li)[:60]}"
    book_figures = [(Path(img["src"]).name, img.get("alt", "")) for fig in chapter.find("article").find_all("figure")
                    for img in fig.find_all("img")]
    deck_images = {Path(img["src"]).name: img.get("alt", "") for img in page.find_all("img")}
    for name, alt in book_figures:
        assert name in deck_images, f"{docname}: figure {name} missing from the deck"
        assert f"_images/{name}" in files, f"{docname}: {name} not in the zip"
        assert alt.strip(), f"{docname}: {name} has no alt text in the book"
        assert " ".join(deck_images[name].split()) == " ".join(alt.split()), f"{docname}: alt text of {name} differs"
    assert len(deck_images) == len(book_figures)
    headings = [h.get_text() for h in page.find_all("h2")]
    assert any(h.startswith("Praksiseksempel") for h in headings)
    assert 2 <= sum(h.startswith("Til drøfting") for h in headings) <= 3


def test_chosen_discussion_exercises_exist(build):
    """lysark/<label>.yml names exercises by label; each must be in the chapter with that label."""
    labels = {}
    for docname in chapters():
        chapter = BeautifulSoup((build.html / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        labels[chapter.find("article").find("section").get("id")] = {d.get("id") for d in chapter.select("div.exercise")}
    import yaml
    for path in sorted((ROOT / slides.FOLDER).glob("*.yml")):
        chosen = yaml.safe_load(path.read_text(encoding="utf-8"))["drofting"]
        assert path.stem in labels, f"{path.name}: no chapter has the label {path.stem}"
        assert 2 <= len(chosen) <= 3 and set(chosen) <= labels[path.stem], path.name


@pytest.mark.parametrize("docname", chapters())
def test_discussion_slides_show_whole_questions(build, docname):
    """Each «Til drøfting» slide shows the exercise's whole prompt (every part, nothing cut mid
    sentence) and no code."""
    html = build.html
    book = BeautifulSoup((html / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    exercises = {d.get("id"): d for d in book.select("div.exercise")}
    d = slides.read_deck(html, docname, slides.glossary(html))
    by_name = {slides._text(e.find(class_="admonition-title")): e for e in exercises.values()}
    for name, blocks in d.discussion:
        content = by_name[name].find(class_="exercise-content")
        shown = " ".join(" ".join(b) if isinstance(b, list) else b for b in blocks)
        whole = slides._text(content)  # all of the prompt, whatever blocks it is made of
        assert shown.split() == whole.split(), f"{docname}: {name} is not shown whole"
        last = blocks[-1][-1] if isinstance(blocks[-1], list) else blocks[-1]
        assert last.rstrip("»)").endswith((".", "?", "!", ":")), f"{docname}: {name} ends «{last[-40:]}»"


URL = re.compile(rb"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


@pytest.mark.parametrize("docname", chapters())
def test_deck_loads_nothing_from_another_host(build, docname):
    for name, data in deck(build, docname).items():
        if Path(name).suffix in (".html", ".js", ".css"):
            if name.endswith(".css") or name.endswith(".js"):
                data = re.sub(rb"/\*.*?\*/", b"", data, flags=re.S)   # licence comments name web sites
            if name.endswith(".html"):
                soup = BeautifulSoup(data, "html.parser")
                refs = [t.get(a) for t in soup.find_all(True) for a in ("src", "href") if t.get(a)]
                assert not [r for r in refs if urlparse(r).netloc], f"{name}: {refs}"
            else:
                hosts = [m for m in URL.findall(data) if b"www.w3.org" not in m]
                assert not hosts, f"{docname}/{name}: {hosts[:3]}"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=slides.CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_one_deck_in_the_browser_axe_clean_offline_and_in_bokmal(build, browser, tmp_path):
    """The first chapter's deck at 1366 px: no request leaves the folder, axe finds nothing on any
    slide, the controls speak bokmål, and no slide is taller than the slide."""
    docname = chapters()[0]
    for name, data in deck(build, docname).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((tmp_path / "index.html").as_uri(), wait_until="load")
    page.wait_for_function("document.querySelector('.reveal.ready') !== null")
    assert not [u for u in requests if not u.startswith("file://")], requests
    labels = page.evaluate("[...document.querySelectorAll('[aria-label], [placeholder]')]"
                           ".map(e => e.getAttribute('aria-label') || e.getAttribute('placeholder'))")
    assert "neste lysark" in labels and not [x for x in labels if re.search(r"\bslide\b", x or "")], labels
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.add_script_tag(path=str(AXE))
    found = {}
    for i in range(page.evaluate("Reveal.getTotalSlides()")):
        page.evaluate(f"Reveal.slide({i})")
        height = page.evaluate("Reveal.getCurrentSlide().offsetHeight")
        assert height <= slides.HEIGHT, f"slide {i + 1} is {height} px tall"
        result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
                               " resultTypes: ['violations']})", AXE_TAGS)
        for v in result["violations"]:
            found.setdefault(v["id"], (i + 1, [n["target"] for n in v["nodes"]][:3]))
    assert not found, found
