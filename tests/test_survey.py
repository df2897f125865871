"""book.survey (chapter 11, analysis 2): the arithmetic of a survey with non-response, checked
against values computed by hand, the published 2025 figures, and bad input."""

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from book import data
from book import survey as s
from book.data import DataError
from conftest import package_with


def test_response_rate_and_bounds_by_hand():
    assert s.response_rate(10, 100) == pytest.approx(0.1)
    # 82 % yes among the 10 % who answered: 8.2 % of all at least, 8.2 + 90 = 98.2 % at most
    assert s.bounds(0.82, 0.1) == pytest.approx((0.082, 0.982))
    assert s.overall(0.82, 0.1, 0.5) == pytest.approx(0.082 + 0.45)
    # everyone answered: no uncertainty left from non-response
    assert s.bounds(0.6, 1.0) == pytest.approx((0.6, 0.6))


def test_flip_point_by_hand():
    # (0.5 - 0.1 * 0.82) / 0.9
    assert s.flip_point(0.82, 0.1) == pytest.approx(0.418 / 0.9)
    assert s.overall(0.82, 0.1, s.flip_point(0.82, 0.1)) == pytest.approx(0.5)
    # 90 % yes among 60 % respondents: at least 54 % overall, so half can never be crossed
    assert s.flip_point(0.9, 0.6) is None
    assert s.flip_point(0.5, 1.0) is None


def test_wilson_interval_textbook_value():
    # 50 of 100: the Wilson 95 % interval is 0.4038-0.5962 (symmetric around 0.5)
    low, high = s.wilson(0.5, 100)
    assert low == pytest.approx(0.40383, abs=1e-5) and high == pytest.approx(0.59617, abs=1e-5)
    # it never leaves 0-1, also at the edge
    low, high = s.wilson(0.0, 20)
    assert low == pytest.approx(0.0, abs=1e-12) and 0 < high < 0.2


@pytest.mark.parametrize("call", [
    lambda: s.response_rate(5, 0),
    lambda: s.response_rate(11, 10),
    lambda: s.overall(1.2, 0.1, 0.5),
    lambda: s.bounds(0.5, -0.1),
    lambda: s.wilson(0.5, 0),
])
def test_bad_input_is_refused(call):
    with pytest.raises(ValueError):
        call()


def test_published_2025_figures():
    items = {i.indicator: i for i in s.indicators(data.load("nav_personbruker"))}
    assert list(items) == ["tilfredshet", "respekt", "tillit"]
    respekt = items["respekt"]
    assert respekt.share == pytest.approx(0.82)
    assert respekt.rate == pytest.approx(13312 / 135895)
    assert round(100 * respekt.rate, 1) == 9.8  # as Nav reports it
    # 0.82 * 0.0979580 = 0.0803256; plus 0.9020420 = 0.9823676; flip 0.4196744 / 0.9020420 = 0.4652491
    assert respekt.lower == pytest.approx(0.0803256, abs=1e-6)
    assert respekt.upper == pytest.approx(0.9823676, abs=1e-6)
    assert respekt.flip == pytest.approx(0.4652491, abs=1e-6)
    # sampling error with 13 312 answers is under one percentage point either way
    assert respekt.ci_high - respekt.ci_low < 0.014


def test_indicators_refuse_missing_columns_and_years():
    frame = data.load("nav_personbruker")
    with pytest.raises(KeyError, match="invited"):
        s.indicators(frame.drop(columns="invited"))
    with pytest.raises(KeyError, match="1999"):
        s.indicators(frame, year=1999)


def test_figure_and_tables():
    items = s.indicators(data.load("nav_personbruker"))
    assert len(s.plot_bounds(items, "test").axes) == 2
    table = s.bounds_table(items, "t")
    assert len(table.rows) == 3 and table.rows[1][1] == "82\u00a0%"
    assert table.rows[1][3] == "8\u201398\u00a0%"
    # Wilson interval 81.3-82.7 % shown in whole percent, as Nav gives the shares
    assert table.rows[1][2] == "81\u201383\u00a0%"
    scen = s.scenario_table(items, (0, 20), "t")
    # 0.82 - 0.902042 * 0.20 = 0.6396 -> 64 %
    assert scen.rows[1] == ["Opplever å bli møtt med respekt", "82\u00a0%", "64\u00a0%"]


@pytest.mark.parametrize("row, column", [
    ("respekt,2025,182,13312,135895,https://e.no\n", "share"),
    ("velvilje,2025,50,13312,135895,https://e.no\n", "indicator"),
    ("tillit,2025,50,13312,135895,e.no\n", "url"),
])
def test_bad_rows_are_refused_with_column_named(tmp_path, row, column):
    with pytest.raises(DataError, match=rf"column '{column}'"):
        data.load("nav_personbruker", package_with(tmp_path, "nav_personbruker", row, header=True))


def test_prose_numbers_by_hand():
    out = s.prose_numbers(s.indicators(data.load("nav_personbruker")))
    assert out["pb_invited"] == "135\u00a0895" and out["pb_resp"] == "13\u00a0312"
    assert out["pb_rate"] == "9,8\u00a0%" and out["pb_rate_dec"] == "0,098" and out["pb_nonrate_dec"] == "0,902"
    assert out["pb_respekt_low"] == "8\u00a0%" and out["pb_respekt_high"] == "98\u00a0%"
    assert out["pb_respekt_flip"] == "47\u00a0%" and out["pb_respekt_gap"] == "35"
    # tillit, non-respondents 30 points lower: 0.76 - 0.902042 * 0.30 = 0.4894 -> 49 %
    assert out["pb_tillit_minus30"] == "49\u00a0%"
    # flips: tilfredshet 0.4696, respekt 0.4652, tillit 0.4718
    assert out["pb_flip_min"] == "46,5\u00a0%" and out["pb_flip_max"] == "47,2\u00a0%"
    with pytest.raises(KeyError, match="tillit"):
        s.prose_numbers([i for i in s.indicators(data.load("nav_personbruker")) if i.indicator != "tillit"])
