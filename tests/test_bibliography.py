"""The bibliography as a research librarian checks it before a reference list is printed:
complete journal references, a retrieval date on every web source, one entry per DOI, real
years, readable links, and the reference-list style (APA 7 with Norwegian words).

Each check is a function that returns the problems it finds, so the same code runs on
``references.bib`` and on small bad fixtures that prove the check can fail."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from pybtex.database import BibliographyData, parse_file, parse_string

from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))

import norsk  # noqa: E402  (the book's Sphinx extension: the reference-list style and readable_url)

BIB = ROOT / "references.bib"

#: Journals that number their issues by year and have no volumes: an article in them needs its
#: issue number and the URL of the article instead of a volume and pages (APA 7: issue only).
JOURNALS_WITHOUT_VOLUMES = {
    "Arbeid og velferd": "Nav's journal: «nr. 1–4» each year, articles on arbeidogvelferd.nav.no, no volumes",
    "Samfunnsspeilet": "Statistics Norway's magazine: «nr. 1/2015» etc., no volumes",
    "Cochrane Database of Systematic Reviews": "issue by year and an article number (CD…) with a DOI, no volumes",
}

#: Articles whose volume, pages or DOI could not be verified in a copy of the publisher's page
#: (revision of 2026-12-06; see /work/briefs/research/bib.md). Listed, not silently passed: the
#: test fails as soon as an entry here is complete, so the list only ever shrinks.
PENDING = {
    "modini2016": "Br J Psychiatry: volume/issue/pages not seen (DOI present)",
    "froyland2018": "J Soc Policy, online 5 July 2018: print volume/issue/pages not seen",
    "froyland2017": "Tidsskrift for ungdomsforskning 2017 nr. 2, s. 3–26 (journal page, OsloMet ODA): volume number not seen",
    "terum2018": "J Soc Policy, online 13 March 2017: print volume/pages and DOI not seen",
    "jessen2014": "J Soc Policy 43(2) (OsloMet repository): pages and DOI not seen",
    "ingold2014": "J Soc Policy, online 9 December 2014: print volume/pages and DOI not seen",
    "gjersoe2021creaming": "J Soc Policy, online 20 December 2021: print volume/pages and DOI not seen",
    "smedsvik2023": "J Soc Policy, online 19 June 2023: print volume/pages and DOI not seen",
    "osterud2022": "Social Policy and Society, online 4 March 2022: volume/pages and DOI not seen",
    "hyggen2021": "Social Policy and Society, online 3 March 2021: volume/pages and DOI not seen",
    "enehaug2021": "Nordic Journal of Working Life Studies: volume/issue and DOI not seen",
    "kane2018": "Eur J Comp Law & Gov 5(4), first page 317 (Brill URL): last page and DOI not seen",
    "wik2019": "Søkelys på arbeidslivet 2019 nr. 4 (Idunn): volume, pages and DOI not seen",
    "gjersoe2022kritisk": "Kritisk juss 2022 nr. 1: volume, pages and DOI not seen",
    "gjersoe2021help": "Eur J Soc Work, online 2021: volume/issue/pages and DOI not seen",
    "grunfeld1997": "Tidsskr Nor Lægeforen 117 (1997): issue and pages not seen",
    "ribe2019": "Fontene forskning, published online 5 June 2019: volume/issue/pages not seen",
    "solheim2020": "Eur J Soc Work, online 2020 (DOI present): print volume/issue/pages not seen",
    "gjersoe2020maternalistic": "Social Policy & Administration 2020 (DOI seen): volume/issue/pages not seen",
    "hansen2016natland": "Nordic Social Work Research, pp. 101-114, online 16 Aug 2016: volume/issue not seen",

    "fekjaer2024": "Acta Sociologica, online 14 February 2023 (DOI seen): print volume/issue/pages not seen",
    "kinn2024": "J Occup Rehabil, online 2024 (DOI present): volume/issue/pages not seen",
    "sveinsdottir2019history": "Psychiatr Rehabil J, online 2019 (NORCE Brage record, DOI present): cited as the online version",
    "bakken2020": "Nordisk tidsskrift for ungdomsforskning 2020 nr. 1 (Idunn URL): volume, pages and DOI not seen",
}

DOC_SCRAPERS = ("9pdf.", "docplayer.", "studocu.", "5dok.", "vdocuments.", "pdffox.", "doczz.", "cupdf.")
YEAR = re.compile(r"\d{4}|u\.å\.")


def fields(entry) -> dict[str, str]:
    return {k.lower(): v for k, v in entry.fields.items()}


def article_problems(key: str, entry) -> list[str]:
    """An @article needs its journal, a volume (or, in a journal without volumes, its issue and
    URL), and its pages or article number or DOI."""
    if entry.type != "article":
        return []
    f = fields(entry)
    problems = []
    journal = f.get("journal", "")
    if not journal:
        problems.append(f"{key}: article without journal")
    if journal in JOURNALS_WITHOUT_VOLUMES:
        # an issue number, or (for a web article published outside the numbered issues) its date
        issued = "number" in f or f.get("note", "").startswith("Publisert")
        if not issued or not ("url" in f or "doi" in f):
            problems.append(f"{key}: {journal} has no volumes; give the issue (number) and the URL or DOI")
        return problems
    if "volume" not in f:
        problems.append(f"{key}: article without volume")
    if not ({"pages", "eid", "doi"} & f.keys()):
        problems.append(f"{key}: article without pages, article number or DOI")
    return problems


def web_source_problems(key: str, entry) -> list[str]:
    """A web page (@misc/@online with a URL) needs the date it was read, as a real ISO date."""
    f = fields(entry)
    if entry.type not in ("misc", "online") or "url" not in f:
        return []
    if "urldate" not in f:
        return [f"{key}: web source without urldate"]
    try:
        dt.date.fromisoformat(f["urldate"])
    except ValueError:
        return [f"{key}: urldate {f['urldate']!r} is not a date (YYYY-MM-DD)"]
    return []


def doi_problems(bib: BibliographyData) -> list[str]:
    """No two entries with one DOI, except a chapter and the book it is in: APA 7 gives a chapter
    without its own DOI the book's, and the two are then different works that share a link."""
    by_doi: dict[str, list[str]] = {}
    for key, entry in bib.entries.items():
        doi = fields(entry).get("doi")
        if doi:
            by_doi.setdefault(doi.lower(), []).append(key)
    problems = []
    for doi, keys in by_doi.items():
        if len(keys) < 2:
            continue
        entries = [bib.entries[k] for k in keys]
        books = [e for e in entries if e.type == "book"]
        chapters = [e for e in entries if e.type in ("incollection", "inbook")]
        chapter_in_book = (len(books) == 1 and len(books) + len(chapters) == len(entries)
                           and all(fields(c).get("booktitle") == fields(books[0]).get("title") for c in chapters)
                           and all(c.persons.get("author") for c in chapters))
        if not chapter_in_book:
            problems.append(f"{', '.join(keys)} share the DOI {doi}")
    return problems


def url_problems(key: str, entry) -> list[str]:
    url = fields(entry).get("url")
    if not url:
        return []
    problems = []
    if norsk.readable_url(url) != url:
        problems.append(f"{key}: percent-encoded URL (write it as {norsk.readable_url(url)})")
    if any(s in url for s in DOC_SCRAPERS):
        problems.append(f"{key}: a document scraper, not the publisher")
    return problems


def year_problems(key: str, entry) -> list[str]:
    year = fields(entry).get("year")
    if year is not None and not YEAR.fullmatch(year):
        return [f"{key}: year {year!r} (a year, or «u.å.» for an undated page; a session goes in the title or author)"]
    return []


def citation(entry) -> tuple[str, str]:
    """How the book cites an entry in the text: «Kane & Spjelkavik, 2021a», «Reme mfl., 2019»,
    «Nav, u.å.» (the author-year style in _ext/norsk.py)."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    lasts = [re.sub(r"[{}]", "", " ".join(p.prelast_names + p.last_names)) for p in persons]
    who = f"{lasts[0]} mfl." if len(lasts) >= 3 else " & ".join(lasts)
    f = fields(entry)
    return who, f.get("year", "u.å.") + f.get("yearsuffix", "")


def citation_problems(bib: BibliographyData) -> list[str]:
    """Two works must not be cited alike: the same authors in the same year need the letters
    of APA 7 (``yearsuffix = {a}``, ``{b}`` … in the order of the reference list)."""
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for key, entry in bib.entries.items():
        suffix = fields(entry).get("yearsuffix")
        if suffix is not None and not re.fullmatch(r"[a-z]", suffix):
            problems.append(f"{key}: yearsuffix {suffix!r} is not one letter a–z")
        label = citation(entry)
        if label in seen:
            problems.append(f"{key}, {seen[label]} are both cited as ({label[0]}, {label[1]}): give them yearsuffix a and b")
        seen.setdefault(label, key)
    return problems


def all_problems(bib: BibliographyData, pending: dict[str, str] | None = None) -> list[str]:
    pending = pending or {}
    problems = []
    for key, entry in bib.entries.items():
        if key not in pending:
            problems += article_problems(key, entry)
        problems += web_source_problems(key, entry) + url_problems(key, entry) + year_problems(key, entry)
    return problems + doi_problems(bib) + citation_problems(bib)


@pytest.fixture(scope="module")
def bib() -> BibliographyData:
    return parse_file(str(BIB))


def test_references_bib_has_no_problems(bib):
    problems = all_problems(bib, PENDING)
    assert not problems, "\n".join(problems)


def test_pending_articles_are_still_incomplete(bib):
    """An entry leaves PENDING when it is fixed, so the list says what is really missing."""
    for key, reason in PENDING.items():
        assert key in bib.entries, f"{key}: in PENDING but not in references.bib"
        assert article_problems(key, bib.entries[key]), f"{key} is complete now: remove it from PENDING ({reason})"


# ---- each check can fail -----------------------------------------------------------------

BAD = r"""
@article{noissue, author = {A, B}, title = {T}, journal = {J}, year = {2020}}
@article{novolume, author = {A, B}, title = {T}, journal = {J}, year = {2020}, pages = {1--2}}
@article{nojournal, author = {A, B}, title = {T}, year = {2020}, volume = {3}, doi = {10.1/a}}
@article{avnoissue, author = {A, B}, title = {T}, journal = {Arbeid og velferd}, year = {2020}, url = {https://x.no/a}}
@misc{nodate, author = {{X}}, title = {T}, year = {2020}, url = {https://x.no/b}}
@misc{baddate, author = {{X}}, title = {T}, year = {2020}, url = {https://x.no/c}, urldate = {6.12.2026}}
@book{one, author = {A, B}, title = {T}, year = {2020}, doi = {10.1/same}}
@book{two, author = {C, D}, title = {U}, year = {2021}, doi = {10.1/SAME}}
@misc{encoded, author = {{X}}, title = {T}, year = {2020}, url = {https://lovdata.no/lov/2009-12-18-131/%C2%A720a}, urldate = {2026-12-06}}
@misc{scraper, author = {{X}}, title = {T}, year = {2020}, url = {https://9pdf.net/document/x}, urldate = {2026-12-06}}
@misc{session, author = {{Prop. 1 L}}, title = {T}, year = {2016–2017}, url = {https://x.no/d}, urldate = {2026-12-06}}
@misc{alike1, author = {{Nav}}, title = {T}, year = {u.å.}, url = {https://x.no/e}, urldate = {2026-12-06}}
@misc{alike2, author = {{Nav}}, title = {U}, year = {u.å.}, url = {https://x.no/f}, urldate = {2026-12-06}}
@misc{badsuffix, author = {{Y}}, title = {T}, year = {2020}, yearsuffix = {1}, url = {https://x.no/g}, urldate = {2026-12-06}}
"""

GOOD = r"""
@article{ok, author = {A, B}, title = {T}, journal = {J}, year = {2020}, volume = {3}, doi = {10.1/a}}
@article{av, author = {C, D}, title = {T}, journal = {Arbeid og velferd}, year = {2020}, number = {2}, url = {https://x.no/a}}
@misc{page, author = {{X}}, title = {T}, year = {u.å.}, url = {https://x.no/a%3Fb/trår}, urldate = {2026-12-06}}
@book{book, editor = {A, B}, title = {Boka}, year = {2021}, yearsuffix = {b}, doi = {10.1/book}}
@incollection{chapter, author = {A, B}, title = {Kapittel}, booktitle = {Boka}, year = {2021}, yearsuffix = {a}, doi = {10.1/book}}
"""


@pytest.mark.parametrize("key, message", [
    ("noissue", "without volume"), ("noissue", "without pages"), ("novolume", "without volume"),
    ("nojournal", "without journal"), ("avnoissue", "has no volumes"), ("nodate", "without urldate"),
    ("baddate", "not a date"), ("one", "share the DOI"), ("encoded", "percent-encoded"),
    ("scraper", "scraper"), ("session", "year '2016–2017'"), ("alike2", "both cited as (Nav, u.å.)"),
    ("badsuffix", "not one letter"),
])
def test_each_check_can_fail(key, message):
    problems = all_problems(parse_string(BAD, "bibtex"))
    assert any(p.startswith(key) and message in p for p in problems), (key, message, problems)


def test_good_entries_pass():
    assert all_problems(parse_string(GOOD, "bibtex")) == []


def test_a_pending_entry_is_still_checked_for_everything_else():
    bib = parse_string(BAD, "bibtex")
    assert any(p.startswith("noissue") for p in all_problems(bib))
    assert not any(p.startswith("noissue") for p in all_problems(bib, {"noissue": "why"}))


# ---- the reference-list style (_ext/norsk.py) ----------------------------------------------

def render(bibtex: str) -> list[str]:
    style = norsk.ApaNorwegianStyle()
    data = parse_string(bibtex, "bibtex")
    return [entry.text.render_as("text") for entry in style.format_entries(data.entries.values())]


def test_two_authors_have_a_comma_before_the_ampersand():
    [text] = render(r"@article{a, author = {Dahl, Espen S. and Lima, Ivar}, title = {T}, journal = {J},"
                    r" year = {2021}, volume = {2}, pages = {1--9}}")
    assert text.startswith("Dahl, E. S., & Lima, I. (2021). T. J, 2, 1–9.")


def test_editors_of_a_book_and_in_a_chapter():
    book, chapter = render(
        r"@book{b, editor = {Kane, Aina A. and Spjelkavik, Øystein}, title = {Boka}, publisher = {Orkana Akademisk},"
        r" year = {2021}, doi = {10.33673/OOA20211}}"
        r"@incollection{c, author = {Kane, Aina A. and Spjelkavik, Øystein}, title = {Kapittel}, booktitle = {Boka},"
        r" editor = {Kane, Aina A. and Spjelkavik, Øystein}, publisher = {Orkana Akademisk}, year = {2021},"
        r" pages = {17--40}, doi = {10.33673/OOA20211}}")
    assert book.startswith("Kane, A. A., & Spjelkavik, Ø. (Red.). (2021). Boka.")
    assert "Kapittel. I A. A. Kane & Ø. Spjelkavik (Red.), Boka (s. 17–40). Orkana Akademisk." in chapter


def test_a_chapter_in_a_book_written_by_its_authors():
    # APA 7: a chapter in an authored (not edited) book names the book's authors without «(Red.)»
    [chapter] = render(
        r"@incollection{c, author = {Stjernø, Steinar and Hatland, Aksel}, title = {Kapittel}, booktitle = {Boka},"
        r" bookauthor = {Ellingsæter, Anne Lise and Hatland, Aksel and Haave, Per and Stjernø, Steinar},"
        r" publisher = {Gyldendal}, year = {2020}, isbn = {978-82-05-49869-3}}")
    assert chapter.startswith("Stjernø, S., & Hatland, A. (2020). Kapittel. I A. L. Ellingsæter, A. Hatland,"
                              " P. Haave, & S. Stjernø, Boka. Gyldendal.")
    assert "(Red.)" not in chapter


def test_a_conference_paper_is_printed_like_a_chapter():
    [text] = render(r"@inproceedings{p, author = {Seabold, Skipper and Perktold, Josef}, title = {statsmodels: Modeling},"
                    r" booktitle = {Proceedings of the 9th {Python} in Science Conference}, year = {2010},"
                    r" pages = {92--96}, doi = {10.25080/Majora-92bf1922-011}}")
    assert text.startswith("Seabold, S., & Perktold, J. (2010). statsmodels: Modeling. I Proceedings of the 9th Python")
    assert "Conference (s. 92–96). https://doi.org/10.25080/Majora-92bf1922-011" in text


def test_an_article_number_is_printed_as_such():
    [text] = render(r"@article{a, author = {Johnsen, Tone}, title = {T}, journal = {Frontiers in Psychology},"
                    r" year = {2022}, volume = {13}, eid = {687384}, doi = {10.3389/fpsyg.2022.687384}}")
    assert "Frontiers in Psychology, 13, Artikkel 687384. https://doi.org/10.3389/fpsyg.2022.687384" in text


def test_the_year_letter_is_printed_in_the_list_and_in_undated_works():
    chapter, book, undated = render(
        r"@incollection{c, author = {Kane, Aina A. and Spjelkavik, Øystein}, title = {K}, booktitle = {B},"
        r" editor = {Kane, Aina A. and Spjelkavik, Øystein}, year = {2021}, yearsuffix = {a}, doi = {10.1/b}}"
        r"@book{b, editor = {Kane, Aina A. and Spjelkavik, Øystein}, title = {B}, year = {2021}, yearsuffix = {b}, doi = {10.1/b}}"
        r"@misc{u, author = {{Nav}}, title = {U}, year = {u.å.}, yearsuffix = {b}, url = {https://x.no}, urldate = {2026-12-06}}")
    assert chapter.startswith("Kane, A. A., & Spjelkavik, Ø. (2021a). K.")
    assert book.startswith("Kane, A. A., & Spjelkavik, Ø. (Red.). (2021b). B.")
    assert undated.startswith("Nav. (u.å.-b). U.")


def test_urls_are_shown_decoded_and_undated_pages_get_a_retrieval_date():
    dated, undated = render(
        r"@misc{d, author = {{Lovdata}}, title = {T}, year = {2020}, url = {https://lovdata.no/lov/2009-12-18-131/%C2%A720a},"
        r" urldate = {2026-11-23}}"
        r"@misc{u, author = {{Nav}}, title = {U}, year = {u.å.}, url = {https://www.nav.no/x}, urldate = {2026-12-06}}")
    assert dated.endswith("https://lovdata.no/lov/2009-12-18-131/§20a") and "Hentet" not in dated
    assert undated.startswith("Nav. (u.å.). U.")  # a group author ends with a period, as a person's initials do
    assert undated.endswith("Hentet 6. desember 2026 fra https://www.nav.no/x")


def test_readable_url_keeps_escapes_that_mean_something():
    assert norsk.readable_url("https://x.no/jobb%3F_L%C3%B8pebaner") == "https://x.no/jobb%3F_Løpebaner"
    assert norsk.readable_url("https://x.no/a%2Fb%20c") == "https://x.no/a%2Fb%20c"
    assert norsk.readable_url("https://x.no/Kan_%EF%BF%BDraske") == "https://x.no/Kan_%EF%BF%BDraske"  # U+FFFD
    assert norsk.readable_url("https://x.no/%28a%29%3A") == "https://x.no/(a):"


# ---- the data's sources ----------------------------------------------------------------------

def test_no_published_figure_is_read_from_a_document_scraper():
    """norway_stats names, for every figure, the page it was read from: that page must be the
    publisher's, not a copy on a document-sharing site (the book's source rules)."""
    import csv

    with open(ROOT / "data" / "norway_stats.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    bad = [r["row_id"] for r in rows if any(s in (r["url"] or "") for s in DOC_SCRAPERS)]
    assert not bad, f"rows read from a document scraper: {bad}"


def test_reference_list_order_is_apa_in_the_norwegian_alphabet():
    """One alphabet for people and group authors (the braces of «{Nav}» do not count), a sole
    author before co-authored works, «u.å.» first, and Æ Ø Å after Z."""
    order = [line.split(".")[0] for line in render(r"""
        @article{z, author = {Åsen, Per}, title = {T}, journal = {J}, year = {2020}, volume = {1}, pages = {1}}
        @article{o, author = {Østerud, Kaja}, title = {T}, journal = {J}, year = {2020}, volume = {1}, pages = {1}}
        @misc{n2, author = {{Nav}}, title = {T}, year = {2020}, url = {https://x.no}, urldate = {2026-12-06}}
        @misc{n1, author = {{Nav}}, title = {T}, year = {u.å.}, url = {https://x.no}, urldate = {2026-12-06}}
        @article{k2, author = {Kane, Aina A. and Lima, Ivar}, title = {T}, journal = {J}, year = {2018}, volume = {1}, pages = {1}}
        @article{k1, author = {Kane, Aina A.}, title = {T}, journal = {J}, year = {2020}, volume = {1}, pages = {1}}
        @article{m, author = {Molander, Anders}, title = {T}, journal = {J}, year = {2016}, volume = {1}, pages = {1}}
        @article{a, author = {Aamodt, Kari}, title = {T}, journal = {J}, year = {2016}, volume = {1}, pages = {1}}
        """)]
    assert order == ["Aamodt, K", "Kane, A", "Kane, A", "Molander, A", "Nav", "Nav", "Østerud, K", "Åsen, P"]
    texts = render(r"""
        @misc{n2, author = {{Nav}}, title = {Dated}, year = {2020}, url = {https://x.no}, urldate = {2026-12-06}}
        @misc{n1, author = {{Nav}}, title = {Undated}, year = {u.å.}, url = {https://x.no}, urldate = {2026-12-06}}
        @article{k2, author = {Kane, Aina A. and Lima, Ivar}, title = {Two}, journal = {J}, year = {2018}, volume = {1}, pages = {1}}
        @article{k1, author = {Kane, Aina A.}, title = {One}, journal = {J}, year = {2020}, volume = {1}, pages = {1}}
        """)
    titles = [re.search(r"\)\. (\w+)", t).group(1) for t in texts]
    assert titles == ["One", "Two", "Undated", "Dated"]


def test_citation_style_separates_works_with_semicolons_and_writes_og_in_running_text():
    style = norsk.NorwegianAuthorYearStyle()
    assert style.bracket_parenthetical.sep == "; "
    textual = [s for s in style.styles if isinstance(s, norsk._Textual)]
    parenthetical = [s for s in style.styles if isinstance(s, norsk._Parenthetical)]
    assert textual and parenthetical, "the year-letter citation styles replace the package's"
    assert textual[0].person.sep2 == " og " and parenthetical[0].person.sep2 == " & "
    assert all(any(used is s for s in style.styles) for used in style.role_style.values()), "a role uses a replaced style"


def test_more_than_twenty_authors_are_cut_as_apa_7_says():
    """APA 7: up to 20 authors are all listed; from 21, the first 19, an ellipsis and the last."""
    many = " and ".join(f"Author{chr(65 + i // 26)}{chr(65 + i % 26)}, A." for i in range(39))
    text = render(rf"@article{{x, author = {{{many}}}, title = {{T}}, journal = {{J}}, year = {{2025}}, volume = {{1}}, pages = {{1}}}}")[0]
    assert "AuthorAS, A., …, AuthorBM, A." in text and "AuthorAT" not in text and "&" not in text, text
    twenty = " and ".join(f"Author{chr(65 + i)}, A." for i in range(20))
    text = render(rf"@article{{y, author = {{{twenty}}}, title = {{T}}, journal = {{J}}, year = {{2025}}, volume = {{1}}, pages = {{1}}}}")[0]
    assert "…" not in text and "AuthorS, A., & AuthorT, A." in text, text
