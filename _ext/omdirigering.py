"""Local Sphinx extension: old addresses keep working after a chapter has moved (web only).

The mapping is written once, under ``redirects:`` in ``_config.yml`` (old page → new page, both as
document names without ``.html``). After an html build, for each pair:

* the old page ``<old>.html`` is a small static redirect page: ``lang="nb"``, ``rel="canonical"``
  to the new page, a meta refresh and a visible Norwegian link, nothing loaded from anywhere. A
  short inline script (the site already uses inline scripts; there is no Content-Security-Policy)
  goes first and keeps the ``#fragment``, so a link to a section lands on that section; without
  JavaScript the meta refresh opens the top of the new page;
* the files published under the chapter's file name — the student notebook and the MyST source in
  ``_downloads/kapitler/``, the QTI package in ``_downloads/sjekk-deg-selv/`` and a chapter PDF in
  ``_downloads/`` if there is one — are copied under the old name, since a static site cannot
  redirect a download. The student kit leaves these copies out (:func:`old_stems`).

The build stops if an old name is also a page of the book (the redirect would hide it) or a new name
is no page. The PDF and the EPUB need nothing: they hold one document and link by label.
"""

from __future__ import annotations

import html
import json
import posixpath
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MARKER = "book-redirect"  # <meta name="generator" content="book-redirect">: the tests find the pages by it

PAGE = """<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{marker}">
<meta name="robots" content="noindex">
<title>Flyttet: {title}</title>
<meta name="description" content="{description}">
<link rel="canonical" href="{canonical}">
<script>location.replace({target_js} + location.hash);</script>
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<main>
<h1>Kapitlet har fått nytt nummer</h1>
<p>Siden du prøvde å åpne, har flyttet fordi kapitlene har fått nye numre. Kapitlet finner du nå
her: <a href="{target}">{title}</a>. Du blir sendt dit automatisk; skjer det ikke, følger du lenken.</p>
</main>
</body>
</html>
"""


def mapping(config: dict | None = None) -> dict[str, str]:
    """Old document name → new document name, from ``redirects:`` in ``_config.yml``."""
    if config is None:
        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return {str(old): str(new) for old, new in (config.get("redirects") or {}).items()}


def old_stems(config: dict | None = None) -> set[str]:
    """File names (without folder and suffix) that are only copies kept for old links."""
    return {old.rsplit("/", 1)[-1] for old in mapping(config)}


def _relative(from_doc: str, to_doc: str) -> str:
    """The link from page *from_doc* to page *to_doc* (both document names), as the builder writes it."""
    return posixpath.relpath(f"{to_doc}.html", posixpath.dirname(from_doc) or ".")


def redirect_page(old: str, new: str, title: str, base: str = "") -> str:
    target = _relative(old, new)
    canonical = f"{base.rstrip('/')}/{new}.html" if base else target
    description = f"Denne adressen er flyttet. Kapitlet «{title}» ligger nå på en ny adresse i boka."
    return PAGE.format(marker=MARKER, title=html.escape(title), description=html.escape(description),
                       canonical=html.escape(canonical), target=html.escape(target),
                       target_js=json.dumps(target))  # no escaping inside <script>: the name is a file name


def check(app, env) -> None:
    """Before writing: every new name is a page of the book, and no old name is one."""
    from sphinx.errors import ExtensionError

    for old, new in app.config.book_redirects.items():
        if old in env.found_docs:
            raise ExtensionError(f"_config.yml redirects: {old} is still a page of the book; a redirect would hide it")
        if new not in env.found_docs:
            raise ExtensionError(f"_config.yml redirects: {old} → {new}, but {new} is no page of the book")
        if old == new:
            raise ExtensionError(f"_config.yml redirects: {old} points to itself")


def _downloads(out: Path, stem: str) -> list[Path]:
    """The chapter downloads the html build makes. The chapter PDF is made after this build and copied
    under the old name by scripts/pdf_ua.py (copy_under_old_names): copying it here would copy a
    stale PDF of an earlier build, or delete one."""
    return [out / "_downloads" / "kapitler" / f"{stem}.ipynb", out / "_downloads" / "kapitler" / f"{stem}.md",
            out / "_downloads" / "sjekk-deg-selv" / f"{stem}-qti.zip"]


def write_redirects(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    out = Path(app.outdir)
    base = app.config.html_baseurl or ""
    for old, new in app.config.book_redirects.items():
        title = app.env.titles[new].astext()
        page = out / f"{old}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        text = redirect_page(old, new, title, base)
        if not page.is_file() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")
        old_stem, new_stem = old.rsplit("/", 1)[-1], new.rsplit("/", 1)[-1]
        for src, dst in zip(_downloads(out, new_stem), _downloads(out, old_stem)):
            if src.is_file():
                if not dst.is_file() or dst.read_bytes() != src.read_bytes():
                    shutil.copyfile(src, dst)
            elif dst.is_file():
                dst.unlink()  # a stale copy from before the move


def setup(app):
    app.add_config_value("book_redirects", {}, "html")
    app.connect("env-check-consistency", check)
    # after the notebooks (_ext/notebooks.py) and the QTI packages (_ext/quiz.py) are written
    app.connect("build-finished", write_redirects, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
