"""Static checks of the chapter sources and the bibliography (the writing guide's rules)."""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_file

from conftest import ROOT
from test_site import chapter_files

SECTIONS = ["Læringsmål", "Oppsummering", "Begreper", "Oppgaver", "Videre lesning", "Abstract", "Referanser"]
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def source(f: str) -> str:
    return (ROOT / f"{f}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("f", chapter_files())
def test_chapter_has_the_template_sections_in_order(f):
    headings = [h.strip() for h in re.findall(r"^## +(.+)$", source(f), re.M)]
    found = [next((i for i, h in enumerate(headings) if h.startswith(s)), None) for s in SECTIONS]
    assert None not in found, f"{f}: missing sections {[s for s, i in zip(SECTIONS, found) if i is None]}"
    assert found == sorted(found), f"{f}: template sections out of order"


@pytest.mark.parametrize("f", chapter_files())
def test_code_cells_are_short_and_use_the_loader(f):
    for body in CODE_CELL.findall(source(f)):
        lines = [ln for ln in body.split("---\n")[-1].splitlines() if ln.strip() and not ln.startswith(":")]
        assert len(lines) <= 15, f"{f}: a code cell has {len(lines)} lines (max 15; move the work to book/)"
        assert "read_csv" not in body, f"{f}: load data with book.data.load, not pandas.read_csv"


@pytest.mark.parametrize("f", chapter_files())
def test_every_exercise_has_a_collapsed_solution(f):
    text = source(f)
    exercises = re.findall(r"^:::\{exercise\}\s*\n:label: (\S+)", text, re.M)
    solutions = re.findall(r"^:::\{solution\} (\S+)\s*\n:class: dropdown", text, re.M)
    assert len(exercises) >= 4, f"{f}: {len(exercises)} exercises (at least 4)"
    assert sorted(exercises) == sorted(solutions), f"{f}: exercises without a collapsed solution"


@pytest.mark.parametrize("f", chapter_files())
def test_simulations_are_labelled(f):
    text = source(f)
    if re.search(r"\bsimulat", text, re.I) and "np.random" in text:
        assert "Simulering" in text


def test_every_bibliography_entry_is_verifiable():
    bib = parse_file(str(ROOT / "references.bib"))
    assert len(bib.entries) > 0
    for key, entry in bib.entries.items():
        fields = {k.lower() for k in entry.fields}
        assert fields & {"doi", "url", "isbn"}, f"{key}: no DOI, URL or ISBN"
        assert "UNVERIFIED" not in str(entry.fields), f"{key}: marked UNVERIFIED"
        if "doi" in fields:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", entry.fields["doi"]), f"{key}: malformed DOI"


def test_every_cited_key_exists():
    bib = set(parse_file(str(ROOT / "references.bib")).entries.keys())
    for f in chapter_files():
        for group in re.findall(r"\{cite:[a-z]+\}`([^`]+)`", source(f)):
            for key in group.split(","):
                key = re.sub(r"^\{[^}]*\}|\{[^}]*\}$", "", key.strip())
                assert key in bib, f"{f}: cites unknown key {key!r}"


MONTHS = "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
# Words that mark a comment as English; none of them is a Norwegian word.
ENGLISH = re.compile(r"\b(the|of|and|with|from|which|this|that|each|every|is|are)\b")


def prose_files() -> list[str]:
    return chapter_files() + [p.relative_to(ROOT).with_suffix("").as_posix()
                              for d in ("frontmatter", "backmatter") for p in sorted((ROOT / d).glob("*.md"))]


@pytest.mark.parametrize("f", prose_files())
def test_no_line_starts_with_a_date(f):
    """«1. juli 2023» at the start of a source line is read as a numbered list: the sentence breaks
    on the page. Dates stay inside the line."""
    bad = [f"{i}: {line.strip()[:60]}" for i, line in enumerate(source(f).splitlines(), 1)
           if re.match(rf"\s*\d{{1,2}}\. ({MONTHS})\b", line)]
    assert not bad, f"{f}: a line begins with a date (it becomes a list item): {bad}"


@pytest.mark.parametrize("f", chapter_files())
def test_code_comments_in_chapters_are_norwegian(f):
    """Comments in the chapters' code cells are read by students (in the notebooks too)."""
    bad = []
    for cell in CODE_CELL.findall(source(f)):
        for line in cell.splitlines():
            if line.lstrip().startswith(":"):  # cell options
                continue
            comment = re.search(r"(?:^|\s)#\s*(.+)$", line)
            if comment and ENGLISH.search(comment.group(1)) and not re.search(r"[æøåÆØÅ]", comment.group(1)):
                bad.append(line.strip()[:80])
    assert not bad, f"{f}: English comments in code cells: {bad}"


def test_the_comment_and_date_checks_can_fail(tmp_path, monkeypatch):
    assert re.match(rf"\s*\d{{1,2}}\. ({MONTHS})\b", "1. juli 2023 trådte")
    assert ENGLISH.search("the chapter's data and tools")
    assert not ENGLISH.search("Tenkte kontorer: andelen ordinære arbeidssøkere")
