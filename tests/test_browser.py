"""The built site in a real browser (headless Chromium driven by Playwright): accessibility (axe-core,
WCAG 2.0/2.1 A and AA plus best practices, light and dark mode), no request to another host, the
page weight of each chapter, and a keyboard walk through one chapter."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from test_site import chapter_files, pages, soup

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
MAX_PAGE_KB = 300


@pytest.fixture(scope="module")
def site(build):
    """The built site served on localhost (as a reader's web server would serve it)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output readable
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(build.html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is required: run scripts/setup.sh (installs Debian chromium)"
    assert AXE.is_file(), "axe-core is required: run scripts/setup.sh (npm install in tests/browser)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def urls(build) -> list[str]:
    return [p.relative_to(build.html).as_posix() for p in pages(build.html)]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result["violations"]]


OPEN_DETAILS = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"


@pytest.mark.parametrize("scheme, width, open_details", [("light", 1280, False), ("dark", 1280, False),
                                                         ("light", 390, True)])
def test_axe_finds_nothing_on_any_page(build, site, browser, scheme, width, open_details):
    """Every page, light and dark; and on a phone with every <details> open (tables, code, solutions)."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
    page = context.new_page()
    found = {}
    for url in urls(build):
        page.goto(f"{site}/{url}", wait_until="load")
        if open_details:
            page.evaluate(OPEN_DETAILS)
            page.wait_for_timeout(50)  # book.js measures the opened tables
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    context.close()
    assert not found, found


def test_no_request_leaves_localhost_and_chapters_are_light(build, site, browser):
    context = browser.new_context()
    foreign, weights, all_figures = [], {}, {}
    for url in urls(build):
        # a page of its own for each address: responses of the page before can never be counted here
        page = context.new_page()
        sizes: dict[str, int] = {}

        def record(response):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # redirects have no body
                sizes[response.url] = 0

        page.on("request", lambda r: foreign.append((url, r.url)) if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
        page.on("response", record)
        page.goto(f"{site}/{url}", wait_until="networkidle")
        weights[url] = sum(sizes.values()) / 1024  # on open: figures further down are not loaded yet
        # and with every figure loaded, as a reader who scrolls through the chapter gets it
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach((i) => { i.loading = 'eager'; })")
        page.wait_for_load_state("networkidle")
        page.wait_for_function("[...document.images].every((i) => i.complete)")
        page.remove_listener("response", record)
        all_figures[url] = sum(sizes.values()) / 1024
        page.close()
    context.close()
    assert not foreign, foreign[:10]
    heavy = {u: round(kb) for u, kb in weights.items() if u.startswith("chapters/") and kb > MAX_PAGE_KB}
    assert not heavy, f"chapter pages over {MAX_PAGE_KB} KB on open (HTML + every loaded asset): {heavy}"
    heavy = {u: round(kb) for u, kb in all_figures.items() if u.startswith("chapters/") and kb > MAX_PAGE_KB}
    assert not heavy, f"chapter pages over {MAX_PAGE_KB} KB with every figure loaded: {heavy}"


RESOURCE = re.compile(r"<(script|link|img|source)\b[^>]*>", re.I)
ATTR = re.compile(r"""\s(src|href|srcset|rel)\s*=\s*["']([^"']*)["']""", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")
FALLBACK_FONT = re.compile(r"\.(ttf|otf|woff|eot|svg)([?#].*)?$", re.I)


def page_weight(page: Path) -> int:
    """Bytes of *page* and every local file it loads, each once, counted as bokmeter counts them:
    scripts, stylesheets (with what their url() and @import name, one web font format: woff2),
    icons and preloads, and every image, lazy or not."""
    seen: set[Path] = set()

    def add(url: str, base: Path) -> int:
        if url.startswith(("data:", "http:", "https:", "//")):
            return 0
        f = (base.parent / unquote(urlparse(url).path)).resolve()
        if f in seen or not f.is_file():
            return 0
        seen.add(f)
        size = f.stat().st_size
        if f.suffix == ".css":
            for a, b in CSS_URL.findall(f.read_text(encoding="utf-8", errors="replace")):
                if not FALLBACK_FONT.search(a or b):
                    size += add(a or b, f)
        return size

    total = page.stat().st_size
    for m in RESOURCE.finditer(page.read_text(encoding="utf-8")):
        attrs = {k.lower(): v for k, v in ATTR.findall(m.group(0))}
        tag = m.group(1).lower()
        if tag == "link":
            if attrs.get("href") and set(attrs.get("rel", "").split()) & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
                total += add(attrs["href"], page)
        elif attrs.get("src") or attrs.get("srcset"):
            total += add(attrs.get("src") or attrs["srcset"].split()[0], page)
    return total


def test_chapter_pages_with_every_figure_are_light(build):
    """The page weight target (HTML + every local file it loads, all figures included, as the
    project's bokmeter counts it) for every chapter page, without a browser."""
    weights = {f: page_weight(build.html / f"{f}.html") / 1024 for f in chapter_files()}
    heavy = {f: round(kb) for f, kb in weights.items() if kb > MAX_PAGE_KB}
    assert not heavy, f"chapter pages over {MAX_PAGE_KB} KB with every figure: {heavy}"


@pytest.mark.parametrize("width", [1366, 390])
def test_keyboard_walk_through_a_chapter(build, site, browser, width):
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(f"{site}/chapters/05-supported-employment-ips.html")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    assert first == "Hopp til innholdet", f"first Tab stop is {first!r}, not the skip link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused skip link has no visible focus outline"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#furo-main-content"
    # Tab on to the first collapsed solution and open it with the keyboard
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('details.solution') !== null"):
            break
    else:
        pytest.fail("no solution toggle reachable with Tab")
    visible = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert visible != "none", "the focused solution toggle has no visible focus outline"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('details.solution').open")


# ---------------------------------------------------------------- reflow, drawers, print, search

REFLOW = r"""() => {
  const vw = document.documentElement.clientWidth;
  const out = {pageWidth: document.scrollingElement.scrollWidth, vw, cells: [], regions: [], breaks: []};
  for (const cell of document.querySelectorAll('article td, article th')) {
    cell.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const r = cell.getBoundingClientRect();
    // probe the middle of the cell's visible part (a cell taller than the window is centred with
    // its top above it, under the sticky header)
    const y = r.height < 20 ? r.top + r.height / 2
      : (Math.max(r.top, 0) + Math.min(r.bottom, window.innerHeight)) / 2;
    const hit = document.elementFromPoint(Math.min(Math.max(r.left + 2, 0), vw - 1), y);
    const seen = hit && (hit === cell || cell.contains(hit));
    if (!seen || r.left < -1 || r.right > vw + 1) out.cells.push(cell.textContent.trim().slice(0, 50));
  }
  // a table wider than its column must sit in the book's scroll region (not in some other
  // container that scrolls or clips it)
  for (const table of document.querySelectorAll('article table')) {
    if (table.getClientRects().length === 0) continue;
    let scroller = null;
    for (let el = table.parentElement; el && el.tagName !== 'ARTICLE'; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') { scroller = el; break; }
    }
    if (scroller && !scroller.classList.contains('table-scroll'))
      out.regions.push('scrolls in ' + scroller.tagName + '.' + scroller.className + ': ' +
                       (table.querySelector('caption, th') || table).textContent.trim().slice(0, 40));
  }
  for (const region of document.querySelectorAll('.table-scroll')) {
    if (region.scrollWidth <= region.clientWidth + 1) continue;
    const labelled = region.getAttribute('aria-labelledby');
    const name = labelled ? (document.getElementById(labelled) || {}).textContent : region.getAttribute('aria-label');
    const hint = region.parentElement.querySelector('.table-scroll-hint');
    if (region.tabIndex !== 0 || !(name || '').trim() || !hint || hint.offsetParent === null)
      out.regions.push((name || '(no name)').slice(0, 50));
  }
  // a word in a heading breaks across lines only at a soft hyphen or a hyphen
  for (const h of document.querySelectorAll('article h1, article h2, article h3')) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.headerlink')) continue;
      let prevTop = null, prev = null;
      for (let i = 0; i < node.data.length; i++) {
        const ch = node.data[i];
        if (/\s/.test(ch)) { prevTop = null; prev = null; continue; }
        if (ch === '\u00ad') { prev = ch; continue; }
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rects = range.getClientRects();  // a char after a soft-hyphen break has two
        const rect = rects[rects.length - 1];
        if (!rect) continue;
        if (prevTop !== null && rect.top > prevTop + rect.height / 2 && !['\u00ad', '-', '–', '/'].includes(prev))
          out.breaks.push(node.data.replace(/\u00ad/g, '').trim());
        prevTop = rect.top; prev = ch;
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [320, 1366])
def test_pages_reflow_and_every_table_cell_can_be_reached(build, site, browser, width):
    """WCAG 1.4.10: at 320 CSS px (and on a laptop) the page never scrolls sideways, every table
    cell (with every <details> open) can be scrolled into view inside its table's region, a region
    that scrolls is focusable, named and says that it scrolls, and headings break words only at
    hyphens."""
    page = browser.new_context(viewport={"width": width, "height": 700}).new_page()
    problems = {}
    for url in urls(build):
        page.goto(f"{site}/{url}", wait_until="load")
        page.evaluate(OPEN_DETAILS)
        page.wait_for_timeout(50)
        r = page.evaluate(REFLOW)
        found = {}
        if r["pageWidth"] > r["vw"]:
            found["page scrolls sideways"] = r["pageWidth"] - r["vw"]
        for key in ("cells", "regions", "breaks"):
            if r[key]:
                found[key] = r[key][:5]
        if found:
            problems[url] = found
    page.context.close()
    assert not problems, problems


def _focus_info(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement; return {
        tag: a.tagName, cls: a.className || '', text: (a.textContent || '').trim().slice(0, 40),
        inDrawer: !!a.closest('.sidebar-drawer, .toc-drawer'), expanded: a.getAttribute('aria-expanded')}; }""")


@pytest.mark.parametrize("toggle, drawer", [("nav-overlay-icon", "sidebar-drawer"),
                                            ("toc-header-icon", "toc-drawer")])
def test_phone_drawers_by_keyboard(build, site, browser, toggle, drawer):
    """At 390 px the closed drawers take no Tab stops; their toggles are buttons with
    aria-expanded that open them from the keyboard; Escape closes them and returns focus."""
    page = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    page.goto(f"{site}/chapters/05-supported-employment-ips.html")
    stops, reached = [], False
    for _ in range(60):
        page.keyboard.press("Tab")
        info = _focus_info(page)
        stops.append(info)
        if toggle in info["cls"]:
            reached = True
            break
    assert not [s for s in stops if s["inDrawer"]], "a closed drawer takes Tab stops"
    assert reached, f"the {toggle} toggle is not reachable with Tab: {stops[:12]}"
    assert stops[-1]["tag"] == "BUTTON" and stops[-1]["expanded"] == "false", stops[-1]
    visibility = f"getComputedStyle(document.querySelector('.{drawer}')).visibility"
    assert page.evaluate(visibility) == "hidden"
    page.keyboard.press("Enter")
    page.wait_for_timeout(350)
    assert page.evaluate(f"document.querySelector('.{toggle}').getAttribute('aria-expanded')") == "true"
    assert page.evaluate(visibility) == "visible"
    assert _focus_info(page)["inDrawer"], "focus did not move into the opened drawer"
    page.keyboard.press("Tab")
    assert _focus_info(page)["inDrawer"]
    page.keyboard.press("Escape")
    page.wait_for_timeout(350)
    info = _focus_info(page)
    assert toggle in info["cls"] and info["expanded"] == "false", info
    assert page.evaluate(visibility) == "hidden"
    # the whole walk through the page with the drawers closed: not one stop inside them
    for _ in range(150):
        page.keyboard.press("Tab")
        assert not _focus_info(page)["inDrawer"], "a closed drawer takes Tab stops"
    page.context.close()


def test_print_wraps_wide_tables_and_code(build, site, browser):
    """Printed from the browser (A4 text width), no table or code line runs past the margin."""
    page = browser.new_context(viewport={"width": 680, "height": 900}).new_page()
    page.emulate_media(media="print")
    problems = {}
    for f in chapter_files():
        page.goto(f"{site}/{f}.html", wait_until="load")
        page.evaluate(OPEN_DETAILS)
        over = page.evaluate("""() => {
          const right = document.querySelector('article').getBoundingClientRect().right;
          return [...document.querySelectorAll('article table, article pre, article img')]
            .filter((el) => el.offsetParent !== null && (el.getBoundingClientRect().right > right + 1
                     || (el.tagName === 'PRE' && el.scrollWidth > el.clientWidth + 1)))
            .map((el) => el.tagName + ': ' + el.textContent.trim().slice(0, 40)); }""")
        width = page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth")
        if over or width > 0:
            problems[f] = {"wider": width, "elements": over[:5]}
    page.context.close()
    assert not problems, problems


def test_exercise_titles_without_glyph_and_dark_figures_dimmed(build, site, browser):
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{site}/chapters/05-supported-employment-ips.html")
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            after = page.evaluate("""() => [...document.querySelectorAll('.exercise .admonition-title, .solution .admonition-title')]
                .map((t) => getComputedStyle(t, '::after').content)""")
            assert after and set(after) <= {"none", "normal"}, f"{media}: exercise titles end in {set(after)}"
        page.emulate_media(media="screen")
        plate = page.evaluate("getComputedStyle(document.querySelector('article figure img')).filter")
        if scheme == "dark":
            assert "brightness" in plate, f"dark mode figure filter: {plate}"
        else:
            assert plate == "none", plate
        context.close()


def _run_search(page, url: str, query: str) -> list[dict]:
    page.goto(f"{url}?q={query}")
    page.wait_for_function("() => typeof Search !== 'undefined' && Search.status && Search.status.innerText.includes('ferdig')",
                           timeout=20_000)
    try:  # the snippets arrive after the result list
        page.wait_for_function("() => [...document.querySelectorAll('#search-results ul.search > li')]"
                               ".every((li) => li.querySelector('p.context'))", timeout=20_000)
    except Exception:
        pass  # the caller reports the results without a snippet
    return page.evaluate("""() => [...document.querySelectorAll('#search-results ul.search > li')].map((li) => ({
        href: li.querySelector('a').getAttribute('href'),
        snippet: (li.querySelector('p.context') || {}).textContent || ''}))""")


def _longest_title_word(title: str) -> str:
    return max(re.findall(r"[A-Za-zÆØÅæøå]{4,}", title), key=len)


def test_search_ranks_title_matches_first_with_clean_snippets(build, site, browser):
    page = browser.new_context().new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    results = _run_search(page, f"{site}/search.html", "sanksjoner")
    assert results and results[0]["href"].startswith("chapters/06-vilkar-og-sanksjoner.html"), results[:3]
    for f in chapter_files():
        title = soup(build.html / f"{f}.html").find("h1").get_text(" ", strip=True).replace("\u00ad", "")
        word = _longest_title_word(title)
        results = _run_search(page, f"{site}/search.html", word)
        first = results[0]["href"].split(".html")[0] if results else None
        first_title = soup(build.html / f"{first}.html").find("h1").get_text(" ", strip=True).replace("\u00ad", "") if first else ""
        assert first and word.lower()[:6] in first_title.lower(), f"{word!r}: first hit {first} ({first_title})"
        for r in results:
            assert r["snippet"].strip(), f"{word!r}: no snippet for {r['href']}"
            assert "Lesetid" not in r["snippet"] and "Sist oppdatert" not in r["snippet"], r
    assert not failed, failed[:5]
    page.context.close()


def test_offline_copy_searches_with_snippets_from_disk(build, browser, tmp_path):
    """The zip, unpacked and opened from disk (file://): search finds pages and shows snippets,
    without one failed request."""
    import zipfile

    with zipfile.ZipFile(build.html / "_downloads" / "arbeidsinkludering-nettsted.zip") as z:
        z.extractall(tmp_path)
    search = (tmp_path / "arbeidsinkludering" / "search.html").as_uri()
    page = browser.new_context().new_page()
    failed, errors = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    results = _run_search(page, search, "jobbspesialist")
    assert results, "no results from the offline copy"
    assert all(r["snippet"].strip() for r in results), [r["href"] for r in results if not r["snippet"].strip()]
    assert not failed and not errors, (failed[:5], errors[:5])
    page.context.close()
