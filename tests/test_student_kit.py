"""Run the analyses anywhere: the wheel, the self-starting chapter notebooks and the student kit.

The slow test builds nothing new: it takes the kit from the clean build, unpacks it in a temporary
folder outside the repository, makes a fresh virtual environment, installs the kit's
requirements from the package registry, lets the notebooks' own setup cell install the wheel
from the file next to them (with the registry switched off), runs every chapter notebook top to
bottom and compares every value the chapter glues with the value the book printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_site import chapter_files, soup

sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "scripts"))
import notebooks  # noqa: E402
import student_kit  # noqa: E402

BOOK = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
MYST_LEFT = re.compile(r"\{(?:glue|term|ref|numref|cite:[a-z]+|doc|eq)\}`|^:{3,}\{", re.M)


def downloads(build) -> Path:
    return build.html / "_downloads"


def chapter_notebooks(build) -> list[Path]:
    return [downloads(build) / "kapitler" / f"{Path(f).name}.ipynb" for f in chapter_files()]


def setup_cell(nb: dict) -> str:
    return next(c["source"] for c in nb["cells"] if c["cell_type"] == "code")


# ------------------------------------------------------------------ the package


def test_package_version_follows_the_edition():
    assert str(PROJECT["version"]) == str(BOOK["edition"])
    assert notebooks.wheel_name(BOOK) == f"arbeidsinkludering_book-{BOOK['edition']}-py3-none-any.whl"


def test_dependencies_are_only_what_the_analyses_need_with_wide_ranges():
    names = {re.split(r"[<>=!~ ]", d)[0].lower() for d in PROJECT["dependencies"]}
    assert names == {"numpy", "pandas", "matplotlib", "scipy", "statsmodels", "frictionless"}
    assert all(">=" in d and "==" not in d for d in PROJECT["dependencies"]), "exact pins belong in requirements.txt"
    assert PROJECT["requires-python"] == ">=3.10"
    imported = set()
    for path in (ROOT / "book").glob("*.py"):
        imported |= set(re.findall(r"^\s*(?:import|from) ([A-Za-z_]+)", path.read_text(encoding="utf-8"), re.M))
    third_party = imported - set(sys.stdlib_module_names) - {"book"}
    kernel = {"IPython", "matplotlib_inline"}  # every Jupyter kernel has them; used only inside one
    assert third_party <= names | kernel | {"myst_nb"}, f"book/ imports {third_party - names - kernel}"


def test_wheel_holds_the_package_and_every_dataset(build):
    wheel = downloads(build) / notebooks.wheel_name(BOOK)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read(f"arbeidsinkludering_book-{BOOK['edition']}.dist-info/METADATA").decode()
        record = z.read(f"arbeidsinkludering_book-{BOOK['edition']}.dist-info/RECORD").decode()
    assert {f"book/{p.name}" for p in (ROOT / "book").glob("*.py")} <= names
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert "book/datasets/datapackage.json" in names
    assert {f"book/datasets/{r['path']}" for r in package["resources"]} <= names
    assert [ln[len("Requires-Dist: "):] for ln in meta.splitlines() if ln.startswith("Requires-Dist: ")] \
        == PROJECT["dependencies"]
    assert not re.search(r"sphinx|myst|latex|jupyter", meta, re.I), "the wheel must not need the book's toolchain"
    assert len(record.splitlines()) == len(names)


def test_wheel_is_reproducible(tmp_path):
    first = student_kit.build_wheel(tmp_path / "a").read_bytes()
    second = student_kit.build_wheel(tmp_path / "b").read_bytes()
    assert first == second


# ------------------------------------------------------------------ the notebooks


@pytest.mark.parametrize("f", chapter_files())
def test_chapter_notebook_starts_itself_and_reads_as_plain_markdown(build, f):
    nb = json.loads((downloads(build) / "kapitler" / f"{Path(f).name}.ipynb").read_text(encoding="utf-8"))
    code = setup_cell(nb)
    assert "importlib.util.find_spec(\"book\")" in code and notebooks.wheel_name(BOOK) in code
    comments = [ln for ln in code.splitlines() if ln.lstrip().startswith("#")]
    assert comments and all(re.search(r"[æøå]|\b(og|den|fra|er)\b", c) for c in comments[:3]), \
        "the setup cell's comments are Norwegian"
    markdown = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    left = MYST_LEFT.findall(markdown)
    assert not left, f"{f}: MyST syntax left in the notebook's text: {left[:3]}"
    assert markdown.lstrip().startswith("# "), "the notebook starts with the chapter title"
    assert "Oppgave" in markdown and "<summary>Løsningsforslag" in markdown
    assert not any("application/pdf" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def test_converter_renders_roles_and_directives_as_the_book_does():
    from pybtex.database import parse_string

    bib = parse_string("""@article{a, author={Kane, Aina A. and Spjelkavik, {\\O}ystein}, year={2021}, title={T},
                        journal={J}}
                        @article{b, author={Reme, S. and Monstad, K. and Fyhn, T.}, year={2019}, title={U}, journal={J}}""",
                       "bibtex")
    conv = notebooks.Converter(5, {"rr": "1,76"}, {"fig-x": "Figur 5.1"}, bib)
    text = (":::{exercise}\n:label: ex-a\nRegn ut {glue}`rr` fra {numref}`fig-x`.\n:::\n"
            ":::{solution} ex-a\n:class: dropdown\nSe {term}`relativ risiko <risikoratio>` og\n"
            "{cite:t}`a` og {cite:p}`b{s. 3}`.\n:::")
    conv.number_exercises(text)
    out = conv.markdown(text)
    assert "**Oppgave 5.1**" in out and "Regn ut 1,76 fra Figur 5.1." in out
    assert "<summary>Løsningsforslag til oppgave 5.1</summary>" in out and "</details>" in out
    assert "Se relativ risiko og" in out
    assert "Kane og Spjelkavik (2021)" in out and "(Reme mfl., 2019, s. 3)" in out
    with pytest.raises(KeyError):
        notebooks.Converter(5, {}, {}, bib).markdown("{glue}`missing`")


def test_setup_cell_does_nothing_when_book_is_installed(build, tmp_path):
    nb = json.loads(chapter_notebooks(build)[0].read_text(encoding="utf-8"))
    guard = "import subprocess\nsubprocess.check_call = lambda *a, **k: (_ for _ in ()).throw(SystemExit('pip called'))\n"
    proc = subprocess.run([sys.executable, "-c", guard + setup_cell(nb)], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_launch_links_only_where_configured(build):
    assert notebooks.launch_links(BOOK, "05-x") == [] or BOOK.get("launch", {}).get("colab")
    page = (build.html / "chapters" / "05-supported-employment-ips.html").read_text(encoding="utf-8")
    if not (BOOK.get("launch") or {}).get("colab"):
        assert "colab.research.google.com" not in page and "git-pull" not in page
    config = {"launch": {"colab": "org/bok/blob/gh-pages/_downloads/kapitler",
                         "jupyterhub": "https://hub.example.no/", "repository": "https://github.com/org/bok",
                         "branch": "gh-pages", "notebooks_path": "_downloads/kapitler"}}
    links = dict(notebooks.launch_links(config, "05-x"))
    assert links["Åpne i Colab"] == \
        "https://colab.research.google.com/github/org/bok/blob/gh-pages/_downloads/kapitler/05-x.ipynb"
    assert links["Åpne på JupyterHub"] == (
        "https://hub.example.no/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Forg%2Fbok"
        "&branch=gh-pages&urlpath=lab%2Ftree%2Fbok%2F_downloads%2Fkapitler%2F05-x.ipynb")
    assert dict(notebooks.launch_links({"launch": {"jupyterhub": "https://hub.example.no"}}, "x")) == {}


def test_kit_is_linked_from_every_chapter_the_front_page_and_til_studenten(build):
    kit = notebooks.kit_name(BOOK)
    assert (downloads(build) / kit).is_file()
    for f in [*chapter_files(), "index", "backmatter/til-studenten"]:
        hrefs = [a.get("href", "") for a in soup(build.html / f"{f}.html").find_all("a")]
        assert any(h.endswith(kit) for h in hrefs), f"{f}: no link to the student kit"


def test_kit_has_notebooks_wheel_requirements_and_readme(build):
    with zipfile.ZipFile(downloads(build) / notebooks.kit_name(BOOK)) as z:
        names = {Path(n).name for n in z.namelist()}
        readme = next(z.read(n) for n in z.namelist() if n.endswith("LES-MEG.txt")).decode("utf-8-sig")
        reqs = next(z.read(n) for n in z.namelist() if n.endswith("requirements.txt")).decode()
    assert {f"{Path(f).name}.ipynb" for f in chapter_files()} <= names
    assert notebooks.wheel_name(BOOK) in names
    for heading in ("Anaconda", "Windows", "macOS", "Colab"):
        assert heading in readme
    assert "bash" not in readme
    assert [ln for ln in reqs.splitlines() if ln and not ln.startswith("#")] == [*PROJECT["dependencies"], "jupyterlab>=4"]


# ------------------------------------------------------------------ a student's machine


@pytest.fixture(scope="module")
def student(build, tmp_path_factory):
    """The kit unpacked outside the repository, with a fresh virtual environment holding only the
    kit's requirements (from the registry); the wheel is installed by a notebook's setup cell."""
    folder = tmp_path_factory.mktemp("student")
    assert ROOT not in folder.parents
    with zipfile.ZipFile(downloads(build) / notebooks.kit_name(BOOK)) as z:
        z.extractall(folder)
    kit = next(folder.iterdir())
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(kit / "requirements.txt")], check=True, capture_output=True, cwd=kit)
    return kit, python


def test_setup_cell_installs_the_wheel_next_to_the_notebook_without_network(build, student):
    kit, python = student
    code = setup_cell(json.loads(chapter_notebooks(build)[0].read_text(encoding="utf-8")))
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    first = subprocess.run([python, "-c", code], cwd=kit, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Installerer" in first.stdout and notebooks.wheel_name(BOOK) in first.stdout
    second = subprocess.run([python, "-c", code], cwd=kit, env=env, capture_output=True, text=True)
    assert second.returncode == 0 and second.stdout == "", "the setup cell must do nothing the second time"
    where = subprocess.run([python, "-c", "import book.data as d; print(d.DATA_DIR)"], cwd=kit,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.endswith(os.path.join("book", "datasets")) and str(ROOT) not in where


def test_every_chapter_runs_in_the_kit_and_glues_what_the_book_printed(build, student):
    import nbformat
    from nbclient import NotebookClient

    kit, python = student
    subprocess.run([python, "-m", "ipykernel", "install", "--prefix", str(Path(python).parent.parent),
                    "--name", "student"], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = str(Path(python).parent.parent / "share" / "jupyter")
    for f, path in zip(chapter_files(), chapter_notebooks(build)):
        nb = nbformat.read(kit / path.name, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell("import json\nfrom book import fmt\nprint(json.dumps(fmt.GLUED))"))
        NotebookClient(nb, kernel_name="student", timeout=300, resources={"metadata": {"path": str(kit)}}).execute()
        glued = json.loads(nb.cells[-1].outputs[0]["text"])
        printed = notebooks._glue_values(str(build.cache), ROOT / f"{f}.md")
        assert printed, f"{f}: no glued values found in the book's execution"
        assert glued == printed, f"{f}: {[k for k in printed if glued.get(k) != printed[k]][:5]} differ"


def test_corrupted_data_in_the_installed_package_fails_as_in_the_repository(student, tmp_path):
    import csv
    import io

    from conftest import package_with

    from book import data

    kit, python = student
    # the wheel, as the setup cell installs it (if that test ran first, pip has nothing to do)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                    "--disable-pip-version-check", str(kit / notebooks.wheel_name(BOOK))],
                   check=True, capture_output=True, cwd=kit)
    # run outside the repository: `python -c` puts the working directory first on sys.path, and in
    # the repository that would import the repository's `book`, not the installed one
    site = subprocess.run([python, "-c", "import book.data as d; print(d.DATA_DIR)"], capture_output=True,
                          text=True, check=True, cwd=tmp_path).stdout.strip()
    target = Path(site) / "trials.csv"
    assert not target.resolve().is_relative_to(ROOT), f"{target}: the test would corrupt the repository's data"
    original = target.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(original)))
    rows[3][rows[0].index("followup_months")] = "ukjent"  # row 4 of the file, counting the header
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    try:
        target.write_text(buf.getvalue(), encoding="utf-8")
        proc = subprocess.run([python, "-c", "from book import data; data.load('trials')"], capture_output=True,
                              text=True, cwd=tmp_path)
    finally:
        target.write_text(original, encoding="utf-8")
    assert proc.returncode != 0
    installed = proc.stderr.split("DataError: ", 1)[1].strip().replace(str(target), "trials.csv")
    assert "row 4, column 'followup_months'" in installed and "ukjent" in installed
    with pytest.raises(data.DataError) as repo:
        data.load("trials", package_with(tmp_path, "trials", buf.getvalue()))
    assert installed == str(repo.value).replace(str(tmp_path / "trials.csv"), "trials.csv")


def test_package_code_runs_on_python_3_10_and_later():
    """The wheel says Requires-Python >=3.10: no syntax or standard-library feature of a later Python
    (checked statically with vermin, since only Python 3.11 is installed here)."""
    proc = subprocess.run([str(Path(sys.executable).parent / "vermin"), "--no-tips", "--violations", "-t=3.10-",
                           str(ROOT / "book")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
