"""book.data: the real package validates, and every kind of bad input fails with file, row, column and rule."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from book import data
from book.data import DataError

SCHEMA = {
    "primaryKey": ["id"],
    "missingValues": [""],
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "arm", "type": "string", "constraints": {"required": True, "enum": ["IPS", "control"]}},
        {"name": "n", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {"name": "pct", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "registry", "type": "boolean"},
    ],
}
GOOD = "id,arm,n,pct,registry\na,IPS,50,48.0,true\nb,control,46,,false\n"


def make_package(tmp_path: Path, csv_text: str | bytes | None = GOOD, resource: str = "toy") -> Path:
    """A one-resource data package in tmp_path; csv_text None means: don't write the file."""
    pkg = {"name": "test", "resources": [{
        "name": resource, "path": "toy.csv", "format": "csv", "encoding": "utf-8", "schema": SCHEMA,
    }]}
    (tmp_path / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    if csv_text is not None:
        target = tmp_path / "toy.csv"
        if isinstance(csv_text, bytes):
            target.write_bytes(csv_text)
        else:
            target.write_text(csv_text, encoding="utf-8")
    return tmp_path / "datapackage.json"


def test_good_file_loads_with_schema_types(tmp_path):
    frame = data.load("toy", make_package(tmp_path))
    assert list(frame.columns) == ["id", "arm", "n", "pct", "registry"]
    assert str(frame["n"].dtype) == "Int64"
    assert str(frame["pct"].dtype) == "Float64"
    assert str(frame["registry"].dtype) == "boolean"
    assert frame.loc[0, "pct"] == 48.0
    assert pd.isna(frame.loc[1, "pct"])  # empty cell is missing, not 0
    assert bool(frame.loc[1, "registry"]) is False


@pytest.mark.parametrize(
    "case, content, expected",
    [
        ("missing column", "id,arm,pct,registry\na,IPS,48.0,true\n", [r"toy\.csv", r"row 1", r"missing column\(s\) 'n'"]),
        ("extra column", "id,arm,n,pct,registry,x\na,IPS,50,48.0,true,1\n", [r"toy\.csv", r"unexpected column\(s\) 'x'"]),
        ("wrong type", "id,arm,n,pct,registry\na,IPS,fifty,48.0,true\n", [r"toy\.csv", r"row 2", r"column 'n'", r"type-error"]),
        ("out of range", "id,arm,n,pct,registry\na,IPS,50,148.0,true\n", [r"row 2", r"column 'pct'", r"constraint-error", r"maximum"]),
        ("enum", "id,arm,n,pct,registry\na,placebo,50,48.0,true\n", [r"row 2", r"column 'arm'", r"constraint-error", r"enum"]),
        ("duplicate key", GOOD + "a,IPS,10,1.0,true\n", [r"row 4", r"primary-key"]),
        ("required missing", "id,arm,n,pct,registry\na,IPS,,48.0,true\n", [r"row 2", r"column 'n'", r"constraint-error", r"required"]),
        ("empty file", "", [r"toy\.csv", r"empty"]),
        ("header only", "id,arm,n,pct,registry\n", [r"toy\.csv", r"no data rows"]),
        ("undecodable", b"id,arm,n,pct,registry\na,IPS,50,48.0,true\nb,\xff\xfe,46,,false\n", [r"toy\.csv", r"line 3", r"cannot be decoded as utf-8"]),
    ],
)
def test_bad_input_names_file_row_column_and_rule(tmp_path, case, content, expected):
    with pytest.raises(DataError) as info:
        data.load("toy", make_package(tmp_path, content))
    message = str(info.value)
    for pattern in expected:
        assert re.search(pattern, message), f"{case}: {pattern!r} not in {message!r}"


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"toy\.csv: file not found"):
        data.load("toy", make_package(tmp_path, None))


def test_resource_missing_from_package(tmp_path):
    with pytest.raises(DataError, match=r"no resource named 'trials' \(resources: toy\)"):
        data.load("trials", make_package(tmp_path))


def test_missing_descriptor(tmp_path):
    with pytest.raises(DataError, match=r"descriptor not found"):
        data.load("toy", tmp_path / "datapackage.json")


def test_no_half_valid_frame(tmp_path):
    """One bad row among good ones: nothing is returned."""
    rows = GOOD + "c,IPS,5,101,true\n"
    with pytest.raises(DataError, match=r"row 4"):
        data.load("toy", make_package(tmp_path, rows))


# ---------------------------------------------------------------- the book's own data package

REQUIRED_PROVENANCE = ("title", "description", "sources", "licenses", "retrieved", "caveats")


@pytest.mark.parametrize("name", data.resource_names())
def test_every_resource_loads_and_has_provenance(name):
    frame = data.load(name)
    assert len(frame) > 0
    prov = data.provenance(name)
    for key in REQUIRED_PROVENANCE:
        assert prov[key], f"{name}: provenance field {key!r} is empty"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", prov["retrieved"])
    assert all(lic.get("path", "").startswith("https://") for lic in prov["licenses"])


@pytest.mark.parametrize("name", data.resource_names())
def test_every_row_says_where_it_was_read(name):
    """Compiled datasets name the page each row was read from (column url); a dataset copied
    from one statistical table instead names that table with a link in its sources."""
    frame = data.load(name)
    if "url" in frame.columns:
        assert frame["url"].notna().all()
        assert frame["url"].str.match(r"https?://").all()
    else:
        sources = data.provenance(name)["sources"]
        assert sources and all(s.get("path", "").startswith("https://") for s in sources), sources


def test_trials_schema_has_units_and_arm_enum():
    fields = {f["name"]: f for f in data.resource_descriptor("trials")["schema"]["fields"]}
    assert {"IPS", "control", "difference"} <= set(fields["arm"]["constraints"]["enum"])
    assert fields["pct_employed"]["unit"] == "percent"
    assert fields["pct_employed"]["constraints"]["maximum"] == 100
