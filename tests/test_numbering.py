"""Chapter and section numbers written in the text agree with the book's order, so that moving a
chapter (the second edition put a new chapter 9 before the old 9–11) can never leave a stale number.

The chapters carry their numbers in their own titles («# 10 Inkluderingskompetanse …») and headings
(«## 10.3 …»); everything else that names a number is checked against them:

* a chapter's title number is its position among the chapters in ``_toc.yml``, and its numbered
  headings are N.1, N.2, … in order;
* ``{ref}`kapittel N <kap-…>``` and ``{doc}`Gå til kapittel N <…/chapters/…>``` name the number of
  the chapter they link to; a lecturer-guide heading «### N Title» is chapter N's title;
* ``{ref}`avsnitt N.M <sec-…>``` (or ``{ref}`N.M <sec-…>```) names the heading the label stands on;
* a plain «avsnitt N.M», «avsnittene N.M–N.K», «(N.M)» after «avsnitt», and «oppgave N.M» name a
  section or an exercise that exists in chapter N; a quiz question's ``section:`` is a section of
  the quiz's own chapter.

Citations with a locator (``{cite:p}`key{avsnitt 5.3}```) point into the cited work, not the book,
and are left out.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CHAPTERS = [c["file"] for part in TOC["parts"] for c in part["chapters"] if c["file"].startswith("chapters/")]
TEXTS = sorted([*ROOT.glob("chapters/*.md"), *ROOT.glob("backmatter/*.md"), *ROOT.glob("frontmatter/*.md"),
                ROOT / "index.md"])
CITE = re.compile(r"\{cite:[a-z]+\}`[^`]*`")
NUMBER = r"\d+\.\d+"


def source(doc: str) -> str:
    return (ROOT / f"{doc}.md").read_text(encoding="utf-8")


def position(doc: str) -> int:
    return CHAPTERS.index(doc) + 1


def chapter_labels() -> dict[str, str]:
    """``kap-…`` label → chapter document."""
    labels = {}
    for doc in CHAPTERS:
        for label in re.findall(r"^\((kap-[\w-]+)\)=$", source(doc), re.M):
            labels[label] = doc
    return labels


def sections() -> dict[int, list[tuple[str, str | None]]]:
    """Chapter number → its numbered headings as (N.M, label standing on it or None)."""
    out = {}
    for doc in CHAPTERS:
        lines = source(doc).splitlines()
        found = []
        for i, line in enumerate(lines):
            m = re.match(rf"^## ({NUMBER}) ", line)
            if m:
                label = re.match(r"^\(([\w-]+)\)=$", lines[i - 1]) if i else None
                found.append((m[1], label[1] if label else None))
        out[position(doc)] = found
    return out


def exercises() -> dict[int, int]:
    return {position(doc): len(re.findall(r"^:::+\{exercise\}", source(doc), re.M)) for doc in CHAPTERS}


def without_citations(text: str) -> str:
    return CITE.sub("", text)


def test_chapter_titles_and_headings_follow_the_toc():
    for doc in CHAPTERS:
        n = position(doc)
        title = re.search(r"^# (\d+) ", source(doc), re.M)
        assert title and int(title[1]) == n, f"{doc}: the title must start with {n} (its place in _toc.yml)"
        numbers = [s for s, _ in sections()[n]]
        assert numbers == [f"{n}.{m}" for m in range(1, len(numbers) + 1)], f"{doc}: headings {numbers}"


def test_chapter_links_name_the_chapters_number():
    labels = chapter_labels()
    stale = []
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\{ref\}`[Kk]apittel\s+(\d+)\s*<(kap-[\w-]+)>`", text):
            doc = labels.get(m[2])
            assert doc, f"{path.name}: no chapter has the label {m[2]}"
            if int(m[1]) != position(doc):
                stale.append(f"{path.name}: «{m[0]}» – {doc} is chapter {position(doc)}")
        for m in re.finditer(r"\{doc\}`[^`<]*?[Kk]apittel\s+(\d+)\s*<(?:\.\./)?(chapters/[\w-]+)>`", text):
            if m[2] not in CHAPTERS:
                stale.append(f"{path.name}: «{m[0]}» – {m[2]} is no chapter")
            elif int(m[1]) != position(m[2]):
                stale.append(f"{path.name}: «{m[0]}» – {m[2]} is chapter {position(m[2])}")
    assert not stale, "\n".join(stale)


def test_lecturer_guide_headings_are_the_chapters_titles():
    guide = (ROOT / "backmatter" / "til-foreleseren.md").read_text(encoding="utf-8")
    block = guide.split("## Kapittel for kapittel", 1)[1].split("\n## ", 1)[0]
    titles = {position(doc): re.search(r"^# (.+)$", source(doc), re.M)[1] for doc in CHAPTERS}
    for heading in re.findall(r"^### (\d+ .+)$", block, re.M):
        n = int(heading.split()[0])
        assert titles.get(n) == heading, f"«### {heading}»: chapter {n} is «{titles.get(n)}»"


def test_section_links_name_the_sections_number():
    by_label = {label: number for found in sections().values() for number, label in found if label}
    stale = []
    for path in TEXTS:
        for m in re.finditer(rf"\{{ref\}}`(?:[Aa]vsnitt\s+)?({NUMBER})\s*<([\w-]+)>`", path.read_text(encoding="utf-8")):
            if m[2] in by_label and by_label[m[2]] != m[1]:
                stale.append(f"{path.name}: «{m[0]}» – {m[2]} is section {by_label[m[2]]}")
    assert not stale, "\n".join(stale)


# «avsnitt 5.8, 10.11 og 12.14», «avsnittene 12.2–12.4», «(avsnitt 9.3) og deretter … (9.4)» is not
# followed: only numbers in the list that starts right after the word.
LIST = rf"({NUMBER}(?:\s*(?:,|og|eller|til|–|-)\s*{NUMBER})*)"


def _numbers(listing: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"(\d+)\.(\d+)", listing)]


def test_plain_section_and_exercise_numbers_exist():
    secs = {n: {s for s, _ in found} for n, found in sections().items()}
    counts = exercises()
    stale = []
    for path in TEXTS:
        text = without_citations(path.read_text(encoding="utf-8"))
        text = re.sub(r"\s+", " ", text)
        for m in re.finditer(rf"\b[Aa]vsnitt(?:ene)?\s+{LIST}", text):
            for n, k in _numbers(m[1]):
                if f"{n}.{k}" not in secs.get(n, set()):
                    stale.append(f"{path.name}: «{m[0]}» – chapter {n} has no section {n}.{k}")
        for m in re.finditer(rf"\b[Oo]ppgave(?:ne)?\s+{LIST}", text):
            for n, k in _numbers(m[1]):
                if not 1 <= k <= counts.get(n, 0):
                    stale.append(f"{path.name}: «{m[0]}» – chapter {n} has {counts.get(n, 0)} exercises")
    assert not stale, "\n".join(stale)


@pytest.mark.parametrize("path", sorted((ROOT / "quizzes").glob("*.yml")), ids=lambda p: p.stem)
def test_quiz_sections_are_sections_of_the_quizs_chapter(path: Path):
    doc = f"chapters/{path.stem}"
    assert doc in CHAPTERS, f"{path.name}: no chapter {doc} in _toc.yml"
    secs = {s for s, _ in sections()[position(doc)]}
    quiz = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in quiz["questions"]:
        assert str(q["section"]) in secs, f"{path.name}: section {q['section']} is not in chapter {position(doc)}"


def test_the_checks_catch_a_stale_number(tmp_path, monkeypatch):
    """The checks themselves: a link that names the old number of a moved chapter fails."""
    labels = chapter_labels()
    moved = labels["kap-hva-virker"]
    stale = tmp_path / "stale.md"
    stale.write_text(f"Se {{ref}}`kapittel {position(moved) - 1} <kap-hva-virker>` og avsnitt 99.1.\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "TEXTS", [stale])
    with pytest.raises(AssertionError, match="kap-hva-virker"):
        test_chapter_links_name_the_chapters_number()
    with pytest.raises(AssertionError, match="no section 99.1"):
        test_plain_section_and_exercise_numbers_exist()
