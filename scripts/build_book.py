"""Build the book in every format from the same sources: web site, PDF and EPUB.

    .venv/bin/python scripts/build_book.py [OUT] [--formats html,pdf,epub,pdfua] [--lecturer]

* html → OUT/html (the site), pdf → OUT/latex/arbeidsinkludering.pdf (xelatex via latexmk),
  epub → OUT/epub/arbeidsinkludering.epub, pdfua → OUT/pdf-ua/: the tagged PDF/UA-1 book
  (arbeidsinkludering-tilgjengelig.pdf) and one tagged PDF per chapter (<stem>.pdf), made from the
  EPUB's XHTML by WeasyPrint (scripts/pdf_ua.py; needs the epub step first);
* the PDFs, the EPUB and a zip of the site are copied into OUT/html/_downloads/, where every
  page links to them (the lecturer edition, which holds the exam set, gets no site zip), so the downloads work from the built folder, offline; with the site come
  the analysis package as a wheel and the student kit (scripts/student_kit.py), and for
  lecturers a QTI package per chapter quiz, the course cartridge (_ext/quiz.py, scripts/lms.py) and
  a slide deck per chapter, as zip and PDF in _downloads/lysark/ (scripts/slides.py);
* every builder runs nitpicky with warnings as errors; the notebooks are executed once
  (jupyter-cache) and the outputs reused by all three builders.

Used by scripts/build.sh (OUT = _build) and by the tests (OUT = a temporary folder).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import lms  # noqa: E402
import pdf_ua  # noqa: E402
import slides  # noqa: E402
import student_kit  # noqa: E402

NAME = "arbeidsinkludering"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # fixed timestamps: the same site gives the same zip
#: the «Hele nettstedet som zip» item of the download menu (page.html marks it)
SITE_ZIP_LINK = re.compile(rb'\s*<li class="download-site">.*?</li>', re.S)


class BuildError(RuntimeError):
    pass


def _run(cmd: list[str], cwd: Path, env: dict[str, str], what: str) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n{log[-6000:]}")
    return log


def sphinx(builder: str, out: Path, env: dict[str, str], warnings: Path) -> str:
    # PDF and EPUB always read the sources afresh (-E): their doctrees are rewritten for the
    # format by _ext/norsk.py, and the notebooks' outputs come from the cache, so this is cheap.
    fresh = ["-E"] if builder in ("latex", "epub") else []
    return _run(
        [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", *fresh, "-b", builder,
         "-d", str(out / f"doctrees-{builder}"), "-w", str(warnings), str(ROOT), str(out / builder)],
        ROOT, env, f"sphinx -b {builder}",
    )


def pdf(out: Path, env: dict[str, str]) -> Path:
    latex = out / "latex"
    # Sphinx's Makefile runs latexmk with its latexmkrc (xelatex, xindy for the index)
    _run(["make", "all-pdf", "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error -silent"], latex, env,
         "xelatex (make all-pdf)")
    target = latex / f"{NAME}.pdf"
    if not target.is_file():
        raise BuildError(f"{target} was not produced")
    return target


def zip_site(html: Path, target: Path) -> None:
    """A deterministic zip of the site (sorted names, fixed dates), without itself (the student kit goes in)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in html.rglob("*") if p.is_file()):
            rel = path.relative_to(html)
            if rel == Path("_downloads", target.name) or path.suffix == ".map" \
                    or any(part.startswith(".") for part in rel.parts):
                continue  # the zip itself, source maps, .buildinfo and doctrees are not for readers
            info = zipfile.ZipInfo(f"{NAME}/{rel.as_posix()}", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = path.read_bytes()
            if path.suffix == ".html":  # the offline copy does not offer itself for download
                data = SITE_ZIP_LINK.sub(b"", data)
            z.writestr(info, data)


def drop_site_zip(html: Path, target: Path) -> None:
    """The lecturer edition gets no zip of the site: its pages carry the exam set and the marking guides
    (``{only} laerer``), and a zip is made to be shared. Remove a stale zip and the menu item linking to it."""
    target.unlink(missing_ok=True)
    for path in html.rglob("*.html"):
        data = path.read_bytes()
        stripped = SITE_ZIP_LINK.sub(b"", data)
        if stripped != data:
            path.write_bytes(stripped)


def build(out: Path, formats: tuple[str, ...] = ("html", "pdf", "epub"), env: dict[str, str] | None = None,
          lecturer: bool = False) -> dict[str, float]:
    """Build *formats* into *out*; return the seconds each step took."""
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ if env is None else env)
    env.setdefault("PYTHONHASHSEED", "0")
    if lecturer:
        env["BOOK_LECTURER"] = "1"
    times: dict[str, float] = {}
    warnings = out / "warnings.txt"
    warnings.write_text("", encoding="utf-8")
    for fmt in formats:
        start = time.perf_counter()
        if fmt == "html":
            sphinx("html", out, env, out / "warnings-html.txt")
        elif fmt == "pdf":
            sphinx("latex", out, env, out / "warnings-latex.txt")
            pdf(out, env)
        elif fmt == "epub":
            shutil.rmtree(out / "epub", ignore_errors=True)  # the EPUB packs every file in its folder
            sphinx("epub", out, env, out / "warnings-epub.txt")
        elif fmt == "pdfua":
            shutil.rmtree(out / "pdf-ua", ignore_errors=True)
            try:
                detail = pdf_ua.build(out)
            except pdf_ua.PdfUaError as exc:
                raise BuildError(str(exc)) from exc
            times["pdfua-cpu"] = detail["cpu"]  # CPU seconds (layout, book and chapter writers)
        else:
            raise ValueError(f"unknown format {fmt!r} (html, pdf, epub, pdfua)")
        times[fmt] = time.perf_counter() - start
    html = out / "html"
    if html.is_dir():
        downloads = html / "_downloads"
        downloads.mkdir(exist_ok=True)
        tagged = sorted((out / "pdf-ua").glob("*.pdf")) if (out / "pdf-ua").is_dir() else []
        for src in (out / "latex" / f"{NAME}.pdf", out / "epub" / f"{NAME}.epub", *tagged):
            if src.is_file():
                shutil.copy2(src, downloads / src.name)
        pdf_ua.copy_under_old_names(downloads)  # moved chapters keep their old PDF address
        if "html" in formats:
            student_kit.build_kit(downloads)  # the wheel and the student kit, from the chapter notebooks
            start = time.perf_counter()
            try:
                slides.build(out)  # the lysark: one deck per chapter, HTML (zip) and PDF
            except slides.SlideError as exc:
                raise BuildError(str(exc)) from exc
            times["lysark"] = time.perf_counter() - start
        if (downloads / "sjekk-deg-selv" / "moduler.json").is_file():
            lms.build_cartridge(downloads)  # the course cartridge (.imscc) for learning platforms
        site_zip = downloads / f"{NAME}-nettsted.zip"
        if lecturer:
            drop_site_zip(html, site_zip)  # the lecturer edition holds the exam set: no offline copy to share
        else:
            zip_site(html, site_zip)
    text = "".join((out / f"warnings-{b}.txt").read_text(encoding="utf-8")
                   for b in ("html", "latex", "epub") if (out / f"warnings-{b}.txt").is_file())
    warnings.write_text(text, encoding="utf-8")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default=str(ROOT / "_build"))
    ap.add_argument("--formats", default="html,pdf,epub,pdfua")
    ap.add_argument("--lecturer", action="store_true", help="open every solution (lecturer edition)")
    args = ap.parse_args()
    try:
        times = build(Path(args.out), tuple(f.strip() for f in args.formats.split(",") if f.strip()),
                      lecturer=args.lecturer)
    except BuildError as exc:
        sys.exit(str(exc))
    for fmt, seconds in times.items():
        if not fmt.endswith("-cpu"):
            cpu = times.get(f"{fmt}-cpu")
            print(f"{fmt:6s} {seconds:6.1f} s" + (f" ({cpu:.1f} s CPU)" if cpu is not None else ""))


if __name__ == "__main__":
    main()
