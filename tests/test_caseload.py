"""book.caseload: the caseload arithmetic on numbers that can be checked by hand, and clear
errors for impossible assumptions."""

import math

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from book import caseload
from book.caseload import Workload


def test_minutes_per_week_by_hand():
    # 37.5 h × 60 min = 2 250 min; half of it is 1 125 min; shared by 90 candidates = 12.5 min
    assert caseload.minutes_per_candidate_week(90, Workload(37.5, 0.5)) == pytest.approx(12.5)
    # 40 h, all of it for follow-up, 40 candidates: one hour each
    assert caseload.minutes_per_candidate_week(40, Workload(40, 1.0)) == pytest.approx(60)


def test_minutes_per_month_averages_over_working_weeks():
    # 12.5 min a week in 48 working weeks = 600 min a year = 50 min a month
    assert caseload.minutes_per_candidate_month(90, Workload(37.5, 0.5, 48)) == pytest.approx(50)
    # with 52 working weeks the monthly figure is 52/12 times the weekly one
    assert caseload.minutes_per_candidate_month(10, Workload(10, 1.0, 52)) == pytest.approx(60 * 52 / 12)


def test_array_of_caseloads():
    out = caseload.minutes_per_candidate_week([45, 90, 180], Workload(37.5, 0.5))
    assert isinstance(out, np.ndarray)
    assert out.tolist() == pytest.approx([25, 12.5, 6.25])


def test_max_caseload_by_hand():
    # 1 125 min a week × 48 weeks / 12 = 4 500 min a month; one hour each → 75 candidates
    assert caseload.max_caseload(60, Workload(37.5, 0.5, 48)) == pytest.approx(75)
    # consistency: at that caseload each candidate gets exactly the target
    w = Workload(30, 0.4, 44)
    n = caseload.max_caseload(45, w)
    assert caseload.minutes_per_candidate_month(n, w) == pytest.approx(45)


def test_defaults_are_stated():
    w = Workload()
    assert (w.hours_per_week, w.followup_share, w.working_weeks_per_year) == (37.5, 0.5, 45.0)
    assert w.followup_minutes_per_week == pytest.approx(1125)


@pytest.mark.parametrize("kwargs, message", [
    ({"followup_share": 0}, "followup_share"),
    ({"followup_share": 1.5}, "followup_share"),
    ({"followup_share": -0.2}, "followup_share"),
    ({"hours_per_week": 0}, "hours_per_week"),
    ({"hours_per_week": 200}, "hours_per_week"),
    ({"working_weeks_per_year": 53}, "working_weeks_per_year"),
    ({"working_weeks_per_year": math.nan}, "working_weeks_per_year"),
])
def test_impossible_assumptions_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Workload(**kwargs)


@pytest.mark.parametrize("value", ["37.5", None, True])
def test_non_numbers_are_refused(value):
    with pytest.raises(TypeError, match="hours_per_week"):
        Workload(hours_per_week=value)


@pytest.mark.parametrize("bad", [0, -3, math.inf, [90, 0], []])
def test_bad_caseloads_give_value_errors(bad):
    with pytest.raises(ValueError, match="caseload"):
        caseload.minutes_per_candidate_week(bad)


@pytest.mark.parametrize("bad", ["90", True, ["a", "b"]])
def test_caseload_must_be_numeric(bad):
    with pytest.raises(TypeError, match="caseload"):
        caseload.minutes_per_candidate_week(bad)


def test_workload_must_be_a_workload():
    with pytest.raises(TypeError, match="Workload"):
        caseload.minutes_per_candidate_week(90, {"hours_per_week": 37.5})
    with pytest.raises(ValueError, match="minutes_per_month"):
        caseload.max_caseload(0)


def test_curve_is_long_and_complete():
    table = caseload.curve([30, 60, 90], {"a": Workload(37.5, 0.4), "b": Workload(37.5, 0.8)})
    assert len(table) == 6
    b90 = table[(table["scenario"] == "b") & (table["caseload"] == 90)].iloc[0]
    assert b90["minutes_week"] == pytest.approx(37.5 * 60 * 0.8 / 90)  # 20 minutes
    with pytest.raises(ValueError):
        caseload.curve([30], {})


def test_plot_and_table():
    table = caseload.curve(range(20, 201, 10), {"a": Workload(37.5, 0.5)})
    fig = caseload.plot_minutes(table, {"a": "Halvparten"}, 90, "Merke", "test")
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "Halvparten: 12,5 min per uke" in texts  # 37,5 h × 60 × 0,5 / 90
    with pytest.raises(KeyError):
        caseload.plot_minutes(table, {"zzz": "x"}, 90, "m", "s")
    html = caseload.curve_table(table, {"a": "Halvparten"}, [90], caption="T").data
    assert "12,5" in html and "Halvparten: min/uke" in html
    with pytest.raises(KeyError, match="35"):
        caseload.curve_table(table, {"a": "Halvparten"}, [35], caption="T")


def test_replace_validates_the_copy():
    base = Workload(37.5, 0.5, 45)
    low = base.replace(followup_share=0.3)
    assert (low.hours_per_week, low.followup_share, low.working_weeks_per_year) == (37.5, 0.3, 45)
    with pytest.raises(ValueError, match="followup_share"):
        base.replace(followup_share=2)


def test_axis_and_column_labels_can_name_users_instead_of_candidates():
    # Chapter 2 counts Nav users («brukere»); the defaults keep chapter 10's «kandidater».
    table = caseload.curve([60, 90], {"a": caseload.Workload()})
    fig = caseload.plot_minutes(table, {"a": "Halvparten"}, 90, "Merke", "test",
                                xlabel="Antall brukere i porteføljen", ylabel="Minutter per bruker per uke")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Antall brukere i porteføljen"
    assert ax.get_ylabel() == "Minutter per bruker per uke"
    assert caseload.plot_minutes(table, {"a": "H"}, 90, "m", "s").axes[0].get_xlabel() == "Antall kandidater i porteføljen"
    html = caseload.curve_table(table, {"a": "Halvparten"}, [90], caption="T", caseload_label="Brukere i porteføljen").data
    assert "Brukere i porteføljen" in html and "Kandidater" not in html
    matplotlib.pyplot.close("all")
