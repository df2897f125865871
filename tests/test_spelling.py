"""Spelling of the chapters' Norwegian prose: hunspell (nb_NO) plus the project word list.

The word list (tests/wordlist.txt) holds only real words the dictionary lacks: names, field
terms, acronyms and English terms the book uses. The English abstract, code, glue values,
citation keys and link targets are not prose and are left out.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from test_site import chapter_files

MAX_PER_1000 = 2.0
WORDLIST = ROOT / "tests" / "wordlist.txt"
FENCE = re.compile(r"^(`{3,}|:{3,})")


def prose(markdown: str) -> str:
    """The reader-visible Norwegian prose of a MyST chapter."""
    if markdown.startswith("---"):
        markdown = markdown[markdown.index("\n---", 3) + 4:]
    markdown = re.sub(r"(?ms)^## Abstract.*?(?=^## )", "", markdown)
    lines, in_code = [], False
    for line in markdown.splitlines():
        s = line.strip()
        if s.startswith("```"):
            in_code = not in_code
            continue
        if in_code or FENCE.match(s) or re.match(r"^:[\w-]+:", s) or re.match(r"^\(.+\)=$", s):
            continue
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"\{term\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)  # keep the term's text
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", " ", text)  # other roles: cite, glue, ref, numref
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return text


def unknown_words(text: str) -> list[str]:
    out = subprocess.run(
        ["hunspell", "-d", "nb_NO", "-p", str(WORDLIST), "-l"],
        input=text, capture_output=True, text=True, check=True,
    ).stdout.split()
    return [w for w in out if len(w) > 1 and not w.isupper()]


def test_prose_extraction_drops_code_roles_and_abstract():
    text = prose("---\nx: 1\n---\n# Tittel\nEt ord {term}`begrep <b>` og {cite:p}`key2020`.\n"
                 "```{code-cell} ipython3\nimport numpy\n```\n## Abstract\nEnglish words.\n## Referanser\n")
    assert "begrep" in text and "key2020" not in text and "numpy" not in text and "English" not in text


def test_hunspell_flags_a_misspelling():
    assert shutil.which("hunspell"), "hunspell is required: run scripts/setup.sh (installs Debian hunspell, hunspell-no)"
    assert unknown_words("arbeidsinkludering er viktig for velferdn") == ["velferdn"]


@pytest.mark.parametrize("f", chapter_files())
def test_chapter_spelling(f):
    assert shutil.which("hunspell"), "hunspell is required: run scripts/setup.sh (installs Debian hunspell, hunspell-no)"
    text = prose((ROOT / f"{f}.md").read_text(encoding="utf-8"))
    words = re.findall(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä][\wÆØÅæøåÉéÜüÖöÄä'’-]*", text)
    unknown = unknown_words(text)
    rate = 1000 * len(unknown) / max(len(words), 1)
    assert rate <= MAX_PER_1000, (
        f"{f}: {len(unknown)} unknown words ({rate:.1f} per 1000 > {MAX_PER_1000}): {sorted(set(unknown))[:40]}. "
        "Fix the spelling, or add real words (names, field terms) to tests/wordlist.txt"
    )


def test_wordlist_is_sorted_words_only():
    words = [w for w in WORDLIST.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    assert all(re.fullmatch(r"[\wÆØÅæøåÉéÜüÖöÄä'’.-]+", w) for w in words), "one word per line"
    assert len(words) == len(set(words)), "duplicate words in tests/wordlist.txt"


@pytest.mark.parametrize("path", sorted((ROOT / "quizzes").glob("*.yml")), ids=lambda p: p.stem)
def test_quiz_spelling(path):
    """«Sjekk deg selv»: every prompt, option, feedback and explanation, with no unknown word."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [q.get(k, "") for q in data["questions"] for k in ("prompt", "explanation")]
    texts += [o.get(k, "") for q in data["questions"] for o in q.get("options", []) for k in ("text", "feedback")]
    unknown = unknown_words(prose("\n".join(texts)))
    assert not unknown, f"{path.name}: unknown words {sorted(set(unknown))}; fix them or add real words to tests/wordlist.txt"
