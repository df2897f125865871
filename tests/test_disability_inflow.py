"""book.disability_inflow and its dataset: hand-computed values on small inputs, the real file
against Nav's published table, and bad input that fails with a clear error."""

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from book import data
from book import disability_inflow as di
from book.data import DataError
from conftest import package_with


def toy():
    rows = []
    for year, (t, w) in {2015: (10.0, 12.0), 2016: (11.0, 13.5), 2017: (9.0, 11.0)}.items():
        rows += [{"year": year, "group": "total", "per_1000": t}, {"year": year, "group": "women", "per_1000": w}]
    return pd.DataFrame(rows)


def test_inflow_table_by_hand():
    table = di.inflow_table(toy())
    assert list(table.columns) == ["total", "women"]
    assert table.loc[2016, "women"] == 13.5 and table.loc[2017, "total"] == 9.0
    with pytest.raises(KeyError, match="men"):
        di.inflow_table(pd.concat([toy(), pd.DataFrame([{"year": 2015, "group": "men", "per_1000": 8.0}])]))
    with pytest.raises(KeyError, match="women"):
        di.inflow_table(toy()[toy()["group"] == "total"])


def test_period_mean_and_changes_by_hand():
    series = di.inflow_table(toy())["total"]
    assert di.period_mean(series, 2015, 2017) == pytest.approx(10.0)  # (10 + 11 + 9) / 3
    assert di.period_mean(series, 2016, 2016) == pytest.approx(11.0)
    with pytest.raises(KeyError, match="2018"):
        di.period_mean(series, 2016, 2018)
    with pytest.raises(ValueError):
        di.period_mean(series, 2017, 2015)
    assert di.changes_between(series, [(2015, 2016), (2016, 2017)]) == {(2015, 2016): 1.0, (2016, 2017): -2.0}


def test_figure_and_table():
    table = di.inflow_table(toy())
    fig = di.plot_inflow(table, "test", changes={2015.5: "endring"})
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # two groups and one marker for the change
    stock = pd.DataFrame({"year": [2015, 2016, 2017], "share_pct": [9.4, 9.5, 9.6]})
    html = di.combined_table(table, stock, caption="x")._repr_html_()
    assert "13,5" in html and "9,6" in html and "Andel med uføretrygd" in html
    with pytest.raises(KeyError, match="2017"):
        di.combined_table(table, stock[stock["year"] < 2017], caption="x")


# ------------------------------------------------------------------ the real file

def test_real_series_matches_navs_table():
    """Values as printed in Nav's table (row «I alt», all and women), 2015–2024."""
    table = di.inflow_table(data.load("nav_uforetrygd_tilgang"))
    assert list(table.index) == list(range(2015, 2025))
    assert table["total"].tolist() == [9.9, 9.6, 10.3, 11.9, 11.9, 9.4, 9.1, 9.2, 8.6, 9.7]
    assert table["women"].tolist() == [11.9, 11.5, 12.3, 14.5, 14.4, 11.3, 11.0, 11.2, 10.4, 11.6]
    # period means computed by hand: (9.9 + 9.6 + 10.3) / 3 = 9.93…; (9.4 + 9.1 + 9.2 + 8.6 + 9.7) / 5 = 9.2
    assert di.period_mean(table["total"], 2015, 2017) == pytest.approx(29.8 / 3)
    assert di.period_mean(table["total"], 2020, 2024) == pytest.approx(9.2)
    # the stock it is shown beside covers the same years
    stock = data.load("nav_uforetrygd_andel")
    assert set(table.index) <= set(stock["year"])


@pytest.mark.parametrize("row, column", [
    ("2015,men,9.0\n", "group"),
    ("2015,total,-1\n", "per_1000"),
    ("2010,total,9.0\n", "year"),
])
def test_bad_rows_are_refused_with_column_named(tmp_path, row, column):
    with pytest.raises(DataError, match=rf"column '{column}'"):
        data.load("nav_uforetrygd_tilgang", package_with(tmp_path, "nav_uforetrygd_tilgang", row, header=True))


def test_kvp_figures_used_in_chapter_2_are_the_propositions():
    """Chapter 2 quotes the Ministry's KVP figures from Prop. 12 L (2018–2019), kap. 3.1."""
    kvp = data.load("kvp_participants").set_index("row_id")
    assert kvp.loc["need_at_introduction", "value"] == 15600
    assert kvp.loc["participants_2010", "value"] == 8801
    assert kvp.loc["participants_2017", "value"] == 5400
    assert kvp.loc["participants_2017", "approx"].startswith("i underkant av")


def test_key_figures_by_hand():
    """The numbers chapter 2 quotes, computed by hand from Nav's table."""
    table = di.inflow_table(data.load("nav_uforetrygd_tilgang"))
    k = di.key_figures(table, data.load("nav_uforetrygd_andel"))
    assert k["ut_mean_1517"] == "9,9"      # 29.8 / 3 = 9.93
    assert k["ut_mean_2024"] == "9,2"      # 46.0 / 5
    assert k["ut_jump"] == "1,6"           # 11.9 - 10.3
    assert k["ut_jump_w"] == "2,2"         # 14.5 - 12.3
    assert k["ut_jump_rel"] == "16\u00a0%"      # 1.6 / 10.3 = 0.155
    assert k["ut_jump_w_rel"] == "18\u00a0%"    # 2.2 / 12.3 = 0.179
    assert k["ut_2018_over"] == "2,0"      # 11.9 - 9.93
    assert k["ut_fall"] == "2,5"           # 11.9 - 9.4
    assert (k["ut_low_year"], k["ut_low"], k["ut_last"]) == ("2023", "8,6", "9,7")
    assert (k["ut_stock_first"], k["ut_stock_2020"], k["ut_stock_last"]) == ("9,4\u00a0%", "10,5\u00a0%", "10,5\u00a0%")
