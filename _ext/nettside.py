"""Local Sphinx extension: the web site as a reader meets it (WCAG 2.1 AA on a phone, offline,
in a reference manager). Web (``html`` builder) only; the PDF and the EPUB are not touched.

* every table in its own horizontally scrollable region: keyboard-focusable, named after the
  table's caption, with a visible hint when it is wider than the column (``book.js`` sets the
  hint and the Tab stop only when the table really overflows), so the page itself never scrolls
  sideways (WCAG 1.4.10 Reflow);
* Norwegian headings hyphenate: soft hyphens (from the nb_NO patterns of ``pyphen``) in long words
  of the page's headings, so a 40 px title on a phone breaks «Arbeids-inkludering», never
  «Arbeidsinklu|dering»;
* figures: ``width``/``height`` from the image file (no layout shift), lazy loading for every
  image except one at the top of the page (before its first section), and a link to the figure in full size under each figure (the small
  labels of a plot can then be zoomed);
* a meta description on every page (its first paragraph), one viewport tag;
* citation metadata on each chapter for reference managers (Zotero and others): Highwire Press
  ``citation_*`` tags for a book chapter and schema.org JSON-LD (``Chapter`` in a ``Book``);
* search: a file with the text of every page (``_static/search-texts.js``), which the search page
  uses for its snippets instead of fetching each page, so snippets work from a folder on disk
  (``file://``, the zip copy) and never start with the page's «Lesetid …» line.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where a chapter's own PDF is published, relative to the site root (one place: the page
#: metadata, the download menu and the tests read it from here through ``conf.book_chapter_pdf``).
CHAPTER_PDF = "_downloads/{stem}.pdf"
SEARCH_TEXTS = "search-texts.js"
HYPHENATE_FROM = 10  # letters: shorter words never need a break inside them
SOFT = "\u00ad"

_hyphenator = None


def _hyphenate(word: str) -> str:
    global _hyphenator
    if _hyphenator is None:
        import pyphen

        _hyphenator = pyphen.Pyphen(lang="nb_NO", left=3, right=3)
    return _hyphenator.inserted(word, hyphen=SOFT)


def hyphenate_text(text: str) -> str:
    """Soft hyphens in the long words of *text* (the words' letters are unchanged)."""
    return re.sub(rf"[^\W\d_]{{{HYPHENATE_FROM},}}", lambda m: _hyphenate(m.group(0)), text)


# ---------------------------------------------------------------- the page body


def _image_sizes(app) -> dict[str, tuple[int, int]]:
    """Output file name → (width, height) in CSS px, for the images Sphinx copies to _images."""
    cache = getattr(app.builder, "_book_image_sizes", None)
    if cache is None:
        cache = app.builder._book_image_sizes = {}
    sizes = {}
    for src, dest in getattr(app.builder, "images", {}).items():
        name = Path(dest).name
        if name not in cache:
            cache[name] = _size_of(Path(app.srcdir) / src)
        if cache[name]:
            sizes[name] = cache[name]
    return sizes


def _size_of(path: Path) -> tuple[int, int] | None:
    if not path.is_file():
        return None
    if path.suffix.lower() == ".svg":
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        svg = re.search(r"<svg\b[^>]*>", head)
        if svg is None:
            return None
        tag = svg.group(0)
        units = {"pt": 96 / 72, "px": 1.0, "": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
        dims = []
        for attr in ("width", "height"):
            m = re.search(rf'\b{attr}="([\d.]+)(pt|px|in|cm|mm)?"', tag)
            if m is None:
                return None
            dims.append(round(float(m.group(1)) * units[m.group(2) or ""]))
        return dims[0], dims[1]
    import imagesize

    w, h = imagesize.get(str(path))
    return (w, h) if w > 0 and h > 0 else None


def _table_regions(soup, pagename: str) -> None:
    """Wrap each table in a scrollable, focusable, named region with a hint."""
    count = 0
    for table in soup.find_all("table"):
        if table.find_parent("div", class_="table-scroll") is not None:
            continue
        count += 1
        caption = table.find("caption")
        outer = soup.new_tag("div", attrs={"class": "table-block"})
        region = soup.new_tag("div", attrs={"class": "table-scroll", "role": "region", "tabindex": "0"})
        if caption is not None and caption.get_text(strip=True):
            if not caption.get("id"):
                caption["id"] = f"tabelltekst-{count}"
            region["aria-labelledby"] = caption["id"]
        else:
            thead = table.find("thead")
            heads = [th.get_text(" ", strip=True) for th in (thead.find_all("th") if thead else [])][:3]
            label = f"Tabell {count}" + (f": {', '.join(h for h in heads if h)}" if any(heads) else "")
            region["aria-label"] = label
        hint = soup.new_tag("p", attrs={"class": "table-scroll-hint", "aria-hidden": "true"})
        hint.string = "Tabellen er bredere enn spalten: rull sideveis for å se alle kolonnene →"
        # Sphinx's own wrapper (a container div around the table) stays where it is
        table.wrap(region)
        region.wrap(outer)
        outer.insert(0, hint)


LONG_TOKEN = re.compile(r"\S{20,}")


def _break_long_tokens(soup) -> None:
    """Identifiers in table cells («tiltak_nae_outcome_5yr_in_work_not_nav:2019:1») may break
    after «_», «:», «/» and «.» (``<wbr>``), so no single cell is wider than a phone."""
    from bs4 import NavigableString

    for cell in soup.find_all(["td", "th"]):
        for text in list(cell.find_all(string=True)):
            value = str(text)
            if not isinstance(text, NavigableString) or not LONG_TOKEN.search(value):
                continue
            parts = re.split(r"(?<=[_:/.])(?=\w)", value)
            if len(parts) == 1:
                continue
            first = NavigableString(parts[0])
            text.replace_with(first)
            anchor = first
            for part in parts[1:]:
                wbr = soup.new_tag("wbr")
                anchor.insert_after(wbr)
                piece = NavigableString(part)
                wbr.insert_after(piece)
                anchor = piece


def _hyphenate_headings(soup) -> None:
    from bs4 import NavigableString

    for heading in soup.find_all(["h1", "h2", "h3"]):
        for text in list(heading.find_all(string=True)):
            if not isinstance(text, NavigableString) or text.find_parent("a", class_="headerlink"):
                continue
            new = hyphenate_text(str(text))
            if new != str(text):
                text.replace_with(NavigableString(new))


def _figures(app, soup, pagename: str) -> None:
    sizes = _image_sizes(app)
    first_h2 = soup.find("h2")
    below = set(id(x) for x in first_h2.find_all_next("img")) if first_h2 is not None else set()
    for i, img in enumerate(soup.find_all("img")):
        name = Path(img.get("src", "")).name
        if name in sizes and not img.get("width"):
            img["width"], img["height"] = (str(v) for v in sizes[name])
        # An image at the top of the page (before the first section) may be the largest thing on
        # screen: it loads at once. Every other image loads when the reader scrolls to it.
        if i > 0 or id(img) in below:
            img["loading"] = "lazy"
        img["decoding"] = "async"
    for figure in soup.find_all("figure"):
        img = figure.find("img")
        if img is None or figure.find("a", class_="figure-fullsize"):
            continue
        number = figure.find(class_="caption-number")
        what = number.get_text(strip=True) if number is not None else "figuren"
        what = what[0].lower() + what[1:] if what else "figuren"
        link = soup.new_tag("a", attrs={"class": "figure-fullsize", "href": img["src"]})
        link.string = f"Åpne {what} i full størrelse"
        p = soup.new_tag("p", attrs={"class": "figure-fullsize"})
        p.append(link)
        caption = figure.find("figcaption")
        (caption.insert_after(p) if caption is not None else figure.append(p))


def rewrite_body(app, pagename: str, soup, doctree) -> None:
    """The web site's changes to a page body (called by norsk's single parse of the page)."""
    _table_regions(soup, pagename)
    _break_long_tokens(soup)
    _hyphenate_headings(soup)
    _figures(app, soup, pagename)
    _remember_search_text(app, pagename, soup)


# ---------------------------------------------------------------- search texts


def _clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _remember_search_text(app, pagename: str, soup) -> None:
    """The page's text (as Sphinx's search shows it: no permalink signs, scripts or styles) and
    where each section's text starts and ends, for the search snippets."""
    from bs4 import Comment, NavigableString

    skip = {"script", "style"}
    pieces: list[str] = []
    spans: dict[str, list[int]] = {}
    pos = 0
    starts: list[tuple[object, str]] = []

    def walk(node) -> None:
        nonlocal pos
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                piece = _clean_space(str(child).replace(SOFT, ""))
                if pieces and pieces[-1].endswith(" ") and piece.startswith(" "):
                    piece = piece[1:]
                pieces.append(piece)
                pos += len(piece)
                continue
            if child.name in skip or "headerlink" in (child.get("class") or []) \
                    or "figure-fullsize" in (child.get("class") or []) \
                    or "table-scroll-hint" in (child.get("class") or []):
                continue
            ident = child.get("id")
            start = pos
            walk(child)
            if ident and child.name == "section":
                spans[ident] = [start, pos]

    walk(soup)
    store = getattr(app.builder, "_book_search_texts", None)
    if store is None:
        store = app.builder._book_search_texts = {}
    full = "".join(pieces)
    lead = len(full) - len(full.lstrip())
    text = full.strip()
    spans = {k: [min(max(a - lead, 0), len(text)), min(max(b - lead, 0), len(text))] for k, (a, b) in spans.items()}
    store[pagename] = {"t": text, "s": spans}


def _write_search_texts(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    new = getattr(app.builder, "_book_search_texts", {})
    cache = Path(app.doctreedir) / "book-search-texts.json"
    try:
        texts = json.loads(cache.read_text(encoding="utf-8")) if cache.is_file() else {}
    except ValueError:
        texts = {}
    texts = {d: v for d, v in texts.items() if d in app.env.found_docs}
    texts.update(new)
    target = Path(app.outdir) / "_static" / SEARCH_TEXTS
    if not new and target.is_file():
        return  # nothing was written: the file is up to date
    payload = json.dumps(dict(sorted(texts.items())), ensure_ascii=False, separators=(",", ":"))
    cache.write_text(payload, encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"window.BOOK_SEARCH_TEXTS={payload};\n", encoding="utf-8")


# ---------------------------------------------------------------- page metadata


def _first_paragraph(doctree) -> str:
    from docutils import nodes

    for para in doctree.findall(nodes.paragraph):
        if any(isinstance(a, (nodes.Admonition, nodes.list_item, nodes.table, nodes.footnote, nodes.citation,
                              nodes.definition_list_item, nodes.figure)) for a in _ancestors(para)):
            continue
        text = _clean_space(para.astext()).strip()
        if len(text) >= 80:  # a real paragraph, not a byline («Utgave 0.1 …»)
            return text
    return ""


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def describe(text: str, limit: int = 160) -> str:
    """At most *limit* characters: whole sentences if they fit, else whole words and «…»."""
    text = text.strip()
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.?!])\s+", text)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    if len(out) >= 110:
        return out
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"


def _meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{name}" content="{html.escape(content, quote=True)}">'


def chapter_pdf(app, pagename: str) -> str | None:
    if not pagename.startswith("chapters/"):
        return None
    return app.config.book_chapter_pdf.format(stem=pagename.split("/", 1)[1])


def _page_metadata(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name != "html":
        return
    book = app.config.book_metadata
    # Sphinx adds a viewport tag of its own next to the theme's: keep the theme's
    metatags = re.sub(r'\s*<meta name="viewport"[^>]*>', "", context.get("metatags") or "")
    tags = []
    if 'name="description"' not in metatags:
        text = _first_paragraph(doctree) if doctree is not None else ""
        if not text:
            text = f"{book['title']}: {book['subtitle']}."
        tags.append(_meta("description", describe(text)))
    if pagename.startswith("chapters/") and doctree is not None:
        tags += _citation_tags(app, pagename, context)
    context["metatags"] = metatags + "\n" + "\n".join(tags)


def _site_url(app) -> str:
    base = (app.config.html_baseurl or "").strip()
    return base if not base or base.endswith("/") else base + "/"


def _citation_tags(app, pagename: str, context) -> list[str]:
    """Highwire Press tags (what Zotero, Mendeley and Google Scholar read) for a book chapter,
    and the same as schema.org JSON-LD."""
    from norsk import _chapter_title

    book = app.config.book_metadata
    title = _chapter_title(app, pagename)
    date = book["edition_date"]
    to_root = app.builder.get_relative_uri(pagename, "index").replace("index.html", "")
    pdf = chapter_pdf(app, pagename)
    base = _site_url(app)
    pdf_url = (base + pdf) if base else to_root + pdf
    page_url = (base + pagename + ".html") if base else None
    authors = [a.strip() for a in re.split(r";", book.get("citation_authors", book["author"])) if a.strip()]
    tags = [_meta("citation_title", title), _meta("citation_inbook_title", book["title"]),
            _meta("citation_book_title", book["title"])]
    tags += [_meta("citation_author", a) for a in authors]
    tags += [_meta("citation_publication_date", date.replace("-", "/")), _meta("citation_date", date),
             _meta("citation_publisher", book.get("publisher", book["author"])),
             _meta("citation_language", app.config.html_lang),
             _meta("citation_edition", book["edition"]),
             _meta("citation_pdf_url", pdf_url)]
    if page_url:
        tags.append(_meta("citation_public_url", page_url))
    tags += [_meta("DC.title", title), _meta("DC.language", app.config.html_lang), _meta("DC.type", "Text"),
             _meta("DC.rights", book["license"]["url"])]
    from norsk import chapter_number

    data = {
        "@context": "https://schema.org",
        "@type": "Chapter",
        "name": title,
        "headline": title,
        "inLanguage": app.config.html_lang,
        "datePublished": date,
        "author": [{"@type": "Organization", "name": a} for a in authors],
        "publisher": {"@type": "Organization", "name": book.get("publisher", book["author"])},
        "license": book["license"]["url"],
        "isAccessibleForFree": True,
        "isPartOf": {
            "@type": "Book",
            "name": book["title"],
            "alternativeHeadline": book["subtitle"],
            "bookEdition": book["edition"],
            "datePublished": date,
            "inLanguage": app.config.html_lang,
            "author": [{"@type": "Organization", "name": a} for a in authors],
            "publisher": {"@type": "Organization", "name": book.get("publisher", book["author"])},
            "license": book["license"]["url"],
        },
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": pdf_url},
    }
    number = chapter_number(app.env, pagename)
    if number is not None:
        data["position"] = number
    if page_url:
        data["url"] = page_url
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    tags.append(f'<script type="application/ld+json">\n{payload}\n</script>')
    if not base:  # no published address configured: a reference manager gets absolute URLs all the same
        tags.append('<script>document.querySelectorAll(\'meta[name="citation_pdf_url"]\').forEach('
                    '(m) => { m.content = new URL(m.content, document.baseURI).href; });</script>')
    return tags


TOKEN_RULE = re.compile(r"\.highlight \.([\w-]+) \{")
COMMENT = re.compile(r"\s*/\*.*?\*/")
CODE_BLOCK = re.compile(r'<div class="highlight"><pre[^>]*>(.*?)</pre>', re.S)


def prune_pygments(css: str, used: set[str]) -> str:
    """Pygments' stylesheet without the rules for token classes no page uses.

    The stylesheet colours every token type three times (light, dark, dark by system setting), about
    18 KB on every page; the book's code is short Python that uses some twenty of them. Rules that
    are not per token (``.highlight pre``, line numbers, the block itself) are kept."""
    keep = []
    for line in css.splitlines():
        m = TOKEN_RULE.search(line)
        if m is None or m.group(1) in used or m.group(1) == "hll":
            keep.append(COMMENT.sub("", line))  # /* Keyword */: names for readers of the file, not the browser
    return "\n".join(keep) + "\n"


def _prune_pygments(app, exception) -> None:
    if exception is not None or app.builder.name != "html":
        return
    out = Path(app.outdir)
    css_path = out / "_static" / "pygments.css"
    if not css_path.is_file():
        return
    used: set[str] = set()
    for page in out.rglob("*.html"):
        for block in CODE_BLOCK.findall(page.read_text(encoding="utf-8")):
            used.update(re.findall(r'<span class="([\w-]+)"', block))
    css = css_path.read_text(encoding="utf-8")
    pruned = prune_pygments(css, used)
    if pruned != css:
        css_path.write_text(pruned, encoding="utf-8")


def setup(app):
    app.add_config_value("book_chapter_pdf", CHAPTER_PDF, "html")
    app.connect("build-finished", _prune_pygments, priority=900)  # after Furo writes its light+dark pygments.css
    app.connect("html-page-context", _page_metadata)
    app.connect("build-finished", _write_search_texts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
