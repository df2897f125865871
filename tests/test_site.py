"""The whole book, built from clean: 0 warnings, every chapter executed, Norwegian, accessible, offline,
searchable in Norwegian, and deterministic."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return files


def chapter_files() -> list[str]:
    return [f for f in toc_files() if f.startswith("chapters/")]


def pages(html: Path) -> list[Path]:
    """The book's pages: not its static files, not the redirect pages at moved chapters' old
    addresses (_ext/omdirigering.py; tests/test_redirects.py checks those)."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts
                  and '<meta name="generator" content="book-redirect">' not in p.read_text(encoding="utf-8"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def is_external(url: str) -> bool:
    parsed = urlparse(url)
    return bool(parsed.netloc) or url.startswith("//")


def test_zero_warnings(build):
    assert build.warnings.strip() == "", build.warnings  # html, latex and epub builders


def test_every_toc_file_is_built(build):
    for f in toc_files():
        assert (build.html / f"{f}.html").is_file(), f


def test_every_chapter_was_executed(build):
    from jupyter_cache import get_cache

    cache = get_cache(str(build.cache))
    executed = {Path(r.uri).resolve() for r in cache.list_cache_records()}
    for f in chapter_files():
        assert (ROOT / f"{f}.md").resolve() in executed, f"{f} was not executed into the cache"
        page = soup(build.html / f"{f}.html")
        assert page.select(".cell_output"), f"{f}: no cell outputs in the page"
        assert not page.select(".output.traceback, .output.error"), f"{f}: an error was rendered"


def test_html_lang_is_norwegian_bokmal(build):
    for page in pages(build.html):
        assert soup(page).html.get("lang") == "nb", page


def test_every_image_has_alt_text(build):
    for page in pages(build.html):
        for img in soup(page).find_all("img"):
            assert (img.get("alt") or "").strip(), f"{page.name}: <img src={img.get('src')}> has no alt text"


def test_nothing_loaded_from_other_hosts(build):
    """No script, stylesheet, font, image or frame from another host, in pages or in CSS."""
    for page in pages(build.html):
        doc = soup(page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "src"),
                          ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")):
            for el in doc.find_all(tag):
                url = el.get(attr)
                if not url or (tag == "link" and not set(el.get("rel") or []) & {
                        "stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest"}):
                    continue
                assert not is_external(url), f"{page.name}: <{tag} {attr}={url}> loads from another host"
        assert "mathjax" not in page.read_text(encoding="utf-8").lower(), f"{page.name}: MathJax is loaded"
    for css in build.html.rglob("*.css"):
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
            assert not is_external(ref), f"{css.name}: url({ref}) is on another host"
        assert not re.search(r"@import\s+['\"]?https?:", css.read_text(encoding="utf-8", errors="replace"))


def test_glossary_terms_and_citations_resolve(build):
    glossary = soup(build.html / "backmatter" / "begrepsliste.html")
    term_ids = {dt.get("id") for dt in glossary.select("dl.glossary dt")}
    assert len(term_ids) >= 15
    for f in chapter_files():
        page = soup(build.html / f"{f}.html")
        terms = page.select("span.std-term")
        assert terms, f"{f}: no glossary terms linked"
        for span in terms:
            link = span.find_parent("a")
            assert link is not None and "#term-" in link.get("href", ""), f"{f}: unresolved term {span.text!r}"
            assert link["href"].split("#")[1] in term_ids
        cites = page.select("span.bibtex-citation, span.bibtex-citation a")
        assert cites, f"{f}: no citations"
        for span in page.select("span.bibtex-citation"):
            assert span.find("a", href=True), f"{f}: unresolved citation {span.text!r}"
            assert "?" not in span.text


def test_norwegian_interface_strings(build):
    chapter = (build.html / f"{chapter_files()[0]}.html").read_text(encoding="utf-8")
    # sphinx-exercise labels come from the book's catalog (locale/no/LC_MESSAGES/exercise.po),
    # not from the package's own «Øvelse»; the section heading «Oppgaver» must not be what matches.
    labels = [s.get_text(" ", strip=True) for s in soup(build.html / f"{chapter_files()[0]}.html")
              .select(".exercise .admonition-title, .solution .admonition-title")]
    assert labels and any(re.match(r"Oppgave \d", t) for t in labels), labels
    assert any(t.startswith("Løsningsforslag til Oppgave") for t in labels), labels
    assert "Øvelse" not in chapter
    search = (build.html / "search.html").read_text(encoding="utf-8")
    assert "Søk" in search
    translations = (build.html / "_static" / "translations.js").read_text(encoding="utf-8")
    assert "Søkeresultat" in translations and "sider som passer" in translations


NODE_SEARCH = r"""
const fs = require("fs"), vm = require("vm");
const [dir, query] = process.argv.slice(2);
const ctx = {Search: {setIndex: (i) => { ctx.index = i; }}, console};
ctx.window = ctx;
vm.createContext(ctx);
for (const f of ["base-stemmer.js", "norwegian-stemmer.js", "language_data.js"]) {
  vm.runInContext(fs.readFileSync(`${dir}/_static/${f}`, "utf8"), ctx);
}
vm.runInContext(fs.readFileSync(`${dir}/searchindex.js`, "utf8"), ctx);
const stem = vm.runInContext(`new Stemmer().stemWord(${JSON.stringify(query.toLowerCase())})`, ctx);
// Like searchtools.js: a word is found in the body text (terms) or in a heading (titleterms);
// Sphinx indexes a word that occurs in one of a page's headings only under titleterms.
const hits = [];
for (const table of [ctx.index.terms, ctx.index.titleterms]) {
  const found = table[stem] ?? [];
  hits.push(...(Array.isArray(found) ? found : [found]));
}
console.log(JSON.stringify({stem, docs: [...new Set(hits)].map((i) => ctx.index.docnames[i])}));
"""


@pytest.mark.parametrize("query, inflected", [("jobbspesialisten", "jobbspesialister"), ("forsøkene", "forsøk")])
def test_search_stem_finds_inflected_form(build, tmp_path, query, inflected):
    """Run the site's own Norwegian stemmer and search index (the files the browser uses) in Node.

    The query is an inflected form; the test checks that the chapter, which contains a
    different inflection of the same word, is found under the query's stem.
    """
    assert shutil.which("node"), "Node.js is required for this test: run scripts/setup.sh (installs Debian nodejs)"
    chapter = "chapters/05-supported-employment-ips"  # the model chapter: its words are known
    text = soup(build.html / f"{chapter}.html").get_text(" ").lower()
    assert re.search(rf"\b{inflected}\b", text), f"test premise: {inflected!r} should occur in {chapter}"
    script = tmp_path / "search.js"
    script.write_text(NODE_SEARCH, encoding="utf-8")
    out = subprocess.run(["node", str(script), str(build.html), query], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    assert result["stem"] != query.lower(), "the Norwegian stemmer did not stem the query"
    assert chapter in result["docs"], f"searching {query!r} (stem {result['stem']!r}) did not find {chapter}"


def test_two_clean_builds_are_identical(build, second_build):
    for f in chapter_files():
        first = (build.html / f"{f}.html").read_bytes()
        second = (second_build.html / f"{f}.html").read_bytes()
        assert first == second, f"{f}.html differs between two clean builds"
    images = sorted(p.name for p in (build.html / "_images").iterdir())
    assert images == sorted(p.name for p in (second_build.html / "_images").iterdir())
    for name in images:
        assert (build.html / "_images" / name).read_bytes() == (second_build.html / "_images" / name).read_bytes()


def test_solutions_are_collapsed_and_ids_unique(build):
    """Solutions are closed <details> (no script needed); no id occurs twice on a page."""
    for f in chapter_files():
        page = soup(build.html / f"{f}.html")
        solutions = page.select("details.solution")
        assert solutions, f"{f}: no collapsible solutions"
        for box in solutions:
            assert not box.has_attr("open"), f"{f}: a solution is open by default"
            summary = box.find("summary", recursive=False)
            assert summary and summary.get_text(strip=True).startswith("Løsningsforslag"), f"{f}: solution without summary"
        assert not page.select("div.solution.dropdown"), f"{f}: a dropdown solution was not turned into <details>"
    for page in pages(build.html):
        ids = [el["id"] for el in soup(page).find_all(id=True)]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        assert not dupes, f"{page.name}: duplicate ids {dupes}"
