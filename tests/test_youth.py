"""book.youth and the chapter 8 dataset: small hand-checkable inputs, the real files' internal
consistency, and bad input that fails with a clear error."""

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from book import data, youth
from book.data import DataError


@pytest.fixture(scope="module")
def norway_stats():
    return data.load("norway_stats")


# ------------------------------------------------------------------ yearly series with breaks

def test_segments_start_a_new_piece_at_each_break_year():
    s = pd.Series([1.0, 2.0, 3.0, 4.0], index=[2004, 2005, 2006, 2007])
    pieces = youth.segments(s, [2006])
    assert [p.index.tolist() for p in pieces] == [[2004, 2005], [2006, 2007]]
    # a break on the first year changes nothing; two breaks in a row give a single-year piece
    assert [p.index.tolist() for p in youth.segments(s, [2004])] == [[2004, 2005, 2006, 2007]]
    assert [p.index.tolist() for p in youth.segments(s, [2005, 2006])] == [[2004], [2005], [2006, 2007]]


def test_segments_never_bridge_a_missing_year():
    s = pd.Series([1.0, np.nan, 3.0, 4.0], index=[2010, 2011, 2012, 2013])
    assert [p.index.tolist() for p in youth.segments(s, [])] == [[2010], [2012, 2013]]
    assert youth.segments(pd.Series([np.nan], index=[2010]), []) == []


def test_mean_over_refuses_incomplete_years():
    table = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, np.nan, 5.0]}, index=[2010, 2011, 2012])
    assert youth.mean_over(table[["a"]], 2010, 2012)["a"] == pytest.approx(2.0)
    with pytest.raises(ValueError, match="b"):
        youth.mean_over(table, 2010, 2012)
    with pytest.raises(KeyError):
        youth.mean_over(table, 2009, 2012)


# ------------------------------------------------------------------ SSB's two NEET measures

def test_ssb_neet_keeps_the_measures_side_by_side():
    frame = pd.DataFrame({
        "row_id": ["aku:2020", "aku:2021", "register:2021"], "measure": ["aku", "aku", "register"],
        "year": [2020, 2021, 2021], "percent": [6.6, 7.4, 9.5], "persons_1000": [68.0, 75.0, 96.6],
        "preliminary": pd.array([False, False, True], dtype="boolean")})
    out = youth.ssb_neet(frame)
    assert out.loc[2021, "aku_pct"] == 7.4 and out.loc[2021, "register_pct"] == 9.5
    assert pd.isna(out.loc[2020, "register_pct"]) and bool(out.loc[2021, "register_prelim"])
    with pytest.raises(ValueError, match="several rows"):
        youth.ssb_neet(pd.concat([frame, frame.iloc[[0]]]))


def test_real_ssb_file_is_consistent():
    out = youth.ssb_neet(data.load("ssb_neet_15_29"))
    assert out.index.min() == 2006 and out.index.max() == 2023
    assert out["aku_pct"].notna().all()  # one AKU value per year 2006–2023
    assert out.loc[2021, "aku_pct"] == pytest.approx(7.4)  # SSB's article on NEET in 2021
    # the register measure is higher than the survey measure in every year with both
    both = out.dropna(subset=["register_pct"])
    assert (both["register_pct"] > both["aku_pct"]).all()
    # all four register figures are final; 2022 is SSB's final figure (9,5 %, just under 97 200)
    assert out["register_prelim"].dropna().tolist() == [False, False, False, False]
    assert out.loc[2022, "register_pct"] == pytest.approx(9.5)
    assert out.loc[2022, "register_persons"] == pytest.approx(97.2)
    assert bool(out.loc[2022, "register_approx"]) and not bool(out.loc[2021, "register_approx"])


@pytest.mark.parametrize("row, column", [
    ("aku:2024,survey,15-29,2024,6.0,60,false,,s,https://www.ssb.no/x,\n", "measure"),
    ("aku:2024,aku,15-29,2024,106.0,60,false,,s,https://www.ssb.no/x,\n", "percent"),
    ("aku:2024,aku,15-24,2024,6.0,60,false,,s,https://www.ssb.no/x,\n", "age_group"),
    ("aku:2024,aku,15-29,2024,6.0,60,false,,s,http://www.ssb.no/x,\n", "url"),
    ("aku:2024,aku,15-29,2024,6.0,60,,,s,https://www.ssb.no/x,\n", "preliminary"),
])
def test_bad_rows_are_refused_with_column_named(tmp_path, row, column):
    descriptor = data.resource_descriptor("ssb_neet_15_29")
    header = ",".join(f["name"] for f in descriptor["schema"]["fields"]) + "\n"
    (tmp_path / descriptor["path"]).write_text(header + row, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [descriptor]}), encoding="utf-8")
    with pytest.raises(DataError, match=rf"column '{column}'"):
        data.load("ssb_neet_15_29", tmp_path / "datapackage.json")


# ------------------------------------------------------------------ youth vs adult unemployment

def test_ratio_and_difference_by_hand():
    idx = pd.date_range("2020-01-01", periods=3, freq="MS")
    u = pd.DataFrame({"15-24": [12.0, 15.0, np.nan], "25-74": [3.0, 5.0, 2.0]}, index=idx)
    t = youth.ratio_table(u)
    assert len(t) == 2  # the month without a youth rate is dropped
    assert t["ratio"].tolist() == pytest.approx([4.0, 3.0])
    assert t["gap"].tolist() == pytest.approx([9.0, 10.0])
    # the ratio fell while the difference grew: the two measures can disagree
    assert t["ratio"].iloc[1] < t["ratio"].iloc[0] and t["gap"].iloc[1] > t["gap"].iloc[0]


def test_ratio_refuses_a_zero_adult_rate_and_unknown_columns():
    idx = pd.date_range("2020-01-01", periods=1, freq="MS")
    with pytest.raises(ValueError, match="positive"):
        youth.ratio_table(pd.DataFrame({"15-24": [5.0], "25-74": [0.0]}, index=idx))
    with pytest.raises(KeyError):
        youth.ratio_table(pd.DataFrame({"a": [5.0]}, index=idx))


def test_extreme():
    s = pd.Series([3.0, 5.0, 5.0, 1.0], index=list("abcd"))
    assert youth.extreme(s) == (5.0, "b")  # the first of two equal maxima
    assert youth.extreme(s, "min") == (1.0, "d")
    with pytest.raises(ValueError):
        youth.extreme(s, "mean")


def test_ratio_plot_splits_at_the_break():
    idx = pd.date_range("2020-06-01", periods=12, freq="MS")
    t = youth.ratio_table(pd.DataFrame({"15-24": np.linspace(10, 12, 12), "25-74": np.full(12, 2.5)}, index=idx))
    fig = youth.plot_ratio(t, "Test", breaks={"2021-01": "Brudd"})
    cut = mdates.date2num(pd.Timestamp(2021, 1, 1))
    for ax in fig.axes:
        for line in [l for l in ax.lines if len(l.get_xdata()) > 2]:
            x = mdates.date2num(pd.to_datetime(line.get_xdata()))
            assert x.max() < cut or x.min() >= cut
    plt.close(fig)


def test_ratio_plot_marks_without_cutting():
    idx = pd.date_range("2020-06-01", periods=12, freq="MS")
    t = youth.ratio_table(pd.DataFrame({"15-24": np.linspace(10, 12, 12), "25-74": np.full(12, 2.5)}, index=idx))
    fig = youth.plot_ratio(t, "Test", marks={"2021-01": "Ny AKU 2021"})
    cut = mdates.date2num(pd.Timestamp(2021, 1, 1))
    for ax in fig.axes:
        data_lines = [l for l in ax.lines if len(l.get_xdata()) > 2]
        assert any(mdates.date2num(pd.to_datetime(l.get_xdata())).min() < cut
                   < mdates.date2num(pd.to_datetime(l.get_xdata())).max() for l in data_lines)
        assert any("Ny AKU 2021" in txt.get_text() for txt in ax.texts)
    plt.close(fig)


# ------------------------------------------------------------------ reduced work capacity by age

def test_nae_by_age_share_and_consistency(norway_stats):
    table = youth.nae_by_age(norway_stats)
    # NAV's table for Q4 2011: 3 748 under 30, 11 020 aged 30–59, 1 958 aged 60+, 16 726 in all
    assert table.loc[2011, "total"] == 16726
    assert table.loc[2011, "share_under_30"] == pytest.approx(3748 / 16726 * 100)
    assert youth.growth_pct(table["under 30"], 2011, 2019) == pytest.approx((4466 / 3748 - 1) * 100)


def test_nae_by_age_refuses_parts_that_do_not_add_up(norway_stats):
    broken = norway_stats.copy()
    mask = (broken["indicator"] == youth.NAE_INDICATOR) & (broken["group"] == "total") & (broken["year"] == 2015)
    broken.loc[mask, "value"] = broken.loc[mask, "value"] + 100
    with pytest.raises(ValueError, match="2015"):
        youth.nae_by_age(broken)


def test_growth_pct_by_hand():
    s = pd.Series([200.0, 250.0], index=[2011, 2019])
    assert youth.growth_pct(s, 2011, 2019) == pytest.approx(25.0)
    with pytest.raises(ZeroDivisionError):
        youth.growth_pct(pd.Series([0.0, 1.0], index=[1, 2]), 1, 2)


def test_young_benefit_facts_are_percent_and_labelled(norway_stats):
    facts = youth.young_benefit_facts(norway_stats)
    assert facts.loc["health_benefit_share_18_29:2017", "value"] == pytest.approx(7.0)
    assert facts.loc["ufore_share_under30_incl_TU:1992", "value"] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="not percent"):
        youth.young_benefit_facts(norway_stats, [("new_persons_nedsatt_arbeidsevne", "total", 2019, "x", "y", "z")])
    with pytest.raises(KeyError):
        youth.young_benefit_facts(norway_stats, [("aap_share_age_group", "18-24", 1999, "x", "y", "z")])


# ------------------------------------------------------------------ tables and plots in Norwegian

def test_tables_are_norwegian_and_mark_breaks(norway_stats):
    ssb = youth.ssb_neet(data.load("ssb_neet_15_29"))
    html = youth.ssb_data_table(ssb, "Tabell").data
    assert "9,5</td>" in html and "(foreløpig)" not in html and "Register (%)" in html
    html = youth.nae_data_table(youth.nae_by_age(norway_stats), "Tabell").data
    assert "Under 30 år" in html and "16\u00a0726" in html


def test_ssb_neet_plot_keeps_the_measures_apart_and_dates_every_point():
    ssb = youth.ssb_neet(data.load("ssb_neet_15_29"))
    fig = youth.plot_ssb_neet(ssb, "Test")
    (ax,) = fig.axes
    drawn = [l for l in ax.lines if l.get_marker() == "o" and l.get_linestyle() not in ("None", "none", "")]
    # the AKU line is cut at the 2021 redesign: 2006–2020 and 2021 onwards, nothing else is joined
    spans = sorted((int(min(l.get_xdata())), int(max(l.get_xdata()))) for l in drawn)
    assert spans == [(2006, 2020), (2021, 2023)]
    squares = [l for l in ax.lines if l.get_marker() == "s"]
    years = sorted(int(x) for l in squares for x in l.get_xdata())
    assert years == [2019, 2020, 2021, 2022]
    # every register figure is final: no hollow square, and no legend for hollow squares
    hollow = [l for l in squares if l.get_markerfacecolor() == "white"]
    assert hollow == []
    assert not any("foreløpig" in t.get_text() for t in ax.texts)
    plt.close(fig)
