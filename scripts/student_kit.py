"""The analysis package as a wheel, and the student kit: every chapter notebook, the wheel, a
requirements.txt and a Norwegian «LES MEG».

The wheel holds ``book`` with the datasets and ``datapackage.json`` as package data in
``book/datasets/`` (read through importlib.resources and validated on every load, as in the
repository). Its version is the edition in ``_config.yml``; its dependencies are
``[project].dependencies`` in ``pyproject.toml`` (only what the analyses need). It is written
directly as a zip with fixed timestamps, so the same sources give the same bytes, and no build
backend is needed.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import tomllib
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
sys.path.insert(0, str(ROOT / "_ext"))

from notebooks import kit_name, published_url, wheel_name  # noqa: E402
import omdirigering  # noqa: E402


def book_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def wheel_files() -> dict[str, bytes]:
    """Path inside the wheel → bytes, for the package and its data."""
    files = {}
    for path in sorted((ROOT / "book").glob("*.py")):
        files[f"book/{path.name}"] = path.read_bytes()
    for path in sorted((ROOT / "data").iterdir()):
        if path.suffix in (".csv", ".json"):
            files[f"book/datasets/{path.name}"] = path.read_bytes()
    return files


def metadata(book: dict, proj: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        "Name: arbeidsinkludering-book",
        f"Version: {book['edition']}",
        f"Summary: {proj['description']}",
        f"Requires-Python: {proj['requires-python']}",
        f"License: {proj['license']}",
    ]
    lines += [f"Requires-Dist: {dep}" for dep in proj["dependencies"]]
    return "\n".join(lines) + "\n\n" + (
        "Analysepakken til den åpne læreboka «" + book["title"] + "»: datasettene med skjema og "
        "proveniens, norsk tallformatering, figurer, statistikk og simuleringer.\n")


def build_wheel(target_dir: Path) -> Path:
    """Write the wheel into *target_dir* and return its path."""
    book, proj = book_config(), project()
    if str(proj["version"]) != str(book["edition"]):
        raise ValueError(f"pyproject.toml version {proj['version']} is not the edition {book['edition']} "
                         "in _config.yml: the package's version follows the edition")
    name = wheel_name(book)
    dist_info = f"arbeidsinkludering_book-{book['edition']}.dist-info"
    files = wheel_files()
    files[f"{dist_info}/METADATA"] = metadata(book, proj).encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: arbeidsinkludering student_kit\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files[f"{dist_info}/top_level.txt"] = b"book\n"
    files[f"{dist_info}/licenses/LICENSE"] = (ROOT / "LICENSE").read_bytes()
    record = "".join(f"{p},{_digest(b)},{len(b)}\n" for p, b in files.items()) + f"{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / name
    with zipfile.ZipFile(path, "w") as z:
        for p, b in files.items():
            z.writestr(_info(p), b)
    return path


def requirements(proj: dict) -> str:
    return ("# Pakkene analysene i boka trenger, og JupyterLab til å åpne notatbøkene.\n"
            "# Installer med:  python -m pip install -r requirements.txt\n"
            + "".join(f"{dep}\n" for dep in proj["dependencies"]) + "jupyterlab>=4\n")


README = """\
LES MEG – studentpakken til «{title}»
{underline}

Pakken inneholder alle kapitlene som Jupyter-notatbøker (.ipynb), bokas analysepakke
({wheel}) og en liste over programmene som trengs (requirements.txt). Notatbøkene er
kapitlene slik de står i boka, med koden og figurene. Du kan endre en forutsetning i en
kodecelle og kjøre den på nytt for å se hva som skjer.

Første celle i hver notatbok installerer analysepakken hvis den mangler. Den leter etter
{wheel} i samme mappe som notatboka (eller mappa over){site_hint}. La derfor
fila ligge i samme mappe som notatbøkene.

Tallene i teksten er de boka fikk da den ble bygget. Endrer du koden, endres figurene og
tabellene, men ikke tallene i teksten.

Slik kommer du i gang
---------------------

Anaconda (Windows eller macOS)
  1. Pakk ut zip-fila (Windows: høyreklikk → «Pakk ut alle»; macOS: dobbeltklikk).
  2. Start Anaconda Navigator og åpne JupyterLab.
  3. Gå til den utpakkede mappa i filpanelet til venstre, og dobbeltklikk på et kapittel.
  4. Velg «Run → Run All Cells». Første gang installeres analysepakken (krever nett).

Windows uten Anaconda
  1. Installer Python 3.10 eller nyere fra python.org (kryss av for «Add python.exe to PATH»).
  2. Pakk ut zip-fila, åpne mappa i Filutforsker, skriv  cmd  i adressefeltet og trykk Enter.
  3. Skriv:  py -m pip install -r requirements.txt
  4. Skriv:  py -m jupyter lab   – og åpne et kapittel i nettleseren som starter.

macOS uten Anaconda
  1. Installer Python 3.10 eller nyere fra python.org.
  2. Pakk ut zip-fila. Åpne Terminal, skriv  cd  og et mellomrom, dra mappa inn i vinduet og
     trykk Enter.
  3. Skriv:  python3 -m pip install -r requirements.txt
  4. Skriv:  python3 -m jupyter lab

Google Colab (bare nettleser; krever en Google-konto)
  1. Gå til colab.research.google.com og velg «Fil → Last opp notatbok». Velg et kapittel.
  2. Åpne filpanelet (mappesymbolet til venstre) og last opp {wheel}.
  3. Velg «Kjøring → Kjør alle».
  Filene du laster opp, slettes når Colab-økten avsluttes. Colab er en tjeneste fra Google;
  det du laster opp der, behandles etter Googles vilkår.

Universitetets JupyterHub
  Last opp notatboka og {wheel} til samme mappe, og kjør cellene.

Får du en feilmelding, les den siste linjen: den sier hvilken fil, rad og kolonne som er feil
hvis dataene er skadet. Hent da en ny kopi av studentpakken.

Teksten er lisensiert under {license}; koden under {code_license}.
"""


def readme(book: dict) -> str:
    title = f"{book['title']}"
    site = published_url(book)
    site_hint = f", og ellers laster den pakken ned fra bokas nettsted ({site})" if site else ""
    return README.format(title=title, underline="=" * (len(title) + 31), wheel=wheel_name(book),
                         site_hint=site_hint, license=book["license"]["name"],
                         code_license=book["code_license"])


def build_kit(downloads: Path) -> Path:
    """The student kit zip in *downloads*, from the chapter notebooks already written there."""
    book, proj = book_config(), project()
    wheel = build_wheel(downloads)
    moved = omdirigering.old_stems(book)  # copies kept for old links, not chapters of their own
    notebooks = sorted(p for p in (downloads / "kapitler").glob("*.ipynb") if p.stem not in moved)
    if not notebooks:
        raise FileNotFoundError(f"{downloads / 'kapitler'}: no chapter notebooks (build the site first)")
    folder = kit_name(book)[:-4]
    path = downloads / kit_name(book)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(_info(f"{folder}/LES-MEG.txt"), readme(book).replace("\n", "\r\n").encode("utf-8-sig"))
        z.writestr(_info(f"{folder}/requirements.txt"), requirements(proj).encode())
        z.writestr(_info(f"{folder}/{wheel.name}"), wheel.read_bytes())
        for nb in notebooks:
            z.writestr(_info(f"{folder}/{nb.name}"), nb.read_bytes())
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html" / "_downloads"
    print(build_kit(out))
