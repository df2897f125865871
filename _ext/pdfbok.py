"""The PDF (LaTeX builder only): links that resolve, and nothing outside the text block.

* Citations link to the book-wide reference list. On the web each chapter has its own list and a
  citation links to the entry in its own page; in the PDF only the book-wide list
  (``backmatter/referanser``) is printed, so sphinxcontrib-bibtex is given only that list's
  citations to resolve against: every key then resolves to the entry LaTeX prints, by key.
* «Løsningsforslag til Oppgave X.Y» links back to the exercise: sphinx-exercise writes the link
  as ``\\hyperref[<doc>:<label>]`` but labels the exercise only ``exercise:<label>``; the
  exercise gets the ``<doc>:<label>`` label too.
* The tables the book computes (``_ext/laerebok.py``) give their column widths; LaTeX uses them
  (a chapter × outcome table otherwise gets 15 equal columns and the chapter titles overflow).
* Figures and tables are numbered per chapter («Figur 5.1»), as on the web and in the EPUB: each
  page starts with ``\\bookchapter{N}`` (N = the number its title starts with, 0 for pages
  outside the chapters, which count from 1 as on the web); see the preamble in ``conf.py``.
* The parts of ``_toc.yml`` (Del I–IV, Tillegg) get part pages, as the web's sidebar has them.
* A stikkordregister: the glossary's terms, with the page of the definition (bold) and of every
  place a chapter uses the term (``{term}`` links).
* The reference list keeps initials together («A.-L.», «H. M.»).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from docutils import nodes

#: the page whose reference list is the PDF's «Referanser»
BOOK_BIBLIOGRAPHY = "backmatter/referanser"


def _is_latex(app) -> bool:
    return app.builder is not None and app.builder.format == "latex"


def _citations_to_book_bibliography(app, env) -> list[str]:
    """After sphinxcontrib-bibtex has formatted the citations (``env-updated``): in the PDF keep
    only the book-wide list's entries, so each citation resolves to it by key."""
    if not _is_latex(app):
        return []
    dom = env.get_domain("cite")
    book = [c for c in dom.citations if c.bibliography_key.docname == BOOK_BIBLIOGRAPHY]
    if not book:
        raise RuntimeError(f"{BOOK_BIBLIOGRAPHY}: no book-wide reference list for the PDF")
    missing = sorted({c.key for c in dom.citations} - {c.key for c in book})
    if missing:  # a work listed in a chapter but not in the book's list would lose its link
        raise RuntimeError(f"{BOOK_BIBLIOGRAPHY} lacks {missing[:5]} (cited in chapter lists)")
    dom.data["citations"] = book
    return []


def _exercise_labels(app, doctree, docname) -> None:
    """Label each exercise ``<doc>:<label>`` as well, with its number («10.4»): the target of its
    solution's back-link and of ``{numref}`` links from other pages (``\\ref`` prints the number)."""
    if not _is_latex(app):
        return
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    registry = getattr(app.env, "sphinx_exercise_registry", {})
    for node in list(doctree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node)))):
        label = node.get("label")
        if not label or label not in registry:
            continue
        home = registry[label]["docname"]
        number = ""
        if isinstance(node, exercise_enumerable_node) and node["ids"]:
            found = app.env.toc_fignumbers.get(home, {}).get("exercise", {}).get(node["ids"][0])
            if not found:
                raise RuntimeError(f"{home}: exercise {label} has no number")
            number = ".".join(map(str, found))
        raw = nodes.raw("", "\\booklabel{%s}{%s:%s}" % (number, home, label), format="latex")
        node.parent.insert(node.parent.index(node), raw)


def _given_column_widths(app, doctree) -> None:
    """Tables with column widths from the book's own directives keep them in LaTeX."""
    if not _is_latex(app):
        return
    for table in doctree.findall(nodes.table):
        if "book-widths" not in table["classes"]:
            continue
        table["classes"].append("colwidths-given")  # Sphinx's LaTeX writer then uses them


def _top_section(doctree) -> nodes.section | None:
    return next((n for n in doctree.children if isinstance(n, nodes.section)), None)


def _chapter_counters(app, doctree) -> None:
    """``\\bookchapter{N}`` right after each page's title: the chapter its figures and tables
    are numbered in (the web's numbering, ``norsk._numbers_per_chapter``)."""
    if not _is_latex(app):
        return
    section = _top_section(doctree)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    match = re.match(r"(\d+)\s", section[0].astext())
    section.insert(1, nodes.raw("", "\\bookchapter{%d}\n" % (int(match.group(1)) if match else 0),
                                format="latex"))


def _parts(app) -> dict[str, str]:
    """First page of each part after the first → the part's caption (from ``_toc.yml``)."""
    toc = yaml.safe_load((Path(app.srcdir) / app.config.external_toc_path).read_text(encoding="utf-8"))
    return {part["chapters"][0]["file"]: part["caption"] for part in toc.get("parts", [])[1:]}


def _part_pages(app, doctree) -> None:
    if not _is_latex(app):
        return
    caption = _parts(app).get(app.env.docname)
    if caption:
        doctree.insert(0, nodes.raw("", "\\bookpart{%s}\n" % caption, format="latex"))


def _glossary_index(app, doctree, docname) -> None:
    """Index each use of a glossary term (a resolved ``{term}`` link) under the term, as the
    glossary's own entry (Sphinx indexes the definition, in bold)."""
    if not _is_latex(app):
        return
    from sphinx import addnodes

    terms = {tid: term.astext() for term in doctree.findall(nodes.term) for tid in term["ids"]}
    for ref in list(doctree.findall(nodes.reference)):
        target = ref.get("refuri", "").rpartition("#")[2] or ref.get("refid", "")
        if target not in terms or any(isinstance(a, (nodes.title, nodes.caption, nodes.term))
                                      for a in _ancestors(ref)):
            continue
        term = terms[target]
        if PLAIN_TERM.match(term):
            # as the glossary's own entry reaches the .idx file (its hyphens as «\\sphinxhyphen {}»):
            # the same key, so xindy lists definition and uses on one line
            key = term.replace("-", r"\sphinxhyphen {}")
            entry = nodes.raw("", r"\index{%s@\spxentry{%s}}" % (key, key), format="latex")
        else:
            entry = addnodes.index(entries=[("single", term, "", "", None)], inline=True)
        ref.parent.insert(ref.parent.index(ref) + 1, entry)


#: a term that needs no LaTeX escaping
PLAIN_TERM = re.compile(r"^[\w\s()'.,\u2013-]+$")


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


#: a run of initials: «A.-L.», «H. M.», «J.-P. K.»
INITIALS = re.compile(r"[A-ZÆØÅ]\.(?:[ -][A-ZÆØÅ]\.)+")


def _initials_together(app, doctree, docname) -> None:
    """In the reference list, a run of initials is never broken across lines."""
    if not _is_latex(app):
        return
    for citation in doctree.findall(nodes.citation):
        for text in list(citation.findall(nodes.Text)):
            value = str(text)
            if not INITIALS.search(value):
                continue
            parts, last = [], 0
            for m in INITIALS.finditer(value):
                parts += [nodes.Text(value[last:m.start()]),
                          nodes.raw("", "\\mbox{%s}" % m.group(0), format="latex")]
                last = m.end()
            parts.append(nodes.Text(value[last:]))
            parent = text.parent
            i = parent.index(text)
            parent[i:i + 1] = [p for p in parts if not (isinstance(p, nodes.Text) and not str(p))]


def setup(app):
    # after sphinxcontrib-bibtex's (wrapped) env-updated handler, connected at builder-inited
    app.connect("env-updated", _citations_to_book_bibliography, priority=900)
    app.connect("doctree-resolved", _exercise_labels)
    app.connect("doctree-read", _given_column_widths)
    app.connect("doctree-read", _chapter_counters)
    app.connect("doctree-read", _part_pages)
    app.connect("doctree-resolved", _glossary_index)
    app.connect("doctree-resolved", _initials_together)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
