"""Shared fixtures: clean builds of the whole book into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Build:
    html: Path
    cache: Path
    warnings: str
    log: str


def clean_build(tmp: Path) -> Build:
    """Build the HTML book from scratch: fresh output, doctrees and execution cache."""
    out, doctrees, cache = tmp / "html", tmp / "doctrees", tmp / "cache"
    warnings = tmp / "warnings.txt"
    env = dict(os.environ, BOOK_EXECUTION_CACHE=str(cache), PYTHONHASHSEED="0")
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-b", "html",
         "-d", str(doctrees), "-w", str(warnings), str(ROOT), str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"book build failed:\n{log[-6000:]}"
    return Build(out, cache, warnings.read_text(encoding="utf-8"), log)


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Build:
    return clean_build(tmp_path_factory.mktemp("build1"))


@pytest.fixture(scope="session")
def second_build(tmp_path_factory) -> Build:
    return clean_build(tmp_path_factory.mktemp("build2"))
