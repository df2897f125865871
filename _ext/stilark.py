"""Local Sphinx extension: the web site's stylesheets hold only the rules its pages can use.

Every page loads Furo's stylesheet (50 KB), its extensions' (5 KB) and the book's own; most of
Furo's rules are for things the book never has (API signatures, version notes, sphinx-design,
announcement banners …). After the HTML build (``build-finished``) each stylesheet in
``STYLESHEETS`` is rewritten with only

* the rules with a selector that can match an element of some built page — tested with soupsieve
  on every page of the site after *neutralising* what the HTML alone cannot tell: pseudo-classes
  and pseudo-elements (``:hover``, ``::before``, ``:not(…)``, ``:target``), attribute selectors
  (``[data-theme=dark]``, ``[aria-expanded]``) and every class, id or tag name that a script of
  the site may add (``scrolled``, ``show-back-to-top``, ``highlighted``, the search page's
  ``search``/``context``/``kind-…``, ``is-wide``: every word in a string of the site's
  JavaScript counts, see ``script_words``), so states a script or the reader creates keep their
  rules;
* every at-rule that is not a container (``@font-face``, ``@keyframes``, ``@import``, ``@page``)
  and the containers (``@media``, ``@supports``, ``@layer``, ``@container``) with their used rules;
* comments are dropped (the source maps are not shipped).

Nothing a page shows changes: a rule that is dropped matches no element of any page in any state
the scripts create. The HTML builder recopies the theme's files on every build, so an incremental
build prunes the fresh copies against all pages again. Web (``html`` builder) only.
"""

from __future__ import annotations

import re
from pathlib import Path

import soupsieve
import tinycss2
from bs4 import BeautifulSoup

#: the stylesheets pruned, relative to the output folder (pygments.css is pruned by nettside;
#: sphinx-exercise's 1 KB exercise.css is not: it copies it without overwriting, so a pruned copy
#: from the last build would fail the next one)
STYLESHEETS = ("_static/styles/furo.css", "_static/styles/furo-extensions.css",
               "_static/cells.css", "_static/book.css")
CONTAINERS = {"media", "supports", "layer", "container", "document"}
WORD = re.compile(r"-?[A-Za-z_][\w-]*")
JS_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`", re.S)
SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc=\"([^\"]+)\"")
#: scripts that hold the site's text, not code: their words are not class names
DATA_SCRIPTS = {"searchindex.js", "search-texts.js"}
SIMPLE = re.compile(r"([.#]?)((?:[A-Za-z_-]|\\.)(?:[\w-]|\\.)*)")
VENDOR = re.compile(r":-(?:webkit|moz|ms|o)-")
TEMPLATE_PREFIX = re.compile(r"([A-Za-z_][\w-]*-)\$\{")


def script_words(scripts: list[str]) -> tuple[set[str], tuple[str, ...]]:
    """Words in the string literals of *scripts* (class names, ids and tags a script may set) and
    the prefixes of template strings (``kind-${kind}`` gives ``kind-``)."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for js in scripts:
        for m in JS_STRING.finditer(js):
            text = next(g for g in m.groups() if g is not None)
            words.update(WORD.findall(text))
            prefixes.update(TEMPLATE_PREFIX.findall(text))
    return words, tuple(sorted(prefixes))


class Pruner:
    """Decides, selector by selector, whether a rule can apply to some page."""

    def __init__(self, pages: list[str], scripts: list[str]):
        self.soups = [BeautifulSoup(p, "html.parser") for p in pages]
        self.words, self.prefixes = script_words(scripts + [s.string or "" for soup in self.soups
                                                            for s in soup.find_all("script")])
        self.cache: dict[str, bool] = {}
        # what the pages have, for a quick «no» before soupsieve walks every page
        self.tags, self.classes, self.ids = set(), set(), set()
        for soup in self.soups:
            for el in soup.find_all(True):
                self.tags.add(el.name)
                self.classes.update(el.get("class") or ())
                if el.get("id"):
                    self.ids.add(el["id"])

    def dynamic(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)

    def neutral(self, tokens) -> str | None:
        """The selector in *tokens* with what scripts and states may change taken out (``*`` where a
        compound is left empty); None if it cannot be read (then the rule is kept)."""
        out: list[str] = []
        compound: list[str] = []
        started = False  # the current compound has a simple selector, kept or neutralised

        def close():
            nonlocal started
            if started:
                out.append("".join(compound) or "*")
            compound.clear()
            started = False

        i, n = 0, len(tokens)
        while i < n:
            t = tokens[i]
            if t.type == "whitespace":
                if started:
                    close()
                    out.append(" ")
            elif t.type == "literal" and t.value in (">", "+", "~"):
                close()
                if out and out[-1] == " ":
                    out.pop()
                out.append(f" {t.value} ")
            elif t.type == "literal" and t.value == ":":
                i += 1
                if i < n and tokens[i].type == "literal" and tokens[i].value == ":":
                    i += 1  # ::pseudo-element
                if i >= n or tokens[i].type not in ("ident", "function"):
                    return None
                started = True
            elif t.type == "literal" and t.value == ".":
                i += 1
                if i >= n or tokens[i].type != "ident":
                    return None
                if not self.dynamic(tokens[i].value):
                    compound.append("." + tinycss2.serialize([tokens[i]]))
                started = True
            elif t.type == "hash":
                if not self.dynamic(t.value):
                    compound.append(tinycss2.serialize([t]))
                started = True
            elif t.type == "ident":
                if not self.dynamic(t.value.lower()):
                    compound.append(t.value)
                started = True
            elif t.type == "literal" and t.value == "*":
                compound.append("*")
                started = True
            elif t.type == "[] block":
                started = True  # attribute selectors: set by scripts and the reader (data-theme, aria-expanded, open)
            else:
                return None
            i += 1
        close()
        while out and out[-1].strip() == "":
            out.pop()
        text = "".join(out).strip()
        if not text or text.endswith(("+", "~", ">")):
            return None
        return text

    def used(self, tokens) -> bool:
        sel = self.neutral(tokens)
        if sel is None or "tbody" in sel:  # unreadable, or an element the parser does not insert
            return True
        if sel not in self.cache and not self._possible(sel):
            self.cache[sel] = False
        if sel not in self.cache:
            try:
                compiled = soupsieve.compile(sel)
            except Exception:  # soupsieve cannot read it: keep the rule
                self.cache[sel] = True
            else:
                self.cache[sel] = any(compiled.select_one(soup) is not None for soup in self.soups)
        return self.cache[sel]

    def _possible(self, sel: str) -> bool:
        """False if *sel* names a class, id or element that no page has."""
        for kind, name in SIMPLE.findall(sel):
            name = name.replace("\\", "")
            if (kind == "." and name not in self.classes) or (kind == "#" and name not in self.ids) \
                    or (kind == "" and name.lower() not in self.tags):
                return False
        return True

    def used_prelude(self, rule) -> str | None:
        """The rule's selector list without the selectors no page can match; None if none can.

        A list with a vendor-prefixed pseudo-class (``::-moz-focus-inner``) is kept whole or
        dropped whole: a browser that does not know the prefix ignores the whole rule, and taking
        the prefixed selector out would make the rest apply there."""
        selectors: list[list] = [[]]
        for t in rule.prelude:
            if t.type == "literal" and t.value == ",":
                selectors.append([])
            elif t.type != "comment":
                selectors[-1].append(t)
        selectors = [_strip(s) for s in selectors]
        used = [self.used(s) for s in selectors]
        if not any(used):
            return None
        prelude = tinycss2.serialize([t for t in rule.prelude if t.type != "comment"]).strip()
        if all(used) or VENDOR.search(prelude):
            return prelude
        return ",".join(tinycss2.serialize(s) for s, u in zip(selectors, used) if u)

    def prune(self, css: str) -> str:
        rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        return "\n".join(self._rules(rules)) + "\n"

    def _rules(self, rules) -> list[str]:
        kept: list[str] = []
        for rule in rules:
            if rule.type == "qualified-rule":
                prelude = self.used_prelude(rule)
                if prelude is not None:
                    kept.append(f"{prelude}{{{_compact(rule.content)}}}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in CONTAINERS and rule.content is not None:
                inner = self._rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                if inner:
                    prelude = tinycss2.serialize(rule.prelude).strip()
                    kept.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                kept.append(_without_comments(rule))
            # parse errors are dropped: a browser ignores them too
        return kept


def _strip(tokens) -> list:
    while tokens and tokens[0].type == "whitespace":
        tokens = tokens[1:]
    while tokens and tokens[-1].type == "whitespace":
        tokens = tokens[:-1]
    return tokens


def _compact(tokens) -> str:
    """A declaration block without comments and with runs of white space as one space."""
    out = []
    for t in tokens:
        if t.type == "comment":
            continue
        if t.type == "whitespace":
            if out and out[-1] not in (" ", ";", ":", ","):
                out.append(" ")
            continue
        text = tinycss2.serialize([t])
        if text in (";", ":", ",") and out and out[-1] == " ":
            out.pop()
        out.append(text)
    return "".join(out).strip()


VAR = re.compile(r"var\(\s*(--[\w-]+)")


def drop_unused_properties(sheets: dict[str, str], also_used: str = "") -> dict[str, str]:
    """*sheets* without the custom properties (``--name: …``) nothing reads.

    A property is read when a declaration that is not itself a custom property uses it
    (``var(--name)``), when a property that is read uses it, or when *also_used* (the pages'
    inline styles, the scripts) names it. Furo defines some 300 of them, among them icons as
    data URIs for kinds of admonitions the book does not have."""
    defs: dict[str, set[str]] = {}
    roots: set[str] = set(re.findall(r"--[\w-]+", also_used))
    parsed = {}

    def visit(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                decls = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                for d in decls:
                    if d.type != "declaration":
                        continue
                    used = set(VAR.findall(tinycss2.serialize(d.value)))
                    if d.name.startswith("--"):
                        defs.setdefault(d.name, set()).update(used)
                    else:
                        roots.update(used)
            elif rule.type == "at-rule" and rule.content is not None:
                if rule.lower_at_keyword in CONTAINERS:
                    visit(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                else:
                    roots.update(VAR.findall(tinycss2.serialize(rule.content)))

    for name, css in sheets.items():
        parsed[name] = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        visit(parsed[name])
    read, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in read:
            read.add(name)
            todo.extend(defs.get(name, ()))

    def rewrite(rules) -> list[str]:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                decls = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                if any(d.type == "declaration" and d.name.startswith("--") and d.name not in read for d in decls):
                    kept = [f"{d.name}:{_compact(d.value)}{'!important' if d.important else ''}" for d in decls
                            if d.type == "declaration" and (not d.name.startswith("--") or d.name in read)]
                    if any(d.type != "declaration" for d in decls):  # nested rules or errors: leave it be
                        out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{_compact(rule.content)}}}")
                    elif kept:
                        out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{';'.join(kept)}}}")
                else:
                    out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{_compact(rule.content)}}}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in CONTAINERS and rule.content is not None:
                inner = rewrite(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                if inner:
                    out.append(f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                out.append(rule.serialize())
        return out

    return {name: "\n".join(rewrite(rules)) + "\n" for name, rules in parsed.items()}


def _without_comments(node) -> str:
    return re.sub(r"/\*.*?\*/", "", node.serialize(), flags=re.S) if "/*" in node.serialize() else node.serialize()


def prune_site(outdir: Path) -> dict[str, tuple[int, int]]:
    """Prune the stylesheets of the site in *outdir*; return {stylesheet: (bytes before, after)}."""
    paths = [p for p in sorted(outdir.rglob("*.html")) if "_downloads" not in p.relative_to(outdir).parts]
    pages = [p.read_text(encoding="utf-8") for p in paths]
    scripts: dict[Path, str] = {}
    for path, page in zip(paths, pages):
        for src in SCRIPT_SRC.findall(page):
            js = (path.parent / src.split("?")[0]).resolve()
            if js.name not in DATA_SCRIPTS and js.is_file() and js not in scripts:
                scripts[js] = js.read_text(encoding="utf-8")
    pruner = Pruner(pages, list(scripts.values()))
    before, pruned = {}, {}
    for name in STYLESHEETS:
        path = outdir / name
        if path.is_file():
            before[name] = path.read_text(encoding="utf-8")
            pruned[name] = pruner.prune(before[name])
    # custom properties the pages (inline styles, <style>), scripts or other stylesheets may read
    others = [p.read_text(encoding="utf-8") for p in sorted((outdir / "_static").rglob("*.css"))
              if p.relative_to(outdir).as_posix() not in before]
    inline = " ".join([*pages, *scripts.values(), *others])
    pruned = drop_unused_properties(pruned, inline)
    for name, css in pruned.items():
        (outdir / name).write_text(css, encoding="utf-8")
    return {name: (len(before[name].encode()), len(pruned[name].encode())) for name in pruned}


def _prune_stylesheets(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    from sphinx.util import logging

    sizes = prune_site(Path(app.outdir))
    logging.getLogger(__name__).info("stylesheets pruned: " + ", ".join(
        f"{Path(name).name} {before // 1024} → {after // 1024} KB" for name, (before, after) in sizes.items()))


def setup(app):
    app.connect("build-finished", _prune_stylesheets, priority=950)  # after the pages and static files are written
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
