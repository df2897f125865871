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
    assert undefined_references(latex_log(build.pdf)) == []


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
