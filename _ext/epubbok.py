"""The EPUB as readers and Ace by DAISY meet it (issue 16, item 15).

Sphinx's EPUB 3 builder leaves out what EPUB Accessibility 1.1 asks of a publication, and a few
things reading systems stumble on. This extension adds them while the EPUB is built, so the
folder Sphinx zips is already right:

* every content document declares its language (``lang`` and ``xml:lang``), as the navigation
  document already does; Sphinx's ``<html>`` tag for EPUB has neither;
* one viewport tag per document (the basic layout writes one and Sphinx's ``metatags`` another);
* the package document carries the schema.org accessibility metadata (access modes, features,
  hazards, a summary in Norwegian), ``dcterms:conformsTo`` EPUB Accessibility 1.1 – WCAG 2.1
  level AA with who certified it, and the cover as ``properties="cover-image"`` (EPUB 3);
* the navigation document's ``epub:type="toc"`` has the matching ARIA role ``doc-toc``;
* theme files no document uses (Sphinx's basic.css, the favicon, the +/- images) are not packed.

The solutions to the exercises move to the end of their chapter, as in the PDF
(``norsk._solutions_to_chapter_end_in_print``): ``<details>`` is missing in some reading systems,
which would print each answer right under its exercise.
"""
from __future__ import annotations

import re
from pathlib import Path

#: Files in the theme's ``_static`` that no EPUB document links to (EPUBCheck and Ace list them).
UNUSED_STATIC = ["_static/basic.css", "_static/favicon.svg", "_static/minus.png", "_static/plus.png"]

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"

SUMMARY = (
    "Boka er tekst med overskrifter i riktig rekkefølge, en navigerbar innholdsfortegnelse og "
    "språket merket som bokmål. Hver figur har en alternativ tekst og tallene bak seg i en tabell "
    "med overskriftsceller, slik at alt innhold kan leses uten å se figurene. Løsningsforslagene "
    "står samlet til slutt i hvert kapittel. Boka har ingen lyd, video, blinkende innhold eller "
    "matematikk som bilde. Tilgjengeligheten er kontrollert med Ace by DAISY og EPUBCheck; "
    "tilgjengelighetserklæringen bak i boka sier hva som er testet."
)

#: (property, value) pairs, in the order they are written into ``<metadata>``.
A11Y_METADATA: list[tuple[str, str]] = [
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessModeSufficient", "textual,visual"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "longDescription"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary", SUMMARY),
    ("dcterms:conformsTo", CONFORMS_TO),
]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def patch_opf(opf: str, certified_by: str) -> str:
    """The package document with accessibility metadata and the EPUB 3 cover declaration.
    Raises ``ValueError`` when the document is not shaped as Sphinx writes it."""
    if "</metadata>" not in opf:
        raise ValueError("content.opf: no </metadata> element")
    if "schema:accessMode" in opf:
        return opf  # already patched (the builder may write the file twice)
    lines = [f'    <meta property="{p}">{_escape(v)}</meta>' for p, v in A11Y_METADATA]
    lines.append(f'    <meta property="a11y:certifiedBy">{_escape(certified_by)}</meta>')
    opf = re.sub(r"\s*</metadata>", lambda _: "\n" + "\n".join(lines) + "\n  </metadata>", opf, count=1)
    # a11y: is not a reserved prefix in EPUB 3.3 packages; declare it next to Sphinx's ibooks:
    opf, n = re.subn(r'prefix="([^"]*)"', r'prefix="\1 a11y: http://www.idpf.org/epub/vocab/package/a11y/#"', opf, 1)
    if n != 1:
        raise ValueError("content.opf: no prefix attribute on <package>")
    cover = re.search(r'<meta name="cover" content="([^"]+)"', opf)
    if cover is None:
        raise ValueError("content.opf: no cover declared")
    opf, n = re.subn(rf'(<item id="{re.escape(cover.group(1))}"[^>]*?)\s*/>', r'\1 properties="cover-image" />', opf)
    if n != 1:
        raise ValueError(f"content.opf: cover item {cover.group(1)!r} not in the manifest")
    return opf


def patch_nav(nav: str) -> str:
    """``epub:type="toc"`` with its matching ARIA role (``doc-toc``)."""
    out, n = re.subn(r'<nav epub:type="toc"(?![^>]*role=)', '<nav epub:type="toc" role="doc-toc"', nav)
    if n == 0 and 'role="doc-toc"' not in nav:
        raise ValueError("nav.xhtml: no <nav epub:type=\"toc\">")
    return out


def _builder_inited(app) -> None:
    builder = app.builder
    if builder is None or builder.name != "epub":
        return
    lang = app.config.epub_language
    builder.html_tag = (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
                        f'lang="{lang}" xml:lang="{lang}">')
    outdir = Path(builder.outdir)
    certified_by = app.config.epub_publisher
    build_content, build_navigation_doc = builder.build_content, builder.build_navigation_doc

    def content() -> None:
        build_content()
        opf = outdir / "content.opf"
        opf.write_text(patch_opf(opf.read_text(encoding="utf-8"), certified_by), encoding="utf-8")

    def navigation() -> None:
        build_navigation_doc()
        nav = outdir / "nav.xhtml"
        nav.write_text(patch_nav(nav.read_text(encoding="utf-8")), encoding="utf-8")

    builder.build_content, builder.build_navigation_doc = content, navigation


def _one_viewport(app, pagename, templatename, context, doctree) -> None:
    if app.builder is not None and app.builder.name == "epub":
        # the layout writes its own viewport tag; drop the second one Sphinx puts in metatags
        context["metatags"] = re.sub(r'\s*<meta name="viewport"[^>]*>', "", context.get("metatags") or "")


def setup(app):
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _one_viewport)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
