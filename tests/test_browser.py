"""The built site in a real browser (headless Chromium driven by Playwright): accessibility (axe-core,
WCAG 2.0/2.1 A and AA plus best practices, light and dark mode), no request to another host, the
page weight of each chapter, and a keyboard walk through one chapter."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT
from test_site import pages

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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page(build, site, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for url in urls(build):
        page.goto(f"{site}/{url}", wait_until="load")
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    context.close()
    assert not found, found


def test_no_request_leaves_localhost_and_chapters_are_light(build, site, browser):
    context = browser.new_context()
    page = context.new_page()
    foreign, weights = [], {}
    for url in urls(build):
        sizes: dict[str, int] = {}

        def record(response):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # redirects have no body
                sizes[response.url] = 0

        page.on("request", lambda r: foreign.append((url, r.url)) if urlparse(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
        page.on("response", record)
        page.goto(f"{site}/{url}", wait_until="networkidle")
        page.remove_listener("response", record)
        weights[url] = sum(sizes.values()) / 1024
    context.close()
    assert not foreign, foreign[:10]
    heavy = {u: round(kb) for u, kb in weights.items() if u.startswith("chapters/") and kb > MAX_PAGE_KB}
    assert not heavy, f"chapter pages over {MAX_PAGE_KB} KB (HTML + every loaded asset): {heavy}"


def test_keyboard_walk_through_a_chapter(build, site, browser):
    page = browser.new_context().new_page()
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
