"""The course cartridge for learning platforms: an IMS Common Cartridge 1.1 (``.imscc``) with one
module per chapter.

Each module holds the chapter's learning goals (a page), a link to the chapter on the book's
published address (``published_url`` in ``_config.yml``; without one the module says where the
chapter is instead), the chapter as a tagged PDF (``_downloads/<stem>.pdf``, scripts/pdf_ua.py), the book's PDF, the chapter's slides as PDF (``_downloads/lysark/``), and the chapter's «Sjekk deg selv» quiz as the QTI 1.2
assessment the web build made (``_downloads/sjekk-deg-selv/``). Canvas imports the cartridge
as a course («Importer kursinnhold» → «Common Cartridge 1.x»), and so do Moodle and Blackboard.

Written as a zip with fixed timestamps, so the same build gives the same bytes.
"""

from __future__ import annotations

import html
import io
import json
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))

import quiz  # noqa: E402
from student_kit import ZIP_DATE, book_config  # noqa: E402

CARTRIDGE = "arbeidsinkludering-emnepakke.imscc"
PDF = "arbeidsinkludering.pdf"
NS = ('xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" '
      'xmlns:lomimscc="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest" '
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xsi:schemaLocation="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 '
      'http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd '
      'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest '
      'http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"')


class CartridgeError(Exception):
    """The build's outputs do not hold what the cartridge needs; the message names the file."""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8"/>\n<title>{html.escape(title)}</title>\n'
            f"</head>\n<body>\n{body}</body>\n</html>\n")


def _weblink(title: str, url: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<webLink xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1">\n'
            f"  <title>{escape(title)}</title>\n  <url href={quoteattr(url)} target=\"_blank\"/>\n</webLink>\n")


def cartridge_files(downloads: Path, book: dict) -> dict[str, bytes]:
    """Path inside the cartridge → bytes. ``imsmanifest.xml`` names every other file."""
    index_path = downloads / quiz.QTI_FOLDER / "moduler.json"
    if not index_path.is_file():
        raise CartridgeError(f"{index_path}: missing (the web build writes it; build html first)")
    index = json.loads(index_path.read_text(encoding="utf-8"))
    base = (book.get("published_url") or "").rstrip("/")
    title = book["title"]
    files: dict[str, bytes] = {}
    resources: list[str] = []
    modules: list[str] = []

    pdf = downloads / PDF
    if pdf.is_file():
        files[f"web_resources/{PDF}"] = pdf.read_bytes()
        resources.append(f'<resource identifier="res_pdf" type="webcontent" href="web_resources/{PDF}">'
                         f'<file href="web_resources/{PDF}"/></resource>')

    for n, module in enumerate(index["modules"], start=1):
        mid = f"m{n:02d}"
        items: list[str] = []
        goals = module["goals"]
        where = (f'<p>Les kapitlet på nett: <a href={quoteattr(base + "/" + module["page"])}>{html.escape(module["title"])}</a>.</p>\n'
                 if base else f"<p>Kapitlet står i boka «{html.escape(title)}», i PDF-en og på bokas nettsted.</p>\n")
        body = (f"<h1>{html.escape(module['title'])}</h1>\n<h2>Læringsmål</h2>\n<p>{html.escape(goals[0])}</p>\n<ul>\n"
                + "".join(f"<li>{html.escape(g)}</li>\n" for g in goals[1:]) + "</ul>\n" + where)
        page = f"wiki_content/kapittel-{n:02d}-laeringsmal.html"
        files[page] = _page(f"{module['title']}: læringsmål", body).encode("utf-8")
        resources.append(f'<resource identifier="res_{mid}_goals" type="webcontent" href="{page}"><file href="{page}"/></resource>')
        items.append(f'<item identifier="{mid}_goals" identifierref="res_{mid}_goals"><title>Læringsmål</title></item>')
        if base:
            link = f"weblinks/kapittel-{n:02d}.xml"
            files[link] = _weblink(module["title"], f"{base}/{module['page']}").encode("utf-8")
            resources.append(f'<resource identifier="res_{mid}_link" type="imswl_xmlv1p1"><file href="{link}"/></resource>')
            items.append(f'<item identifier="{mid}_link" identifierref="res_{mid}_link"><title>Les kapitlet på nett</title></item>')
        chapter_pdf = downloads / f"{Path(module['docname']).name}.pdf"
        if chapter_pdf.is_file():  # the chapter on its own, tagged PDF/UA (scripts/pdf_ua.py)
            href = f"web_resources/kapitler/{chapter_pdf.name}"
            files[href] = chapter_pdf.read_bytes()
            resources.append(f'<resource identifier="res_{mid}_kapittel" type="webcontent" href="{href}"><file href="{href}"/></resource>')
            items.append(f'<item identifier="{mid}_kapittel" identifierref="res_{mid}_kapittel"><title>Kapitlet som PDF (tagget, PDF/UA)</title></item>')
        if pdf.is_file():
            items.append(f'<item identifier="{mid}_pdf" identifierref="res_pdf"><title>Boka som PDF</title></item>')
        deck = downloads / "lysark" / f"lysark-{Path(module['docname']).name}.pdf"
        if deck.is_file():  # the chapter's slides (scripts/slides.py), when the web build made them
            href = f"web_resources/lysark/{deck.name}"
            files[href] = deck.read_bytes()
            resources.append(f'<resource identifier="res_{mid}_lysark" type="webcontent" href="{href}"><file href="{href}"/></resource>')
            items.append(f'<item identifier="{mid}_lysark" identifierref="res_{mid}_lysark"><title>Lysark (PDF)</title></item>')
        if module["qti"]:
            qti_path = downloads / quiz.QTI_FOLDER / module["qti"]
            if not qti_path.is_file():
                raise CartridgeError(f"{qti_path}: missing (named in {index_path})")
            with zipfile.ZipFile(qti_path) as z:
                names = [x for x in z.namelist() if not x.endswith("/") and x != "imsmanifest.xml"]
                meta = next(x for x in names if x.endswith("/assessment_meta.xml"))
                assessment = next(x for x in names if x != meta)
                ident = assessment.split("/")[0]
                for x in names:
                    files[x] = z.read(x)
            resources.append(f'<resource identifier="{ident}" type="imsqti_xmlv1p2">'
                             f'<file href="{assessment}"/><dependency identifierref="{ident}_meta"/></resource>')
            resources.append(f'<resource identifier="{ident}_meta" type="associatedcontent/imscc_xmlv1p1/learning-application-resource" '
                             f'href="{meta}"><file href="{meta}"/></resource>')
            items.append(f'<item identifier="{mid}_quiz" identifierref="{ident}"><title>Sjekk deg selv</title></item>')
        modules.append(f'<item identifier="{mid}"><title>{escape(module["title"])}</title>{"".join(items)}</item>')

    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="arbeidsinkludering-emnepakke" {NS}>\n'
        "<metadata><schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion>"
        f"<lomimscc:lom><lomimscc:general><lomimscc:title><lomimscc:string language=\"nb\">{escape(title)}</lomimscc:string>"
        "</lomimscc:title></lomimscc:general><lomimscc:rights><lomimscc:copyrightAndOtherRestrictions>"
        "<lomimscc:value>yes</lomimscc:value></lomimscc:copyrightAndOtherRestrictions><lomimscc:description>"
        f"<lomimscc:string>{escape(book['license']['name'])}</lomimscc:string></lomimscc:description></lomimscc:rights>"
        "</lomimscc:lom></metadata>\n"
        '<organizations><organization identifier="org" structure="rooted-hierarchy"><item identifier="root">'
        + "\n".join(modules) + "</item></organization></organizations>\n"
        "<resources>\n" + "\n".join(resources) + "\n</resources>\n</manifest>\n")
    return {"imsmanifest.xml": manifest.encode("utf-8"), **files}


def build_cartridge(downloads: Path, book: dict | None = None) -> Path:
    """Write the cartridge into *downloads*; return its path."""
    files = cartridge_files(downloads, book or book_config())
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    target = downloads / CARTRIDGE
    target.write_bytes(stream.getvalue())
    return target


if __name__ == "__main__":
    print(build_cartridge(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html" / "_downloads"))
