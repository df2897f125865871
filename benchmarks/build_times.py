"""Print build times: clean build, no-op rebuild, prose edit and code edit in one chapter.

Works on a temporary copy of the project, so your sources and _build/ are not touched:

    .venv/bin/python benchmarks/build_times.py [--repeat N]

A clean build executes every chapter; a no-op rebuild should execute nothing; a prose edit
re-reads one page without executing it again; a code edit re-executes only that chapter
(jupyter-cache). Reverting an edit is a cache hit. Targets for an author's edit loop (2 cores):
no-op rebuild ≤ 3 s, prose edit ≤ 6 s. ``--html-only`` skips the PDF and EPUB measurements.
Measure on a quiet machine: the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"no-op rebuild": 3.0, "prose edit": 6.0}  # seconds, for an author's edit loop
IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(project: Path) -> tuple[float, str, float]:
    """Wall-clock seconds, the log, and the CPU seconds of the build (and the kernels it ran):
    on a shared machine the CPU time is what the build costs, the wall clock what you wait."""
    start, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-b", "html", ".", "_build/html"],
        cwd=project, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout + proc.stderr, _cpu() - cpu


def executed(log: str) -> int:
    return log.count("Executing notebook using")  # one line per executed chapter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="repeat each measurement N times and report the median")
    ap.add_argument("--html-only", action="store_true", help="only the web site (no PDF and EPUB)")
    args = ap.parse_args()
    chapter = sorted((ROOT / "chapters").glob("*.md"))[0].name
    results: dict[str, list[tuple[float, int]]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "book"
            shutil.copytree(ROOT, project, ignore=IGNORE)
            source = project / "chapters" / chapter
            original = source.read_text(encoding="utf-8")

            def record(name: str) -> None:
                seconds, log, cpu = build(project)
                results.setdefault(name, []).append((seconds, executed(log), cpu))

            record("clean build")
            record("no-op rebuild")
            source.write_text(original.replace("\n## Læringsmål", "\nEn ekstra setning.\n\n## Læringsmål", 1), encoding="utf-8")
            record(f"prose edit ({chapter})")
            source.write_text(original.replace("figures.setup()", "figures.setup()  # edited", 1), encoding="utf-8")
            record(f"code edit ({chapter})")
            source.write_text(original, encoding="utf-8")
            record("revert edit (cache hit)")
            if args.html_only:
                continue
            # the other formats, from the executed cache (as scripts/build.sh does after the site)
            sys.path.insert(0, str(project / "scripts"))
            import build_book

            times = build_book.build(project / "_build", ("pdf", "epub", "pdfua"))
            for fmt, seconds in times.items():
                if not fmt.endswith("-cpu"):
                    results.setdefault(f"{fmt} (from the cache)", []).append(
                        (seconds, 0, times.get(f"{fmt}-cpu", float("nan"))))
            for name, path in (("PDF size (KB)", project / "_build/latex/arbeidsinkludering.pdf"),
                               ("EPUB size (KB)", project / "_build/epub/arbeidsinkludering.epub"),
                               ("tagged PDF size (KB)", project / "_build/pdf-ua/arbeidsinkludering-tilgjengelig.pdf")):
                results.setdefault(name, []).append((path.stat().st_size / 1024, 0, float("nan")))
    import os

    print(f"{'measurement':44} {'seconds':>8} {'CPU s':>6} {'notebooks executed':>19}")
    for name, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[2] for r in runs)
        target = TARGETS.get(name.split(" (")[0])
        verdict = "" if target is None else (f"  ≤ {target:.0f} s: ok" if seconds <= target else f"  > {target:.0f} s: TOO SLOW")
        print(f"{name:44} {seconds:8.1f} {cpu:6.1f} {runs[0][1]:19d}{verdict}")
    print(f"load average (1, 5, 15 min) after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
