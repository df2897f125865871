"""The site's stylesheets are pruned to the rules its pages can use (_ext/stilark.py): the pruning
itself on small pages, and on the built site that no rule for a state a script creates is lost."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tinycss2

from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import stilark  # noqa: E402

PAGE = """<!DOCTYPE html><html><head><style>.x{color:var(--from-page)}</style></head>
<body data-theme="auto"><div class="sidebar-drawer"><a class="reference internal" href="#a">A</a></div>
<main><h1 id="a">A<a class="headerlink" href="#a">#</a></h1><p>Text</p>
<table><tbody><tr><td>1</td></tr></tbody></table></main>
<script>document.body.classList.add("scrolled"); el.className = "search-result kind-" + k;</script>
</body></html>"""


def prune(css: str, scripts: tuple[str, ...] = ()) -> str:
    return stilark.Pruner([PAGE], list(scripts)).prune(css)


def selectors(css: str) -> set[str]:
    """Every selector of every rule (inside @media and the like too), as written."""
    found: set[str] = set()

    def visit(rules):
        for rule in rules:
            if rule.type == "qualified-rule":
                found.update(s.strip() for s in tinycss2.serialize(rule.prelude).split(","))
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in stilark.CONTAINERS:
                visit(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))

    visit(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def test_rules_for_what_no_page_has_are_dropped():
    css = ".sig-name{color:red}.admonition.seealso p{margin:0}#no-such-id{x:y}article dl.field-list{a:b}p{margin:1em}"
    assert selectors(prune(css)) == {"p"}


def test_states_the_reader_and_scripts_create_are_kept():
    css = ("h1:hover>.headerlink{visibility:visible}:target>h1{background:yellow}"
           "body[data-theme=dark] p{color:white}body.scrolled .sidebar-drawer{top:0}"
           ".sidebar-drawer .reference:focus-visible{outline:1px solid}p::selection{color:red}"
           "a:not(.external){text-decoration:none}main>:first-child{margin-top:0}"
           "@media (max-width:40em){.sidebar-drawer{display:none}.sig{x:y}}"
           ".highlighted{background:yellow}.kind-title{font-weight:bold}")
    scripts = ('x.classList.add("highlighted"); y.classList.add(`kind-${kind}`)',)
    kept = selectors(prune(css, scripts))
    assert kept == {"h1:hover>.headerlink", ":target>h1", "body[data-theme=dark] p", "body.scrolled .sidebar-drawer",
                    ".sidebar-drawer .reference:focus-visible", "p::selection", "a:not(.external)",
                    "main>:first-child", ".sidebar-drawer", ".highlighted", ".kind-title"}


def test_selector_lists_lose_only_the_selectors_nothing_matches():
    out = prune("h1,.sig-name,p{margin:0}")
    assert selectors(out) == {"h1", "p"}
    # a list with a vendor pseudo-class stays whole: taking the prefix out would change where it applies
    vendor = "p::-moz-selection,.nothing::-moz-selection{color:red}"
    assert selectors(prune(vendor)) == {"p::-moz-selection", ".nothing::-moz-selection"}


def test_at_rules_that_are_not_containers_are_kept():
    css = ("@font-face{font-family:X;src:url(x.woff2)}@keyframes spin{to{transform:rotate(1turn)}}"
           "@media print{.sig{x:y}}@supports (display:grid){p{display:grid}}")
    out = prune(css)
    assert "@font-face" in out and "@keyframes spin" in out and "@supports" in out
    assert "@media print" not in out  # left empty


def test_unused_custom_properties_are_dropped_and_the_used_ones_kept_with_what_they_read():
    sheets = {"a.css": "body{--used:var(--base);--base:1px;--unused:2px;--page:3px;--from-page:red}"
                       "p{margin:var(--used)}",
              "b.css": "@media (prefers-color-scheme:dark){body{--unused:4px;--base:5px}}"}
    out = stilark.drop_unused_properties(sheets, PAGE)
    assert out["a.css"].startswith("body{--used:var(--base);--base:1px;--from-page:red}")
    assert "--unused" not in out["a.css"] + out["b.css"] and "--base:5px" in out["b.css"]


# ---- the built site ----

JS_CLASS = re.compile(r"""classList\.(?:add|toggle|remove|replace)\(\s*["'`]([\w-]+)|(?:nav|content|nested)Class:\s*["']([\w-]+)""")


def original(name: str) -> str:
    import furo

    furo_static = Path(furo.__file__).parent / "theme" / "furo" / "static"
    return {
        "_static/styles/furo.css": furo_static / "styles" / "furo.css",
        "_static/styles/furo-extensions.css": furo_static / "styles" / "furo-extensions.css",
        "_static/cells.css": ROOT / "_static" / "cells.css",
        "_static/book.css": ROOT / "_static" / "book.css",
    }[name].read_text(encoding="utf-8")


def test_every_class_a_script_sets_keeps_its_rules(build):
    """The classes the site's scripts add, toggle or remove (Furo's «scrolled», «show-back-to-top», the
    table of contents' «scroll-current», the search page's, the book's «is-wide» …): every rule that
    names one of them is in the shipped stylesheet as in the original."""
    scripts = [p.read_text(encoding="utf-8") for p in (build.html / "_static").rglob("*.js")
               if p.name not in stilark.DATA_SCRIPTS]
    toggled = {a or b for js in scripts for a, b in JS_CLASS.findall(js)}
    assert {"scrolled", "show-back-to-top", "scroll-current", "is-wide", "highlighted"} <= toggled
    lost = {}
    for name in stilark.STYLESHEETS:
        shipped = selectors((build.html / name).read_text(encoding="utf-8"))
        for sel in selectors(original(name)):
            hits = [c for c in toggled if re.search(rf"\.{re.escape(c)}(?![\w-])", sel)]
            if hits and sel not in shipped:
                lost.setdefault(name, []).append(sel)
    assert not lost, lost


def test_shipped_stylesheets_are_pruned(build):
    furo = (build.html / "_static/styles/furo.css").read_text(encoding="utf-8")
    assert len(furo.encode()) < 0.75 * len(original("_static/styles/furo.css").encode())
    assert ".sig-name" not in furo and "sourceMappingURL" not in furo


def test_every_page_is_written_again_when_a_stylesheet_changes(tmp_path):
    """sidevekt unwraps spans no stylesheet or script selects; a page Sphinx does not rewrite keeps the
    result of an older stylesheet, so a change to any shipped CSS or JS must make every page outdated."""
    import types

    import sidevekt

    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "book.css").write_text(".a{color:red}", encoding="utf-8")
    app = types.SimpleNamespace(confdir=str(tmp_path))
    env = types.SimpleNamespace(found_docs={"chapters/b", "chapters/a"})
    assert sidevekt._outdated_when_styles_change(app, env, set(), set(), set()) == ["chapters/a", "chapters/b"]
    assert sidevekt._outdated_when_styles_change(app, env, set(), set(), set()) == []
    (tmp_path / "_static" / "book.css").write_text(".a{color:red}.std-ref{color:blue}", encoding="utf-8")
    assert sidevekt._outdated_when_styles_change(app, env, set(), set(), set()) == ["chapters/a", "chapters/b"]
    (tmp_path / "_static" / "notes.txt").write_text("not shipped as CSS or JS", encoding="utf-8")
    assert sidevekt._outdated_when_styles_change(app, env, set(), set(), set()) == []
