"""For lecturers and students: the generated «Om dataene» appendix, the RETHOS table, reading
times, glossary back-links and the lecturer edition."""

from __future__ import annotations

import json
import re
import sys

import pytest
import yaml

from conftest import ROOT
from test_site import chapter_files, soup

sys.path.insert(0, str(ROOT / "_ext"))
PACKAGE = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
RETHOS = yaml.safe_load((ROOT / "backmatter" / "rethos.yml").read_text(encoding="utf-8"))


def test_every_dataset_has_norwegian_provenance_and_a_chapter_that_uses_it():
    import laerebok

    used = laerebok.datasets_used_by()
    for res in PACKAGE["resources"]:
        name = res["name"]
        assert name in used, f"{name}: used by no chapter (data.load(\"{name}\") in no chapter source)"
        for key in ("title", "beskrivelse", "forbehold", "sources", "licenses", "retrieved"):
            assert res.get(key), f"{name}: no {key}"
        assert len(res["forbehold"]) == len(res["caveats"]), f"{name}: forbehold and caveats differ in number"


def test_om_dataene_page_lists_every_dataset_with_links(build):
    page = soup(build.html / "backmatter" / "om-dataene.html")
    text = page.get_text(" ")
    for res in PACKAGE["resources"]:
        section = page.find(id=f"data-{res['name'].replace('_', '-')}")
        assert section is not None, f"{res['name']} missing from «Om dataene»"
        assert res["title"] in section.get_text(" ").replace("\u00ad", "")  # headings hyphenate
        chapters = [a for a in section.select("a[href]") if "chapters/" in a["href"]]
        assert chapters, f"{res['name']}: no «Brukes i» link to a chapter"
        for a in chapters:
            assert (build.html / "backmatter" / a["href"].split("#")[0]).resolve().is_file()
    assert "Forbehold" in text and "Brukes i" in text


def test_rethos_outcomes_are_the_regulations_words_and_every_chapter_serves_one():
    """Each outcome is word for word the regulation's text at the paragraph and letter it names
    (FOR-2025-07-04-1465 §§ 4–9, fixture copied from Lovtidend), and every chapter serves one."""
    wording = (ROOT / "tests" / "fixtures" / "rethos_wording.txt").read_text(encoding="utf-8")
    regulation = {m[0]: (m[1], m[2]) for m in re.findall(r"^(§ \d [a-z])\) \[([^\]]+)\] (.+)$", wording, re.M)}
    assert len(regulation) >= 60, "the fixture must hold the regulation's §§ 4–9"
    for key, outcome in RETHOS["outcomes"].items():
        heading, text = regulation.get(outcome["paragraph"], ("", ""))
        assert outcome["text"] == text, f"outcome {key!r} is not word for word {outcome['paragraph']}"
        assert heading.startswith(outcome["area"]), f"outcome {key!r}: {outcome['paragraph']} is in «{heading}»"
    for f in chapter_files():
        claimed = RETHOS["chapters"].get(f)
        assert claimed, f"{f} serves no RETHOS outcome in backmatter/rethos.yml"
        assert set(claimed) <= set(RETHOS["outcomes"]), f"{f}: unknown outcome in {claimed}"


def test_rethos_method_outcome_is_ticked_by_one_criterion():
    """§ 4 j (metode) is ticked for every chapter whose learning goals have the student read or use
    statistics, a simulation or another analysis and say what it cannot show, and for no other."""
    for f in chapter_files():
        text = (ROOT / f"{f}.md").read_text(encoding="utf-8")
        goals = text.split("## Læringsmål", 1)[1].split("```", 1)[0]
        reads_data = re.search(r"statistikk|simulering|regneeksempel|forest-plott|kappa|effektstudie|konfidensintervall", goals)
        assert bool(reads_data) == ("metode" in RETHOS["chapters"][f]), f"{f}: § 4 j ticked by another criterion"


def test_rethos_law_outcome_is_ticked_by_one_criterion():
    """§ 4 f (juss) is ticked for every chapter whose learning goals have the student give an account
    of, describe or apply named laws or regulations, and for no other; «Til foreleseren» names them."""
    law = re.compile(r"§|loven\b|forskrift|regelverk|regulert|aktivitetsplikt|ungdomsgaranti")
    unticked = []
    for f in chapter_files():
        text = (ROOT / f"{f}.md").read_text(encoding="utf-8")
        goals = text.split("## Læringsmål", 1)[1].split("```", 1)[0]
        goals = goals.split("\nLæringsmålene ", 1)[0]  # the goals, not the paragraph naming the regulation
        assert bool(law.search(goals)) == ("juss" in RETHOS["chapters"][f]), f"{f}: § 4 f ticked by another criterion"
        if "juss" not in RETHOS["chapters"][f]:
            unticked.append(int(f.split("/")[-1][:2]))
    assert f"alle kapitlene unntatt {' og '.join(map(str, unticked))}" in re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))


def test_lecturer_guide_has_the_rethos_table_and_reading_times(build):
    page = soup(build.html / "backmatter" / "til-foreleseren.html")
    tables = page.select("table")
    rethos = next(t for t in tables if "Kapittel" in t.get_text() and "✓" in t.get_text())
    rows = rethos.select("tbody tr")
    assert len(rows) == len(chapter_files())
    for row in rows:
        assert "✓" in row.get_text(), "a chapter row without any outcome"
    assert re.search(r"ca\. \d+ min", page.get_text())


def test_every_chapter_shows_reading_time_and_last_update(build):
    for f in chapter_files():
        meta = soup(build.html / f"{f}.html").select_one("p.chapter-meta")
        assert meta and re.search(r"Lesetid ca\. \d+ minutter · Sist oppdatert \d{1,2}\. \w+ \d{4}", meta.get_text()), f


def test_glossary_is_complete_and_links_back(build):
    page = soup(build.html / "backmatter" / "begrepsliste.html")
    terms = page.select("dl.glossary dt")
    assert len(terms) >= 60
    for dt in terms:
        dd = dt.find_next_sibling("dd")
        assert dd is not None and len(dd.get_text(strip=True)) > 40, f"{dt.get_text()}: no real definition"
    backlinks = page.select("p.term-used a[href]")
    assert len(backlinks) >= 60
    for a in backlinks:
        assert (build.html / "backmatter" / a["href"]).resolve().is_file(), a["href"]
    for f in chapter_files():  # every chapter's terms are defined (the build resolves each {term})
        assert soup(build.html / f"{f}.html").select("span.std-term"), f


def test_a_glossary_entry_is_used_wherever_any_of_its_headwords_is_linked():
    """«egenregi» and «insourcing» share one definition; chapter 5 links «insourcing». The entry's
    «Brukt i» must list the chapters that link either headword, in book order, each once."""
    import laerebok

    docs = laerebok.chapter_docs()
    use = {"insourcing": [docs[6], docs[4]], "egenregi": [docs[4]]}
    assert laerebok.entry_use(["egenregi", "insourcing"], use) == [docs[4], docs[6]]
    assert laerebok.entry_use(["Egenregi"], use) == [docs[4]]
    assert laerebok.entry_use(["parkering"], use) == []


def test_glossary_backlinks_cover_every_headword(build):
    """On the built page, each entry's «Brukt i» names every chapter that links any of its headwords."""
    import laerebok

    use = laerebok.glossary_use()
    page = soup(build.html / "backmatter" / "begrepsliste.html")
    for dd in page.select("dl.glossary > dd"):
        headwords = []
        for sib in dd.find_previous_siblings():
            if sib.name != "dt":
                break
            headwords.append("".join(sib.find_all(string=True, recursive=False)).replace("\u00ad", "").strip())
        expected = {d.split("/")[-1] for d in laerebok.entry_use(headwords, use)}
        linked = {a["href"].split("#")[0].split("/")[-1].removesuffix(".html")
                  for a in dd.select("p.term-used a[href]")}
        assert linked == expected, f"{headwords}: «Brukt i» links {sorted(linked)}, the chapters use {sorted(expected)}"


@pytest.mark.parametrize("lecturer", [False, True])
def test_lecturer_edition_opens_every_solution(monkeypatch, lecturer):
    import norsk

    monkeypatch.setenv("BOOK_LECTURER", "1" if lecturer else "0")
    body = ('<div class="solution dropdown admonition" id="s1"><p class="admonition-title">Løsningsforslag til '
            '<a href="#e1">Oppgave 1.1</a></p><section id="solution-content"><p>Svar</p></section></div>')
    context = {"body": body}
    norsk._solutions_as_details(None, "chapters/x", "page.html", context, None)
    details = soup_of(context["body"]).select_one("details.solution")
    assert details is not None and details.select_one("summary").get_text() == "Løsningsforslag til Oppgave 1.1"
    assert details.has_attr("open") is lecturer


@pytest.mark.parametrize("lecturer", [False, True])
def test_a_dropdown_box_is_collapsed_in_every_edition(monkeypatch, lecturer):
    """A chapter's «Til fordypning» box (``:class: dropdown``) becomes <details>, closed also for lecturers."""
    import norsk

    monkeypatch.setenv("BOOK_LECTURER", "1" if lecturer else "0")
    body = ('<div class="admonition dropdown note"><p class="admonition-title">Til fordypning: seriebrudd</p>'
            '<p>Detaljer</p></div>')
    context = {"body": body}
    norsk._solutions_as_details(None, "chapters/x", "page.html", context, None)
    details = soup_of(context["body"]).select_one("details.admonition")
    assert details is not None and details.select_one("summary").get_text() == "Til fordypning: seriebrudd"
    assert not details.has_attr("open")


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


GUIDE = ROOT / "backmatter" / "til-foreleseren.md"


def test_workload_table_adds_up_within_the_norm_for_10_studiepoeng():
    """The hours in «Arbeidsmengde» add up to the stated total, the total lies in 250–300 hours
    (10 sp at 25–30 hours each, ECTS Users' Guide), and the first reading matches the reading
    times the book computes (rounded up to whole hours)."""
    import math

    import laerebok

    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Arbeidsmengde i et emne på 10 studiepoeng", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| Aktivitet")]
    hours = {row[0]: float(row[-1].strip("*").replace(",", ".")) for row in rows}
    total = hours.pop("**Til sammen**")
    assert sum(hours.values()) == total, f"the rows add up to {sum(hours.values())}, not {total}"
    assert 250 <= total <= 300
    minutes = sum(laerebok.reading_minutes(laerebok.prose_words(d)) for d in laerebok.chapter_docs())
    first = next(v for k, v in hours.items() if k.startswith("Første gjennomlesning"))
    assert first == math.ceil(minutes / 60), f"first reading: {first} h, the reading times add up to {minutes} min"


def test_lecturer_guide_names_only_the_cast_of_each_chapter_and_existing_code():
    """Under each chapter's heading, every cast name belongs to that chapter (CONTRIBUTING.md), and
    every exercise label and section label it links to exists in that chapter."""
    cast = {}
    for line in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| (\w+) \| [^|]+ \| [^|]+ \| ([\d, ]+) \|$", line)
        if m:
            cast[m[1]] = {int(n) for n in m[2].split(",")}
    assert len(cast) > 20
    text = GUIDE.read_text(encoding="utf-8")
    guide = text.split("## Kapittel for kapittel", 1)[1].split("\n## ", 1)[0]
    everything = [f.read_text(encoding="utf-8") for f in (ROOT / "chapters").glob("*.md")]
    for block in re.split(r"^### ", guide, flags=re.M)[1:]:
        number = int(block.split()[0])
        source = next((ROOT / "chapters").glob(f"{number:02d}-*.md")).read_text(encoding="utf-8")
        for name in cast:
            if re.search(rf"\b{name}(s)?\b", block):
                assert number in cast[name], f"chapter {number}: {name} is not in its cast"
        for label in re.findall(r"<(ex-[\w-]+)>", block):  # the exercises named are the chapter's own
            assert f":label: {label}" in source, f"chapter {number}: {label} is not one of its exercises"
        for label in re.findall(r"<((?:sec|fig)-[\w-]+)>|`((?:sec|fig)-[\w-]+)`", block):
            label = "".join(label)
            assert any(f"({label})=" in s or re.search(rf"\bname: {label}$", s, re.M) for s in everything), f"chapter {number}: no {label}"
