"""Tests for book.immigrants. Expected values are computed by hand from the SSB tables the data
files were transcribed from, not copied from the code under test."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from book import data, immigrants


@pytest.fixture(scope="module")
def emp():
    return immigrants.employment_table(data.load("ssb_innvandrere_sysselsetting"))


@pytest.fixture(scope="module")
def intro():
    return data.load("ssb_introduksjonsprogram")


def test_employment_table_order_and_years(emp):
    assert list(emp.columns) == [2017, 2018, 2019, 2020, 2021, 2022, 2023]
    assert emp.index[0] == "all" and "africa" in emp.index
    # SSB 2018: Afrika 51,4 %; 2020: 53,3 %; 2021–2023 have no figure for Afrika, which stays missing
    assert emp.loc["africa", 2018] == pytest.approx(51.4)
    assert emp.loc["africa", 2020] == pytest.approx(53.3)
    assert math.isnan(emp.loc["africa", 2023]) and math.isnan(emp.loc["africa", 2022])
    # SSB's article on 2022: 68,9 % of immigrants both years, EU-land i Øst-Europa 76,6 % in 2022
    assert emp.loc["immigrants", 2021] == emp.loc["immigrants", 2022] == pytest.approx(68.9)
    assert emp.loc["eu_eastern", 2022] == pytest.approx(76.6)


def test_changes_are_ssbs_own():
    ch = immigrants.changes(data.load("ssb_innvandrere_sysselsetting"))
    assert list(ch.columns) == [2018, 2019, 2020]
    # SSB's 2020 page: EU-land i Øst-Europa −3,6 (the two pages differ by −3,5); Afrika +2,8, +2,6, −0,8
    assert ch.loc["eu_eastern", 2020] == pytest.approx(-3.6)
    assert [ch.loc["africa", y] for y in (2018, 2019, 2020)] == pytest.approx([2.8, 2.6, -0.8])


def test_gaps_by_hand(emp):
    g = immigrants.gaps(emp)
    # 2020: 65,4 − 78,1 = −12,7; 2023: 68,2 − 79,8 = −11,6; Afrika 2020: 53,3 − 78,1 = −24,8
    assert g.loc["immigrants", 2020] == pytest.approx(-12.7)
    assert g.loc["immigrants", 2023] == pytest.approx(-11.6)
    assert g.loc["africa", 2020] == pytest.approx(-24.8)
    with pytest.raises(KeyError):
        immigrants.gaps(emp, "nobody")


def test_spread_2020(emp):
    top, bottom, distance = immigrants.spread(emp, 2020)
    assert (top, bottom) == ("nordic", "africa")
    assert distance == pytest.approx(78.4 - 53.3)


def test_employment_counts_add_up():
    """The split of SSB's run-together numbers is right if the groups add up to the total."""
    f = data.load("ssb_innvandrere_sysselsetting").set_index("row_id")
    for year in (2018, 2019, 2020):
        total = f.loc[f"{year}:all", "employed"]
        assert f.loc[f"{year}:non_immigrants", "employed"] + f.loc[f"{year}:immigrants", "employed"] == total
    for year in (2018, 2020):
        regions = sum(f.loc[f"{year}:{g}", "employed"] for g in immigrants.REGIONS)
        assert regions == f.loc[f"{year}:immigrants", "employed"]


def test_participants(intro):
    p = immigrants.participants(intro)
    assert list(p.index) == [2016, 2018, 2023, 2024]
    # 2024: 24 178 of 34 578 born in Ukraine = 69,92 %; women 19 387 / 34 578 = 56,07 %
    assert p.loc[2024, "ukraine_pct"] == pytest.approx(100 * 24178 / 34578)
    assert p.loc[2024, "women_pct"] == pytest.approx(56.07, abs=0.01)
    assert math.isnan(p.loc[2016, "ukraine"])
    assert (p["men"] + p["women"] == p["total"]).all()


def test_status_tables_add_up(intro):
    for year in (2017, 2023):
        s = immigrants.status(intro, year)
        for sex in ("both", "men", "women"):
            assert s.loc[immigrants.STATUS, f"{sex}_n"].sum() == s.loc["total", f"{sex}_n"]
        assert (s.loc["total", ["men_n", "women_n"]].sum() == s.loc["total", "both_n"])
    s23 = immigrants.status(intro, 2023)
    # 2 060 / 3 170 = 64,98 %, which SSB rounds to 65
    assert immigrants.computed_share(s23, "work_or_education", "both") == pytest.approx(64.98, abs=0.01)
    assert s23.loc["work_or_education", "women_pct"] == 59


def test_tables_and_figures_render(emp, intro):
    t = immigrants.employment_data_table(emp, "Test")
    assert "Afrika" in t._repr_html_() and "−" not in t.caption
    fig = immigrants.plot_employment(emp, [2017, 2019, 2020], "test")
    assert fig is not None
    totals = immigrants.plot_totals(emp, "test")
    assert [int(x) for x in totals.axes[0].get_xticks()] == list(range(2017, 2024))
    parts = immigrants.participants(intro)
    statuses = {y: immigrants.status(intro, y) for y in (2017, 2023)}
    assert immigrants.plot_programme(parts, statuses, "test") is not None
    html = immigrants.status_data_table(statuses, "Test")._repr_html_()
    assert "Annen eller ukjent status" in html
    assert "Født i Ukraina" in immigrants.participants_data_table(parts, "Test")._repr_html_()
    matplotlib.pyplot.close("all")


def test_reweighted_share_by_hand(intro):
    s17, s23 = immigrants.status(intro, 2017), immigrants.status(intro, 2023)
    # 2023 shares: men 972/1 326, women 1 088/1 844; 2017 mix: 2 706 men and 2 084 women of 4 790
    expected = 100 * (972 / 1326 * 2706 / 4790 + 1088 / 1844 * 2084 / 4790)
    assert immigrants.reweighted_share(s23, s17) == pytest.approx(expected)
    assert immigrants.reweighted_share(s23, s23) == pytest.approx(100 * 2060 / 3170)


def test_facts_are_norwegian_text(emp, intro):
    def plain(d):
        return {k: str(v).replace("\u00a0", " ").replace("\u202f", " ") for k, v in d.items()}

    ch = immigrants.changes(data.load("ssb_innvandrere_sysselsetting"))
    f = plain(immigrants.employment_facts(emp, ch))
    assert f["imm_2020"] == "65,4 %" and f["gap_2023"] == "11,6 prosentpoeng"
    assert f["euo_drop"] == "3,6 prosentpoeng" and f["gap_2022"] == "10,9 prosentpoeng"
    assert f["top_label"] == "Norden" and f["bottom_label"] == "Afrika"
    parts = immigrants.participants(intro)
    statuses = {y: immigrants.status(intro, y) for y in (2017, 2023)}
    g = plain(immigrants.programme_facts(parts, statuses))
    assert g["st23_both"] == "65 %" and g["st17_gap"] == "21 prosentpoeng"
    assert g["part_2024"] == "34 578" and g["ukr_2024_pct"] == "69,9 %"


def test_a_repeated_programme_row_is_an_error_naming_file_and_row(tmp_path):
    """Two rows for the same table, year, category and sex (even with different row ids) would let
    ``participants`` keep the first silently: the schema's key refuses the file instead."""
    from conftest import ROOT, package_with

    source = (ROOT / "data" / "ssb_introduksjonsprogram.csv").read_text(encoding="utf-8").splitlines()
    header, first = source[0], source[1]
    twin = first.replace("participants:2016:all:both", "participants:2099:all:both", 1)  # a valid id, same row
    package = package_with(tmp_path, "ssb_introduksjonsprogram", "\n".join([header, first, twin]) + "\n")
    with pytest.raises(data.DataError, match=r"ssb_introduksjonsprogram\.csv, row 3: duplicate key"):
        data.load("ssb_introduksjonsprogram", package)
