"""Local Sphinx extension: the pages for lecturers and students that are computed, not typed.

* ``{datapakke}`` — the «Om dataene» appendix, made from ``data/datapackage.json`` at build time:
  each dataset with what it shows, its sources (linked), licence, retrieval date, caveats and the
  chapters that use it (found in the chapter sources, ``data.load("…")``);
* ``{rethos-tabell}`` — chapters × RETHOS learning outcomes, from ``backmatter/rethos.yml``;
* ``{lesetid-tabell}`` — each chapter's length and estimated reading time;
* reading time for the top of every chapter page (``book_reading_time`` in the page context);
* «Brukt i» under every glossary term (web, PDF and EPUB): the chapters whose sources link it;
* reading time and last update under each chapter title in the PDF and the EPUB.

Everything a reader sees here is Norwegian; a dataset without a Norwegian description
(``beskrivelse``) or caveats (``forbehold``) fails the build with a message naming it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 180  # unhurried reading of an academic text in one's first language
LOAD = re.compile(r'data\.load\(\s*"([a-z0-9_]+)"')
TERM = re.compile(r"\{term\}`([^`]+)`")


# ---------------------------------------------------------------- helpers


def chapter_docs() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [c["file"] for part in toc.get("parts", []) for c in part["chapters"] if c["file"].startswith("chapters/")]


def chapter_title(docname: str) -> str:
    text = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    if match is None:
        raise ExtensionError(f"{docname}.md has no level-one title")
    return match.group(1).strip()


def prose_words(docname: str) -> int:
    """Words of reader-visible prose (no code, directives' options, English abstract)."""
    text = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text[text.index("\n---", 3) + 4:]
    text = re.sub(r"(?ms)^```.*?^```", " ", text)
    text = re.sub(r"(?ms)^## Abstract.*?(?=^## )", " ", text)
    text = re.sub(r"(?m)^:[\w-]+:.*$|^:{3,}.*$|^\(.+\)=$", " ", text)
    text = re.sub(r"\{term\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", " ", text)
    return len(re.findall(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä][\wÆØÅæøåÉéÜüÖöÄä'’-]*", text))


def reading_minutes(words: int) -> int:
    return max(5, int(round(words / WORDS_PER_MINUTE / 5.0)) * 5)


def datasets_used_by() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for doc in chapter_docs():
        for name in LOAD.findall((ROOT / f"{doc}.md").read_text(encoding="utf-8")):
            used.setdefault(name, [])
            if doc not in used[name]:
                used[name].append(doc)
    return used


def glossary_use() -> dict[str, list[str]]:
    """Glossary term (lower case) → chapters whose sources link it."""
    use: dict[str, list[str]] = {}
    for doc in chapter_docs():
        for role in TERM.findall((ROOT / f"{doc}.md").read_text(encoding="utf-8")):
            target = re.search(r"<([^>]+)>\s*$", role)
            term = (target.group(1) if target else role).strip().lower()
            use.setdefault(term, [])
            if doc not in use[term]:
                use[term].append(doc)
    return use


def entry_use(headwords: list[str], use: dict[str, list[str]]) -> list[str]:
    """Chapters that link any headword of one glossary entry («egenregi» and «insourcing» share a
    definition; a chapter may link either), in book order, each once."""
    found = {doc for word in headwords for doc in use.get(word.strip().lower(), [])}
    return [doc for doc in chapter_docs() if doc in found]


def _book_fmt():
    """``book/fmt.py`` on its own: importing the ``book`` package loads pandas and matplotlib
    (about a second), which a page that only formats word counts should not wait for."""
    import importlib.util
    import sys

    if "book.fmt" in sys.modules:
        return sys.modules["book.fmt"]
    spec = importlib.util.spec_from_file_location("_book_fmt", ROOT / "book" / "fmt.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _para(*parts) -> nodes.paragraph:
    p = nodes.paragraph()
    for part in parts:
        p += part if isinstance(part, nodes.Node) else nodes.Text(part)
    return p


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url)


def _doc_link(env, fromdoc: str, docname: str, text: str) -> nodes.Node:
    from sphinx.addnodes import pending_xref

    ref = pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True,
                       refdoc=fromdoc, refwarn=True)
    ref += nodes.inline(text, text)
    return ref


def _table(headers: list[str], rows: list[list[nodes.Node | str]], widths: list[int] | None = None) -> nodes.table:
    table = nodes.table(classes=["book-widths"])  # the PDF keeps the widths (_ext/pdfbok.py)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for w in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=w)
    head = nodes.thead()
    row = nodes.row()
    for h in headers:
        entry = nodes.entry()
        entry += _para(h)
        row += entry
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.paragraph) else _para(cell)
            row += entry
        body += row
    group += body
    return table


# ---------------------------------------------------------------- directives


class Datapakke(Directive):
    """The «Om dataene» appendix from data/datapackage.json."""

    def run(self):
        env = self.state.document.settings.env
        package = ROOT / "data" / "datapackage.json"
        env.note_dependency(str(package))
        for doc in chapter_docs():
            env.note_dependency(str(ROOT / f"{doc}.md"))
        resources = json.loads(package.read_text(encoding="utf-8"))["resources"]
        used = datasets_used_by()
        out = []
        for res in resources:
            name = res["name"]
            for key in ("title", "beskrivelse", "forbehold", "sources", "licenses", "retrieved"):
                if not res.get(key):
                    raise ExtensionError(f"data/datapackage.json: resource {name!r} has no {key!r} (needed for «Om dataene»)")
            if name not in used:
                raise ExtensionError(f"data/datapackage.json: resource {name!r} is used by no chapter")
            section = nodes.section(ids=[f"data-{name.replace('_', '-')}"])
            section += nodes.title(text=res["title"])
            section += _para(res["beskrivelse"])
            items = nodes.bullet_list()

            def item(*parts):
                li = nodes.list_item()
                li += _para(*parts)
                items.append(li)

            rows = sum(1 for _ in (ROOT / "data" / res["path"]).open(encoding="utf-8")) - 1
            item(nodes.strong(text="Fil: "), nodes.literal(text=f"data/{res['path']}"), f" ({rows} rader)")
            src = [nodes.strong(text="Kilde: ")]
            for i, s in enumerate(res["sources"]):
                if i:
                    src.append("; ")
                path = s.get("path", "")
                src.append(_link(s["title"], path) if path.startswith("http") else s["title"])
            item(*src)
            lic = res["licenses"][0]
            item(nodes.strong(text="Lisens: "), _link(lic.get("title", lic["name"]), lic["path"]))
            item(nodes.strong(text="Hentet: "), res["retrieved"])
            chapters = [nodes.strong(text="Brukes i: ")]
            for i, doc in enumerate(used[name]):
                if i:
                    chapters.append(", ")
                chapters.append(_doc_link(env, env.docname, doc, chapter_title(doc)))
            item(*chapters)
            section += items
            section += _para(nodes.strong(text="Forbehold:"))
            caveats = nodes.bullet_list()
            for c in res["forbehold"]:
                li = nodes.list_item()
                li += _para(c)
                caveats += li
            section += caveats
            out.append(section)
        return out


class RethosTabell(Directive):
    """Chapters × RETHOS outcomes (✓ = the chapter serves the outcome)."""

    def run(self):
        env = self.state.document.settings.env
        spec_path = ROOT / "backmatter" / "rethos.yml"
        env.note_dependency(str(spec_path))
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
        ids = list(spec["outcomes"])
        rows = []
        for doc in chapter_docs():
            claimed = spec["chapters"].get(doc)
            if not claimed:
                raise ExtensionError(f"backmatter/rethos.yml: {doc} serves no outcome")
            unknown = set(claimed) - set(ids)
            if unknown:
                raise ExtensionError(f"backmatter/rethos.yml: {doc} claims unknown outcome(s) {sorted(unknown)}")
            rows.append([_para(_doc_link(env, env.docname, doc, chapter_title(doc)))]
                        + [("✓" if o in claimed else "–") for o in ids])
        headers = ["Kapittel"] + [f"{i + 1}" for i in range(len(ids))]
        legend = nodes.enumerated_list()
        for o in ids:
            li = nodes.list_item()
            out = spec["outcomes"][o]
            li += _para(f"«{out['text']}» ({out['paragraph']}, {out['kind']}; {out['area']})")
            legend += li
        return [_para("Læringsutbyttene (nummereringen brukes i tabellen):"), legend,
                _table(headers, rows, [6] + [1] * len(ids))]


class LesetidTabell(Directive):
    """Each chapter's length in words and estimated reading time."""

    def run(self):
        env = self.state.document.settings.env
        rows = []
        fmt = _book_fmt()  # the book's own Norwegian number formatting

        for doc in chapter_docs():
            env.note_dependency(str(ROOT / f"{doc}.md"))
            words = prose_words(doc)
            rows.append([_para(_doc_link(env, env.docname, doc, chapter_title(doc))), fmt.number(words),
                         f"ca. {reading_minutes(words)} min"])
        return [_table(["Kapittel", "Ord", "Lesetid"], rows, [6, 2, 2])]


# ---------------------------------------------------------------- page context and glossary


def _reading_time(app, pagename, templatename, context, doctree):
    if pagename.startswith("chapters/") and app.builder.name == "html":
        context["book_reading_time"] = f"ca. {reading_minutes(prose_words(pagename))} minutter"


def _meta_in_pdf_and_epub(app, doctree) -> None:
    """PDF and EPUB: reading time and last update under the chapter title (the web page has it in
    its template). These builds always read the sources afresh, so the date is current."""
    if app.builder is None or app.builder.name not in ("latex", "epub"):
        return
    docname = app.env.docname
    if not docname.startswith("chapters/"):
        return
    from norsk import _last_commit_date, _norwegian_date

    date = _last_commit_date(ROOT / f"{docname}.md")
    text = f"Lesetid ca. {reading_minutes(prose_words(docname))} minutter"
    if date:
        text += f" · Sist oppdatert {_norwegian_date(date)}"
    section = next(doctree.findall(nodes.section))
    section.insert(1, nodes.paragraph(text=text, classes=["chapter-meta"]))


def _glossary_backlinks_everywhere(app, doctree) -> None:
    """«Brukt i: …» under every glossary definition, with links to the chapters (all formats)."""
    if app.env.docname != "backmatter/begrepsliste":
        return
    from sphinx import addnodes

    for doc in chapter_docs():  # re-read the glossary when a chapter changes
        app.env.note_dependency(str(ROOT / f"{doc}.md"))
    use = glossary_use()
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            terms = [t for t in item.children if isinstance(t, nodes.term)]
            definition = next((d for d in item.children if isinstance(d, nodes.definition)), None)
            if not terms or definition is None:
                continue
            docs = entry_use([t.astext() for t in terms], use)
            if not docs:
                continue
            p = nodes.paragraph(classes=["term-used"])
            p += nodes.Text("Brukt i: ")
            for i, doc in enumerate(docs):
                if i:
                    p += nodes.Text(", ")
                p += _doc_link(app.env, app.env.docname, doc, chapter_title(doc))
            definition += p


def setup(app):
    app.add_directive("datapakke", Datapakke)
    app.add_directive("rethos-tabell", RethosTabell)
    app.add_directive("lesetid-tabell", LesetidTabell)
    app.connect("html-page-context", _reading_time)
    app.connect("doctree-read", _glossary_backlinks_everywhere)
    app.connect("doctree-read", _meta_in_pdf_and_epub)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
