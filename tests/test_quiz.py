"""«Sjekk deg selv»: the quiz files, their rendering on the web, in the PDF, the EPUB and the student
notebooks, and the QTI packages for learning platforms."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import notebooks  # noqa: E402
import quiz  # noqa: E402

QUIZ_FILES = sorted((ROOT / quiz.QUIZ_DIR).glob("*.yml"))
GOOD = """\
questions:
  - id: et-sporsmal
    type: single
    section: "5.1"
    prompt: Hva er riktig?
    options:
      - text: Dette.
        correct: true
        feedback: Fordi.
      - text: Det andre.
        feedback: Nei.
  - id: et-tall
    type: numeric
    section: "5.2"
    prompt: Hvor mange?
    answer: 3
    tolerance: 0.5
    explanation: Tre.
"""


# ------------------------------------------------------------------ the files themselves

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "05-test.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads(tmp_path):
    questions = quiz.load_quiz(write(tmp_path, GOOD))
    assert [q.id for q in questions] == ["et-sporsmal", "et-tall"]
    assert sorted(o.text for o in questions[0].options) == ["Det andre.", "Dette."]
    assert questions[1].answer == 3.0 and questions[1].tolerance == 0.5


@pytest.mark.parametrize("old, new, message", [
    ("type: single", "type: essay", r"question 1 \('et-sporsmal'\): field 'type' must be one of"),
    ("        correct: true\n", "", r"question 1 \('et-sporsmal'\): a 'single' question needs exactly one correct option, has 0"),
    ("        feedback: Nei.", "        feedback: Nei.\n        correct: true", r"needs exactly one correct option, has 2"),
    ("    prompt: Hvor mange?\n", "", r"question 2 \('et-tall'\): field 'prompt' is missing or empty"),
    ("    tolerance: 0.5", "    tolerance: 0", r"question 2 \('et-tall'\): field 'tolerance' must be a number > 0"),
    ("    answer: 3", "    answer: tre", r"question 2 \('et-tall'\): field 'answer' must be a number or \{glue: key\}"),
    ("section: \"5.2\"", "section: avsnittet om tiltak", r"question 2 \('et-tall'\): field 'section' must be a section number"),
    ("id: et-tall", "id: et-sporsmal", r"question 2 \('et-sporsmal'\): id 'et-sporsmal' is used twice"),
    ("Hva er riktig?", "Hva sier {cite:t}`nav2024`?", r"question 1 \('et-sporsmal'\): field 'prompt' uses the role \{cite:t\}"),
    ("feedback: Fordi.", "feedback: ''", r"question 1 \('et-sporsmal'\), option 1: field 'feedback' is missing or empty"),
    ("      - text: Det andre.", "      - text: Dette.", r"two options have the same text"),
    ("    explanation: Tre.", "    explanation: Tre.\n    hint: Tell.", r"question 2 \('et-tall'\): unknown field\(s\) \['hint'\]"),
])
def test_bad_input_names_file_question_and_field(tmp_path, old, new, message):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(quiz.QuizError, match=message) as info:
        quiz.load_quiz(path)
    assert str(path) in str(info.value)


def test_bad_yaml_names_line_and_column(tmp_path):
    path = write(tmp_path, GOOD.replace("    prompt: Hvor mange?", "    prompt: [Hvor mange?"))
    with pytest.raises(quiz.QuizError, match=r"not valid YAML \(line \d+, column \d+\)"):
        quiz.load_quiz(path)


def test_option_order_is_shuffled_but_the_same_every_time(tmp_path):
    """The correct option is written first in the files; readers must not always meet it as «a)»."""
    firsts = []
    for path in QUIZ_FILES:
        for q in quiz.load_quiz(path):
            if q.type != "numeric":
                assert [o.text for o in q.options] == [o.text for o in quiz.load_quiz(path)[
                    [x.id for x in quiz.load_quiz(path)].index(q.id)].options]
                firsts.append(q.options[0].correct)
    assert firsts, "no choice questions found"
    assert not all(firsts), "the correct option comes first in every question"


@pytest.mark.parametrize("text, value", [("2,11", 2.11), ("76 %", 76.0), ("1\u00a0234", 1234.0),
                                         ("−0,3 prosentpoeng", -0.3), ("12", 12.0)])
def test_norwegian_numbers_parse(text, value):
    assert quiz.parse_norwegian_number(text) == value


@pytest.mark.parametrize("text", ["2.11", "om lag 12", "12–14", "", "1,2,3"])
def test_other_text_is_not_a_number(text):
    with pytest.raises(ValueError):
        quiz.parse_norwegian_number(text)


def test_every_quiz_file_belongs_to_a_chapter_that_shows_it():
    chapters = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "chapters").glob("*.md")}
    with_directive = {stem for stem, text in chapters.items() if re.search(r"^:{3,}\{quiz\}", text, re.M)}
    assert {p.stem for p in QUIZ_FILES} == with_directive
    for path in QUIZ_FILES:
        questions = quiz.load_quiz(path)
        number = path.stem.split("-")[0].lstrip("0")
        assert all(q.section.split(".")[0] == number for q in questions), f"{path.name}: a section outside the chapter"
        assert 8 <= len(questions) <= 12, f"{path.name}: {len(questions)} questions (the book has 8–12 per chapter)"


# ------------------------------------------------------------------ the built book

def chapter_glue(build, stem: str) -> dict[str, str]:
    return notebooks._glue_values(str(build.cache), ROOT / "chapters" / f"{stem}.md")


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_web_quiz_works_without_script(build, path):
    questions = quiz.load_quiz(path)
    soup = BeautifulSoup((build.html / "chapters" / f"{path.stem}.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("ol.quiz > li.quiz-question")
    assert len(items) == len(questions)
    values = chapter_glue(build, path.stem)
    for q, li in zip(questions, items):
        fieldset = li.find("fieldset")
        assert fieldset and fieldset.find("legend", recursive=False) is fieldset.find(True), "legend must come first"
        inputs = fieldset.find_all("input")
        for box in inputs:  # every control has a label, and choices of one question form one group
            assert soup.find("label", attrs={"for": box["id"]}), box["id"]
        if q.type == "numeric":
            answer = li.find("details", class_="quiz-answer").get_text(" ", strip=True)
            shown = values[q.glue] if q.glue else None
            assert shown is None or shown in answer, (q.id, shown, answer)
            continue
        assert len(inputs) == len(q.options)
        assert {i["type"] for i in inputs} == {"radio" if q.type == "single" else "checkbox"}
        assert len({i["name"] for i in inputs}) == 1
        for o, option in zip(q.options, li.select(".quiz-option")):
            feedback = option.find("p", class_="quiz-feedback")
            # the feedback follows its input as a sibling, so «input:checked ~ .quiz-feedback» shows it
            assert option.find("input").find_next_sibling("p") is feedback
            assert feedback.get_text(" ", strip=True).startswith("Riktig." if o.correct else "Ikke riktig.")
        link = li.find("details", class_="quiz-answer").find("a", href=True)
        assert link and soup.find(id=link["href"].lstrip("#")), f"{q.id}: the section link has no target"
        assert link.get_text(strip=True) == f"avsnitt {q.section}"


def test_feedback_is_shown_by_css_alone():
    css = (ROOT / "_static" / "book.css").read_text(encoding="utf-8")
    assert re.search(r"\.quiz-feedback\s*\{[^}]*display:\s*none", css)
    assert re.search(r"input:checked\s*~\s*\.quiz-feedback\s*\{[^}]*display:\s*block", css)


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_pdf_has_questions_in_the_chapter_and_answers_at_its_end(build, path):
    tex = next((build.root / "latex").glob("*.tex")).read_text(encoding="utf-8")
    label = f"chapters/{path.stem}:"
    questions_at = tex.index(r"\section{Sjekk deg selv}" + "\n" + r"\label{\detokenize{" + label)
    answers_at = tex.index(r"\section{Svar på «Sjekk deg selv»}" + "\n" + r"\label{\detokenize{" + label)
    exercises_at = tex.index(r"\section{Oppgaver}" + "\n" + r"\label{\detokenize{" + label)
    assert questions_at < exercises_at < answers_at
    assert "Riktig svar" not in tex[questions_at:exercises_at], "an answer stands next to its question"
    assert "Riktig svar" in tex[answers_at:]


def test_epub_has_no_form_controls_and_has_the_answers(build):
    with zipfile.ZipFile(build.epub) as z:
        pages = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml")}
    for path in QUIZ_FILES:
        page = next(text for name, text in pages.items() if path.stem in name)
        assert "<input" not in page and "<fieldset" not in page
        assert "Svar på «Sjekk deg selv»" in page and "Riktig svar" in page


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_student_notebook_has_the_quiz_as_markdown(build, path):
    nb = json.loads((build.html / "_downloads" / "kapitler" / f"{path.stem}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                     for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "{quiz}" not in text
    questions = quiz.load_quiz(path)
    assert text.count("**Spørsmål ") == len(questions)
    assert "{glue}" not in text


# ------------------------------------------------------------------ QTI packages

def qti_items(data: bytes) -> list[ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = ElementTree.fromstring(z.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iter() if f.tag.endswith("file")]
        for href in hrefs:  # every file the manifest names is in the package
            assert href in z.namelist(), href
        assessment = next(n for n in z.namelist() if n.endswith(".xml") and "assessment_meta" not in n
                          and n != "imsmanifest.xml")
        root = ElementTree.fromstring(z.read(assessment))
    return [e for e in root.iter() if e.tag.endswith("item")]


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_qti_package_has_every_question_with_the_right_answers(build, path):
    data = (build.html / "_downloads" / quiz.QTI_FOLDER / quiz.qti_name(f"chapters/{path.stem}")).read_bytes()
    questions = quiz.load_quiz(path)
    items = qti_items(data)
    assert [i.get("title") for i in items] == [q.id for q in questions]
    values = chapter_glue(build, path.stem)
    for q, item in zip(questions, items):
        if q.type == "numeric":
            exact = float(next(e for e in item.iter() if e.tag.endswith("varequal")).text)
            expected = quiz.parse_norwegian_number(values[q.glue]) if q.glue else q.answer
            assert exact == pytest.approx(expected), q.id
            continue
        labels = {r.get("ident"): plain("".join(r.itertext())) for r in item.iter() if r.tag.endswith("response_label")}
        assert set(labels.values()) == {plain(quiz.resolve_text(o.text, values)) for o in q.options}, q.id
        assert scored_choices(item, labels) == {plain(quiz.resolve_text(o.text, values)) for o in q.options if o.correct}, q.id


def plain(text: str) -> str:
    """Text without HTML tags or Markdown emphasis, spaces collapsed; text2qti's Markdown makes a
    straight apostrophe typographic, so both count as one."""
    text = BeautifulSoup(text, "html.parser").get_text(" ").replace("*", "").replace("'", "’")
    return " ".join(text.split()).replace(" ,", ",").replace(" .", ".")


def scored_choices(item: ElementTree.Element, labels: dict[str, str]) -> set[str]:
    """The choices that must be selected for full score (those under a <not> must be left out)."""
    right: set[str] = set()
    for condition in (e for e in item.iter() if e.tag.endswith("respcondition")):
        if not any(s.tag.endswith("setvar") and s.text.strip() == "100" for s in condition):
            continue

        def walk(node, negated=False):
            for child in node:
                if child.tag.endswith("varequal") and not negated and child.text in labels:
                    right.add(labels[child.text])
                walk(child, negated or child.tag.endswith("not"))
        walk(condition)
    return right

def test_qti_package_is_the_same_bytes_every_time(tmp_path):
    entry = {"questions": quiz.load_quiz(write(tmp_path, GOOD)), "values": {}, "section_titles": {"5.1": "5.1 Første"}}
    text = quiz.qti_text(entry, "Kapittel 5: Sjekk deg selv")
    assert quiz.qti_zip(text) == quiz.qti_zip(text)
    assert "Quiz title: Kapittel 5: Sjekk deg selv" in text and "Les mer i avsnitt 5.1 Første." in text
    assert [i.get("title") for i in qti_items(quiz.qti_zip(text))] == ["et-sporsmal", "et-tall"]


# ------------------------------------------------------------------ the course cartridge

sys.path.insert(0, str(ROOT / "scripts"))
import lms  # noqa: E402


def manifest_of(files: dict[str, bytes]) -> ElementTree.Element:
    return ElementTree.fromstring(files["imsmanifest.xml"])


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_cartridge(files: dict[str, bytes]) -> ElementTree.Element:
    root = manifest_of(files)
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids)), "identifiers must be unique"
    resources = {e.get("identifier"): e for e in root.iter() if local(e.tag) == "resource"}
    for res in resources.values():
        for f in (x for x in res if local(x.tag) == "file"):
            assert f.get("href") in files, f"the manifest names {f.get('href')}, which is not in the cartridge"
        for dep in (x for x in res if local(x.tag) == "dependency"):
            assert dep.get("identifierref") in resources
    for item in (e for e in root.iter() if local(e.tag) == "item" and e.get("identifierref")):
        assert item.get("identifierref") in resources, item.get("identifier")
    named = {f.get("href") for r in resources.values() for f in r if local(f.tag) == "file"}
    assert set(files) - {"imsmanifest.xml"} == named, "every file in the cartridge is named in the manifest"
    for name, data in files.items():
        if name.endswith(".xml"):
            ElementTree.fromstring(data)  # every XML file parses
    return root


def test_cartridge_has_a_module_per_chapter_with_goals_pdf_and_quiz(build):
    files = lms.cartridge_files(build.html / "_downloads", {**lms.book_config(), "published_url": ""})
    root = check_cartridge(files)
    chapters = sorted(p.stem for p in (ROOT / "chapters").glob("*.md"))
    modules = [e for e in root.iter() if local(e.tag) == "item" and e.get("identifier", "").startswith("m")
               and len(e.get("identifier")) == 3]
    titles = [next(x for x in m if local(x.tag) == "title").text for m in modules]
    assert [t.split(" ", 1)[0] for t in titles] == [str(int(c[:2])) for c in chapters]
    assert f"web_resources/{lms.PDF}" in files, "the book's PDF belongs in the cartridge"
    quizzes = [m for m in modules if any(x.get("identifier", "").endswith("_quiz") for x in m)]
    assert len(quizzes) == len(QUIZ_FILES)
    goals = files["wiki_content/kapittel-05-laeringsmal.html"].decode("utf-8")
    assert '<html lang="nb">' in goals and goals.count("<li>") >= 3


def test_cartridge_links_the_chapters_where_the_book_is_published(build):
    files = lms.cartridge_files(build.html / "_downloads", {**lms.book_config(), "published_url": "https://bok.example.no/"})
    check_cartridge(files)
    link = ElementTree.fromstring(files["weblinks/kapittel-05.xml"])
    url = next(e for e in link.iter() if local(e.tag) == "url").get("href")
    assert url == "https://bok.example.no/chapters/05-supported-employment-ips.html"


def test_cartridge_without_the_web_build_names_the_missing_file(tmp_path):
    with pytest.raises(lms.CartridgeError, match=r"moduler\.json: missing"):
        lms.cartridge_files(tmp_path, lms.book_config())
