"""The PDF as a reader meets it: every link goes somewhere, nothing runs off the page (issue 16,
items 10–12). The checks read the built PDF and xelatex's log."""

from __future__ import annotations

import re
from pathlib import Path

#: an overfull line this much wider than the text block is visible (ink in the margin)
OVERFULL_LIMIT_PT = 5.0


def dead_links(pdf: Path) -> tuple[int, list[str]]:
    """(number of internal links, the named destinations they point to that the PDF lacks)."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    names = set(reader.named_destinations)
    total, dead = 0, []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
                dest = action.get_object().get("/D")
            if dest is None:
                continue  # a web link (/URI)
            total += 1
            dest = dest.get_object() if hasattr(dest, "get_object") else dest
            if isinstance(dest, str) and str(dest) not in names:
                dead.append(str(dest))
    return total, dead


def latex_log(pdf: Path) -> str:
    return pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")


def undefined_references(log: str) -> list[str]:
    """LaTeX's «Reference/Hyper reference/Citation `x' … undefined» warnings (names unwrapped)."""
    flat = re.sub(r"\n(?!\n)", "", log)  # TeX wraps its log at 79 characters
    return re.findall(r"(?:Reference|Hyper reference|Citation) `([^']+)' on page \S+ undefined", flat) + (
        ["There were undefined references."] if "There were undefined references" in flat else [])


def overfull_boxes(log: str) -> list[tuple[float, str]]:
    """(points too wide, where) for each overfull horizontal box."""
    return [(float(m.group(1)), m.group(2))
            for m in re.finditer(r"^Overfull \\hbox \(([\d.]+)pt too wide\) (.*)$", log, re.M)]


def test_every_pdf_link_has_a_destination(build):
    total, dead = dead_links(build.pdf)
    assert total > 1000, f"only {total} internal links: citations and cross-references lost?"
    assert not dead, f"{len(dead)} of {total} links lead nowhere, e.g. {sorted(set(dead))[:8]}"


def test_citations_link_to_the_reference_list(build):
    tex = (build.pdf.with_suffix(".tex")).read_text(encoding="utf-8")
    cited = set(re.findall(r"\\hyperlink\{cite\.([^}]+)\}", tex))
    listed = set(re.findall(r"\\bibitem\[[^]]*\]\{([^}]+)\}", tex))
    assert len(cited) > 100 and cited <= listed, sorted(cited - listed)[:8]


def test_latex_log_has_no_undefined_references(build):
    log = latex_log(build.pdf)
    assert undefined_references(log) == []
    # a reference whose label exists but prints nothing («(oppgave )») leaves an empty link
    assert "Suppressing empty link" not in log


def test_figures_and_tables_numbered_per_chapter_as_on_the_web(build):
    from test_site import chapter_files

    text = re.sub(r"\s+", " ", pdf_text(build.pdf))
    web = set()
    for f in chapter_files():
        page = (build.html / f"{f}.html").read_text(encoding="utf-8")
        web |= set(re.findall(r'caption-number">Figur\s(\d+\.\d+)', page))
    pdf = set(re.findall(r"Figur (\d+\.\d+)", text))
    assert len(web) > 20 and web <= pdf, f"{sorted(web - pdf)[:5]} on the web, not in the PDF"
    # numbered through the whole book, figures would be «Figur 13», «Figur 37»: a number above the chapter
    # count not followed by «.N»
    whole_book = [n for n in re.findall(r"Figur (\d+)(?!\.\d)", text) if int(n) > len(chapter_files())]
    assert not whole_book, f"figures numbered through the whole book: Figur {whole_book[:5]}"


def test_parts_index_and_title_page(build):
    from pypdf import PdfReader

    reader = PdfReader(build.pdf)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    for part in ("Del I ", "Del II ", "Del III ", "Del IV "):
        assert any(t.startswith(part) for t in top), f"no part page {part.strip()} in the bookmarks: {top}"
    assert not reader.page_labels[0].isdigit(), f"title page labelled {reader.page_labels[0]}"
    assert len(set(reader.page_labels)) == len(reader.page_labels), "two pages share a label"
    text = pdf_text(build.pdf)
    assert "Stikkordregister" in text
    # in the index, a glossary term is listed with the page it is defined on and the pages using it
    entry = re.search(r"^bakkebyråkrati, ((?:\d+,?\s*)+)", text, re.M)  # pages may wrap
    assert entry and len(re.findall(r"\d+", entry.group(1))) >= 3, entry


def test_reference_list_keeps_initials_together(build):
    text = pdf_text(build.pdf)
    refs = text[text.rindex("\nReferanser\n"):]
    lines = refs.splitlines()
    broken = [f"{a} | {b}" for a, b in zip(lines, lines[1:])
              if re.search(r"(?:^|[ ,])[A-ZÆØÅ]\.-?$", a) and re.match(r"-?[A-ZÆØÅ]\.", b)]
    assert not broken, broken[:5]


def test_no_heading_alone_at_the_foot_of_a_page(build):
    import subprocess

    tex = build.pdf.with_suffix(".tex").read_text(encoding="utf-8")
    titles = {t.strip() for t in re.findall(r"\\(?:sub)*section\{([^{}\\]+)\}", tex)}
    assert len(titles) > 100
    pages = subprocess.run(["pdftotext", "-layout", str(build.pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    stranded = []
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        # the foot line: running section title and page number
        while lines and len(lines[-1]) < 120 and re.fullmatch(r"[\divxlc]+|.*\s\d+|\d+\s.*", lines[-1]):
            lines.pop()
        # an exercise heading is «Oppgave 6.6» with at most a short title, not a sentence that ends
        # with a full stop («Oppgave 6.6 lar studentene rette …» in the lecturer guide's prose)
        if lines and (lines[-1] in titles or re.fullmatch(r"Oppgave \d+\.\d+(?: [^.]{0,100})?", lines[-1])):
            stranded.append((number, lines[-1]))
    assert not stranded, stranded[:5]


def pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_nothing_runs_into_the_margin(build):
    boxes = overfull_boxes(latex_log(build.pdf))
    wide = [b for b in boxes if b[0] > OVERFULL_LIMIT_PT]
    assert not wide, f"{len(wide)} overfull lines wider than {OVERFULL_LIMIT_PT} pt: {sorted(wide, reverse=True)[:5]}"


# the checks themselves, on a small made-up log (they must be able to fail)
def test_log_checks_catch_problems():
    log = ("LaTeX Warning: Hyper reference `chapters/01-arbeid-arbeidslinja:ex-arbeid-rettp\nlikt' on page 25 "
           "undefined on input line 3772.\n\nOverfull \\hbox (240.66617pt too wide) in paragraph at lines 1--2\n"
           "Overfull \\hbox (1.2pt too wide) detected at line 3\nLaTeX Warning: There were undefined references.\n")
    assert undefined_references(log) == ["chapters/01-arbeid-arbeidslinja:ex-arbeid-rettplikt",
                                         "There were undefined references."]
    assert [w for w, _ in overfull_boxes(log)] == [240.66617, 1.2]
