"""Lysark (slide decks) for lecturers: one reveal.js deck per chapter, made from the built chapter page.

    .venv/bin/python scripts/slides.py [OUT]     # OUT = _build; needs a finished html build in OUT/html

Each deck is read from the chapter's page as the web build wrote it (``OUT/html/chapters/*.html``),
so it says what the book says and cannot drift from it. The chapters come from ``_toc.yml`` in the
book's order; nothing here names a chapter. A deck has

* a title slide (the chapter's title, as in the book);
* «Læringsmål»: the chapter's «Læringsmål» section (introduction and list);
* «Begreper»: every term the chapter's «Begreper» section links, with the first sentence of its
  definition in the glossary (``backmatter/begrepsliste``), four terms a slide;
* one slide per figure: the same image file the web build produced, with the book's alt text, its
  number and caption, and where the numbers behind it stand in the book (the table under the figure);
* the chapter's case: its first «Praksiseksempel» box;
* «Til drøfting»: two or three of the chapter's exercises, each with its whole prompt (the
  introduction, every numbered part and any closing question; not the solution). A prompt that names
  code, or is longer than a slide holds, is refused: choose another. Which ones
  is set in ``lysark/<chapter label>.yml`` (``drofting: [exercise labels]``); without that file the
  first three exercises are used. The label (``(kap-…)=`` above the chapter title) survives renaming
  and renumbering of the chapter file.

The slides are reStructuredText written into ``OUT/lysark-kilde/`` and built with the Sphinx
extension sphinx-revealjs, which bundles reveal.js: nothing is loaded from another host. Reveal's
own English control labels are translated (``lysark/lysark.js``, with ``lysark/lysark.css``). Into
``OUT/html/_downloads/lysark/`` go, per chapter, ``lysark-<file>.zip`` (the deck as HTML, to open in a
browser, offline) and ``lysark-<file>.pdf`` (headless Chromium printing reveal's ``?print-pdf``
view). A PDF is printed again only when its deck changed (a hash of the deck and its images).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
from laerebok import chapter_docs  # noqa: E402
from student_kit import ZIP_DATE, book_config  # noqa: E402

FOLDER = "lysark"                 # in _downloads/
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TERMS_PER_SLIDE = 4
DISCUSSION_WORDS = 190        # the most words of an exercise's prompt that a discussion slide holds
LONG_PROMPT = 110             # above this, the slide's text is set smaller (class «lang»)
WIDTH, HEIGHT = 1280, 720         # the slide size (16:9), also the PDF page size


class SlideError(RuntimeError):
    """The built chapter page lacks what a deck needs; the message names the page and the part."""


class Items(list):
    """The items of a list in an exercise's prompt; ``numbered`` for an ordered list (deloppgaver)."""

    def __init__(self, items, numbered: bool = False):
        super().__init__(items)
        self.numbered = numbered


@dataclass
class Figure:
    ident: str
    src: Path          # the image file in the built site
    alt: str
    number: str        # «Figur 1.1»
    caption: str
    table: str         # the caption of the table with the numbers behind the figure ('' if none)


@dataclass
class Deck:
    docname: str       # chapters/01-arbeid-arbeidslinja
    label: str         # kap-arbeid-arbeidslinja
    title: str         # 1 Arbeid, arbeidslinja og sosialt arbeid
    goals_intro: str
    goals: list[str]
    terms: list[tuple[str, str]]
    figures: list[Figure]
    case_title: str
    case_text: list[str]
    discussion: list[tuple[str, list]]  # («Oppgave 1.1», paragraphs and lists of the prompt)
    extra: dict = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return Path(self.docname).name

    @property
    def number(self) -> str:
        return self.title.split()[0]


def toc_chapters() -> list[str]:
    """The docnames of the chapters, in the order of ``_toc.yml`` (the book's own list)."""
    return chapter_docs()

def _text(node) -> str:
    """The visible text of an element, without Sphinx's «#» anchors, with single spaces."""
    node = BeautifulSoup(str(node), "html.parser")
    for a in node.select("a.headerlink, .caption-number + .headerlink"):
        a.decompose()
    return re.sub(r"\s+", " ", node.get_text().replace("\u00ad", "")).strip()


def _section(article: Tag, heading: str) -> Tag | None:
    for section in article.find_all("section"):
        h = section.find(re.compile(r"^h[1-6]$"))
        if h is not None and _text(h) == heading:
            return section
    return None


def _first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(\s+[A-ZÆØÅ«(]|$)", text)
    return m.group(1) if m else text


def glossary(html: Path) -> dict[str, str]:
    """Glossary anchor (``term-…``) → first sentence of the definition, as the glossary page shows it."""
    page = BeautifulSoup((html / "backmatter" / "begrepsliste.html").read_text(encoding="utf-8"), "html.parser")
    out = {}
    for dt in page.select("dt[id^=term-]"):
        dd = dt.find_next_sibling("dd")
        first = dd.find("p") if dd else None
        text = _text(first) if first else ""
        em = first.find("em") if first else None
        if em is not None and text.startswith(f"({_text(em)})"):   # the English term in brackets
            text = text[len(_text(em)) + 2:].strip()
        out[dt["id"]] = _first_sentence(text)
    return out


def read_deck(html: Path, docname: str, terms: dict[str, str]) -> Deck:
    page_path = html / f"{docname}.html"
    page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
    article = page.find("article") or page
    top = article.find("section")
    if top is None or top.find("h1") is None:
        raise SlideError(f"{page_path}: no chapter title")
    title = _text(top.find("h1"))
    label = top.get("id", "")

    goals_sec = _section(article, "Læringsmål")
    if goals_sec is None or goals_sec.find(["ol", "ul"]) is None:
        raise SlideError(f"{page_path}: no «Læringsmål» section with a list")
    lst = goals_sec.find(["ol", "ul"])
    intro = lst.find_previous_sibling("p")
    goals = [_text(li) for li in lst.find_all("li", recursive=False)]

    concepts = []
    begreper = _section(article, "Begreper")
    if begreper is not None:
        for a in begreper.select("a[href*='#term-']"):
            anchor = a["href"].split("#", 1)[1]
            name = _text(a)
            if anchor in terms and all(anchor != k for k, _ in concepts):
                concepts.append((anchor, name))
    concepts_def = [(name, terms[anchor]) for anchor, name in concepts]

    figures = []
    for fig in article.find_all("figure"):
        img = fig.find("img")
        if img is None:
            continue
        cap = fig.find("figcaption")
        number = _text(cap.find(class_="caption-number")) if cap and cap.find(class_="caption-number") else ""
        caption = _text(cap.find(class_="caption-text")) if cap and cap.find(class_="caption-text") else (_text(cap) if cap else "")
        table = ""
        cell = fig.find_parent(class_="cell")
        following = cell.find_next_sibling() if cell is not None else None
        if following is not None and "cell" in (following.get("class") or []) and following.find("table"):
            tcap = following.find("table").find("caption")
            table = _text(tcap) if tcap else ""
        src = (page_path.parent / img["src"]).resolve()
        figures.append(Figure(fig.get("id", ""), src, img.get("alt", ""), number.rstrip(), caption, table))

    case = None
    for box in article.select("div.admonition"):
        t = box.find(class_="admonition-title")
        if t is not None and _text(t).startswith("Praksiseksempel"):
            case = box
            break
    if case is None:
        raise SlideError(f"{page_path}: no «Praksiseksempel» box (the deck's case)")
    case_title = _text(case.find(class_="admonition-title"))
    case_text = [_text(p) for p in case.find_all("p", recursive=False) if "admonition-title" not in (p.get("class") or [])]

    exercises = {d.get("id"): d for d in article.select("div.exercise")}
    chosen_file = ROOT / FOLDER / f"{label}.yml"
    if chosen_file.is_file():
        chosen = (yaml.safe_load(chosen_file.read_text(encoding="utf-8")) or {}).get("drofting", [])
        missing = [c for c in chosen if c not in exercises]
        if missing:
            raise SlideError(f"{chosen_file}: no exercise {', '.join(missing)} in {docname}")
    else:
        chosen = list(exercises)[:3]
    discussion = []
    for ident in chosen:
        ex = exercises[ident]
        name = _text(ex.find(class_="admonition-title"))
        content = ex.find(class_="exercise-content")
        if content is not None and content.find("code") is not None:
            raise SlideError(f"{page_path}: {name} names code ({_text(content.find('code'))}); "
                             f"choose another exercise in {FOLDER}/{label}.yml")
        blocks: list = []   # the whole prompt: a question is not cut from its parts
        for block in content.find_all(["p", "ol", "ul"], recursive=False) if content is not None else []:
            if block.name == "p":
                blocks.append(_text(block))
            else:
                items = [_text(li) for li in block.find_all("li", recursive=False)]
                blocks.append(Items(items, numbered=block.name == "ol"))
        words = sum(len((" ".join(b) if isinstance(b, Items) else b).split()) for b in blocks)
        if words > DISCUSSION_WORDS:
            raise SlideError(f"{page_path}: {name} has {words} words, more than a slide holds "
                             f"({DISCUSSION_WORDS}); choose another exercise in {FOLDER}/{label}.yml")
        discussion.append((name, blocks))
    return Deck(docname, label, title, _text(intro) if intro else "", goals, concepts_def, figures,
                case_title, case_text, discussion)


# ---------------------------------------------------------------- reStructuredText for sphinx-revealjs

_PUNCT = re.compile(r"([\\`*_|\[\]<>:=#.\-+~^\"'(){}!?,;/@$%&])")


def esc(text: str) -> str:
    """Plain text as reStructuredText that shows exactly that text (every punctuation mark escaped)."""
    return _PUNCT.sub(r"\\\1", re.sub(r"\s+", " ", text).strip())


def _heading(text: str, char: str) -> str:
    line = esc(text)
    return f"{line}\n{char * (len(line) + 4)}\n\n"


def deck_rst(deck: Deck, book: dict, image_names: dict[Path, str]) -> str:
    base = (book.get("published_url") or "").rstrip("/")
    chapter_word = f"kapittel {deck.number}"
    out = [f":orphan:\n\n.. meta::\n   :description: {esc('Lysark til ' + chapter_word)}\n\n",
           _heading(deck.title, "="),
           f".. container:: undertittel\n\n   {esc('Lysark til ' + chapter_word + ' i «' + book['title'] + '»')}\n\n",
           f".. container:: lisens\n\n   {esc(book['author'] + ' · ' + book['license']['name'])}\n\n"]

    out.append(_heading("Læringsmål", "-"))
    if deck.goals_intro:
        out.append(esc(deck.goals_intro) + "\n\n")
    out.append("".join(f"#. {esc(g)}\n" for g in deck.goals) + "\n")

    chunks = [deck.terms[i:i + TERMS_PER_SLIDE] for i in range(0, len(deck.terms), TERMS_PER_SLIDE)]
    for n, chunk in enumerate(chunks, start=1):
        out.append(_heading("Begreper" + (f" ({n} av {len(chunks)})" if len(chunks) > 1 else ""), "-"))
        out.append("".join(f"{esc(term)}\n   {esc(definition)}\n\n" for term, definition in chunk))

    for fig in deck.figures:
        out.append(_heading(fig.number or "Figur", "-"))
        alt = re.sub(r"\s+", " ", fig.alt).strip()
        out.append(f".. image:: {image_names[fig.src]}\n   :alt: {alt}\n   :class: figur\n\n")
        out.append(f".. container:: figurtekst\n\n   {esc(fig.caption)}\n\n")
        where = f"i {chapter_word}, under {fig.number.lower() or 'figuren'}"
        if fig.table:
            note = f"Tallene bak figuren står i tabellen «{fig.table}» {where}."
        else:
            note = f"Tallene bak figuren står {where}."
        if base and fig.ident:
            url = f"{base}/{deck.docname}.html#{fig.ident}"
            note += f" På nett: {url}"
        out.append(f".. container:: tabellhenvisning\n\n   {esc(note)}\n\n")

    out.append(_heading(deck.case_title, "-"))
    out.append("".join(f".. container:: kasus\n\n   {esc(p)}\n\n" for p in deck.case_text))

    for n, (name, blocks) in enumerate(deck.discussion, start=1):
        out.append(_heading(f"Til drøfting ({n} av {len(deck.discussion)})", "-"))
        out.append(f".. container:: oppgavekilde\n\n   {esc('Fra ' + name.strip().lower() + ' i boka')}\n\n")
        words = sum(len((" ".join(b) if isinstance(b, list) else b).split()) for b in blocks)
        body = []
        for block in blocks:
            if isinstance(block, str):
                body.append(esc(block) + "\n\n")
            else:
                mark = "#." if getattr(block, "numbered", False) else "-"
                body.append("".join(f"{mark} {esc(li)}\n" for li in block) + "\n")
        if words > LONG_PROMPT:
            out.append(".. container:: lang\n\n" + "".join(
                "".join(f"   {line}" if line else "" for line in part.splitlines(keepends=True)) for part in body) + "\n")
        else:
            out.append("".join(body))
    return "".join(out)


CONF = '''\
# Generated by scripts/slides.py: the Sphinx project of the lysark (one deck per chapter).
project = {title!r}
author = {author!r}
language = "nb"
extensions = ["sphinx_revealjs"]
exclude_patterns = ["_build"]
revealjs_style_theme = "lysark-tema.css"
revealjs_static_path = ["_static"]
revealjs_css_files = ["lysark.css"]
revealjs_script_files = ["lysark.js"]
revealjs_script_conf = {conf!r}
html_copy_source = False
html_show_sourcelink = False
'''

REVEAL_CONF = json.dumps({"width": WIDTH, "height": HEIGHT, "hash": True, "center": False, "transition": "none",
                          "controls": True, "progress": True, "slideNumber": "c/t", "pdfMaxPagesPerSlide": 1,
                          "help": False, "jumpToSlide": False, "showNotes": False})


def write_sources(src: Path, decks: list[Deck], book: dict) -> None:
    """The Sphinx project: conf.py, one .rst per chapter, the images, the CSS and JS. Files whose
    content is unchanged are not rewritten, so Sphinx rebuilds only decks that changed."""
    def put(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)

    put(src / "conf.py", CONF.format(title=book["title"], author=book["author"], conf=REVEAL_CONF).encode())
    # reveal.js's high-contrast theme without its web font (system fonts: less to download, nothing missing)
    import sphinx_revealjs
    theme = Path(sphinx_revealjs.__file__).parent / "_static/revealjs/dist/theme/white-contrast.css"
    put(src / "_static" / "lysark-tema.css",
        re.sub(r"@import url\([^)]*\);?", "", theme.read_text(encoding="utf-8")).encode("utf-8"))
    for name in ("lysark.css", "lysark.js"):
        put(src / "_static" / name, (ROOT / FOLDER / name).read_bytes())
    put(src / "index.rst", "Lysark\n======\n\nEn kapittelside per kapittel, ikke denne.\n".encode("utf-8"))
    wanted = {"index.rst"}
    for deck in decks:
        names = {}
        for fig in deck.figures:
            if not fig.src.is_file():
                raise SlideError(f"{deck.docname}: the figure {fig.src} is missing from the build")
            name = f"bilder/{fig.src.name}"
            put(src / name, fig.src.read_bytes())
            names[fig.src] = name
        put(src / f"{deck.stem}.rst", deck_rst(deck, book, names).encode("utf-8"))
        wanted.add(f"{deck.stem}.rst")
    for old in src.glob("*.rst"):   # a chapter that left the table of contents leaves no deck
        if old.name not in wanted:
            old.unlink()


def sphinx_revealjs(src: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-W", "--keep-going", "-b", "revealjs",
                           "-d", str(src / "_doctrees"), str(src), str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SlideError(f"sphinx -b revealjs failed:\n{(proc.stdout + proc.stderr)[-4000:]}")


def deck_files(out: Path, deck: Deck) -> dict[str, bytes]:
    """The files of one deck (path in the zip → bytes): its page, the images it shows and reveal.js."""
    page = out / f"{deck.stem}.html"
    text = page.read_text(encoding="utf-8")
    # the theme's page forbids zooming (WCAG 1.4.4): drop that viewport line, the others stay
    fixed = re.sub(r'\s*<meta name="viewport"[^>]*user-scalable=no[^>]*>', "", text)
    if fixed != text:
        page.write_text(fixed, encoding="utf-8")
        text = fixed
    files = {"index.html": text.encode("utf-8")}
    for ref in sorted(set(re.findall(r'(?:src|href)="(_(?:static|images)/[^"#?]+)[^"]*"', text))):
        path = out / ref
        if path.is_file():
            files[ref] = path.read_bytes()
            if path.suffix == ".css" and re.search(r"url\((?!data:)", path.read_text(encoding="utf-8")):
                raise SlideError(f"{path}: the deck's CSS loads another file; add it to the zip")
    return files


def write_zip(target: Path, root_name: str, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{root_name}/{name}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name])


def print_pdfs(jobs: list[tuple[Path, Path]]) -> None:
    """(deck page, PDF) pairs: print reveal's ``?print-pdf`` view with headless Chromium (Playwright)."""
    if not jobs:
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                      "--disable-background-networking"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route(re.compile(r"^https?://"), lambda route: route.abort())   # offline, always
        for html_page, pdf in jobs:
            page.goto(html_page.resolve().as_uri() + "?print-pdf", wait_until="load")
            page.wait_for_function("document.querySelector('.reveal.ready') !== null"
                                   " && document.querySelectorAll('.pdf-page').length > 0")
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        browser.close()


def build(out_root: Path) -> dict[str, Path]:
    """Build every deck from ``out_root/html``; return chapter docname → deck zip."""
    html = out_root / "html"
    book = book_config()
    terms = glossary(html)
    decks = [read_deck(html, doc, terms) for doc in toc_chapters()]
    src, built = out_root / "lysark-kilde", out_root / "lysark"
    write_sources(src, decks, book)
    sphinx_revealjs(src, built)
    target = html / "_downloads" / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    wanted, jobs, zips = set(), [], {}
    for deck in decks:
        files = deck_files(built, deck)
        name = f"lysark-{deck.stem}"
        write_zip(target / f"{name}.zip", name, files)
        zips[deck.docname] = target / f"{name}.zip"
        digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items()))).hexdigest()
        stamp = built / f".{deck.stem}.pdf.sha256"
        pdf = target / f"{name}.pdf"
        if not pdf.is_file() or not stamp.is_file() or stamp.read_text() != digest:
            jobs.append((built / f"{deck.stem}.html", pdf, stamp, digest))
        wanted |= {f"{name}.zip", f"{name}.pdf"}
    print_pdfs([(page, pdf) for page, pdf, _, _ in jobs])
    for _, pdf, stamp, digest in jobs:
        stamp.write_text(digest)
    for old in target.iterdir():
        if old.name not in wanted:
            old.unlink()
    return zips


if __name__ == "__main__":
    import time

    start = time.perf_counter()
    for doc, path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build").items():
        print(path)
    print(f"{time.perf_counter() - start:.1f} s")
