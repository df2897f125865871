"""book.stats: selecting indicators from the long-format statistics without mixing units or periods."""

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from book import data, stats


def frame(rows):
    cols = ["row_id", "indicator", "year", "period", "group", "value", "approx", "unit", "source", "url", "note"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


BASE = [
    ("a:2001:1", "a", 2001, None, "x", 1.0, None, "percent", "s", "https://e.no", None),
    ("a:2002:1", "a", 2002, None, "x", 2.0, None, "percent", "s", "https://e.no", None),
    ("a:2001:2", "a", 2001, None, "y", 3.0, None, "percent", "s", "https://e.no", None),
    ("b:2001:1", "b", 2001, None, "x", 5.0, None, "1000 persons", "s", "https://e.no", None),
]


def test_indicator_selects_and_sorts():
    rows = stats.indicator(frame(BASE), "a", groups=["x"])
    assert list(rows["value"]) == [1.0, 2.0]
    assert list(stats.indicator(frame(BASE), "a", years=(2002, 2002))["value"]) == [2.0]


def test_wide_has_one_column_per_group():
    table = stats.wide(stats.indicator(frame(BASE), "a"), order=["y", "x"])
    assert list(table.columns) == ["y", "x"]
    assert table.loc[2001, "x"] == 1.0 and pd.isna(table.loc[2002, "y"])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"name": "zzz"}, KeyError, "no indicator 'zzz'"),
    ({"name": "a", "groups": ["q"]}, KeyError, "no group"),
    ({"name": "a", "years": (1990, 1995)}, KeyError, "no rows in 1990–1995"),
])
def test_indicator_refuses_unknown_selections(kwargs, error, message):
    with pytest.raises(error, match=message):
        stats.indicator(frame(BASE), **kwargs)


def test_indicator_refuses_mixed_units_and_duplicate_years():
    mixed = BASE + [("a:2003:1", "a", 2003, None, "x", 9.0, None, "1000 persons", "s", "https://e.no", None)]
    with pytest.raises(ValueError, match="mixes units"):
        stats.indicator(frame(mixed), "a")
    twice = BASE + [("a:2002:2", "a", 2002, "Q4", "x", 9.0, None, "percent", "s", "https://e.no", None)]
    with pytest.raises(ValueError, match="a:2002:1, a:2002:2"):
        stats.indicator(frame(twice), "a")


def test_real_health_benefit_share_needs_its_source_group():
    """The RNB 2021 series and a 2017 figure from another article share the indicator name:
    the unfiltered selection is refused, the RNB group is one clean series 2001–2020."""
    all_rows = data.load("norway_stats")
    with pytest.raises(ValueError):
        stats.indicator(all_rows, "health_benefit_share_18_66")
    rows = stats.indicator(all_rows, "health_benefit_share_18_66", groups=["18-66 bosatt i Norge"])
    assert rows["year"].is_unique and (rows["year"].min(), rows["year"].max()) == (2001, 2020)


def test_plot_lines_labels_every_line_and_table_is_norwegian():
    table = stats.wide(stats.indicator(frame(BASE), "a"))
    fig = stats.plot_lines(table, {"x": "Gruppe x", "y": "Gruppe y"}, "Prosent", "test")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Gruppe x" in texts and "Gruppe y" in texts
    markers = {line.get_marker() for line in fig.axes[0].lines}
    assert len(markers) == 2  # told apart by marker, not colour alone
    html = stats.table_html(table, "Tabell", {"x": "Gruppe x", "y": "Gruppe y"}).data
    assert "<th scope=\"col\">År</th>" in html and "1,0" in html and "2001" in html
    with pytest.raises(KeyError):
        stats.plot_lines(table, {"z": "Z"}, "Prosent", "test")
