"""Local Sphinx extension: the built web pages without markup that no stylesheet, script or reader uses.

A chapter page is some 200 KB of HTML, and the book promises at most 300 KB per chapter page with
every figure loaded (tests/test_browser.py ``MAX_PAGE_KB``). After the HTML build
(``build-finished``, before nettside prunes pygments.css and stilark the other stylesheets) every
page is rewritten without

* Pygments' spans for tokens drawn in the code block's own colour (``n`` names, ``p`` punctuation,
  ``w`` white space …): a token class counts as plain only if every rule for it in pygments.css,
  light and dark, sets nothing but the colour the same context gives ``.highlight`` itself, and no
  other stylesheet names it; and the empty ``<span></span>`` Pygments puts first in every block;
* the spans around glued numbers in the prose (``<span class="output text_plain">60 %</span>``) and
  around the text of section references (``<span class="std std-ref">``): unwrapped only while no
  stylesheet has a selector that could match them and no script names their classes;
* white space between tags beyond one line break (outside ``pre``, ``textarea``, ``script`` and
  ``style``; no element of the site has ``white-space: pre`` but those).

Nothing a reader sees or a screen reader announces changes: text, links, ids, ARIA and alt text stay
as they are; only elements no rule styles are unwrapped. A page is written only when its text
changes, so a rebuild without changes rewrites nothing (the rewriting is idempotent). Web only.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import tinycss2

#: spans unwrapped in the prose when no stylesheet or script can select them (their content is text)
PROSE_SPANS = (("output", "text_plain"), ("std", "std-ref"))
CODE_BLOCK = re.compile(r'(<div class="highlight"><pre[^>]*>)(.*?)(</pre>)', re.S)
RAW = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.S | re.I)
GAP = re.compile(r">[ \t\r\n]*\n[ \t\r\n]*<")
SELECTOR_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc=\"([^\"]+)\"")
STYLESHEET = re.compile(r"<link rel=\"stylesheet\"[^>]*\shref=\"([^\"]+)\"")
COMBINATOR = re.compile(r"\s*([>+~])\s*|\s+")


def _selectors(css: str):
    """(selector text, declarations) of every rule in *css*, with the @media prelude it sits in."""
    def visit(rules, media):
        for rule in rules:
            if rule.type == "qualified-rule":
                decls = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                yield media, tinycss2.serialize(rule.prelude).strip(), decls
            elif rule.type == "at-rule" and rule.content is not None:
                inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                yield from visit(inner, media + (tinycss2.serialize(rule.prelude).strip(),))

    yield from visit(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), ())


def plain_tokens(pygments_css: str, other_css: str) -> set[str]:
    """Pygments token classes that draw their text exactly like the block around them: every rule for
    the class sets only ``color``, to the colour ``.highlight`` has in the same context (theme
    prefix and @media), and no other stylesheet names the class."""
    base: dict[tuple, str] = {}
    token: dict[str, list[tuple[tuple, list]]] = {}
    for media, prelude, decls in _selectors(pygments_css):
        for sel in (s.strip() for s in prelude.split(",")):
            m = re.fullmatch(r"(.*?)\.highlight(?: \.([\w-]+))?", sel)
            if m is None:
                continue
            context = (media, m.group(1))
            if m.group(2) is None:
                colours = [tinycss2.serialize(d.value).strip().lower() for d in decls
                           if d.type == "declaration" and d.name == "color"]
                if colours:
                    base[context] = colours[-1]
            else:
                token.setdefault(m.group(2), []).append((context, decls))
    named_elsewhere = set(SELECTOR_CLASS.findall(" ".join(p for _, p, _ in _selectors(other_css))))
    plain = set()
    for cls, rules in token.items():
        if cls in named_elsewhere:
            continue
        if all(len(decls) == 1 and decls[0].type == "declaration" and decls[0].name == "color"
               and not decls[0].important and context in base
               and tinycss2.serialize(decls[0].value).strip().lower() == base[context]
               for context, decls in rules):
            plain.add(cls)
    return plain


def unselected(classes: tuple[str, ...], css: str, scripts: str, pages: list[str]) -> bool:
    """True if no rule of *css* can select a ``span`` with *classes* and text only, and no script
    names any of them (a word in a string literal of a script, as stilark reads them).

    A selector counts as able to when one of its compounds names one of the classes and that
    compound is the one the rule styles (unless it names another element than ``span``) or is
    followed by a sibling combinator (``+``, ``~``); a compound followed by `` `` or ``>`` needs an
    element inside the span, which a span of text does not have. A selector with ``:not(`` that
    names one of the classes counts as able to. A rule for spans without a class
    (``div.citation>span``) counts as able to if it matches one of these spans in *pages* (tested
    with soupsieve, pseudo-classes and attribute selectors taken out as stilark does)."""
    span_rules: list[str] = []
    for _, prelude, _ in _selectors(css):
        for sel in prelude.split(","):
            sel = sel.strip()
            parts = COMBINATOR.split(sel)  # compound, combinator, compound, …
            compounds = parts[0::2]
            combinators = [c or " " for c in parts[1::2]]
            for i, compound in enumerate(compounds):
                if compound is None:
                    continue
                named = set(SELECTOR_CLASS.findall(compound))
                tag = re.match(r"[A-Za-z][\w-]*", compound)
                tag = tag.group(0).lower() if tag else ""
                if tag == "span" and i == len(compounds) - 1 and not named:
                    span_rules.append(sel)
                if not named & set(classes):
                    continue
                if ":not(" in sel:
                    return False
                if i == len(compounds) - 1 and tag in ("", "span"):
                    return False
                if i < len(compounds) - 1 and combinators[i].strip() in ("+", "~"):
                    return False
    from stilark import script_words

    words, prefixes = script_words([scripts])
    if any(c in words or c.startswith(prefixes) for c in classes):
        return False
    return not (span_rules and _spans_matched(classes, span_rules, pages))


def _spans_matched(classes: tuple[str, ...], selectors: list[str], pages: list[str]) -> bool:
    """True if one of *selectors* (rules for ``span`` elements) matches a span with *classes* in *pages*."""
    import soupsieve
    from bs4 import BeautifulSoup

    from stilark import Pruner

    pruner = Pruner([], [])
    neutral = []
    for sel in selectors:
        text = pruner.neutral(_strip_ws(tinycss2.parse_component_value_list(sel)))
        if text is None:
            return True
        neutral.append(soupsieve.compile(text))
    marker = f'<span class="{" ".join(classes)}">'
    for page in pages:
        if marker not in page:
            continue
        soup = BeautifulSoup(page, "html.parser")
        for el in soup.find_all("span", class_=classes[0]):
            if el.get("class") == list(classes) and any(s.match(el) for s in neutral):
                return True
    return False


def _strip_ws(tokens):
    tokens = list(tokens)
    while tokens and tokens[0].type == "whitespace":
        tokens.pop(0)
    while tokens and tokens[-1].type == "whitespace":
        tokens.pop()
    return tokens


def slim(html: str, plain: set[str], prose_spans: list[tuple[str, ...]]) -> str:
    """*html* without the markup described in the module docstring."""
    if plain:
        token = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(map(re.escape, sorted(plain))))

        def code(m):
            body = m.group(2)
            if body.startswith("<span></span>"):
                body = body[len("<span></span>"):]
            return m.group(1) + token.sub(r"\1", body) + m.group(3)

        html = CODE_BLOCK.sub(code, html)
    for classes in prose_spans:
        html = re.sub(r'<span class="%s">([^<]*)</span>' % re.escape(" ".join(classes)), r"\1", html)
    # white space between tags: one line break is as good as several (outside pre and the like)
    pieces = RAW.split(html)
    out = []
    for i, piece in enumerate(pieces):
        kind = i % 3  # 0: text between raw elements, 1: a raw element, 2: its tag name
        if kind == 0:
            out.append(GAP.sub(">\n<", piece))
        elif kind == 1:
            out.append(piece)
    return "".join(out)


def slim_site(outdir: Path) -> dict[str, int]:
    """Rewrite the pages of the site in *outdir*; return {page: bytes saved} for the pages changed."""
    pygments = (outdir / "_static" / "pygments.css").resolve()
    paths = [p for p in sorted(outdir.rglob("*.html")) if "_downloads" not in p.relative_to(outdir).parts]
    pages = [p.read_text(encoding="utf-8") for p in paths]
    scripts: dict[Path, str] = {}
    sheets: dict[Path, str] = {}  # the stylesheets some page links to
    for path, page in zip(paths, pages):
        for src in SCRIPT_SRC.findall(page):
            js = (path.parent / src.split("?")[0]).resolve()
            if js.is_file() and js.name not in ("searchindex.js", "search-texts.js"):
                scripts.setdefault(js, js.read_text(encoding="utf-8"))
        scripts.setdefault(path, " ".join(re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S)))
        for href in STYLESHEET.findall(page):
            css = (path.parent / href.split("?")[0]).resolve()
            if css.is_file():
                sheets.setdefault(css, css.read_text(encoding="utf-8"))
    others = "\n".join(css for p, css in sheets.items() if p != pygments)
    plain = plain_tokens(sheets[pygments], others) if pygments in sheets else set()
    all_css = "\n".join(sheets.values())
    js = " ".join(scripts.values())
    spans = [c for c in PROSE_SPANS if unselected(c, all_css, js, pages)]
    saved: dict[str, int] = {}
    for path, html in zip(paths, pages):
        new = slim(html, plain, spans)
        if new != html:
            path.write_text(new, encoding="utf-8")
            saved[path.relative_to(outdir).as_posix()] = len(html.encode()) - len(new.encode())
    return saved


def _slim_pages(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    from sphinx.util import logging

    saved = slim_site(Path(app.outdir))
    if saved:
        logging.getLogger(__name__).info(
            f"pages slimmed: {len(saved)} pages, {sum(saved.values()) // 1024} KB, at most "
            f"{max(saved.values()) // 1024} KB on one page")


def _style_inputs(confdir: Path) -> str:
    """Hash of the stylesheets and scripts the site ships from the sources: what :func:`slim` decides on."""
    digest = hashlib.sha256()
    for folder in ("_static", "_themes"):
        for path in sorted((confdir / folder).rglob("*")):
            if path.suffix in (".css", ".js") and path.is_file():
                digest.update(path.relative_to(confdir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _outdated_when_styles_change(app, env, added, changed, removed) -> list[str]:
    """Sphinx rewrites a page only when its source changed, but which spans a page may lose depends on
    the stylesheets and scripts: when those change, every page is written again, so no page keeps a
    slimming an older stylesheet allowed."""
    inputs = _style_inputs(Path(app.confdir))
    if getattr(env, "sidevekt_inputs", None) == inputs:
        return []
    env.sidevekt_inputs = inputs
    return sorted(env.found_docs)


def setup(app):
    app.connect("env-get-outdated", _outdated_when_styles_change)
    # after the pages and Furo's pygments.css are written, before nettside (900) and stilark (950)
    # prune the stylesheets against the pages
    app.connect("build-finished", _slim_pages, priority=850)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
