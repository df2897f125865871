"""Shared fixtures: clean builds of the whole book into temporary folders."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_book  # noqa: E402


@dataclass
class Build:
    root: Path
    html: Path
    cache: Path
    warnings: str
    times: dict

    @property
    def pdf(self) -> Path:
        return self.root / "latex" / f"{build_book.NAME}.pdf"

    @property
    def epub(self) -> Path:
        return self.root / "epub" / f"{build_book.NAME}.epub"


def clean_build(tmp: Path, formats: tuple[str, ...], lecturer: bool = False) -> Build:
    """Build the book from scratch with the README's build code: fresh output, doctrees and cache."""
    cache = tmp / "cache"
    env = dict(os.environ, BOOK_EXECUTION_CACHE=str(cache), PYTHONHASHSEED="0")
    try:
        times = build_book.build(tmp, formats, env=env, lecturer=lecturer)
    except build_book.BuildError as exc:
        pytest.fail(str(exc))
    return Build(tmp, tmp / "html", cache, (tmp / "warnings.txt").read_text(encoding="utf-8"), times)


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Build:
    """Site, PDF, EPUB and the tagged PDFs, as scripts/build.sh makes them."""
    return clean_build(tmp_path_factory.mktemp("build1"), ("html", "pdf", "epub", "pdfua"))


@pytest.fixture(scope="session")
def second_build(tmp_path_factory) -> Build:
    """A second clean build of the site, for the determinism test."""
    return clean_build(tmp_path_factory.mktemp("build2"), ("html",))


@pytest.fixture(scope="session")
def lecturer_build(tmp_path_factory) -> Build:
    """The lecturer edition of the site (``--lecturer``), with its downloads."""
    return clean_build(tmp_path_factory.mktemp("laerer"), ("html",), lecturer=True)


def package_with(tmp_path: Path, name: str, csv_text: str, header: bool = False) -> Path:
    """A one-resource data package in *tmp_path*: the real descriptor of resource *name* with the
    given CSV text (prefixed by the schema's header row if *header*). For bad-input tests."""
    import json

    from book import data

    resource = dict(data.resource_descriptor(name))
    if header:
        csv_text = ",".join(f["name"] for f in resource["schema"]["fields"]) + "\n" + csv_text
    (tmp_path / resource["path"]).write_text(csv_text, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    return tmp_path / "datapackage.json"
