"""book.labour: employment gaps, monthly series and plots that never join across a break.

The expected values are worked out by hand in the comments, not copied from the code's output.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from book import data, labour

# ---- arithmetic -----------------------------------------------------------------------------


def test_gap_is_reference_minus_group():
    assert labour.gap_pp(74.0, 44.0) == 30.0
    gaps = labour.gap_pp(pd.Series([80.0, np.nan]), pd.Series([50.0, 40.0]))
    assert gaps.iloc[0] == 30.0 and np.isnan(gaps.iloc[1])


def test_rate_outside_group_by_hand():
    # 100 persons, 70 employed; the group is 20 persons of whom 6 are employed.
    # Outside the group: (70 - 6) / (100 - 20) = 64 / 80 = 80 %.
    assert labour.rate_outside_group(70, 100, 6, 20) == pytest.approx(80.0)


@pytest.mark.parametrize("args, message", [
    ((70, 100, 30, 20), "more employed than persons"),
    ((70, 100, 6, 100), "part of the total"),
    ((70, 100, 80, 90), "part of the total"),
    ((-1, 100, 6, 20), "negative"),
    ((70, float("nan"), 6, 20), "finite"),
])
def test_rate_outside_group_refuses_impossible_counts(args, message):
    with pytest.raises(ValueError, match=message):
        labour.rate_outside_group(*args)


def test_employment_shortfall_by_hand():
    # 500 (thousand) persons at 40 % instead of 70 %: 500 * 30 / 100 = 150 (thousand) fewer employed.
    assert labour.employment_shortfall(500, 40, 70) == pytest.approx(150.0)
    with pytest.raises(ValueError, match="between 0 and 100"):
        labour.employment_shortfall(500, 40, 170)
    with pytest.raises(ValueError, match="negative"):
        labour.employment_shortfall(-5, 40, 70)


# ---- months ---------------------------------------------------------------------------------


def test_parse_month_reads_ssb_and_iso():
    assert labour.parse_month("2009M01") == pd.Timestamp(2009, 1, 1)
    assert labour.parse_month("2019-12") == pd.Timestamp(2019, 12, 1)


@pytest.mark.parametrize("bad", ["2019M13", "2019-00", "19-12", "2019/12", ""])
def test_parse_month_refuses_other_text(bad):
    with pytest.raises(ValueError, match="not a month"):
        labour.parse_month(bad)
    with pytest.raises(TypeError):
        labour.parse_month(201912)


def test_month_text_in_norwegian():
    assert labour.month_text(pd.Timestamp(2017, 2, 1)) == "februar 2017"
    assert labour.month_text("2024M12") == "desember 2024"
    assert labour.month_text("2021-01") == "januar 2021"


def long_frame():
    return pd.DataFrame({
        "month": ["2020M12", "2021M01", "2020M12", "2021M01", "2021M01"],
        "age_group": ["15-24", "15-24", "25-74", "25-74", "25-74"],
        "measure": ["e", "e", "e", "e", "u"],
        "value": [50.0, 51.0, 70.0, 71.0, 3.0],
    })


def test_monthly_wide_filters_sorts_and_looks_up():
    table = labour.monthly_wide(long_frame(), "age_group", where={"measure": "e"})
    assert list(table.columns) == ["15-24", "25-74"]
    assert list(table.index) == [pd.Timestamp(2020, 12, 1), pd.Timestamp(2021, 1, 1)]
    assert labour.at_month(table, "2021-01", "25-74") == 71.0
    assert labour.at_month(table, "2020M12", "15-24") == 50.0
    assert list(labour.december_values(table).index) == [2020]
    with pytest.raises(KeyError, match="no value"):
        labour.at_month(table, "2022-01", "15-24")
    with pytest.raises(KeyError, match="no column"):
        labour.at_month(table, "2021-01", "55-74")


def test_monthly_wide_refuses_duplicates_and_empty_selections():
    with pytest.raises(ValueError, match="several values"):
        labour.monthly_wide(long_frame(), "age_group")  # measure not selected: two values in 2021M01/25-74
    with pytest.raises(KeyError, match="no rows"):
        labour.monthly_wide(long_frame(), "age_group", where={"measure": "x"})


def test_longest_gap():
    assert labour.longest_gap([2002, 2003, 2007, 2009]) == [2004, 2005, 2006]
    assert labour.longest_gap([2001, 2002]) == []


# ---- the real data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def norway_stats():
    return data.load("norway_stats")


def test_health_benefits_uses_one_series(norway_stats):
    table = labour.health_benefits(norway_stats)
    assert (table.index.min(), table.index.max()) == (2001, 2020)
    # RNB 2021 fig. 3.9, 2001: 277.1 + 91.2 + 122.8 = 491.1 thousand residents
    assert table.loc[2001, "total"] == pytest.approx(491.1)
    assert table.loc[2001, "share"] == 17.3
    shares = table[[f"{k}_pct_of_total" for k in labour.HEALTH_LABELS]].sum(axis=1)
    assert np.allclose(shares, 100)


def test_gap_table_keeps_series_apart(norway_stats):
    table = labour.gap_table(norway_stats)
    assert list(dict.fromkeys(table["series"])) == ["aku_16_66", "aku_15_66", "ssb_2021"]
    # 2006 is in both AKU tables, with different values (16–66: 45.8; 15–66: 43.1)
    y2006 = table[table["year"] == 2006].set_index("series")["group"]
    assert y2006["aku_16_66"] == 45.8 and y2006["aku_15_66"] == 43.1
    row2021 = table[table["series"] == "ssb_2021"].iloc[0]
    assert row2021["approx"] and np.isnan(row2021["reference"])  # «nesten 38 %», no comparable total
    assert row2021["decimals"] == 0 and (table[table["series"] != "ssb_2021"]["decimals"] == 1).all()


def test_gap_table_continues_the_15_66_series_with_ssb_later_years(norway_stats):
    later = data.load("ssb_funksjonshemmede_2015_2017")
    table = labour.gap_table(norway_stats, later=later)
    series = table[table["series"] == "aku_15_66"].set_index("year")
    assert list(series.index) == [2006, 2007, 2008, 2009, 2010, 2011, 2012, 2015, 2017]
    # Samfunnsspeilet 1/2016: 2015, 74 % of everybody 15–66 and 43 % of the group employed → 31 pp
    assert series.loc[2015, "gap"] == pytest.approx(31.0) and series.loc[2015, "decimals"] == 0
    # Rapporter 2017/33: 43 % of the group; no rate for everybody → no gap
    assert series.loc[2017, "group"] == 43 and np.isnan(series.loc[2017, "gap"])
    early = pd.DataFrame({"year": [2010], "group_rate_pct": [40.0], "total_rate_pct": [70.0], "source": ["x"]})
    with pytest.raises(ValueError, match="not after 2012"):
        labour.gap_table(norway_stats, later=early)


def test_gap_table_selects_by_age_band(norway_stats):
    # The AKU indicator holds two 2006 values (two tables); each age band gives one clean series.
    mixed = labour.GapSeries("x", "x", "x", ("disability_aku_employment_rate_disabled_pct", "15-66"), None, (2002, 2012))
    assert len(labour.gap_table(norway_stats, [mixed])) == 7
    both = labour.GapSeries("y", "y", "y", ("disability_aku_employment_rate_disabled_pct", "16-66"), None, (2002, 2012))
    assert labour.gap_table(norway_stats, [both])["year"].tolist() == [2002, 2003, 2004, 2005, 2006]
    with pytest.raises(KeyError):
        labour.gap_table(norway_stats, [labour.GapSeries("z", "z", "z", ("no_such_indicator", "x"), None, (2002, 2012))])


# ---- plots never join across a break ---------------------------------------------------------


def _xspans(ax):
    spans = []
    for line in ax.lines:
        x = np.asarray(line.get_xdata(), dtype=float)
        if len(x) > 1 and line.get_linestyle() not in ("None", ""):
            spans.append((x.min(), x.max()))
    return spans


def test_gap_plot_draws_no_line_between_series(norway_stats):
    fig = labour.plot_gap(labour.gap_table(norway_stats), "test")
    top = fig.axes[0]
    for lo, hi in _xspans(top):
        if lo == hi:  # vertical break markers
            continue
        assert (lo, hi) in {(2002, 2006), (2006, 2012)}, (lo, hi)
    texts = " ".join(t.get_text() for t in top.texts)
    assert "≈ 38\u00a0%" in texts and "Ny AKU 2021" in texts and "2013–2020" in texts


def test_gap_plot_leaves_years_without_numbers_empty(norway_stats):
    # SSB's 2015 and 2017 figures continue the 15–66 series, but 2013, 2014 and 2016 have no
    # number here: the line must break there instead of joining 2012 to 2015.
    later = data.load("ssb_funksjonshemmede_2015_2017")
    top = labour.plot_gap(labour.gap_table(norway_stats, later=later), "test").axes[0]
    group_lines = [l for l in top.lines if 2015 in list(l.get_xdata()) and l.get_marker() == "s"]
    assert len(group_lines) == 1
    x, y = np.asarray(group_lines[0].get_xdata(), dtype=float), np.asarray(group_lines[0].get_ydata(), dtype=float)
    assert np.isnan(y[np.isin(x, [2013, 2014, 2016])]).all() and y[x == 2015][0] == 43
    texts = " ".join(t.get_text() for t in top.texts)
    assert "2018–2020" in texts  # the years after the 2018 method change are named, not left blank


def test_health_plot_breaks_the_aap_line(norway_stats):
    fig = labour.plot_health_benefits(labour.health_benefits(norway_stats), "test")
    bottom = fig.axes[1]
    for lo, hi in _xspans(bottom):
        assert not (lo <= 2009 and hi >= 2010) or (lo, hi) == (2001, 2020), (lo, hi)  # only uføre/sykepenger span
    labels = {t.get_text() for t in bottom.texts}
    # one line for the disability benefit, named for both periods (uførepensjon until 2014)
    assert {"Uførepensjon / uføretrygd", "AAP", "Sykepenger"} <= labels
    assert {"AAP fra mars 2010", "Uføretrygd fra 2015"} <= labels  # both changes are marked


def test_monthly_plot_splits_at_the_break_and_labels_each_line():
    import matplotlib.pyplot as plt

    idx = pd.date_range("2020-01-01", periods=24, freq="MS")
    table = pd.DataFrame({"a": np.arange(24.0), "b": np.arange(24.0) + 5}, index=idx)
    fig, ax = plt.subplots()
    labour.plot_monthly(table, {"a": "Linje A", "b": "Linje B"}, "Prosent", ax, breaks={"2021-01": "Brudd"})
    cut = mdates.date2num(pd.Timestamp(2021, 1, 1))
    data_lines = [l for l in ax.lines if len(l.get_xdata()) > 2]
    assert len(data_lines) == 4  # two series × two segments
    for line in data_lines:
        x = mdates.date2num(pd.to_datetime(line.get_xdata()))
        assert x.max() < cut or x.min() >= cut
    assert {"Linje A", "Linje B", "Brudd"} <= {t.get_text() for t in ax.texts}
    assert len({l.get_marker() for l in data_lines}) == 2  # told apart by marker, not colour alone
    with pytest.raises(KeyError):
        labour.plot_monthly(table, {"c": "C"}, "Prosent", ax)


def test_data_tables_are_norwegian(norway_stats):
    later = data.load("ssb_funksjonshemmede_2015_2017")
    html = labour.gap_data_table(labour.gap_table(norway_stats, later=later), "Tabell").data
    # 2012 from the table with one decimal (74.7 − 41.0 = 33.7); 2015 in whole percent (74 − 43 = 31)
    assert "Forskjell (prosentpoeng)" in html and "33,7" in html
    assert "<td>2015</td><td>43</td><td>74</td><td>31</td>" in html
    assert "<td>2017</td><td>43</td><td>–</td><td>–</td>" in html and "≈ 38<" in html
    idx = pd.date_range("2020-11-01", periods=3, freq="MS")
    monthly = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=idx)  # Nov 2020, Dec 2020, Jan 2021
    html = labour.monthly_data_table(monthly, {"a": "Serie A"}, "Tabell").data
    assert "År (desember)" in html and "<td>2020</td><td>2,0</td>" in html and "3,0" not in html


def test_calculation_table():
    html = labour.calculation_table({"Personer (1 000)": 521, "Andel (%)": 41.0}, "Regnestykke").data
    assert "<td>Personer (1 000)</td><td>521,0</td>" in html and "<td>41,0</td>" in html
    with pytest.raises(ValueError):
        labour.calculation_table({}, "Tom")


# ---- the disability gap, computed once for the book (chapters 1 and 4) ----------------------


def test_disability_gap_2012_by_hand(norway_stats):
    # SSB AKU supplement 2012, 15–66 år, 1000 persons: group 521 of whom 214 employed; all 3433 of
    # whom 2566 employed. Group rate 214/521 = 41.07 %; outside the group (2566-214)/(3433-521)
    # = 2352/2912 = 80.77 %; gap 39.69 pp; all 2566/3433 = 74.75 %.
    gap = labour.disability_gap(norway_stats)
    assert gap["year"] == 2012
    assert gap["rate_dis"] == pytest.approx(41.075, abs=0.001)
    assert gap["rate_oth"] == pytest.approx(80.769, abs=0.001)
    assert gap["gap"] == pytest.approx(39.69, abs=0.01)
    assert gap["rate_all"] == pytest.approx(74.745, abs=0.001)
    # 521 * 39.69 / 100 = 206.8 thousand more employed at the rate of those without
    assert gap["shortfall_oth"] == pytest.approx(206.8, abs=0.1)


def test_disability_gap_other_year_and_missing_year(norway_stats):
    # 2009: 229/532 = 43.05 %; (2465-229)/(3303-532) = 2236/2771 = 80.69 %; gap 37.64 pp
    assert labour.disability_gap(norway_stats, 2009)["gap"] == pytest.approx(37.64, abs=0.01)
    with pytest.raises(KeyError, match="no AKU counts for 2015"):
        labour.disability_gap(norway_stats, 2015)


def test_aku_counts_has_the_supplement_years(norway_stats):
    counts = labour.aku_counts(norway_stats)
    assert list(counts.index) == list(range(2006, 2013))
    assert (counts["employed_dis"] < counts["persons_dis"]).all()
    assert (counts["persons_dis"] < counts["persons_all"]).all()


def test_nav_uforetrygd_share_table():
    # Nav table, row «I alt», 30 June: 9.4 % in 2015 and 10.5 % every year 2020–2024
    share = data.load("nav_uforetrygd_andel").set_index("year")["share_pct"]
    assert share[2015] == 9.4
    assert (share.loc[2020:2024] == 10.5).all()
