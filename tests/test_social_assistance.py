"""book.social_assistance and the chapter 2 datasets: small hand-checkable inputs, the real
files' internal consistency, and bad input that fails with a clear error."""


import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from book import data
from book import social_assistance as sa
from book.data import DataError
from conftest import package_with


def test_share_of_total_by_hand():
    table = pd.DataFrame({"a": [1, 2], "b": [3, 2], "total": [8, 10]}, index=[2000, 2001])
    assert sa.share_of_total(table, ["a", "b"]).tolist() == pytest.approx([0.5, 0.4])
    with pytest.raises(KeyError, match="c"):
        sa.share_of_total(table, ["c"])


def test_labels_are_spread_but_keep_order():
    assert sa._spread([10, 10.5, 30], min_gap=2) == pytest.approx([10, 12, 30])
    assert sa._spread([5, 1], min_gap=1) == pytest.approx([5, 1])


def test_age_label():
    assert sa.age_label("20-24") == "20–24 år"
    with pytest.raises(KeyError):
        sa.age_label("18-22")


def toy_rates():
    rows = []
    for year, values in {2005: (80, 40), 2009: (60, 30)}.items():
        for group, rate in zip(["20-24", "30-39"], values):
            rows.append({"year": year, "age_group": group, "recipients": rate * 100, "rate_per_1000": rate})
    return pd.DataFrame(rows)


def test_rate_profile_by_hand():
    profile = sa.rate_profile(toy_rates(), [2005, 2009], groups=["20-24", "30-39"])
    assert profile.loc["20-24", 2009] == 60 and profile.loc["30-39", 2005] == 40
    counts = sa.rate_profile(toy_rates(), [2005], groups=["30-39"], column="recipients")
    assert counts.loc["30-39", 2005] == 4000
    with pytest.raises(KeyError, match="2007"):
        sa.rate_profile(toy_rates(), [2007], groups=["20-24"])
    with pytest.raises(ValueError):
        sa.rate_profile(toy_rates(), [2005], column="value")


def test_kvp_rows_order_and_labels():
    kvp = pd.DataFrame({
        "measure": ["participants_end_of_year", "estimated_need_at_introduction", "participants_end_of_year"],
        "year": pd.array([2017, None, 2010], dtype="Int64"), "value": [5, 20, 9],
        "approx": [pd.NA, pd.NA, pd.NA],
    })
    rows = sa.kvp_rows(kvp)
    assert rows["label"].tolist() == ["Beregnet behov ved innføringen", "Deltakere ved utgangen av 2010",
                                      "Deltakere ved utgangen av 2017"]
    fig = sa.plot_kvp(rows, "test")
    assert len(fig.axes[0].patches) == 3


# ------------------------------------------------------------------ the real files

def test_real_age_groups_add_up_to_the_total():
    """SSB's totals include a few persons of unknown age (5, 4 and 3 in the source tables)."""
    rates = data.load("sosialhjelp_rate_by_age")
    for year, unknown in {2005: 5, 2007: 4, 2009: 3}.items():
        rows = rates[rates["year"] == year].set_index("age_group")["recipients"]
        assert rows.drop("total").sum() + unknown == rows["total"]


def test_real_cases_and_kvp():
    cases = sa.cases_by_age(data.load("norway_stats"))
    assert list(cases.index) == list(range(2000, 2009))
    assert cases.loc[2003, "total"] == 145963  # SSB table 1, 2003 (definition change footnoted)
    kvp = sa.kvp_rows(data.load("kvp_participants"))
    assert kvp["value"].tolist() == [15600, 8801, 5400]
    assert kvp["approx"].notna().tolist() == [False, False, True]


@pytest.mark.parametrize("resource, row, column", [
    ("kvp_participants", "x,participants_start_of_year,2010,8801,,s,https://e.no,\n", "measure"),
    ("kvp_participants", "x,participants_end_of_year,2010,-1,,s,https://e.no,\n", "value"),
    ("sosialhjelp_rate_by_age", "2005:18-22,2005,18-22,10,5,s,https://www.ssb.no/x,\n", "age_group"),
    ("sosialhjelp_rate_by_age", "2005:total,2005,total,10,1500,s,https://www.ssb.no/x,\n", "rate_per_1000"),
])
def test_bad_rows_are_refused_with_column_named(tmp_path, resource, row, column):
    with pytest.raises(DataError, match=rf"column '{column}'"):
        data.load(resource, package_with(tmp_path, resource, row, header=True))
