"""book.conditionality: the 2017 reform in the statistics, the NAV office survey and the flow simulation,
checked on small inputs whose answers can be worked out by hand."""

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest

from book import conditionality as c
from book import data, simulation


def changes_frame(rows):
    cols = ["row_id", "measure", "group", "from_year", "to_year", "value", "unit", "approx", "source", "url", "note"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


CHANGES = [
    ("change_recipients:18-24", "change_recipients", "18-24", 2017, 2018, -30.0, "persons", None, "s", "https://e.no", None),
    ("change_recipients:50-66", "change_recipients", "50-66", 2017, 2018, 20.0, "persons", None, "s", "https://e.no", None),
    ("change_recipients:25-29", "change_recipients", "25-29", 2017, 2018, -10.0, "persons", None, "s", "https://e.no", None),
    ("growth_recipients:alle", "growth_recipients", "alle", 2017, 2018, 0.4, "percent", None, "s", "https://e.no", None),
]


def test_age_changes_orders_groups_and_labels_them():
    table = c.age_changes(changes_frame(CHANGES))
    assert list(table["group"]) == ["18-24", "25-29", "50-66"]
    assert list(table["change"]) == [-30.0, -10.0, 20.0]
    assert list(table["label"]) == ["18–24 år", "25–29 år", "50–66 år"]
    assert c.measure_value(changes_frame(CHANGES), "growth_recipients") == 0.4


def test_age_changes_refuses_missing_groups_and_mixed_periods():
    with pytest.raises(KeyError, match="30-39"):
        c.age_changes(changes_frame(CHANGES), groups=("18-24", "30-39"))
    mixed = [list(r) for r in CHANGES]
    mixed[1][3] = 2014  # 50-66 compares 2014 with 2018
    with pytest.raises(ValueError, match="different years"):
        c.age_changes(changes_frame(mixed))
    with pytest.raises(KeyError, match="expected one row"):
        c.measure_value(changes_frame(CHANGES), "change_recipients_main_income")


@pytest.mark.parametrize("period, x", [("2017Q1", 2017.0), ("2017Q2", 2017.25), ("2018Q4", 2018.75)])
def test_quarter_to_x(period, x):
    assert c.quarter_to_x(period) == x


@pytest.mark.parametrize("bad", ["2017", "2017Q5", "Q1 2017", None])
def test_quarter_to_x_refuses_other_formats(bad):
    with pytest.raises(ValueError, match="not a quarter"):
        c.quarter_to_x(bad)


def stats_frame(rows):
    cols = ["row_id", "indicator", "year", "period", "group", "value", "approx", "unit", "source", "url", "note"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


QUARTERS = [(f"u:{q}", "u", 2017, q, "x", v, None, "percent", "s", "https://e.no", None)
            for q, v in [("2017Q3", 3.0), ("2017Q1", 1.0), ("2017Q2", 2.0)]]


def test_quarterly_sorts_and_checks_gaps():
    out = c.quarterly(stats_frame(QUARTERS), "u", "2017Q1", "2017Q3")
    assert list(out["value"]) == [1.0, 2.0, 3.0]
    assert list(out["x"]) == [2017.0, 2017.25, 2017.5]
    with pytest.raises(ValueError, match="3 of 4 quarters"):
        c.quarterly(stats_frame(QUARTERS), "u", "2017Q1", "2017Q4")
    with pytest.raises(KeyError, match="no indicator"):
        c.quarterly(stats_frame(QUARTERS), "zzz", "2017Q1", "2017Q3")
    mixed = QUARTERS + [("u:2017Q4", "u", 2017, "2017Q4", "x", 4.0, None, "persons", "s", "https://e.no", None)]
    with pytest.raises(ValueError, match="mixes units"):
        c.quarterly(stats_frame(mixed), "u", "2017Q1", "2017Q4")


SURVEY = [("s:1", "aktivitetsplikt_nav_office_survey", 2018, None, g, v, None, "percent of NAV offices", "s", "https://e.no", None)
          for g, v in [("introduced >=1 year before law change", 40), ("'many more' with activity conditions after 2017", 18),
                       ("'some more' with activity conditions after 2017", 23),
                       ("agree positive statements (range low)", 70), ("agree positive statements (range high)", 78),
                       ("earlier adopters saying more bureaucracy", 40)]]


def test_survey_table_turns_the_range_into_one_row():
    table = c.survey_table(stats_frame(SURVEY))
    assert len(table) == 5
    agree = table.set_index("item").loc["agree positive statements"]
    assert (agree["low"], agree["high"]) == (70.0, 78.0)
    assert (table["low"] == table["high"]).sum() == 4
    with pytest.raises(KeyError, match="earlier adopters"):
        c.survey_table(stats_frame(SURVEY[:-1]))


def test_the_real_survey_and_ssb_rows_load():
    table = c.survey_table(data.load("norway_stats"))
    assert table["high"].max() == 78.0
    changes = c.age_changes(data.load("ssb_sosialhjelp_2017_2018"))
    # the two under-30 groups add up to the 1 800 fewer under-30s reported elsewhere
    assert changes.loc[changes["group"] != "50-66", "change"].sum() == -1800


# ------------------------------------------------------------------------------ simulation

def flat(**values):
    """A full parameter set with every probability 0 unless given (plain numbers, no Parameter)."""
    base = {name: 0.0 for name in c.PARAMETERS}
    base.update(n_persons=100, months=2)
    base.update(values)
    return base


def test_monthly_probabilities_by_hand():
    p = flat(exit_work=0.1, exit_other=0.05, exit_none=0.05, threat_effect=0.5, sanction_rate=0.2,
             after_sanction_work=0.25, after_sanction_other=0.25, after_sanction_none=0.5)
    assert c.monthly_probabilities(p, False) == pytest.approx({"benefit": 0.8, "work": 0.1, "other": 0.05, "none": 0.05})
    # with sanctions: work 0.1*1.5 + 0.2*0.25 = 0.2; other 0.05 + 0.05 = 0.1; none 0.05 + 0.1 = 0.15
    assert c.monthly_probabilities(p, True) == pytest.approx({"benefit": 0.55, "work": 0.2, "other": 0.1, "none": 0.15})


def test_expected_flows_two_months_by_hand():
    p = flat(exit_work=0.5, job_loss=0.2)
    flows = c.expected_flows(p, False)
    # month 1: 50 on benefit, 50 in work; month 2: benefit 25 + 10 = 35, work 40 + 25 = 65
    assert list(flows.loc[1]) == pytest.approx([50, 50, 0, 0])
    assert list(flows.loc[2]) == pytest.approx([35, 65, 0, 0])


def test_nobody_moves_when_all_probabilities_are_zero():
    run = c.simulate_flows(flat(), True, simulation.rng(3))
    assert (run["benefit"] == 100).all() and (run[["work", "other", "none"]] == 0).all().all()


def test_simulation_keeps_everyone_and_matches_the_expectation_on_average():
    p = flat(n_persons=2000, months=6, exit_work=0.1, exit_other=0.02, exit_none=0.03, job_loss=0.05,
             return_from_none=0.1, none_to_work=0.05)
    run = c.simulate_flows(p, False, simulation.rng(11))
    assert (run.sum(axis=1) == 2000).all()
    runs = [c.simulate_flows(p, False, simulation.rng(s)).iloc[-1] for s in range(40)]
    mean = pd.DataFrame(runs).mean()
    expected = c.expected_flows(p, False).iloc[-1]
    assert np.allclose(mean, expected, atol=15)  # 40 runs of 2 000 persons: well within sampling noise


def test_same_seed_same_run():
    p = c.parameters()
    a = c.run_scenarios(p, simulation.rng(5))
    b = c.run_scenarios(p, simulation.rng(5))
    assert a["sanctions"].equals(b["sanctions"])


def test_end_shares_and_work_per_fewer_claimant_by_hand():
    results = {
        "baseline": pd.DataFrame({"benefit": [10, 4], "work": [0, 4], "other": [0, 1], "none": [0, 1]}),
        "sanctions": pd.DataFrame({"benefit": [10, 2], "work": [0, 5], "other": [0, 1], "none": [0, 2]}),
    }
    table = c.end_shares(results)
    assert list(table.loc["difference"]) == pytest.approx([-0.2, 0.1, 0.0, 0.1])
    assert c.work_per_fewer_claimant(table) == pytest.approx(0.5)


@pytest.mark.parametrize("changes, message", [
    ({"exit_work": 1.2}, "exit_work = 1.2"),
    ({"after_sanction_work": 0.5, "after_sanction_other": 0.5, "after_sanction_none": 0.5}, "cannot exceed 1"),
    ({"exit_work": 0.6, "exit_other": 0.3, "exit_none": 0.3}, "more than 1"),
    ({"months": 0}, "at least 1"),
])
def test_impossible_assumptions_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        c.parameters(**changes)


def test_unknown_parameter_is_refused():
    with pytest.raises(KeyError, match="sanktion"):
        c.parameters(sanktion=0.1)


def test_outcome_after_one_month_by_hand():
    """One month from 100 on benefit. Without sanctions: 10 to work, 90 stay. With sanctions:
    work 0.1 * 1.5 + 0.2 * 0.25 = 0.2, other 0.2 * 0.25 = 0.05, none 0.2 * 0.5 = 0.1, so 65 stay.
    Difference: 25 pp fewer on benefit, 10 pp more in work, 5 more on another benefit, 10 more
    without income; 10 of every 25 fewer are in work (40 per 100)."""
    p = flat(months=1, exit_work=0.1, threat_effect=0.5, sanction_rate=0.2,
             after_sanction_work=0.25, after_sanction_other=0.25, after_sanction_none=0.5)
    o = c.outcome(p)
    assert o["fall_benefit"] == pytest.approx(25.0)
    assert (o["work"], o["other"], o["none"]) == pytest.approx((10.0, 5.0, 10.0))
    assert o["work_per_100"] == pytest.approx(40.0)


def test_first_month_channels_by_hand():
    p = flat(exit_work=0.04, threat_effect=0.15, sanction_rate=0.02,
             after_sanction_work=0.2, after_sanction_other=0.2, after_sanction_none=0.4)
    per_100 = c.first_month_channels(p).set_index("channel")["per_100"]
    # threat: 0.04 * 0.15 = 0.006 -> 0.6 per 100; sanctions: 0.02 * (0.2, 0.2, 0.4, 0.2) per person
    assert per_100.to_dict() == pytest.approx({"threat": 0.6, "sanction_work": 0.4, "sanction_other": 0.4,
                                              "sanction_none": 0.8, "sanction_stay": 0.4})


def test_with_none_share_keeps_the_sum_and_refuses_too_much():
    p = flat(after_sanction_work=0.2, after_sanction_none=0.4, after_sanction_other=0.2)
    q = c.with_none_share(p, 0.1)
    assert (q["after_sanction_none"], q["after_sanction_work"]) == pytest.approx((0.1, 0.5))
    assert q["after_sanction_other"] == 0.2
    with pytest.raises(ValueError, match="between 0 and 0.600"):
        c.with_none_share(p, 0.7)


def test_flip_point_by_hand():
    """One month, no ordinary exits, no threat: a share 0.2 is sanctioned and half of them leave
    (to work or to no income). Fall on benefit = 10 pp whatever the split; work = 20 * (0.5 - none)
    pp, so work per 100 fewer = 200 * (0.5 - none), which is 50 at none = 0.25."""
    p = flat(months=1, sanction_rate=0.2, after_sanction_work=0.3, after_sanction_none=0.2)
    assert c.flip_point(p) == pytest.approx(0.25, abs=1e-6)
    assert c.flip_point(p, target=100) == pytest.approx(0.0, abs=1e-6)
    assert c.flip_point(p, target=150) is None  # never reached: at most 100 of 100 go to work


def test_tradeoff_grid_and_sensitivity_vary_only_what_they_say():
    p = c.parameters()
    grid = c.tradeoff_grid(p, none_values=[0.0, 0.3, 0.6], threat_values=[0.0, 0.5])
    assert len(grid) == 6
    assert ((grid["after_sanction_none"] + grid["after_sanction_work"]) - 0.6).abs().max() < 1e-12
    for _, frame in grid.groupby("threat_effect"):  # more without income -> fewer of the leavers in work
        assert frame["work_per_100"].is_monotonic_decreasing
    assert grid.groupby("after_sanction_none")["work_per_100"].apply(lambda s: s.is_monotonic_increasing).all()
    sens = c.sensitivity(p)
    assert list(sens["span"]) == sorted(sens["span"], reverse=True)
    row = sens.set_index("name").loc["threat_effect"]
    assert row["per100_low"] == pytest.approx(c.outcome(c.parameters(threat_effect=0.0))["work_per_100"])
    assert row["per100_high"] == pytest.approx(c.outcome(c.parameters(threat_effect=0.5))["work_per_100"])


def test_the_conclusion_flips_under_other_assumptions():
    """The chapter's two scenarios: with the defaults fewer than half of those who leave benefit are
    in work; with a strong threat effect and most of those sanctioned going to work, more than half."""
    assert c.outcome(c.parameters())["work_per_100"] < 50
    flipped = c.parameters(threat_effect=0.5, after_sanction_none=0.1, after_sanction_work=0.5)
    assert c.outcome(flipped)["work_per_100"] > 50
    assert 0 < c.flip_point(c.parameters()) < c.parameters()["after_sanction_none"].value


def test_cases_table_for_the_exercise():
    wide = pd.DataFrame({"20-24": [100.0, 80.0], "total": [300.0, 250.0]}, index=pd.Index([2005, 2008], name="year"))
    md = c.cases_table(wide)._repr_markdown_()
    assert "| År | 20–24 | I alt |" in md and "| 2008 | 80 | 250 |" in md
    with pytest.raises(KeyError, match="unknown age group"):
        c.cases_table(wide.rename(columns={"20-24": "20-29"}))


def test_default_assumptions_lower_the_caseload_more_than_they_raise_work():
    """The chapter's point, on the expected flows (no randomness): with the default assumptions the
    caseload falls by more than employment rises."""
    p = c.parameters()
    base, sanc = c.expected_flows(p, False).iloc[-1], c.expected_flows(p, True).iloc[-1]
    assert sanc["benefit"] < base["benefit"]
    assert (sanc["work"] - base["work"]) < (base["benefit"] - sanc["benefit"]) / 2




def test_recipients_level_row_loads():
    changes = data.load("ssb_sosialhjelp_2017_2018")
    assert c.measure_value(changes, "recipients") == 133000  # «drøyt 133 000» in SSB's article
    assert len(c.age_changes(changes)) == 3  # the level row does not leak into the age changes

# ------------------------------------------------------------------------ the new data resource

def test_ssb_resource_schema_has_units_enums_and_key():
    desc = data.resource_descriptor("ssb_sosialhjelp_2017_2018")
    fields = {f["name"]: f for f in desc["schema"]["fields"]}
    assert desc["schema"]["primaryKey"] == ["row_id"]
    assert set(fields["unit"]["constraints"]["enum"]) == {"persons", "percent"}
    assert "18-24" in fields["group"]["constraints"]["enum"]
    assert any("2014" in caveat for caveat in desc["caveats"])  # the norway_stats labelling discrepancy is recorded


@pytest.mark.parametrize("old, new, rule", [
    (",persons,", ",people,", "enum"),  # a unit outside the enum
    ("https://www.ssb.no", "http://www.ssb.no", "pattern"),  # a page that is not https
    (",2017,2018,", ",2017,20x8,", "type-error"),  # a year that is not a number
])
def test_bad_ssb_rows_are_refused(tmp_path, old, new, rule):
    import json
    from pathlib import Path

    from book.data import DataError

    desc = dict(data.resource_descriptor("ssb_sosialhjelp_2017_2018"))
    text = (Path(data.DATA_DIR) / desc["path"]).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / desc["path"]).write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [desc]}), encoding="utf-8")
    with pytest.raises(DataError, match=rule):
        data.load("ssb_sosialhjelp_2017_2018", tmp_path / "datapackage.json")


# ------------------------------------------------------------------ calibration and labels (round 3)

def test_quarter_label_is_norwegian():
    assert c.quarter_label("2014Q1") == "1. kv. 2014"
    assert c.quarter_label("2018Q4") == "4. kv. 2018"
    with pytest.raises(ValueError):
        c.quarter_label("2014K1")


def test_calendar_year_months_by_hand_and_matches_ssb():
    # h = 0.25: 12 / (1 + 3) = 3 months
    assert c.calendar_year_months(flat(exit_work=0.15, exit_other=0.05, exit_none=0.05)) == pytest.approx(3.0)
    with pytest.raises(ValueError):
        c.calendar_year_months(flat())
    lo, hi = c.SSB_MONTHS_20_24
    assert lo <= round(c.calendar_year_months(c.parameters()), 1) <= hi


def test_ever_sanctioned_by_hand():
    # nobody leaves benefit: 1 - (1 - r)^months
    p = flat(months=3, sanction_rate=0.1)
    assert c.ever_sanctioned(p) == pytest.approx(1 - 0.9 ** 3)
    # everyone leaves for another benefit after the first month: only month 1 counts
    p = flat(months=5, sanction_rate=0.1, exit_other=0.9)
    assert c.ever_sanctioned(p) == pytest.approx(0.1)
    assert c.ever_sanctioned(flat(months=4)) == 0
    assert 0 < c.ever_sanctioned(c.parameters()) < 1 - 0.98 ** 24


def test_survey_data_table_has_one_percent_column():
    table = pd.DataFrame([{"item": "a", "label": "A", "low": 40.0, "high": 40.0},
                          {"item": "b", "label": "B", "low": 70.0, "high": 78.0}])
    html = c.survey_data_table(table)._repr_html_()
    assert "Prosent (lav)" not in html and "70–78" in html and ">40<" in html


def test_monthly_exit_inverts_the_calendar_year_calibration():
    """The chapter's 12–13 % a month is the inverse of SSB's 4.6–4.9 months; the defaults sit at 12 %."""
    from book import conditionality as c

    params = c.parameters()
    assert c.monthly_exit(params) == pytest.approx(0.12)
    h_lo, h_hi = (c.monthly_exit_for_months(m) for m in reversed(c.SSB_MONTHS_20_24))
    assert round(100 * h_lo, 1) == 12.1 and round(100 * h_hi, 1) == 13.4
    for months in c.SSB_MONTHS_20_24:
        h = c.monthly_exit_for_months(months)
        assert 12 / (1 + 12 * h) == pytest.approx(months)
    with pytest.raises(ValueError):
        c.monthly_exit_for_months(0)
    assert c.ssb_exit_range() == pytest.approx((h_lo, h_hi))


def test_leave_share_scales_like_the_sanction_rate():
    """Only sanction_rate times each after_sanction share enters the model: halving the share who
    leave after a reduction gives the same answer as halving the sanction rate."""
    p = c.parameters()
    assert c.leave_share(p) == pytest.approx(0.8)
    q = c.with_leave_share(p, 0.4)
    assert c.leave_share(q) == pytest.approx(0.4)
    assert q["after_sanction_none"].value == pytest.approx(0.2)  # the split is kept: 0.4 * 0.4 / 0.8
    assert c.outcome(q)["work_per_100"] == pytest.approx(c.outcome(c.parameters(sanction_rate=0.01))["work_per_100"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        c.with_leave_share(p, 1.2)


def test_assumptions_table_states_the_leave_share_as_an_assumption():
    rows = c.assumptions_for_table(c.parameters())
    names = list(rows)
    assert names[names.index("after_sanction_none") + 1] == "after_sanction_leave"
    assert rows["after_sanction_leave"].value == pytest.approx(0.8)
    assert rows["after_sanction_leave"].basis.startswith("antakelse")
    assert "20\u00a0%" in rows["after_sanction_leave"].basis or "20 %" in rows["after_sanction_leave"].basis


def test_rate_comparison_matches_outcome_and_the_table_is_norwegian():
    p = c.parameters()
    table = c.rate_comparison(p, rates=(0.02, 0.01))
    assert list(table["sanction_rate"]) == [0.02, 0.01]
    assert table.loc[1, "work_per_100"] == pytest.approx(c.outcome(c.parameters(sanction_rate=0.01))["work_per_100"])
    assert table.loc[0, "ever_sanctioned"] > table.loc[1, "ever_sanctioned"]
    md = c.rate_comparison_table(table)._repr_markdown_()
    assert "Trekk per måned" in md and "Flere i arbeid per 100 færre på sosialhjelp" in md
