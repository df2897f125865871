"""Load the book's datasets, validated against their Frictionless schema.

Every dataset lives in ``data/`` and is described in ``data/datapackage.json``; in the installed
package (the wheel students install) the same files are package data in ``book/datasets/``, read
through :mod:`importlib.resources`. :func:`load`
checks the file against its schema (types, constraints, enums, primary key) and returns a
pandas DataFrame only if *every* row is valid. Anything else raises :class:`DataError` with a
message naming the file, the row, the column and the rule that was broken, so a broken data
file fails the book build instead of silently producing a wrong figure.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd



def _data_dir() -> Path:
    """``book/datasets`` when installed from the wheel, else the repository's ``data/``."""
    packaged = resources.files("book") / "datasets"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


DATA_DIR = _data_dir()
PACKAGE = DATA_DIR / "datapackage.json"
MAX_REPORTED = 10

RULES = {
    "type-error": "wrong type",
    "constraint-error": "breaks a schema constraint",
    "primary-key": "duplicate key",
    "unique-error": "duplicate value",
    "missing-cell": "row has too few cells",
    "extra-cell": "row has too many cells",
    "blank-row": "blank row",
    "encoding-error": "cannot be decoded",
}
_PANDAS_TYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}


class DataError(Exception):
    """A dataset is missing, unreadable or breaks its schema."""


def _descriptor(package: Path) -> dict[str, Any]:
    if not package.is_file():
        raise DataError(f"{package}: data package descriptor not found")
    try:
        return json.loads(package.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{package}: not valid UTF-8 JSON ({exc})") from exc


def resource_descriptor(name: str, package: Path | str = PACKAGE) -> dict[str, Any]:
    """Return the ``datapackage.json`` entry of resource *name*."""
    package = Path(package)
    resources = {r.get("name"): r for r in _descriptor(package).get("resources", [])}
    if name not in resources:
        known = ", ".join(sorted(str(k) for k in resources)) or "none"
        raise DataError(f"{package}: no resource named {name!r} (resources: {known})")
    return resources[name]


def resource_names(package: Path | str = PACKAGE) -> list[str]:
    """Names of all resources in the data package, in descriptor order."""
    return [r["name"] for r in _descriptor(Path(package)).get("resources", [])]


def _check_bytes(path: Path, encoding: str) -> str:
    if not path.is_file():
        raise DataError(f"{path}: file not found (listed in datapackage.json)")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(f"{path}: file is empty (expected a header row and data rows)")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}, line {line}: bytes {raw[exc.start:exc.end]!r} at byte {exc.start} "
            f"cannot be decoded as {encoding}"
        ) from exc
    if len([ln for ln in text.splitlines() if ln.strip()]) < 2:
        raise DataError(f"{path}: file has a header but no data rows")
    return text


def _check_header(path: Path, header: list[str], fields: list[str]) -> None:
    missing = [f for f in fields if f not in header]
    extra = [h for h in header if h not in fields]
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(repr(m) for m in missing))
    if extra:
        problems.append("unexpected column(s) " + ", ".join(repr(e) for e in extra))
    if not problems and header != fields:
        problems.append(f"columns in wrong order: expected {fields}, found {header}")
    if problems:
        raise DataError(f"{path}, row 1 (header): " + "; ".join(problems))


def _validate(path: Path, resource: dict[str, Any], package: Path) -> None:
    from frictionless import Resource  # imported lazily: it is slow to import

    res = Resource(resource, basepath=str(package.parent))
    report = res.validate()
    if report.valid:
        return
    errors = [e for task in report.tasks for e in task.errors] or list(report.errors)
    lines = []
    for err in errors[:MAX_REPORTED]:
        row = getattr(err, "row_number", None)
        field = getattr(err, "field_name", None)
        where = f"row {row}" if row else "file"
        if field:
            where += f", column {field!r}"
        cell = getattr(err, "cell", None)
        value = f"value {cell!r}: " if cell not in (None, "") else ""
        rule = RULES.get(err.type, err.type)
        lines.append(f"{path}, {where}: {value}{rule} [{err.type}] ({err.note})")
    more = f"\n  … and {len(errors) - MAX_REPORTED} more" if len(errors) > MAX_REPORTED else ""
    raise DataError(f"{path}: {len(errors)} schema error(s)\n  " + "\n  ".join(lines) + more)


def _to_frame(path: Path, text_fields: list[dict[str, Any]], missing: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    out = {}
    for field in text_fields:
        col = frame[field["name"]].where(~frame[field["name"]].isin(missing), None)
        kind = field.get("type", "string")
        if kind == "boolean":
            col = col.map({"true": True, "false": False, None: None})
        elif kind in ("integer", "number"):
            col = pd.to_numeric(col)
        out[field["name"]] = pd.Series(col, dtype=_PANDAS_TYPES.get(kind, "string"))
    return pd.DataFrame(out)


def load(name: str, package: Path | str = PACKAGE) -> pd.DataFrame:
    """Load resource *name* from the data package, validated against its schema.

    Raises :class:`DataError` naming file, row, column and rule if anything is wrong.
    """
    package = Path(package)
    resource = resource_descriptor(name, package)
    path = package.parent / resource["path"]
    schema = resource.get("schema", {})
    fields = schema.get("fields", [])
    if not fields:
        raise DataError(f"{package}: resource {name!r} has no schema fields")
    text = _check_bytes(path, resource.get("encoding", "utf-8"))
    header = next(csv.reader(io.StringIO(text)))
    _check_header(path, header, [f["name"] for f in fields])
    _validate(path, resource, package)
    return _to_frame(path, fields, schema.get("missingValues", [""]))


def provenance(name: str, package: Path | str = PACKAGE) -> dict[str, Any]:
    """Title, sources, licences, retrieval date and caveats of resource *name*."""
    r = resource_descriptor(name, package)
    return {k: r.get(k) for k in ("title", "description", "sources", "licenses", "retrieved", "caveats", "provenance")}
