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
