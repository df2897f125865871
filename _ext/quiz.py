"""Local Sphinx extension: «Sjekk deg selv», the self-test at the end of each chapter.

A chapter's questions live in ``quizzes/<chapter file name>.yml`` and appear where the chapter
writes the directive::

    :::{quiz}
    :::

One source, three readers:

* on the web, each question is a ``<fieldset>`` of radio buttons (one answer) or check boxes
  (several answers); checking an option shows its feedback («Riktig.»/«Ikke riktig.» and why)
  through CSS alone, so it works without JavaScript and from the offline copy, and a native
  ``<details>`` «Vis svaret» gives the answer with a link to the section that explains it. A
  numeric question has a text field and the answer to unfold;
* in the PDF and the EPUB (where forms do not work), the questions stand in the chapter with
  lettered options, and the answers are collected at the chapter's end («Svar på Sjekk deg
  selv»), after the reader has met every question;
* for learning platforms, the same questions are kept in the environment, with the glued values
  and section titles resolved, for ``scripts/lms.py`` (QTI packages for Canvas, Moodle and
  Blackboard).

Numeric answers are never typed: ``answer: {glue: key}`` takes the value the chapter's analysis
glued, so the question cannot disagree with the text. Texts are MyST inline markup (emphasis,
``{glue}`` and nothing else that needs the chapter to resolve).

Options are shown in an order shuffled once per question (seeded by the question's id, so every
build, format and platform shows the same order): the author can write the correct option first
without every answer becoming «a)». Options must therefore stand on their own («none of the
above» would move).

Bad input stops the build with a message naming the file, the question and the field.
"""

from __future__ import annotations

import html
import json
import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

QUIZ_DIR = "quizzes"
TYPES = ("single", "multiple", "numeric")
ROLE = re.compile(r"\{(\w[\w:-]*)\}`([^`]*)`")
ALLOWED_ROLES = {"glue"}
LETTERS = "abcdefghij"


class QuizError(ExtensionError):
    """A quiz file that cannot be used; the message names file, question and field."""


@dataclass
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass
class Question:
    id: str
    type: str
    prompt: str
    section: str
    explanation: str
    options: list[Option] = field(default_factory=list)
    answer: float | None = None  # numeric: a typed value …
    glue: str | None = None  # … or the key of a value the chapter glued
    tolerance: float = 0.0
    unit: str = ""


# ------------------------------------------------------------------------------------ loading

def _where(path, n: int, qid) -> str:
    return f"{path}, question {n}" + (f" ({qid!r})" if qid else "")


def _text(path, n, qid, data: dict, key: str, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise QuizError(f"{_where(path, n, qid)}: field {key!r} is missing or empty")
        return ""
    if not isinstance(value, str):
        raise QuizError(f"{_where(path, n, qid)}: field {key!r} must be text, got {type(value).__name__}")
    for role, _ in ROLE.findall(value):
        if role not in ALLOWED_ROLES:
            raise QuizError(f"{_where(path, n, qid)}: field {key!r} uses the role {{{role}}}; "
                            f"only {sorted(ALLOWED_ROLES)} can be used in a quiz (it is also exported to learning platforms)")
    return value.strip()


def load_quiz(path: str | Path) -> list[Question]:
    """Read and check one quiz file; raise :class:`QuizError` naming file, question and field."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuizError(f"{path}: quiz file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise QuizError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list) or not raw["questions"]:
        raise QuizError(f"{path}: expected a mapping with a non-empty list 'questions'")
    unknown = set(raw) - {"questions"}
    if unknown:
        raise QuizError(f"{path}: unknown top-level field(s) {sorted(unknown)}")
    questions: list[Question] = []
    seen: set[str] = set()
    for n, data in enumerate(raw["questions"], start=1):
        if not isinstance(data, dict):
            raise QuizError(f"{_where(path, n, None)}: expected a mapping, got {type(data).__name__}")
        qid = data.get("id")
        if not isinstance(qid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", qid or ""):
            raise QuizError(f"{_where(path, n, qid)}: field 'id' must be lower-case letters, digits and hyphens")
        if qid in seen:
            raise QuizError(f"{_where(path, n, qid)}: id {qid!r} is used twice")
        seen.add(qid)
        known = {"id", "type", "prompt", "section", "explanation", "options", "answer", "tolerance", "unit"}
        unknown = set(data) - known
        if unknown:
            raise QuizError(f"{_where(path, n, qid)}: unknown field(s) {sorted(unknown)}")
        qtype = data.get("type")
        if qtype not in TYPES:
            raise QuizError(f"{_where(path, n, qid)}: field 'type' must be one of {list(TYPES)}, got {qtype!r}")
        section = data.get("section")
        if not isinstance(section, str) or not re.fullmatch(r"\d+\.\d+", section.strip()):
            raise QuizError(f"{_where(path, n, qid)}: field 'section' must be a section number such as '5.3', got {section!r}")
        q = Question(id=qid, type=qtype, prompt=_text(path, n, qid, data, "prompt"), section=section.strip(),
                     explanation=_text(path, n, qid, data, "explanation", required=(qtype == "numeric")))
        if qtype == "numeric":
            if "options" in data:
                raise QuizError(f"{_where(path, n, qid)}: a numeric question has 'answer', not 'options'")
            answer = data.get("answer")
            if isinstance(answer, dict) and set(answer) == {"glue"} and isinstance(answer["glue"], str):
                q.glue = answer["glue"]
            elif isinstance(answer, (int, float)) and not isinstance(answer, bool):
                q.answer = float(answer)
            else:
                raise QuizError(f"{_where(path, n, qid)}: field 'answer' must be a number or {{glue: key}}, got {answer!r}")
            tol = data.get("tolerance")
            if not isinstance(tol, (int, float)) or isinstance(tol, bool) or tol <= 0:
                raise QuizError(f"{_where(path, n, qid)}: field 'tolerance' must be a number > 0 "
                                f"(how far a rounded answer may be from the exact one), got {tol!r}")
            q.tolerance = float(tol)
            unit = data.get("unit", "")
            if not isinstance(unit, str):
                raise QuizError(f"{_where(path, n, qid)}: field 'unit' must be text")
            q.unit = unit
        else:
            for key in ("answer", "tolerance", "unit"):
                if key in data:
                    raise QuizError(f"{_where(path, n, qid)}: field {key!r} belongs to numeric questions only")
            options = data.get("options")
            if not isinstance(options, list) or not 2 <= len(options) <= len(LETTERS):
                raise QuizError(f"{_where(path, n, qid)}: field 'options' must list 2–{len(LETTERS)} options")
            for k, opt in enumerate(options, start=1):
                where = f"{_where(path, n, qid)}, option {k}"
                if not isinstance(opt, dict) or set(opt) - {"text", "correct", "feedback"}:
                    raise QuizError(f"{where}: expected the fields text, correct and feedback")
                if not isinstance(opt.get("correct", False), bool):
                    raise QuizError(f"{where}: field 'correct' must be true or false")
                for key in ("text", "feedback"):
                    value = opt.get(key)
                    if not isinstance(value, str) or not value.strip():
                        raise QuizError(f"{where}: field {key!r} is missing or empty")
                    for role, _ in ROLE.findall(value):
                        if role not in ALLOWED_ROLES:
                            raise QuizError(f"{where}: field {key!r} uses the role {{{role}}}; only {sorted(ALLOWED_ROLES)} can be used in a quiz")
                q.options.append(Option(opt["text"].strip(), opt.get("correct", False), opt["feedback"].strip()))
            right = sum(o.correct for o in q.options)
            if qtype == "single" and right != 1:
                raise QuizError(f"{_where(path, n, qid)}: a 'single' question needs exactly one correct option, has {right}")
            if qtype == "multiple" and right < 1:
                raise QuizError(f"{_where(path, n, qid)}: a 'multiple' question needs at least one correct option")
            if len({o.text for o in q.options}) != len(q.options):
                raise QuizError(f"{_where(path, n, qid)}: two options have the same text")
            random.Random(zlib.crc32(qid.encode())).shuffle(q.options)
        questions.append(q)
    return questions


_NUMBER = re.compile(r"^[−-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?$|^[−-]?\d+(?:,\d+)?$")


def parse_norwegian_number(text: str) -> float:
    """«12,4 %», «1 234», «−0,3 prosentpoeng» → a float; ValueError for anything else."""
    core = text.strip()
    for unit in ("prosentpoeng", "prosent", "%", "kr", "år", "måneder", "personer"):
        if core.endswith(unit):
            core = core[: -len(unit)].strip()
            break
    core = core.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if not _NUMBER.match(core):
        raise ValueError(f"{text!r} is not a Norwegian number")
    return float(core.replace(" ", "").replace(",", ".").replace("−", "-"))


# ------------------------------------------------------------------------------------ nodes

class quiz_list(nodes.General, nodes.Element):
    pass


class quiz_question(nodes.General, nodes.Element):
    pass


class quiz_prompt(nodes.General, nodes.TextElement):
    pass


class quiz_option(nodes.General, nodes.Element):
    pass


class quiz_label(nodes.General, nodes.TextElement):
    pass


class quiz_feedback(nodes.General, nodes.TextElement):
    pass


class quiz_numeric(nodes.General, nodes.Element):
    pass


class quiz_answer(nodes.General, nodes.Element):
    pass


class quiz_section_ref(nodes.Inline, nodes.TextElement):
    """«avsnitt 5.3», resolved to a link to that section of the page once the page is read."""


def _visit_list(self, node):
    self.body.append('<ol class="quiz">\n')


def _depart_list(self, node):
    self.body.append("</ol>\n")


KIND = {"single": "Velg ett svar.", "multiple": "Velg ett eller flere svar.", "numeric": "Skriv et tall."}


def _visit_question(self, node):
    self.body.append(f'<li class="quiz-question" id="{node["html_id"]}"><fieldset>\n')


def _depart_question(self, node):
    self.body.append("</fieldset></li>\n")


def _visit_prompt(self, node):
    self.body.append('<legend class="quiz-prompt">')


def _depart_prompt(self, node):
    self.body.append(f' <span class="quiz-kind">{KIND[node["qtype"]]}</span></legend>\n')


def _visit_option(self, node):
    self.body.append('<div class="quiz-option">')


def _depart_option(self, node):
    self.body.append("</div>\n")


def _visit_label(self, node):
    kind = "radio" if node["qtype"] == "single" else "checkbox"
    self.body.append(f'<input type="{kind}" name="{node["name"]}" id="{node["html_id"]}">'
                     f'<label for="{node["html_id"]}">')


def _depart_label(self, node):
    self.body.append("</label>")


def _visit_feedback(self, node):
    verdict = "Riktig." if node["correct"] else "Ikke riktig."
    cls = "quiz-right" if node["correct"] else "quiz-wrong"
    self.body.append(f'<p class="quiz-feedback {cls}"><strong>{verdict}</strong> ')


def _depart_feedback(self, node):
    self.body.append("</p>")


def _visit_numeric(self, node):
    self.body.append(f'<div class="quiz-numeric"><label for="{node["html_id"]}">Ditt svar</label> '
                     f'<input type="text" inputmode="decimal" autocomplete="off" id="{node["html_id"]}">'
                     + (f' <span class="quiz-unit">{html.escape(node["unit"])}</span>' if node["unit"] else "")
                     + "</div>\n")
    raise nodes.SkipNode


def _visit_answer(self, node):
    self.body.append('<details class="quiz-answer"><summary>Vis svaret</summary>\n')


def _depart_answer(self, node):
    self.body.append("</details>\n")


def _skip(self, node):
    raise nodes.SkipNode


# ------------------------------------------------------------------------------------ directive

def _chapter_number(section: str) -> str:
    return section.split(".")[0]


class QuizDirective(SphinxDirective):
    """``:::{quiz}`` — the questions of ``quizzes/<this page's file name>.yml``."""

    has_content = False
    required_arguments = 0

    def _inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text, self.lineno)
        return [*parsed, *messages]

    def run(self) -> list[nodes.Node]:
        env = self.env
        stem = Path(env.docname).name
        path = Path(env.srcdir) / QUIZ_DIR / f"{stem}.yml"
        env.note_dependency(str(path))
        questions = load_quiz(path)
        rel = path.relative_to(env.srcdir)
        interactive = env.app.builder.format == "html" and env.app.builder.name != "epub"

        # Numeric answers from the chapter's glue, checked now: a missing key or a value that is
        # not a number stops the build here, naming the file and question.
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        values: dict[str, str] = {}
        for n, q in enumerate(questions, start=1):
            texts = [q.prompt, q.explanation, *(t for o in q.options for t in (o.text, o.feedback))]
            keys = [k for t in texts for role, k in ROLE.findall(t) if role == "glue"]
            for key in ([q.glue] if q.glue else []) + keys:
                try:
                    data = retrieve_glue_data(self.state.document, key).data
                except RetrievalError:
                    raise QuizError(f"{_where(rel, n, q.id)}: glue key {key!r} is not glued by the chapter "
                                    f"{env.docname}") from None
                values[key] = str(data.get("text/plain", "")).strip().strip("'\"")
            if q.glue:
                try:
                    q.answer = parse_norwegian_number(values[q.glue])
                except ValueError:
                    raise QuizError(f"{_where(rel, n, q.id)}: field 'answer': glue key {q.glue!r} holds "
                                    f"{values[q.glue]!r}, not a number") from None

        store = getattr(env, "book_quizzes", None)
        if store is None:
            store = env.book_quizzes = {}
        store[env.docname] = {"file": str(rel), "questions": questions, "values": values}

        chapter = _chapter_number(questions[0].section)
        return [self._interactive(questions, chapter) if interactive else self._printed(questions, chapter)]

    def _answer_paragraphs(self, q: Question, letters: bool) -> list[nodes.Node]:
        para = nodes.paragraph()
        if q.type == "numeric":
            shown = f"{{glue}}`{q.glue}`" if q.glue else f"{q.answer:g}".replace(".", ",")
            para += nodes.strong(text="Svar: ")
            para += self._inline(shown + (f" {q.unit}" if q.unit and q.glue is None else ""))
        else:
            right = [(LETTERS[i], o) for i, o in enumerate(q.options) if o.correct]
            para += nodes.strong(text="Riktig svar: " if len(right) == 1 else "Riktige svar: ")
            for k, (letter, o) in enumerate(right):
                if k:
                    para += nodes.Text("; ")
                if letters:
                    para += nodes.Text(f"{letter}) ")
                para += self._inline(o.text.rstrip("."))
        para += nodes.Text(".")
        out: list[nodes.Node] = [para]
        if q.explanation:
            out.append(nodes.paragraph("", "", *self._inline(q.explanation)))
        elif q.type != "numeric" and letters:
            # in print the answers stand alone; on the web each option already shows its feedback
            for _, o in right:
                out.append(nodes.paragraph("", "", *self._inline(o.feedback)))
        more = nodes.paragraph()
        more += nodes.Text("Les mer i ")
        more += quiz_section_ref("", f"avsnitt {q.section}", section=q.section)
        more += nodes.Text(".")
        out.append(more)
        return out

    def _interactive(self, questions: list[Question], chapter: str) -> nodes.Node:
        ol = quiz_list()
        for n, q in enumerate(questions, start=1):
            base = f"q{chapter}-{n}"  # short: the ids repeat on every option (page weight)
            item = quiz_question(qtype=q.type, html_id=f"quiz-{chapter}-{q.id}")
            item += quiz_prompt("", "", *self._inline(q.prompt), qtype=q.type)
            if q.type == "numeric":
                item += quiz_numeric(html_id=f"{base}s", unit=q.unit)
            for i, o in enumerate(q.options):
                opt = quiz_option()
                opt += quiz_label("", "", *self._inline(o.text), qtype=q.type, name=base, html_id=f"{base}{LETTERS[i]}")
                opt += quiz_feedback("", "", *self._inline(o.feedback), correct=o.correct)
                item += opt
            answer = quiz_answer()
            for p in self._answer_paragraphs(q, letters=False):
                answer += p
            item += answer
            ol += item
        return ol

    def _printed(self, questions: list[Question], chapter: str) -> nodes.Node:
        ol = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["quiz"])
        answers = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["quiz-answers"])
        for q in questions:
            item = nodes.list_item()
            item += nodes.paragraph("", "", *self._inline(q.prompt))
            if q.type == "numeric":
                item += nodes.paragraph(text="Svar: ____________" + (f" {q.unit}" if q.unit else ""))
            else:
                if q.type == "multiple":
                    item += nodes.paragraph(text="(Ett eller flere svar er riktige.)")
                opts = nodes.enumerated_list(enumtype="loweralpha", prefix="", suffix=")")
                for o in q.options:
                    opts += nodes.list_item("", nodes.paragraph("", "", *self._inline(o.text)))
                item += opts
            ol += item
            answer = nodes.list_item()
            for p in self._answer_paragraphs(q, letters=True):
                answer += p
            answers += answer
        holder = nodes.container(classes=["quiz-printed"])
        holder += ol
        holder += quiz_answers_pending("", answers)
        return holder


class quiz_answers_pending(nodes.General, nodes.Element):
    """The printed answers, moved to the chapter's end when the page has been read."""


# ------------------------------------------------------------------------------------ Markdown

def resolve_text(text: str, values: dict[str, str]) -> str:
    """MyST inline text with its glue roles replaced by the glued values (plain Markdown)."""
    return ROLE.sub(lambda m: values[m.group(2)], text)


def markdown(entry: dict) -> list[str]:
    """The questions as Jupyter Markdown: options lettered, each answer in a ``<details>``."""
    values, titles = entry["values"], entry.get("section_titles", {})
    out: list[str] = []
    for n, q in enumerate(entry["questions"], start=1):
        out += [f"**Spørsmål {n}.** {resolve_text(q.prompt, values)} *{KIND[q.type]}*", ""]
        for i, o in enumerate(q.options):
            out.append(f"{LETTERS[i]}) {resolve_text(o.text, values)}  ")
        if q.options:
            out.append("")
        out += ["<details>", "<summary>Vis svaret</summary>", ""]
        if q.type == "numeric":
            shown = values[q.glue] if q.glue else f"{q.answer:g}".replace(".", ",") + (f" {q.unit}" if q.unit else "")
            out.append(f"**Svar:** {shown}.")
        else:
            for i, o in enumerate(q.options):
                verdict = "Riktig" if o.correct else "Ikke riktig"
                out.append(f"- {LETTERS[i]}) **{verdict}.** {resolve_text(o.feedback, values)}")
        if q.explanation:
            out += ["", resolve_text(q.explanation, values)]
        title = titles.get(q.section, f"avsnitt {q.section}")
        out += ["", f"Les mer i avsnitt {title}.", "", "</details>", ""]
    return out


# ------------------------------------------------------------------------------------ QTI

QTI_FOLDER = "sjekk-deg-selv"  # under _downloads/: one QTI package per chapter


def _one_line(text: str) -> str:
    return " ".join(text.split())


def qti_text(entry: dict, title: str, chapter_url: str = "") -> str:
    """The chapter's questions in text2qti's plain-text format (Norwegian, feedback included)."""
    values, titles = entry["values"], entry.get("section_titles", {})
    md = lambda text: _one_line(resolve_text(text, values))
    lines = [f"Quiz title: {title}",
             "Quiz description: Spørsmål til selvtest fra læreboka «Arbeidsinkludering i sosialt arbeid». "
             "Hvert svar forklarer hvorfor og viser til avsnittet i kapitlet.",
             "Shuffle answers: false",  # the book's own order, so a question reads the same everywhere
             "Show correct answers: true", ""]
    for n, q in enumerate(entry["questions"], start=1):
        where = titles.get(q.section, f"avsnitt {q.section}")
        more = f"Les mer i avsnitt {where}" + (f" ({chapter_url})" if chapter_url else "") + "."
        lines.append(f"Title: {q.id}")
        lines.append(f"{n}.  {md(q.prompt)}")
        general = " ".join(x for x in (md(q.explanation) if q.explanation else "", more) if x)
        lines.append(f"... {general}")
        if q.type == "numeric":
            lines.append(f"=   {q.answer!r} +- {q.tolerance!r}")
        for i, o in enumerate(q.options):
            mark = ("*" if o.correct else "") + f"{LETTERS[i]})" if q.type == "single" else ("[*]" if o.correct else "[ ]")
            lines.append(f"{mark} {md(o.text)}")
            lines.append(f"... {'Riktig' if o.correct else 'Ikke riktig'}. {md(o.feedback)}")
        lines.append("")
    return "\n".join(lines)


LICENSE_TEXT = "Creative Commons Navngivelse 4.0 Internasjonal (CC BY 4.0)"


def qti_members(text: str, date: str = "2026-01-01") -> list[tuple[str, str]]:
    """The files of a QTI 1.2 package made by text2qti from *text*: (path, content).

    text2qti stamps its manifest with today's date and calls the content «Private (Copyrighted)»;
    the book's packages carry the edition date and the book's licence instead."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    qti = QTI(Quiz(text, config=Config(), source_name="sjekk-deg-selv"))
    manifest = re.sub(r"<imsmd:dateTime>[^<]*</imsmd:dateTime>", f"<imsmd:dateTime>{date}</imsmd:dateTime>",
                      qti.imsmanifest_xml)
    manifest = re.sub(r"Private \(Copyrighted\)[^<]*", LICENSE_TEXT, manifest)
    manifest = manifest.replace("QTI assessment generated by text2qti", "Sjekk deg selv")
    if date not in manifest or LICENSE_TEXT not in manifest:
        raise RuntimeError("text2qti's manifest has changed: date or rights not found")
    return [("imsmanifest.xml", manifest),
               ("non_cc_assessments/", ""),
               (f"{qti.assessment_identifier}/assessment_meta.xml", qti.assessment_meta),
               (f"{qti.assessment_identifier}/{qti.assessment_identifier}.xml", qti.assessment)]


def qti_zip(text: str, date: str = "2026-01-01") -> bytes:
    """A QTI 1.2 package (zip), byte-for-byte the same for the same text and date."""
    import io
    import zipfile

    members = qti_members(text, date)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return stream.getvalue()


def qti_name(docname: str) -> str:
    return f"{Path(docname).name}-qti.zip"


def write_qti(app, exception) -> None:
    """One QTI package per chapter with a quiz, in ``_downloads/sjekk-deg-selv/``."""
    if exception is not None or app.builder.name != "html":
        return
    quizzes = getattr(app.env, "book_quizzes", {})
    target = Path(app.outdir) / "_downloads" / QTI_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    base = (app.config.html_baseurl or "").rstrip("/")
    date = str(app.config.book_metadata.get("edition_date", "2026-01-01"))
    for docname, entry in sorted(quizzes.items()):
        number = entry["questions"][0].section.split(".")[0]
        title = f"Kapittel {number}: Sjekk deg selv"
        url = f"{base}/{docname}.html" if base else ""
        data = qti_zip(qti_text(entry, title, url), date)
        out = target / qti_name(docname)
        if not out.is_file() or out.read_bytes() != data:
            out.write_bytes(data)
    # The modules of the course cartridge (scripts/lms.py): each chapter's title, page, learning
    # goals and quiz, in the book's order.
    modules = []
    order = [d for d in _toc_order(app) if d.startswith("chapters/")]
    for docname in order:
        doctree = app.env.get_doctree(docname)
        title = next(iter(doctree.findall(nodes.title))).astext()
        goals = []
        for section in doctree.findall(nodes.section):
            if section.next_node(nodes.title).astext().strip() == "Læringsmål":
                intro = section.next_node(nodes.paragraph)
                items = section.next_node(lambda n: isinstance(n, (nodes.bullet_list, nodes.enumerated_list)))
                goals = ([intro.astext()] if intro else []) + [li.astext() for li in (items.children if items else [])]
                break
        if not goals:
            raise QuizError(f"{docname}: no «Læringsmål» section with a bullet list (the course cartridge needs it)")
        modules.append({"docname": docname, "title": title, "page": f"{docname}.html", "goals": goals,
                        "qti": qti_name(docname) if docname in quizzes else None})
    text = json.dumps({"edition_date": date, "modules": modules}, ensure_ascii=False, indent=1) + "\n"
    index = target / "moduler.json"
    if not index.is_file() or index.read_text(encoding="utf-8") != text:
        index.write_text(text, encoding="utf-8")


def _toc_order(app) -> list[str]:
    """Every document in reading order, from the root's toctrees."""
    seen: list[str] = []

    def walk(doc: str) -> None:
        for child in app.env.toctree_includes.get(doc, []):
            if child not in seen:
                seen.append(child)
                walk(child)
    walk(app.config.root_doc)
    return seen


# ------------------------------------------------------------------------------------ after reading

def _resolve(app, doctree) -> None:
    docname = app.env.docname
    refs = list(doctree.findall(quiz_section_ref))
    pending = list(doctree.findall(quiz_answers_pending))
    if not refs and not pending:
        return
    entry = getattr(app.env, "book_quizzes", {}).get(docname, {})
    file = entry.get("file", docname)
    sections: dict[str, nodes.section] = {}
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        m = re.match(r"(\d+\.\d+)\s", title.astext() if title else "")
        if m and m.group(1) not in sections:
            sections[m.group(1)] = section
    titles = {}
    for ref in refs:
        number = ref["section"]
        if number not in sections:
            raise QuizError(f"{file}: a question refers to section {number}, which {docname} does not have "
                            f"(its sections: {', '.join(sections) or 'none'})")
        target = sections[number]
        titles[number] = target.next_node(nodes.title).astext()
        link = nodes.reference("", "", nodes.Text(ref.astext()), refid=target["ids"][0], internal=True)
        ref.replace_self(link)
    if entry:
        entry["section_titles"] = titles
    for node in pending:
        chapter = next(doctree.findall(nodes.section))
        section = nodes.section(ids=[f"svar-sjekk-deg-selv-{docname.replace('/', '-')}"],
                                names=[f"svar på sjekk deg selv {docname}"])
        section += nodes.title(text="Svar på «Sjekk deg selv»")
        section.extend(node.children)
        node.parent.remove(node)
        chapter += section


def _purge(app, env, docname) -> None:
    getattr(env, "book_quizzes", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "book_quizzes"):
        env.book_quizzes = {}
    env.book_quizzes.update(getattr(other, "book_quizzes", {}))


def setup(app):
    for node, visit, depart in [
        (quiz_list, _visit_list, _depart_list),
        (quiz_question, _visit_question, _depart_question),
        (quiz_prompt, _visit_prompt, _depart_prompt),
        (quiz_option, _visit_option, _depart_option),
        (quiz_label, _visit_label, _depart_label),
        (quiz_feedback, _visit_feedback, _depart_feedback),
        (quiz_numeric, _visit_numeric, None),
        (quiz_answer, _visit_answer, _depart_answer),
    ]:
        # Interactive nodes exist only in the web build's doctrees; other writers never meet them.
        app.add_node(node, html=(visit, depart), latex=(_skip, None), text=(_skip, None))
    app.add_node(quiz_section_ref)
    app.add_node(quiz_answers_pending)
    app.add_directive("quiz", QuizDirective)
    app.connect("doctree-read", _resolve, priority=400)  # before norsk moves the solutions: answers come first
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", write_qti)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
