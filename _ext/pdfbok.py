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
"""

from __future__ import annotations

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


def _exercise_labels(app, doctree) -> None:
    """Label each exercise ``<doc>:<label>`` as well, the target of its solution's back-link."""
    if not _is_latex(app):
        return
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    docname = app.env.docname
    for node in list(doctree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node)))):
        label = node.get("label")
        if not label:
            continue
        raw = nodes.raw("", r"\phantomsection\label{\detokenize{%s:%s}}" % (docname, label), format="latex")
        node.parent.insert(node.parent.index(node), raw)


def _given_column_widths(app, doctree) -> None:
    """Tables with column widths from the book's own directives keep them in LaTeX."""
    if not _is_latex(app):
        return
    for table in doctree.findall(nodes.table):
        if "book-widths" not in table["classes"]:
            continue
        table["classes"].append("colwidths-given")  # Sphinx's LaTeX writer then uses them


def setup(app):
    # after sphinxcontrib-bibtex's (wrapped) env-updated handler, connected at builder-inited
    app.connect("env-updated", _citations_to_book_bibliography, priority=900)
    app.connect("doctree-read", _exercise_labels)
    app.connect("doctree-read", _given_column_widths)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
