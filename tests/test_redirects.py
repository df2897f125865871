"""Old addresses keep working: every chapter page that has ever moved has a redirect page at its old
address (static, Norwegian, canonical, nothing from another host) that leads to a page that exists,
and the chapter's downloads are still found under the old file name (_ext/omdirigering.py, the
mapping under ``redirects:`` in _config.yml)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from test_site import chapter_files, is_external, pages, toc_files

import omdirigering

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
MAPPING = omdirigering.mapping(CONFIG)

#: The chapters of the first edition (0.1, 2026-11-23), as published. Each must still be a page
#: of the book or be redirected; a list in the test, so it holds even without the git history.
FIRST_EDITION = [
    "chapters/01-arbeid-arbeidslinja", "chapters/02-nav-rettslige-rammer", "chapters/03-tilbudssiden",
    "chapters/04-ettersporselssiden", "chapters/05-supported-employment-ips", "chapters/06-vilkar-og-sanksjoner",
    "chapters/07-bakkebyrakrati-og-creaming", "chapters/08-unge-utenfor", "chapters/09-inkluderingskompetanse",
    "chapters/10-sosialfaglige-tilnaerminger", "chapters/11-hva-virker-for-hvem",
]


def _git_removed_chapters() -> set[str] | None:
    """Every chapter file the history has deleted or renamed away (None without git)."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        return None
    proc = subprocess.run([git, "log", "--no-renames", "--diff-filter=D", "--name-only", "--format=", "--", "chapters/*.md"],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    return {line[:-3] for line in proc.stdout.splitlines() if line.endswith(".md")}


def test_every_published_chapter_is_a_page_or_redirected():
    current = set(toc_files())
    for doc in FIRST_EDITION:
        assert doc in current or doc in MAPPING, f"{doc} was published and is neither a page nor redirected"


def test_every_chapter_removed_in_the_history_is_redirected():
    removed = _git_removed_chapters()
    if removed is None:
        pytest.skip("no git history here")
    current = set(toc_files())
    missing = sorted(doc for doc in removed if doc not in current and doc not in MAPPING)
    assert not missing, f"removed from chapters/ without a redirect in _config.yml: {missing}"


def test_mapping_leads_to_pages_and_hides_none():
    current = set(toc_files())
    assert MAPPING, "_config.yml has no redirects"
    for old, new in MAPPING.items():
        assert new in current, f"{old} → {new}: not a page of the book"
        assert old not in current, f"{old} is a page of the book; a redirect page would overwrite it"
        assert Path(old).name != Path(new).name


def test_old_download_names_do_not_clash_with_new_ones():
    stems = {Path(f).name for f in chapter_files()}
    assert not omdirigering.old_stems(CONFIG) & stems


def test_redirect_page_keeps_the_fragment_and_needs_no_script():
    page = omdirigering.redirect_page("chapters/09-a", "chapters/10-a", "10 A & B", base="")
    doc = BeautifulSoup(page, "html.parser")
    assert doc.html["lang"] == "nb"
    assert doc.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=10-a.html"
    assert doc.find("link", rel="canonical")["href"] == "10-a.html"
    link = doc.select_one("main a[href]")
    assert link["href"] == "10-a.html" and link.get_text() == "10 A & B"
    assert 'location.replace("10-a.html" + location.hash)' in page
    absolute = omdirigering.redirect_page("chapters/09-a", "chapters/10-a", "A", base="https://bok.example.no/")
    assert 'href="https://bok.example.no/chapters/10-a.html"' in absolute


def _redirects(html: Path) -> dict[str, BeautifulSoup]:
    return {p.relative_to(html).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in html.rglob("*.html") if omdirigering.MARKER in p.read_text(encoding="utf-8")}


def test_each_old_address_redirects_to_an_existing_page(build):
    found = _redirects(build.html)
    assert set(found) == {f"{old}.html" for old in MAPPING}, "redirect pages and mapping differ"
    for old, new in MAPPING.items():
        page = build.html / f"{old}.html"
        doc = found[f"{old}.html"]
        assert doc.html.get("lang") == "nb"
        refresh = doc.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = re.match(r"0; url=(.+)$", refresh)[1]
        assert (page.parent / target).resolve() == (build.html / f"{new}.html").resolve()
        assert (page.parent / target).is_file()
        canonical = doc.find("link", rel="canonical")["href"]
        assert canonical == target or canonical.endswith(f"/{new}.html")
        link = doc.select_one("main a[href]")
        assert link["href"] == target
        title = BeautifulSoup((build.html / f"{new}.html").read_text(encoding="utf-8"), "html.parser").h1
        heading = " ".join(title.get_text(" ", strip=True).replace("\u00ad", "").rstrip("#").split())
        assert link.get_text(strip=True) == heading, f"{old}: the link names «{link.get_text()}», the page «{heading}»"
        assert "Kapitlet har fått nytt nummer" in doc.get_text()
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for el in doc.find_all(tag):
                assert not (el.get(attr) and is_external(el[attr])), f"{old}: loads from another host"


def test_redirect_pages_stay_out_of_the_page_checks(build):
    """They are not pages of the book: the site-wide checks (downloads menu, description, axe) skip them."""
    assert not {p.relative_to(build.html).as_posix() for p in pages(build.html)} & {f"{o}.html" for o in MAPPING}


def test_old_download_names_still_give_the_chapter(build):
    for old, new in MAPPING.items():
        o, n = Path(old).name, Path(new).name
        for folder, suffix in (("kapitler", ".ipynb"), ("kapitler", ".md"), ("sjekk-deg-selv", "-qti.zip")):
            fresh = build.html / "_downloads" / folder / f"{n}{suffix}"
            copy = build.html / "_downloads" / folder / f"{o}{suffix}"
            if suffix == "-qti.zip" and not (ROOT / "quizzes" / f"{n}.yml").is_file():
                continue  # a chapter without a quiz has no QTI package
            assert fresh.is_file(), f"{fresh.name} is not built"
            assert copy.is_file() and copy.read_bytes() == fresh.read_bytes(), f"{copy.name} is not {fresh.name}"


def test_student_kit_holds_each_chapter_once(build):
    import zipfile

    kit = next((build.html / "_downloads").glob("*studentpakke.zip"))
    names = {Path(n).stem for n in zipfile.ZipFile(kit).namelist() if n.endswith(".ipynb")}
    assert names == {Path(f).name for f in chapter_files()}
