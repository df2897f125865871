"""The chapters as notebooks a student can open anywhere (Jupyter, JupyterLab, Colab, a JupyterHub).

After an html build, every chapter is written to ``_downloads/kapitler/<stem>.ipynb`` as the
executed notebook, made readable outside the book's Sphinx toolchain:

* a **setup cell** comes first: if the book's analysis package (``book``) is missing, it installs
  the wheel from a file next to the notebook (or one folder up), or else from the book's published
  address (``published_url`` in ``_config.yml``); if ``book`` is installed, it does nothing;
* MyST syntax that Jupyter does not render is turned into plain Markdown: glued numbers become the
  values the book printed, glossary terms and cross-references their text, citations
  author–year, admonitions block quotes, exercises «Oppgave N.M», solutions ``<details>``, and the
  chapter's bibliography a reference list in the book's APA style;
* the outputs are the book's own (figures, tables), without the PDF copies of the figures.

The chapter's MyST source is copied next to it as ``<stem>.md``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import quiz  # «Sjekk deg selv» as Markdown

SETUP_MARKDOWN = (
    "**Før du begynner:** Kjør cellen under først. Den gjør klar bokas analysepakke (`book`) og "
    "gjør ingenting hvis pakken allerede er installert. Tallene i teksten er de boka fikk da den "
    "ble bygget; endrer du koden, endres figurene og tabellene, men ikke tallene i teksten."
)

SETUP_CODE = '''\
# Oppsett: gjør bokas analysepakke («book») klar. Er den installert, gjør cellen ingenting.
# Ellers installeres pakkefila fra mappa til notatboka (eller mappa over), og finnes den ikke
# der, fra bokas nettsted. Se «LES MEG» i studentpakken.
import importlib.util
import pathlib
import subprocess
import sys

WHEEL = "{wheel}"
SITE = "{site}"  # bokas nettadresse; tom hvis boka ikke er publisert på nett

if importlib.util.find_spec("book") is None:
    here = pathlib.Path.cwd()
    local = [folder / WHEEL for folder in (here, here.parent) if (folder / WHEEL).is_file()]
    if local:
        source = str(local[0])
    elif SITE:
        source = SITE + "_downloads/" + WHEEL
    else:
        raise FileNotFoundError(f"Fant ikke {{WHEEL}}. Legg fila fra studentpakken i samme mappe som notatboka.")
    print("Installerer bokas analysepakke fra", source)
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", source])
    importlib.invalidate_caches()
'''

KINDS = {"note": "Merk", "tip": "Tips", "important": "Viktig", "warning": "Advarsel", "seealso": "Se også",
         "attention": "Obs", "hint": "Hint", "caution": "Forsiktig", "margin": "I margen", "dropdown": ""}
FENCE = re.compile(r"^(?P<fence>:{3,})\{(?P<name>[a-z-]+)\}[ \t]*(?P<arg>.*)$")
OPTION = re.compile(r"^:[a-z-]+:.*$")
ROLE = re.compile(r"\{(?P<role>[a-z:]+)\}`(?P<body>[^`]*)`")


def wheel_name(book: dict) -> str:
    """File name of the analysis package's wheel (its version follows the edition)."""
    return f"arbeidsinkludering_book-{book['edition']}-py3-none-any.whl"


def kit_name(book: dict) -> str:
    """File name of the student kit (every chapter notebook, the wheel, requirements, LES MEG)."""
    return "arbeidsinkludering-studentpakke.zip"


def launch_links(book: dict, stem: str) -> list[tuple[str, str]]:
    """«Åpne i Colab» and «Åpne på JupyterHub» for chapter *stem*, only where ``launch`` in
    ``_config.yml`` configures them. Plain links: nothing is requested until the reader clicks."""
    from urllib.parse import quote, urlencode

    launch = book.get("launch") or {}
    links = []
    colab = (launch.get("colab") or "").strip("/")
    if colab:
        links.append(("Åpne i Colab", f"https://colab.research.google.com/github/{colab}/{stem}.ipynb"))
    hub, repo = (launch.get("jupyterhub") or "").rstrip("/"), (launch.get("repository") or "").strip()
    if hub and repo:
        branch = launch.get("branch") or "gh-pages"
        folder = repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        path = f"{folder}/{(launch.get('notebooks_path') or '_downloads/kapitler').strip('/')}/{stem}.ipynb"
        query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{path}"}, quote_via=quote)
        links.append(("Åpne på JupyterHub", f"{hub}/hub/user-redirect/git-pull?{query}"))
    return links


def published_url(book: dict) -> str:
    url = (book.get("published_url") or "").strip()
    return url if not url or url.endswith("/") else url + "/"


# ------------------------------------------------------------------ citations

def _last_names(persons) -> list[str]:
    names = []
    for p in persons:
        last = " ".join(p.prelast_names + p.last_names)
        names.append(re.sub(r"[{}]", "", last))
    return names


def _author_list(entry, narrative: bool) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = _last_names(persons)
    if not names:
        return re.sub(r"[{}]", "", entry.fields.get("title", "?"))
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} {'og' if narrative else '&'} {names[1]}"
    return f"{names[0]} mfl."


def _year(entry) -> str:
    return entry.fields.get("year", "u.å.")


def _split_key(raw: str) -> tuple[str, str, str]:
    """``{pre}key{post}`` as sphinxcontrib-bibtex writes pre- and post-notes."""
    m = re.fullmatch(r"\s*(?:\{(?P<pre>[^}]*)\})?(?P<key>[^{}\s]+)(?:\{(?P<post>[^}]*)\})?\s*", raw)
    if not m:
        raise ValueError(f"cannot read citation {raw!r}")
    return m["pre"] or "", m["key"], m["post"] or ""


def cite(role: str, body: str, bib) -> str:
    parts = []
    for raw in body.split(","):
        pre, key, post = _split_key(raw)
        if key not in bib.entries:
            raise KeyError(f"citation key {key!r} not in references.bib")
        entry = bib.entries[key]
        if role == "cite:t":
            text = f"{_author_list(entry, True)} ({_year(entry)}{', ' + post if post else ''})"
        else:
            text = f"{_author_list(entry, False)}, {_year(entry)}{', ' + post if post else ''}"
        parts.append((pre + " " if pre else "") + text)
    return "; ".join(parts) if role == "cite:t" else "(" + "; ".join(parts) + ")"


def reference_list(keys: list[str], bib) -> list[str]:
    """The cited works in the book's own APA style, as Markdown list items."""
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "apa_nb")()
    backend = find_plugin("pybtex.backends", "markdown")()
    from pybtex.database import BibliographyData

    data = BibliographyData({k: bib.entries[k] for k in keys})
    entries = sorted(style.format_entries(data.entries.values()), key=lambda e: e.text.render_as("text").lower())
    return [f"- {e.text.render(backend)}" for e in entries]


# ------------------------------------------------------------------ MyST -> Markdown

class Converter:
    """Turns the MyST cells of one chapter into Jupyter Markdown."""

    def __init__(self, chapter: int, glue: dict[str, str], labels: dict[str, str], bib, quiz: list[str] | None = None):
        self.chapter, self.glue, self.labels, self.bib = chapter, glue, labels, bib
        self.quiz = quiz  # «Sjekk deg selv» as Markdown (quiz.markdown), if the chapter has one
        self.exercises: dict[str, str] = {}
        self.cited: list[str] = []

    def number_exercises(self, markdown: str) -> None:
        for label in re.findall(r"^:{3,}\{exercise\}[^\n]*\n(?::[a-z-]+:[^\n]*\n)*?:label: (\S+)", markdown, re.M):
            self.exercises[label] = f"Oppgave {self.chapter}.{len(self.exercises) + 1}"

    def role(self, m: re.Match) -> str:
        role, body = m["role"], m["body"]
        text, _, target = body.partition(" <")
        target = target.rstrip(">") if target else body
        if role == "glue":
            if body not in self.glue:
                raise KeyError(f"glued value {body!r} not found in the executed chapter")
            return self.glue[body]
        if role == "term":
            return text.strip()
        if role in ("ref", "numref"):
            if "<" in body:
                return text.strip()
            if target in self.exercises:
                return self.exercises[target]
            return self.labels.get(target, target)
        if role in ("cite:t", "cite:p"):
            for raw in body.split(","):
                key = _split_key(raw)[1]
                if key not in self.cited:
                    self.cited.append(key)
            return cite(role, body, self.bib)
        return text.strip()

    def inline(self, line: str) -> str:
        return ROLE.sub(self.role, line)

    def block(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            m = FENCE.match(line)
            if re.fullmatch(r"\(\S+\)=\s*", line) or line.startswith("% "):
                i += 1  # MyST target or comment
                continue
            if not m:
                out.append(line)
                i += 1
                continue
            closing = re.compile(rf"^:{{{len(m['fence'])},}}\s*$")
            j = i + 1
            while j < len(lines) and not closing.match(lines[j]):
                j += 1
            body = lines[i + 1:j]
            options = {}
            while body and OPTION.match(body[0]):
                key, _, value = body.pop(0)[1:].partition(":")
                options[key] = value.strip()
            out += self.directive(m["name"], m["arg"].strip(), options, self.block(body))
            i = j + 1
        return out

    def directive(self, name: str, arg: str, options: dict, body: list[str]) -> list[str]:
        quoted = lambda title, rows: [f"> **{title}**" if title else ">", ">"] + [f"> {r}".rstrip() for r in rows]
        if name == "exercise":
            title = self.exercises.get(options.get("label", ""), "Oppgave")
            return [f"**{title}{': ' + arg if arg else ''}**", ""] + body
        if name == "solution":
            title = self.exercises.get(arg, "oppgaven")
            return ["<details>", f"<summary>Løsningsforslag til {title.lower()}</summary>", ""] + body + ["", "</details>"]
        if name == "only":
            return []  # lecturer-only blocks ({only} laerer) never go into a student notebook
        if name == "quiz":
            if self.quiz is None:
                raise ValueError(f"chapter {self.chapter}: a quiz directive but no questions were read")
            return self.quiz
        if name == "bibliography":
            return ["Referansene nedenfor er verkene kapitlet viser til.", ""] + reference_list(self.cited, self.bib)
        if name == "admonition":
            return quoted(arg, body)
        return quoted(KINDS.get(name, name.capitalize()) + (": " + arg if arg else ""), body)

    def markdown(self, source: str) -> str:
        """Roles first (they may span lines), then the directives."""
        return "\n".join(self.block(self.inline(strip_lecturer_only(source)).split("\n")))


LECTURER_ONLY = re.compile(r"^(?P<fence>`{3,}|:{3,})\{only\}[^\n]*\n.*?^(?P=fence)[ \t]*\n?", re.S | re.M)


def strip_lecturer_only(markdown: str) -> str:
    """The MyST source without its ``{only} …`` blocks (exam tasks and marking guides)."""
    return LECTURER_ONLY.sub("", markdown)


# ------------------------------------------------------------------ Sphinx glue

def _glue_values(cache_path: str, source: Path) -> dict[str, str]:
    """The values the chapter glued, from the executed notebook in the jupyter-cache."""
    from jupyter_cache import get_cache

    cache = get_cache(cache_path)
    records = [r for r in cache.list_cache_records() if Path(r.uri).resolve() == source.resolve()]
    if not records:
        raise FileNotFoundError(f"{source}: no executed notebook in the cache {cache_path}")
    record = max(records, key=lambda r: r.created)
    nb = cache.get_cache_bundle(record.pk).nb
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = output["data"].get("application/papermill.record/text/plain", "").strip("'\"")
    return values


def _executed(cache_path: str, nb_path: Path) -> dict:
    """The chapter notebook with its outputs, from the jupyter-cache.

    MyST-NB writes ``jupyter_execute/<doc>.ipynb`` from the notebook it read, and when the cache
    already had the chapter (every build after the first, and the PDF and EPUB builds, which read
    the chapters again) that notebook has no outputs: the cached outputs went into a copy. So the
    outputs are merged from the cache here, and a chapter the cache does not have is an error."""
    import nbformat
    from jupyter_cache import get_cache

    notebook = nbformat.reads(nb_path.read_text(encoding="utf-8"), as_version=4)
    try:
        _, merged = get_cache(cache_path).merge_match_into_notebook(notebook)
    except KeyError:
        raise FileNotFoundError(f"{nb_path}: no executed version in the cache {cache_path}") from None
    return json.loads(nbformat.writes(merged))


def _labels(app, docname: str) -> dict[str, str]:
    """Cross-reference targets as the book prints them: «Figur 5.1», section titles."""
    labels = {}
    std = app.env.domaindata["std"]
    numbers = app.env.toc_fignumbers
    for label, (doc, labelid, title) in std.get("labels", {}).items():
        labels[label] = title
        for kind, word in (("figure", "Figur"), ("table", "Tabell")):
            num = numbers.get(doc, {}).get(kind, {}).get(labelid)
            if num:
                labels[label] = f"{word} {'.'.join(map(str, num))}"
    return labels


def student_notebook(nb: dict, converter: Converter, book: dict) -> dict:
    """*nb* (the executed chapter) with a setup cell first and MyST turned into Markdown."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            converter.number_exercises("".join(cell["source"]))
    cells = []
    for cell in nb["cells"]:
        cell = dict(cell)
        if cell["cell_type"] == "markdown":
            cell["source"] = converter.markdown("".join(cell["source"]))
        else:
            for output in cell.get("outputs", []):
                output.get("data", {}).pop("application/pdf", None)
        cells.append(cell)
    setup = [
        {"cell_type": "markdown", "id": "oppsett-forklaring", "metadata": {}, "source": SETUP_MARKDOWN},
        {"cell_type": "code", "id": "oppsett", "metadata": {"tags": ["oppsett"]}, "execution_count": None, "outputs": [],
         "source": SETUP_CODE.format(wheel=wheel_name(book), site=published_url(book))},
    ]
    title = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                  and c["source"].lstrip().startswith("# ")), -1)
    cells[title + 1:title + 1] = setup  # after the title cell, before the chapter's code
    meta = {k: v for k, v in nb.get("metadata", {}).items() if k not in ("jupytext", "source_map")}
    meta["language_info"] = {"name": "python"}
    meta["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return {**nb, "cells": cells, "metadata": meta}


def write_chapter_downloads(app, exception) -> None:
    """Each chapter as a student notebook and as MyST source in ``_downloads/kapitler``."""
    if exception is not None or app.builder.name != "html":
        return
    from pybtex.database import parse_file

    book = app.config.book_metadata
    root = Path(app.srcdir)
    bib_path = root / app.config.bibtex_bibfiles[0]
    bib = None
    target = Path(app.outdir) / "_downloads" / "kapitler"
    target.mkdir(parents=True, exist_ok=True)
    executed = Path(app.outdir).parent / "jupyter_execute"
    inputs = [bib_path, root / "_config.yml", Path(__file__)]
    for docname in sorted(app.env.found_docs):
        if not docname.startswith("chapters/"):
            continue
        stem = docname.split("/", 1)[1]
        source = Path(app.env.doc2path(docname))
        nb_path = executed / f"{docname}.ipynb"
        if not nb_path.is_file():
            raise FileNotFoundError(f"{nb_path}: executed notebook missing (was {docname} executed?)")
        md, ipynb = target / f"{stem}.md", target / f"{stem}.ipynb"
        quiz_file = root / quiz.QUIZ_DIR / f"{stem}.yml"
        newest = max(p.stat().st_mtime for p in [source, nb_path, *inputs, *([quiz_file] if quiz_file.is_file() else [])])
        if md.is_file() and ipynb.is_file() and min(md.stat().st_mtime, ipynb.stat().st_mtime) >= newest:
            continue  # up to date (quick rebuilds)
        md.write_text(strip_lecturer_only(source.read_text(encoding="utf-8")), encoding="utf-8")
        if bib is None:
            bib = parse_file(str(bib_path))
        nb = _executed(app.config.nb_execution_cache_path, nb_path)
        chapter = int(re.match(r"(\d+)", stem).group(1))
        entry = getattr(app.env, "book_quizzes", {}).get(docname)
        converter = Converter(chapter, _glue_values(app.config.nb_execution_cache_path, source),
                              _labels(app, docname), bib, quiz.markdown(entry) if entry else None)
        out = student_notebook(nb, converter, book)
        (target / f"{stem}.ipynb").write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                              encoding="utf-8")


def forget_built_downloads(app, doctree) -> None:
    """The ``path:`` links to the student kit point at a file the build writes afterwards
    (scripts/student_kit.py). Sphinx notes it as a dependency, finds it missing and would re-read
    the page on every build; a build output is no input, so the dependency is dropped."""
    built = Path(app.srcdir) / "_downloads"
    deps = app.env.dependencies.get(app.env.docname)
    if deps:
        for dep in [d for d in deps if Path(app.srcdir, d).is_relative_to(built)]:
            deps.discard(dep)


def download_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{lastned}`studentpakken <arbeidsinkludering-studentpakke.zip>``: a link to a file the build
    writes into ``_downloads/`` after Sphinx has run (the student kit, the course cartridge).

    Sphinx's own download links need the file in the sources when the page is read, and these files
    do not exist yet then; on the web the link is written relative to the page. The PDF and the EPUB
    have no ``_downloads`` folder: they link to the published site if its address is configured, and
    otherwise say where the file is."""
    from docutils import nodes

    m = re.match(r"^(.*?)\s*<([^<>]+)>$", text, re.S)
    title, target = (m.group(1).strip(), m.group(2).strip()) if m else (text.strip(), text.strip())
    if not target or target.startswith("/") or ".." in target.split("/") or target.count("/") > 1:
        msg = inliner.reporter.error(f"lastned: give a file name in _downloads (or one folder down), got {target!r}",
                                     line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    env = inliner.document.settings.env
    builder = env.app.builder
    if builder.format == "html" and builder.name != "epub":
        uri = "../" * env.docname.count("/") + "_downloads/" + target
        return [nodes.reference(rawtext, title, refuri=uri, classes=["download-link"])], []
    site = published_url(env.app.config.book_metadata)
    if site:
        return [nodes.reference(rawtext, title, refuri=site + "_downloads/" + target)], []
    return [nodes.Text(f"{title} (under «Last ned» på bokas nettsted)")], []


def slide_list_directive():
    """``:::{lysark}``: one line per chapter in ``_toc.yml`` with its slides (scripts/slides.py) as
    zip and PDF, linked with ``{lastned}``. The list follows the table of contents, so a new or renamed
    chapter needs no edit here."""
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective
    import yaml

    class SlideList(SphinxDirective):
        has_content = False

        def run(self):
            from docutils import nodes

            toc_path = Path(self.env.srcdir) / "_toc.yml"
            self.env.note_dependency(str(toc_path))
            toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
            lines = []
            for part in toc.get("parts", []):
                for entry in part.get("chapters", []):
                    doc = re.sub(r"\.(md|ipynb|rst)$", "", str(entry.get("file", "")))
                    if doc.startswith("chapters/"):
                        stem = doc.split("/")[-1]
                        lines.append(f"- {{doc}}`/{doc}`: {{lastned}}`lysark som nettside (zip) <lysark/lysark-{stem}.zip>`"
                                     f" og {{lastned}}`som PDF <lysark/lysark-{stem}.pdf>`")
            container = nodes.container(classes=["lysark-liste"])
            self.state.nested_parse(StringList(lines, source=str(toc_path)), self.content_offset, container)
            return container.children

    return SlideList


def setup(app):
    app.add_directive("lysark", slide_list_directive())
    app.connect("build-finished", write_chapter_downloads)
    app.connect("doctree-read", forget_built_downloads, priority=900)  # after Sphinx's download collector
    app.add_role("lastned", download_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
