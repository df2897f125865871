"""A chapter of a law or regulation («folketrygdloven kapittel 11», «kapittel 1 i tiltaksforskriften»)
must link to Lovdata, never to one of the book's own chapters through a {ref} role.

The first edition linked «folketrygdloven kapittel 11» to the book's chapter 11 and «kapittel 1»
of tiltaksforskriften to the book's chapter 1: the words were the same, the target was wrong.
The check runs on the source of every chapter; the tests at the bottom show that it finds both
first-edition errors and leaves ordinary cross-references alone.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from test_site import chapter_files

# Names of Norwegian laws and regulations: any word ending in -loven/-lova/-lovens/-forskriften
# (folketrygdloven, sosialtjenesteloven, arbeidsmiljøloven, integreringsloven, Nav-loven,
# tiltaksforskriften …), plus «forskrift om …» and the short forms Lovdata uses.
LAW = r"(?:[\wæøåÆØÅ-]+(?:loven|lova|lovens|lovas|forskriften|forskrifta|forskriftens)|forskrift(?:en)? om [^.]{1,80}?)"
REF = r"\{ref\}`[Kk]apitt(?:el|let)\s+\d+[^`]*`"
# The law name before the reference, within the same sentence (no full stop in between) …
BEFORE = re.compile(rf"\b{LAW}\b[^.`]{{0,80}}?{REF}", re.I)
# … or after it: «{ref}`kapittel 11 <…>` i folketrygdloven», «… kapittel 1 i forskriften».
AFTER = re.compile(rf"{REF}\s+(?:i|etter|til)\s+(?:den\s+nye\s+)?{LAW}", re.I)


def legal_chapter_refs(text: str) -> list[str]:
    """Every place in *text* where a law's or regulation's «kapittel N» is a {ref} to the book."""
    # one sentence never runs across a blank line or a heading: treat those as full stops
    flat = re.sub(r"\s+", " ", re.sub(r"\n\s*\n|\n#+ ", ". ", text))
    return [m.group(0) for pattern in (BEFORE, AFTER) for m in pattern.finditer(flat)]


@pytest.mark.parametrize("f", chapter_files())
def test_no_legal_chapter_links_to_a_book_chapter(f):
    text = (ROOT / f"{f}.md").read_text(encoding="utf-8")
    hits = legal_chapter_refs(text)
    assert not hits, f"{f}: a law's chapter links to a book chapter (link to lovdata.no instead): {hits}"


@pytest.mark.parametrize("wrong", [
    "## 2.4 Arbeidsavklaringspenger: folketrygdloven {ref}`kapittel 11 <kap-hva-virker>`",
    "ifølge Navs rundskriv til folketrygdloven {ref}`kapittel 11 <kap-hva-virker>`. Slå opp",
    "forskrift 11. desember 2015 nr. 1598 om arbeidsmarkedstiltak. Fellesbestemmelsene i\n"
    "tiltaksforskriften {ref}`kapittel 1 <kap-arbeid-arbeidslinja>` er de viktigste",
    "reglene i sosialtjenesteloven {ref}`kapittel 4 <kap-x>`",
    "reglene i {ref}`kapittel 6 <kap-x>` i integreringsloven",
    "arbeidsmiljøloven {ref}`kapittel 14 <kap-x>` om ansettelse",
])
def test_the_check_finds_a_legal_chapter_linked_to_the_book(wrong):
    assert legal_chapter_refs(wrong), f"not caught: {wrong!r}"


@pytest.mark.parametrize("right", [
    "[folketrygdloven kapittel 11](https://lovdata.no/lov/1997-02-28-19/§11-1)",
    "Fellesbestemmelsene i forskriftens [kapittel 1](https://lovdata.no/forskrift/2015-12-11-1598/§1-1)",
    "skrevet før aktivitetsplikten ble lovfestet. Nyttig sammen med {ref}`kapittel 6 <kap-vilkar-og-sanksjoner>`.",
    "etter sosialtjenesteloven. {ref}`Kapittel 6 <kap-vilkar-og-sanksjoner>` går videre",
    "tema i {ref}`kapittel 1 <kap-arbeid-arbeidslinja>`. Her ser vi på vilkårene",
])
def test_the_check_leaves_book_cross_references_alone(right):
    assert not legal_chapter_refs(right), f"false alarm: {right!r}"
