"""book.employers: the labour-force view, the wage-subsidy outcomes and the employer's calculation,
on small inputs that can be checked by hand, plus the two new datasets and their bad inputs."""


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from book import data, employers, labour
from book.data import DataError
from book.employers import HireParams, SubsidyRule
from conftest import package_with

# ---------------------------------------------------------------- part 1: the labour force


def _aku(rows: dict[str, dict[int, float]]) -> pd.DataFrame:
    """A tiny norway_stats-like frame: indicator → {year: value}, group 15-66."""
    out = []
    for name, by_year in rows.items():
        for year, value in by_year.items():
            out.append({"row_id": f"{name}:{year}", "indicator": name, "year": year, "period": "", "group": "15-66",
                        "value": value, "approx": None, "unit": "1000 persons", "source": "test",
                        "url": "https://e.no", "note": ""})
    return pd.DataFrame(out)


# Round numbers: 100 with a disability (40 employed, 10 unemployed) among 1000 (700 employed, 30 unemployed)
TOY = {
    "disability_aku_persons_disabled_1000": {2010: 100}, "disability_aku_employed_disabled_1000": {2010: 40},
    "disability_aku_unemployed_disabled_1000": {2010: 10}, "disability_aku_persons_total_1000": {2010: 1000},
    "disability_aku_employed_total_1000": {2010: 700}, "disability_aku_unemployed_total_1000": {2010: 30},
}


def test_labour_force_table_by_hand():
    row = employers.labour_force_table(_aku(TOY), years=(2010, 2010)).loc[2010]
    assert row["lf_dis"] == 50 and row["lf_oth"] == 680  # 40 + 10; (700 - 40) + (30 - 10)
    assert row["unemp_rate_dis"] == pytest.approx(20.0)  # 10 of 50
    assert row["unemp_rate_oth"] == pytest.approx(20 / 680 * 100)
    assert row["emp_rate_dis"] == pytest.approx(40.0)
    assert row["emp_rate_oth"] == pytest.approx(660 / 900 * 100)
    assert row["outside_dis"] == pytest.approx(50.0)  # 100 - 50 of 100
    assert row["outside_oth"] == pytest.approx(220 / 900 * 100)
    assert row["unemp_ratio"] == pytest.approx(20.0 / (20 / 680 * 100))


def test_status_shares_add_up_to_one_hundred():
    shares = employers.status_shares(employers.labour_force_table(_aku(TOY), years=(2010, 2010)), 2010)
    assert shares.loc["dis", ["employed", "unemployed", "outside"]].tolist() == pytest.approx([40, 10, 50])
    assert shares[["employed", "unemployed", "outside"]].sum(axis=1).tolist() == pytest.approx([100, 100])
    with pytest.raises(KeyError):
        employers.status_shares(employers.labour_force_table(_aku(TOY), years=(2010, 2010)), 2011)


def test_labour_force_table_refuses_a_missing_indicator_or_year():
    partial = {k: v for k, v in TOY.items() if "unemployed_total" not in k}
    with pytest.raises(KeyError):
        employers.labour_force_table(_aku(partial), years=(2010, 2010))
    uneven = dict(TOY, **{"disability_aku_persons_disabled_1000": {2010: 100, 2011: 90}})
    with pytest.raises(ValueError):
        employers.labour_force_table(_aku(uneven), years=(2010, 2011))


def test_the_employment_gap_is_the_same_number_as_in_chapter_1():
    # chapter 1 and chapter 4 print the 2012 gap to people without a disability: one number
    norway = data.load("norway_stats")
    table = employers.labour_force_table(norway)
    gap_ch4 = table.loc[2012, "emp_rate_oth"] - table.loc[2012, "emp_rate_dis"]
    assert gap_ch4 == pytest.approx(labour.disability_gap(norway, 2012)["gap"])


def test_labour_force_table_on_the_real_data():
    table = employers.labour_force_table(data.load("norway_stats"))
    assert list(table.index) == list(range(2006, 2013))
    assert table.loc[2012, "lf_dis"] == 214 + 14  # employed + unemployed with a disability, AKU 2012
    assert (table["unemp_rate_dis"] > table["unemp_rate_oth"]).all()
    assert (table["outside_dis"] > table["outside_oth"]).all()


# ---------------------------------------------------------------- part 2: stable attachment


@pytest.mark.parametrize("text, share", [("4 av 10", 40.0), ("1 av 8", 12.5), ("54 prosent", 54.0), ("0 prosent", 0.0)])
def test_stated_share_reads_the_wording(text, share):
    assert employers.stated_share(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["omtrent 40 %", "4 av 0", "11 av 10", "140 prosent", "fire av ti"])
def test_stated_share_refuses_other_wording(text):
    with pytest.raises(ValueError):
        employers.stated_share(text)


def test_rounding_interval():
    assert employers.rounding_interval("4 av 10") == pytest.approx((35.0, 45.0))
    assert employers.rounding_interval("54 prosent") == pytest.approx((53.5, 54.5))


def test_implied_weight_by_hand():
    assert employers.implied_weight(40, 54, 23) == pytest.approx(14 / 31)
    assert employers.implied_weight(54, 54, 23) == 0 and employers.implied_weight(23, 54, 23) == 1
    with pytest.raises(ValueError):
        employers.implied_weight(60, 54, 23)
    with pytest.raises(ValueError):
        employers.implied_weight(30, 30, 30)


STABLE_HEADER = ("row_id,group,cohort_first_year,cohort_last_year,followup_years,outcome,stated,share_pct,"
                 "source_rounded,url,note\n")
STABLE_ROWS = ("nossen2024_alle,alle deltakere,2013,2020,3,stabil arbeidstilknytning,4 av 10,40,true,https://e.no,\n"
               "nossen2024_ordinaere,ordinære arbeidssøkere,2013,2020,3,stabil arbeidstilknytning,54 prosent,54,false,"
               "https://e.no,\n"
               "nossen2024_nae,nedsatt arbeidsevne,2013,2020,3,stabil arbeidstilknytning,23 prosent,23,false,"
               "https://e.no,\n")


_package_with = package_with  # tests/conftest.py


def test_stable_attachment_orders_and_checks_the_rows(tmp_path):
    frame = data.load("lonnstilskudd_stabil", _package_with(tmp_path, "lonnstilskudd_stabil", STABLE_HEADER + STABLE_ROWS))
    table = employers.stable_attachment(frame)
    assert list(table["group"]) == list(employers.STABLE_ORDER)
    assert list(table["share_pct"]) == [54.0, 40.0, 23.0]


def test_stable_attachment_refuses_a_share_that_disagrees_with_its_wording():
    frame = pd.DataFrame({"group": list(employers.STABLE_ORDER), "stated": ["54 prosent", "4 av 10", "23 prosent"],
                          "share_pct": [54.0, 45.0, 23.0], "cohort_first_year": 2013, "cohort_last_year": 2020,
                          "followup_years": 3, "outcome": "x", "source_rounded": [False, True, False]})
    with pytest.raises(ValueError, match="disagrees"):
        employers.stable_attachment(frame)
    mixed = frame.assign(share_pct=[54.0, 70.0, 23.0], stated=["54 prosent", "7 av 10", "23 prosent"])
    with pytest.raises(ValueError, match="mix"):
        employers.stable_attachment(mixed)
    with pytest.raises(KeyError):
        employers.stable_attachment(frame.iloc[:2])


def test_stable_attachment_on_the_real_data():
    table = employers.stable_attachment(data.load("lonnstilskudd_stabil")).set_index("group")
    assert table.loc["nedsatt arbeidsevne", "share_pct"] < table.loc["alle deltakere", "share_pct"]
    assert table.loc["alle deltakere", "share_pct"] < table.loc["ordinære arbeidssøkere", "share_pct"]
    assert bool(table.loc["alle deltakere", "source_rounded"]) is True


@pytest.mark.parametrize("old, new, rule", [
    ("4 av 10,40", "omtrent 40 %,40", "pattern"),
    ("alle deltakere", "unge", "enum"),
    (",54,false", ",154,false", "maximum"),
    (",3,stabil arbeidstilknytning,23", ",0,stabil arbeidstilknytning,23", "minimum"),
    ("4 av 10,40,true", "4 av 10,40,kanskje", "type-error"),
])
def test_lonnstilskudd_stabil_bad_rows_fail_with_a_clear_error(tmp_path, old, new, rule):
    bad = STABLE_ROWS.replace(old, new, 1)
    assert bad != STABLE_ROWS
    with pytest.raises(DataError, match=rule):
        data.load("lonnstilskudd_stabil", _package_with(tmp_path, "lonnstilskudd_stabil", STABLE_HEADER + bad))


# ---------------------------------------------------------------- part 3: the employer's calculation

FORTY_THIRTY = SubsidyRule("t", "test", 0.4, 6, 0.3, 12)


def test_subsidy_rule_monthly_by_hand():
    assert list(FORTY_THIRTY.monthly(14)) == pytest.approx([0.4] * 6 + [0.3] * 6 + [0.0] * 2)
    assert FORTY_THIRTY.monthly(14).sum() == pytest.approx(0.4 * 6 + 0.3 * 6)
    endless = SubsidyRule("v", "v", 0.75, 12, 0.67, None)
    assert endless.monthly(36).sum() == pytest.approx(0.75 * 12 + 0.67 * 24)
    assert employers.NO_SUBSIDY.monthly(5).sum() == 0


@pytest.mark.parametrize("kwargs", [{"rate_first": 1.2}, {"rate_after": -0.1}, {"first_months": -1}, {"max_months": -3}])
def test_subsidy_rule_refuses_impossible_values(kwargs):
    base = {"key": "x", "label": "x", "rate_first": 0.4, "first_months": 6, "rate_after": 0.3, "max_months": 12}
    with pytest.raises(ValueError):
        SubsidyRule(**(base | kwargs))


def test_subsidy_rules_from_the_real_data():
    rules = employers.subsidy_rules(data.load("lonnstilskudd_satser"))
    assert list(rules) == ["ingen", "midlertidig", "midlertidig_nae", "varig"]
    assert rules["midlertidig_nae"].monthly(30).sum() == pytest.approx(0.6 * 12 + 0.5 * 12)
    assert rules["varig"].max_months is None
    assert rules["midlertidig"].label == "Midlertidig (40/30 %)"
    with pytest.raises(KeyError):
        employers.subsidy_rules(data.load("lonnstilskudd_satser").assign(scheme_id="annet"))


# Four months, half productive in month 1, fully from month 3; 0.1 extra cost in months 1-2;
# the ordinary new hire needs no training here (value of a month's work = 1)
SMALL = HireParams(horizon_months=4, start_share=0.5, learning_months=2, ordinary_learning_months=0,
                   extra_cost=0.1, extra_cost_months=2, n=1000)


def test_productivity_rises_in_a_straight_line_and_then_stays():
    assert list(employers.productivity_factors(SMALL)) == pytest.approx([0.5, 0.75, 1.0, 1.0])


def test_break_even_and_net_result_by_hand():
    # without subsidy: output 3.25 × level, costs 4 + 0.2 → break-even 4.2 / 3.25
    assert employers.break_even(employers.NO_SUBSIDY, SMALL) == pytest.approx(4.2 / 3.25)
    flat = SubsidyRule("f", "f", 0.4, 4, 0.4, 4)  # 0.4 in all four months → 1.6
    assert employers.break_even(flat, SMALL) == pytest.approx((4.2 - 1.6) / 3.25)
    assert employers.break_even(flat, SMALL) == pytest.approx(0.8)
    assert float(employers.net_result(0.8, flat, SMALL)) == pytest.approx(0.0)
    assert float(employers.net_result(1.0, flat, SMALL)) == pytest.approx(3.25 - 4.2 + 1.6)
    curve = employers.net_curve([0.8, 1.0], {"f": flat}, SMALL)
    assert list(curve["net"]) == pytest.approx([0.0, 0.65])


def test_the_ordinary_hire_also_trains_by_hand():
    # ordinary hire: 0.5 in month 1, full from month 2 → 3.5 over four months, so a month's work
    # at full level is worth 4 / 3.5; the candidate's 3.25 is then worth 3.25 · 4 / 3.5 = 13 / 3.5
    params = SMALL.changed(ordinary_learning_months=1)
    assert list(employers.ordinary_factors(params)) == pytest.approx([0.5, 1.0, 1.0, 1.0])
    assert employers.value_per_month(params) == pytest.approx(4 / 3.5)
    assert employers.break_even(employers.NO_SUBSIDY, params) == pytest.approx(4.2 / (13 / 3.5))
    # an ordinary hire (same training, no extra follow-up) breaks even at level 1 without subsidy
    same = params.changed(learning_months=1, extra_cost=0.0)
    assert employers.break_even(employers.NO_SUBSIDY, same) == pytest.approx(1.0)


def test_default_calibration_by_hand():
    # defaults: 36 months; the ordinary hire goes from 0.6 to full level in 3 months
    # (0.6 + 0.7333 + 0.8667 + 33 · 1 = 35.2), the candidate in 12 (7.2 + 2.2 + 24 = 33.4)
    params = HireParams()
    assert employers.value_per_month(params) == pytest.approx(36 / 35.2)
    assert employers.break_even(employers.NO_SUBSIDY, params) == pytest.approx(36.6 / (33.4 * 36 / 35.2))
    # the break-even above 1 comes only from the candidate's longer training and extra follow-up
    assert employers.break_even(employers.NO_SUBSIDY, params.changed(learning_months=3, extra_cost=0.0)) == \
        pytest.approx(1.0)


def test_below_the_break_even_less_uncertainty_means_more_risk():
    # knowledge cuts both ways: above the break-even a narrower distribution lowers the risk of a
    # loss, below it the narrower distribution raises it (the chapter says so for the disclosure)
    params = HireParams()
    rule = employers.subsidy_rules(data.load("lonnstilskudd_satser"))["midlertidig_nae"]
    be = employers.break_even(rule, params)
    below, above = be - 0.08, be + 0.12
    assert employers.loss_probability(below, 0.10, rule, params) > employers.loss_probability(below, 0.25, rule, params)
    assert employers.loss_probability(above, 0.10, rule, params) < employers.loss_probability(above, 0.25, rule, params)


def test_a_subsidy_lowers_the_break_even_level():
    params = HireParams()
    rules = employers.subsidy_rules(data.load("lonnstilskudd_satser"))
    levels = [employers.break_even(rules[k], params) for k in ("ingen", "midlertidig", "midlertidig_nae", "varig")]
    assert levels == sorted(levels, reverse=True)


def test_beta_parameters_by_hand():
    assert employers.beta_parameters(0.5, 0.1) == pytest.approx((12.0, 12.0))  # k = 0.25 / 0.01 - 1 = 24
    assert employers.beta_parameters(1.0, 0.2, upper=2.0) == pytest.approx((12.0, 12.0))
    for mean, sd in [(0.5, 0.5), (0.0, 0.1), (1.0, 0.1), (0.5, 0.0)]:
        with pytest.raises(ValueError):
            employers.beta_parameters(mean, sd)


def test_loss_probability_is_one_half_at_the_centre_of_a_symmetric_distribution():
    # one month, no learning, no extra cost, 25 % subsidy → break-even 0.75 = the middle of 0–1.5
    params = HireParams(horizon_months=1, start_share=1.0, learning_months=1, extra_cost=0.0,
                        extra_cost_months=0, max_level=1.5)
    rule = SubsidyRule("q", "q", 0.25, 1, 0.25, 1)
    assert employers.break_even(rule, params) == pytest.approx(0.75)
    assert employers.loss_probability(0.75, 0.2, rule, params) == pytest.approx(0.5)


def test_loss_curve_is_seeded_and_agrees_with_the_exact_probability():
    params = HireParams(n=20_000)
    rules = {"nae": SubsidyRule("nae", "nae", 0.6, 12, 0.5, 24)}
    first = employers.loss_curve([0.5, 0.7, 0.9], {"high": 0.25, "low": 0.1}, rules, params, seed=7)
    second = employers.loss_curve([0.5, 0.7, 0.9], {"high": 0.25, "low": 0.1}, rules, params, seed=7)
    pd.testing.assert_frame_equal(first, second)
    assert (first["p_loss"] - first["p_loss_exact"]).abs().max() < 0.02
    high = first[first["spread"] == "high"].set_index("mean")["p_loss_exact"]
    assert high.is_monotonic_decreasing  # a better candidate is a smaller risk


def test_lowest_accepted_mean():
    curve = pd.DataFrame({"rule": "r", "spread": "s", "mean": [0.5, 0.6, 0.7], "p_loss": [0.5, 0.2, 0.1]})
    assert employers.lowest_accepted_mean(curve, "r", "s", 0.2) == 0.6
    assert np.isnan(employers.lowest_accepted_mean(curve, "r", "s", 0.05))
    with pytest.raises(KeyError):
        employers.lowest_accepted_mean(curve, "x", "s", 0.2)


@pytest.mark.parametrize("kwargs", [{"horizon_months": 0}, {"start_share": 0}, {"start_share": 1.5},
                                    {"ordinary_learning_months": -1},
                                    {"extra_cost": -0.1}, {"sd_low": 0}, {"loss_threshold": 1.0}, {"n": 10},
                                    {"max_level": 0}])
def test_hire_params_refuse_impossible_values(kwargs):
    with pytest.raises(ValueError):
        HireParams(**kwargs)


def test_figures_are_marked_and_tables_are_norwegian():
    params = HireParams(n=500)
    rules = employers.subsidy_rules(data.load("lonnstilskudd_satser"))
    curve = employers.net_curve(np.linspace(0.2, 1.2, 11), rules, params)
    loss = employers.loss_curve([0.5, 0.8], {"high": 0.25}, {"ingen": rules["ingen"]}, params)
    figs = [employers.plot_net(curve, rules, params, "test"),
            employers.plot_loss(loss, {("ingen", "high"): "Uten"}, 0.2, "test")]
    for fig in figs:
        assert any(t.get_text() == "Simulering – ikke data" for t in fig.texts)
        assert any(t.get_text().startswith("Kilde:") for t in fig.texts)
        plt.close(fig)
    table = employers.parameter_table(params, rules, "NAV (u.å.)").data
    assert "Grunnlag" in table and "antakelse" in table and "NAV (u.å.)" in table
    assert "60 % i 12 mnd., deretter 50 % (til og med måned 24)" in table
    assert "høyst 75 % i 12 mnd., deretter høyst 67 %" in table  # varig: høyeste sats
    assert "Produktivitet" in employers.net_data_table(curve, rules, "t").data
    assert "Tap, eksakt (%)" in employers.loss_data_table(loss, {("ingen", "high"): "Uten"}, "t", every=1).data
    aku = employers.labour_force_table(data.load("norway_stats"))
    fig = employers.plot_labour_force(aku, 2012, "test")
    assert any(t.get_text().startswith("Kilde:") for t in fig.texts)
    plt.close(fig)
    assert "Ledighet med (%)" in employers.labour_force_data_table(aku, "t").data
    stable = employers.stable_attachment(data.load("lonnstilskudd_stabil"))
    fig = employers.plot_stable(stable, "test")
    plt.close(fig)
    assert "Kildens ord" in employers.stable_data_table(stable, "t").data


# ---------------------------------------------------------------- the rates dataset

SATSER_HEADER = ("scheme_id,scheme,group,rate_first_pct,first_months,rate_after_pct,max_months,rate_is_maximum,"
                 "cap_g_per_year,url,note\n")
SATSER_ROW = "midlertidig,midlertidig lønnstilskudd,uten nedsatt arbeidsevne,40,6,30,12,false,,https://e.no,\n"


def test_lonnstilskudd_satser_good_row_loads(tmp_path):
    frame = data.load("lonnstilskudd_satser", _package_with(tmp_path, "lonnstilskudd_satser", SATSER_HEADER + SATSER_ROW))
    assert frame.loc[0, "rate_first_pct"] == 40 and pd.isna(frame.loc[0, "cap_g_per_year"])


@pytest.mark.parametrize("old, new, rule", [
    (",40,6,", ",140,6,", "maximum"),
    ("midlertidig,midlertidig", "kort,midlertidig", "enum"),
    (",6,30,", ",seks,30,", "type-error"),
    (",false,", ",,", "required"),
])
def test_lonnstilskudd_satser_bad_rows_fail_with_a_clear_error(tmp_path, old, new, rule):
    bad = SATSER_ROW.replace(old, new, 1)
    assert bad != SATSER_ROW
    with pytest.raises(DataError, match=rule):
        data.load("lonnstilskudd_satser", _package_with(tmp_path, "lonnstilskudd_satser", SATSER_HEADER + bad))


def test_level_grid():
    assert employers.level_grid(0.2, 0.3, 0.05) == [0.2, 0.25, 0.3]
    assert len(employers.level_grid(0.2, 1.2, 0.02)) == 51
    with pytest.raises(ValueError):
        employers.level_grid(1.0, 0.5, 0.1)


def test_calculation_parts_give_the_break_even_by_hand():
    # defaults: costs 36 + 0.1 · 6 = 36.6; output 33.4 · 36 / 35.2; break-even = (costs − subsidy) / output
    params = HireParams()
    parts = employers.calculation_parts(params)
    assert parts["costs"] == pytest.approx(36.6)
    assert parts["extra"] == pytest.approx(0.6)
    assert parts["output"] == pytest.approx(33.4 * 36 / 35.2)
    rule = employers.subsidy_rules(data.load("lonnstilskudd_satser"))["midlertidig_nae"]
    assert employers.break_even(rule, params) == pytest.approx((36.6 - 13.2) / parts["output"])


def test_acceptance_table_lists_the_lowest_accepted_level_per_line():
    curve = pd.DataFrame({"rule": ["r"] * 3 + ["q"] * 3, "spread": ["s"] * 6,
                          "mean": [0.4, 0.6, 0.8] * 2,
                          "p_loss_exact": [0.5, 0.2, 0.1, 0.9, 0.8, 0.7]})
    table = employers.acceptance_table(curve, {("r", "s"): "R", ("q", "s"): "Q"}, 0.2, "Grenser")
    assert table.headers == ["Linje", "Laveste forventede produktivitet som ansettes"]
    assert [row[0] for row in table.rows] == ["R", "Q"]
    assert table.rows[0][1].replace("\u00a0", " ") == "60 %" and table.rows[1][1] == "–"
