"""Copy the research team's Norwegian statistics into data/, in the shape the book's loader validates.

Sources (read-only, see ../shared/research/README and NOTES.md):

* ``research/norway_stats.csv`` → ``data/norway_stats.csv``: copied row for row, values unchanged;
  a ``row_id`` column (``<indicator>:<year>:<n>``) is added as the primary key.
* ``research/raw/SSB_*_alder_pst.csv`` (SSB table 13760, trend, wide: one column per month) →
  ``data/ssb_lfs_age_monthly.csv`` (long: month, age group, measure, value); empty cells dropped.
* ``research/raw/Eurostat_arbeidsledighet_unge.csv`` (Eurostat une_rt_m, under 25, wide by
  country) → ``data/eurostat_youth_unemployment_monthly.csv`` (long: month, country, value).

Nothing is computed, rounded or filled in. Run from the project root:
``.venv/bin/python tools/import_research.py`` (needs ../shared/research).
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESEARCH = ROOT.parent / "shared" / "research"
DATA = ROOT / "data"


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} rows")


def norway_stats() -> None:
    with open(RESEARCH / "norway_stats.csv", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    seen: Counter[str] = Counter()
    out = []
    for r in rows:
        stem = f"{r['indicator']}:{r['year'] or 'na'}"
        seen[stem] += 1
        out.append([f"{stem}:{seen[stem]}"] + [r[k] for k in fields])
    write(DATA / "norway_stats.csv", ["row_id"] + fields, out)


def ssb_age() -> None:
    out = []
    for measure, name in (("employment_rate", "SSB_sysselsatte_alder_pst.csv"),
                          ("unemployment_rate", "SSB_arbeidsledige_alder_pst.csv")):
        with open(RESEARCH / "raw" / name, encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            for row in reader:
                age = row[0].replace(" år", "")
                for month, value in zip(header[1:], row[1:]):
                    if value.strip():
                        out.append([month, age, measure, value])
    write(DATA / "ssb_lfs_age_monthly.csv", ["month", "age_group", "measure", "value"], out)


def eurostat_youth() -> None:
    out = []
    with open(RESEARCH / "raw" / "Eurostat_arbeidsledighet_unge.csv", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        for row in reader:
            for country, value in zip(header[1:], row[1:]):
                if value.strip():
                    out.append([row[0], country, value])
    write(DATA / "eurostat_youth_unemployment_monthly.csv", ["month", "country", "value"], out)


if __name__ == "__main__":
    norway_stats()
    ssb_age()
    eurostat_youth()
