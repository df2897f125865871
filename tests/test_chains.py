"""book.chains: the calibrated chain model on hand-checkable cases, its calibration against the
published Norwegian figures, the scenario where the chain wins, and the published statements."""

from dataclasses import replace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from book import chains, data
from book.chains import MEASURE, SEARCH, WAIT, ChainParams
from book.data import DataError
from conftest import package_with

NBSP = "\u00a0"

# A small model with round numbers for hand calculation: nobody drops out, loses a job or
# moves to uføretrygd, and the job chance in supported search is one half.
TINY = ChainParams(months=8, steps=2, wait_months=1, step_months=2, ptt_wait_months=0, dropout=0.0,
                   job_unsupported=0.0, job_in_measure=0.0, job_supported=0.5, training_gain=0.0,
                   job_loss=0.0, disability=0.0)


# ---------------------------------------------------------------- the schedule

def test_phases_follow_wait_measure_blocks_then_search():
    assert list(chains.phases(TINY, "ttp")) == [WAIT, MEASURE, MEASURE, WAIT, MEASURE, MEASURE, SEARCH, SEARCH]
    assert list(chains.phases(replace(TINY, ptt_wait_months=2), "ptt")) == [WAIT, WAIT] + [SEARCH] * 6
    assert TINY.chain_months == 6


def test_a_chain_longer_than_the_follow_up_is_cut_off():
    assert list(chains.phases(replace(TINY, months=4), "ttp")) == [WAIT, MEASURE, MEASURE, WAIT]


def test_training_gain_raises_the_job_chance_after_the_chain():
    params = replace(TINY, job_supported=0.04, training_gain=0.5, steps=2)
    assert params.job_after_chain == pytest.approx(0.04 * 1.5 * 1.5)
    assert chains.hazards(params, "ttp")[-1] == pytest.approx(0.09)
    assert chains.hazards(params, "ptt")[-1] == pytest.approx(0.04)


# ---------------------------------------------------------------- the cohort model by hand

def test_without_any_exit_the_share_in_work_is_a_geometric_series():
    work = chains.expected(replace(TINY, months=2), "ptt")["share_work"].tolist()
    assert work == pytest.approx([0.0, 0.5, 0.75])


def test_all_transitions_by_hand():
    # month 1: 0,2 to work, 0,1 to uføretrygd, 0,1 drop out; 0,6 still followed up
    # month 2: followed up 0,6 → work 0,12, uføretrygd 0,06, out 0,06; out 0,1 → work 0,005, uføretrygd 0,01;
    #          work 0,2 → 0,1 lose the job. Work 0,2 + 0,12 + 0,005 − 0,1 = 0,225; out 0,1 + 0,06 + 0,1 − 0,015 = 0,245
    params = replace(TINY, months=2, job_supported=0.2, dropout=0.1, disability=0.1, job_unsupported=0.05, job_loss=0.5)
    last = chains.expected(params, "ptt").iloc[-1]
    got = (last["share_programme"], last["share_work"], last["share_out"], last["share_disability"])
    assert got == pytest.approx((0.36, 0.225, 0.245, 0.17))


def test_nobody_works_during_a_chain_without_job_chances():
    e = chains.expected(TINY, "ttp")
    assert e.loc[e["month"] <= 6, "share_work"].max() == 0
    assert chains.share_at(e, "ttp", 7) == pytest.approx(0.5)


def test_gap_and_work_months_by_hand():
    # month 7: chain 0,5 in work (first month of search); placement first 1 − 0,5^7
    assert chains.gap(TINY, 7) == pytest.approx(1 - 0.5 ** 7 - 0.5)
    assert chains.work_months(replace(TINY, months=2), "ptt") == pytest.approx(0.5 + 0.75)
    with pytest.raises(ValueError):
        chains.gap(TINY, 9)
    with pytest.raises(ValueError):
        chains.work_months(TINY, "ptt", horizon=0)


def test_shares_add_up_to_one_every_month():
    for arm in chains.ARMS:
        e = chains.expected(ChainParams(), arm)
        total = e[[f"share_{s}" for s in chains.STATES]].sum(axis=1)
        assert np.allclose(total, 1.0)
        assert (e[[f"share_{s}" for s in chains.STATES]] >= -1e-12).all().all()


# ---------------------------------------------------------------- calibration to published figures

def test_the_defaults_reproduce_the_published_norwegian_figures():
    got = chains.model_values(ChainParams())
    assert got["work_60"] == pytest.approx(0.25, abs=0.005)        # Nossen 2023: «1 av 4» in work after five years
    assert got["disability_60"] == pytest.approx(0.38, abs=0.005)  # Nossen 2023: «nesten 4 av 10» on uføretrygd
    assert got["gap_24"] == pytest.approx(0.12, abs=0.005)         # Dahl & Lima 2021: 12 pp after 24 months
    assert got["gap_36"] == pytest.approx(0.0, abs=0.005)          # Dahl & Lima 2021: no difference after three years


def test_the_defaults_are_the_rounded_calibration():
    fitted = chains.calibrate(ChainParams())
    got = chains.model_values(fitted)
    for target in chains.TARGETS:
        assert got[target.key] == pytest.approx(target.value, abs=1e-6)
    assert fitted.job_supported == pytest.approx(0.040, abs=0.0006)
    assert fitted.training_gain == pytest.approx(0.18, abs=0.006)
    assert fitted.job_loss == pytest.approx(0.028, abs=0.0006)
    assert fitted.disability == pytest.approx(0.011, abs=0.0006)


def test_calibration_needs_five_years():
    with pytest.raises(ValueError, match="60 months"):
        chains.calibrate(ChainParams(months=36))


# ---------------------------------------------------------------- when the chain wins

def test_placement_first_leads_early_and_the_chain_catches_up():
    p = ChainParams()
    assert chains.gap(p, 24) > 0.10
    assert chains.gap(p, 60) < 0  # with the calibrated gain the chain is (just) ahead after five years
    assert chains.work_months(p, "ptt") - chains.work_months(p, "ttp") > 3


def test_without_training_gain_placement_first_wins_at_five_years():
    assert chains.gap(ChainParams(training_gain=0.0), 60) > 0


def test_break_even_gains_bracket_the_flip():
    p = ChainParams()
    at_60 = chains.break_even_gain(p)
    assert 0.03 < at_60 < p.training_gain
    assert chains.gap(p.changed(training_gain=at_60 - 0.01), 60) > 0 > chains.gap(p.changed(training_gain=at_60 + 0.01), 60)
    in_months = chains.break_even_gain(p, measure="months")
    assert in_months > 0.5  # the chain must almost double the job chance per step to give as many months in work
    with pytest.raises(ValueError, match="does not catch up"):
        chains.break_even_gain(p, measure="months", upper=0.3)
    with pytest.raises(ValueError, match="measure"):
        chains.break_even_gain(p, measure="years")


def test_a_short_chain_without_waiting_breaks_even_with_a_far_smaller_gain():
    p = ChainParams()
    standard = chains.break_even_gain(p, measure="months")
    short = chains.break_even_gain(p.changed(**chains.SHORT_CHAIN), measure="months")
    assert 0.2 < short < 0.4 < 0.9 < standard  # the summary's two numbers: about 30 % against 94 %
    assert short < chains.SCENARIOS["best_case"][1]["training_gain"]  # so the best case wins in months


def test_the_best_case_scenario_lets_the_chain_win_in_months_of_work():
    table = chains.scenarios(ChainParams()).set_index("key")
    assert table.loc["best_case", "ttp_months"] > table.loc["best_case", "ptt_months"]
    assert table.loc["no_gain", "ptt_60"] > table.loc["no_gain", "ttp_60"]
    assert table.loc["standard", "ptt_24"] > table.loc["standard", "ttp_24"]


def test_sensitivity_moves_the_right_way():
    table = chains.sensitivity(ChainParams(), gains=[0.0, 0.2, 0.4])
    assert table["gap_24"].is_monotonic_decreasing
    assert table["months_diff"].is_monotonic_decreasing


@pytest.mark.parametrize("kwargs, error", [
    ({"steps": -1}, ValueError),
    ({"months": 0}, ValueError),
    ({"months": 2.5}, TypeError),
    ({"steps": True}, TypeError),
    ({"dropout": 1.2}, ValueError),
    ({"job_loss": -0.1}, ValueError),
    ({"training_gain": -0.1}, ValueError),
    ({"job_supported": 0.6, "dropout": 0.3, "disability": 0.2}, ValueError),
    ({"job_supported": 0.5, "training_gain": 1.0, "steps": 2, "dropout": 0.01}, ValueError),  # 0,5·2² > 1
])
def test_bad_parameters_are_refused(kwargs, error):
    with pytest.raises(error):
        ChainParams(**kwargs)


def test_unknown_arm_is_refused():
    with pytest.raises(ValueError, match="arm"):
        chains.hazards(TINY, "both")


def test_figures_are_marked_as_simulations_and_tables_are_norwegian():
    params = ChainParams()
    shares = chains.both(params)
    for fig in (chains.plot_simulation(shares, params), chains.plot_sensitivity(chains.sensitivity(params, gains=[0, 0.2]), params)):
        assert any(t.get_text() == "Simulering – ikke data" for t in fig.texts)
        assert any(t.get_text().startswith("Kilde:") for t in fig.texts)
        plt.close(fig)
    html = chains.simulation_table(shares).data
    assert "I arbeid, kjede" in html and "%" in html
    table = chains.parameter_table(params).data
    assert "Grunnlag" in table and "kalibrert" in table and "antakelse" in table
    assert "Navn i koden" not in table and "<td>months</td>" not in table  # code names stay in the code cell
    assert "<td>0,0025</td>" in table and "<td>0,04</td>" in table
    calib = chains.calibration_table(params).data
    assert "Nossen 2023" in calib and "Dahl &amp; Lima 2021" in calib
    assert "Scenario" in chains.scenario_table(chains.scenarios(params)).data


# ---------------------------------------------------------------- published statements

@pytest.mark.parametrize("text, expected", [
    ("1 av 4", ("", 1, 4)), ("knapt 6 av 10", ("knapt", 6, 10)), ("mer enn 4 av 10", ("mer enn", 4, 10)),
])
def test_stated_words_are_read(text, expected):
    assert chains.stated_words(text) == expected


@pytest.mark.parametrize("text", ["omtrent 4 av 10", "fire av ti", "5 av 4", "40 %", "1 av 0"])
def test_stated_words_refuse_other_wording(text):
    with pytest.raises(ValueError):
        chains.stated_words(text)


@pytest.mark.parametrize("hedge, num, den, text", [
    ("mer enn", 4, 10, "over 40 %"), ("nesten", 4, 10, "litt under 40 %"), ("knapt", 6, 10, "litt under 60 %"),
    ("", 1, 4, "omtrent 25 %"), ("", 1, 8, "omtrent 12,5 %"), ("nær", 1, 6, "nær 16,7 %"),
])
def test_reading_says_no_more_than_the_words(hedge, num, den, text):
    assert chains.reading(hedge, num, den) == text.replace(" %", NBSP + "%")


def _stats(value=0.25, unit="share (stated as '1 av 4')"):
    rows = [
        {"row_id": "a:2019:1", "indicator": "tiltak_nae_outcome_5yr_in_work_not_nav", "value": value, "unit": unit},
        {"row_id": "b:2019:1", "indicator": "tiltak_jobseekers_work_trajectories", "value": 0.6,
         "unit": "share (stated as 'knapt 6 av 10')"},
    ]
    return pd.DataFrame(rows)


def _statements(stated="nesten 4 av 10", hedge="nesten", num=4, den=10):
    return pd.DataFrame([{"statement_id": "s1", "study": "Nossen 2023", "group": "nedsatt arbeidsevne",
                          "outcome": "uføretrygd", "stated": stated, "hedge": hedge, "numerator": num, "denominator": den}])


def test_trajectories_combine_both_sources_with_the_stated_fractions():
    table = chains.trajectories(_stats(), _statements())
    assert list(table["stated"]) == ["1 av 4", "nesten 4 av 10", "knapt 6 av 10"]
    assert list(table["fraction"]) == pytest.approx([0.25, 0.4, 0.6])
    assert list(table["reading"]) == [f"omtrent 25{NBSP}%", f"litt under 40{NBSP}%", f"litt under 60{NBSP}%"]
    assert list(table["group"]) == ["nedsatt arbeidsevne", "nedsatt arbeidsevne", "arbeidssøkere"]


def test_trajectories_refuse_a_value_that_disagrees_with_its_wording():
    with pytest.raises(ValueError, match="≠ stated"):
        chains.trajectories(_stats(value=0.3), _statements())
    with pytest.raises(ValueError, match="stated wording"):
        chains.trajectories(_stats(unit="percent"), _statements())
    with pytest.raises(ValueError, match="disagrees"):
        chains.trajectories(_stats(), _statements(hedge=None))
    with pytest.raises(ValueError, match="exactly one row"):
        chains.trajectories(_stats().iloc[:1], _statements())


def test_the_statement_figure_has_no_bars_and_marks_hedges_with_open_points():
    fig = chains.plot_trajectories(chains.trajectories(_stats(), _statements()))
    for ax in fig.axes:
        assert not ax.containers  # no bar containers: no length that pretends to be exact
    open_points = [line for ax in fig.axes for line in ax.lines if line.get_markerfacecolor() == "white"]
    assert sorted(float(line.get_xdata()[0]) for line in open_points) == pytest.approx([0.4, 0.6])
    plt.close(fig)
    html = chains.trajectories_table(chains.trajectories(_stats(), _statements())).data
    assert "Hva ordlyden sier" in html and "40 %" not in html.replace(NBSP, " ").replace("under 40 %", "")


# ---------------------------------------------------------------- Nav: status after leaving nedsatt arbeidsevne

def test_exit_groups_by_hand():
    groups = chains.exit_groups(data.load("nav_avgang_nedsatt_arbeidsevne")).set_index("age_group")
    assert groups.loc["I alt"].tolist() == pytest.approx([33.7, 10.9 + 3.2, 34.6, 0.8 + 2.2 + 3.6 + 11.1])
    # Nav's empty cell (other benefit, 50–59) counts as 0
    assert groups.loc["50–59 år", "Annet eller ukjent"] == pytest.approx(1.0 + 2.0 + 5.7)


def test_exit_groups_refuse_unknown_codes_and_bad_sums():
    frame = data.load("nav_avgang_nedsatt_arbeidsevne")
    with pytest.raises(ValueError, match="unknown status"):
        chains.exit_groups(frame.assign(status=frame["status"].replace("jobseeker", "student")))
    with pytest.raises(ValueError, match="add up"):
        chains.exit_groups(frame.assign(percent=frame["percent"] * 0.9))


def test_exit_figure_and_table():
    frame = data.load("nav_avgang_nedsatt_arbeidsevne")
    fig = chains.plot_exits(frame)
    assert any(t.get_text().startswith("Kilde: Nav") for t in fig.texts)
    plt.close(fig)
    md = chains.exits_table(frame)._repr_markdown_()
    assert "| Antall som avsluttet | 17 849 |" in md.replace(NBSP, " ")
    assert "Kun arbeidstaker | 33,7 | 40,6 | 42,9" in md


def test_education_growth_by_hand():
    frame = pd.DataFrame({"persons_per_month": [10, 25]})
    assert chains.education_growth(frame) == {"first": 10.0, "last": 25.0, "ratio": 2.5}
    with pytest.raises(ValueError):
        chains.education_growth(pd.DataFrame({"persons_per_month": [0, 5]}))
    with pytest.raises(ValueError):
        chains.education_growth(pd.DataFrame({"persons_per_month": [5]}))


# ---------------------------------------------------------------- the datasets

def test_real_data_load_and_agree_with_each_other():
    table = chains.trajectories(data.load("norway_stats"), data.load("tiltak_forlop"))
    assert len(table) == 6 and table["fraction"].between(0, 1).all()
    edu = data.load("utdanningstiltak")
    assert list(edu["persons_per_month"]) == [74, 757]  # Sohlman & Kann (2021), summary
    exits = data.load("nav_avgang_nedsatt_arbeidsevne")
    assert len(exits) == 7 * 8
    assert exits.groupby("age_group")["persons"].first()["I alt"] == 17849  # Nav, table 5
    assert exits.drop_duplicates("age_group").query("age_group != 'I alt'")["persons"].sum() == 17849


_package_with = package_with  # tests/conftest.py


HEADER = "statement_id,study,group,cohort_start_year,followup_years,outcome,stated,hedge,numerator,denominator,url,note\n"
GOOD_ROW = "x1,Nossen 2023,nedsatt arbeidsevne,2014,5,uføretrygd,nesten 4 av 10,nesten,4,10,https://e.no,\n"


def test_tiltak_forlop_good_row_loads(tmp_path):
    assert len(data.load("tiltak_forlop", _package_with(tmp_path, "tiltak_forlop", HEADER + GOOD_ROW))) == 1


@pytest.mark.parametrize("bad, rule", [
    (GOOD_ROW.replace("nesten 4 av 10", "omtrent 40 %"), "pattern"),
    (GOOD_ROW.replace("nedsatt arbeidsevne", "ungdom"), "enum"),
    (GOOD_ROW.replace(",5,", ",0,"), "minimum"),
    (GOOD_ROW.replace(",4,10,", ",4,ti,"), "type-error"),
])
def test_tiltak_forlop_bad_rows_fail_with_a_clear_error(tmp_path, bad, rule):
    with pytest.raises(DataError, match=rule):
        data.load("tiltak_forlop", _package_with(tmp_path, "tiltak_forlop", HEADER + bad))


def test_utdanningstiltak_refuses_duplicate_periods_and_negative_counts(tmp_path):
    header = "period,period_label,group,persons_per_month,url,note\n"
    dup = header + "2015,2015,arbeidssøkere,74,https://e.no,\n2015,2015,arbeidssøkere,75,https://e.no,\n"
    with pytest.raises(DataError, match="unique|primary"):
        data.load("utdanningstiltak", _package_with(tmp_path, "utdanningstiltak", dup))
    neg = header + "2015,2015,arbeidssøkere,-1,https://e.no,\n"
    with pytest.raises(DataError, match="minimum"):
        data.load("utdanningstiltak", _package_with(tmp_path, "utdanningstiltak", neg))


def test_the_conclusion_on_months_in_work_survives_recalibration():
    # change one fixed assumption at a time, fit the four targets again, and compare
    table = chains.recalibrations(ChainParams()).set_index("key")
    assert set(table.index) == {"dropout", "unsupported", "wait", "follow_along"}
    assert (table["ptt_months"] > table["ttp_months"]).all()
    others = table.drop("follow_along")
    assert (others["gap_60"].abs() < 1).all()  # after five years the two arms are within 1 percentage point
    assert (others["worst_pp"] < 1.5).all()
    # with follow-along support after a lost job, placement first stays clearly ahead, and the
    # model can no longer make the lead vanish by month 36
    assert table.loc["follow_along", "gap_60"] > 5
    assert table.loc["follow_along", "worst_pp"] > 1
    assert "Endret antakelse" in chains.recalibration_table(table.reset_index()).data


# ---------------------------------------------------------------- follow-along support after a lost job

def test_follow_along_sends_job_losers_back_to_supported_search_by_hand():
    # month 1: 0,5 get a job; month 2: 0,5 of the workers lose it. Without follow-along they are
    # «out»; with follow-along 1 they are back in supported search (placement first only).
    base = replace(TINY, months=2, ptt_wait_months=0, job_loss=0.5)
    plain = chains.expected(base, "ptt").iloc[-1]
    back = chains.expected(base.changed(follow_along=1.0), "ptt").iloc[-1]
    # month 2 without follow-along: programme 0,5 → 0,25 to work; work 0,5 − 0,25 lost + 0,25 = 0,5; out 0,25
    assert (plain["share_programme"], plain["share_work"], plain["share_out"]) == pytest.approx((0.25, 0.5, 0.25))
    assert (back["share_programme"], back["share_work"], back["share_out"]) == pytest.approx((0.5, 0.5, 0.0))
    # the chain arm is not affected
    chain = replace(TINY, job_loss=0.5)
    assert chains.expected(chain.changed(follow_along=1.0), "ttp").equals(chains.expected(chain, "ttp"))


def test_follow_along_must_be_a_probability():
    with pytest.raises(ValueError):
        ChainParams(follow_along=1.5)


# ---------------------------------------------------------------- how uncertain is the trial figure?

def test_max_standard_error_by_hand():
    # sqrt(0,25/167 + 0,25/101) = sqrt(0,001497 + 0,002475) = sqrt(0,003972) ≈ 0,0630
    assert chains.max_standard_error(167, 101) == pytest.approx(0.06303, abs=1e-5)
    assert chains.max_standard_error(100, 100) == pytest.approx(0.05 ** 0.5 / 10 ** 0.5, abs=1e-12)  # sqrt(0,005)
    assert chains.DAHL_LIMA_ARMS == (167, 101)  # Dahl & Lima 2021: 268 participants, 167 SE / 101 control
    with pytest.raises(ValueError):
        chains.max_standard_error(0, 10)


def test_targets_with_changes_only_the_named_target():
    targets = {t.key: t.value for t in chains.targets_with({"gap_24": 0.06})}
    assert targets == {"work_60": 0.25, "disability_60": 0.38, "gap_24": 0.06, "gap_36": 0.0}
    with pytest.raises(KeyError):
        chains.targets_with({"gap_48": 0.1})


def test_the_months_result_follows_the_size_of_the_calibrated_lead():
    table = chains.target_variants(ChainParams()).set_index("key")
    diff = table["months_diff"]
    assert diff["gap_6"] < diff["standard"] < diff["gap_18"]
    assert 3.5 < diff["standard"] < 5.5 and diff["gap_6"] < 2.5 and diff["gap_18"] > 8
    assert table.loc["gap_6", "worst_pp"] < 0.1 and table.loc["standard", "worst_pp"] < 0.2  # standard: rounded defaults
    # with an 18-point lead the fit needs no gain at all, and only nearly reaches the targets
    assert table.loc["gap_18", "gain"] < 0.01 and table.loc["gap_18", "worst_pp"] < 1
    assert "Mål i kalibreringen" in chains.target_variant_table(table.reset_index()).data


def test_a_lead_left_after_three_years_turns_the_five_year_result():
    # 6 points after 36 months is as compatible with «no significant difference» as 0, and turns the sign at 60
    table = chains.target_variants(ChainParams()).set_index("key")
    assert table.loc["standard", "gap_60"] < 0 < table.loc["gap36_6", "gap_60"]
    assert table.loc["gap36_6", "gain"] < table.loc["standard", "gain"]
    assert table.loc["gap36_6", "worst_pp"] < 0.5


# ---------------------------------------------------------------- scenarios: long education, more steps

def test_max_training_gain_by_hand():
    # one step: (1 − 0,01 − 0,011) / 0,04 − 1 = 23,475
    assert chains.max_training_gain(ChainParams(steps=1)) == pytest.approx(23.475)
    # three steps: the cube root of 24,475 minus 1
    assert chains.max_training_gain(ChainParams()) == pytest.approx(24.475 ** (1 / 3) - 1)
    assert chains.max_training_gain(ChainParams(steps=0)) == float("inf")


def test_a_two_year_education_cannot_catch_up_within_five_years():
    p = ChainParams()
    table = chains.scenarios(p).set_index("key")
    assert table.loc["education", "ttp_months"] < table.loc["education", "ptt_months"] - 5
    edu = p.changed(**chains.SCENARIOS["education"][1])
    best = edu.changed(training_gain=chains.max_training_gain(edu) * 0.999)
    assert chains.work_months(best, "ttp") < chains.work_months(best, "ptt")


def test_more_steps_mean_fewer_months_in_work_but_a_higher_share_at_five_years():
    table = chains.steps_table(ChainParams())
    assert list(table["steps"]) == [1, 2, 3, 4, 5]
    assert list(table["chain_months"]) == [6, 12, 18, 24, 30]
    assert table["ttp_months"].is_monotonic_decreasing
    assert table["ttp_60"].is_monotonic_increasing
    assert table["ptt_months"].nunique() == 1
    assert "Antall trinn" in chains.steps_display(table).data


def test_education_figure_shows_two_bars_and_refuses_other_data():
    frame = pd.DataFrame({"period_label": ["2015", "1. kvartal 2021"], "persons_per_month": [74, 757]})
    fig = chains.plot_education(frame)
    assert len(fig.axes[0].patches) == 2
    assert not fig.axes[0].lines or all(len(line.get_xdata()) <= 2 for line in fig.axes[0].lines)
    plt.close(fig)
    with pytest.raises(ValueError):
        chains.plot_education(frame.iloc[:1])


def test_break_even_stays_inside_valid_probabilities():
    # with a high job chance the gain cannot grow without the monthly chances exceeding 1
    params = ChainParams(job_supported=0.3, steps=3)
    with pytest.raises(ValueError, match="does not catch up"):
        chains.break_even_gain(params, measure="months", upper=5.0)


def test_robustness_combines_target_variants_and_recalibrations():
    table = chains.robustness(ChainParams())
    assert list(table["kind"]) == ["target"] * 5 + ["assumption"] * 4
    recal = table[table["kind"] == "assumption"].set_index("key")
    assert (recal["months_diff"] > 0).all()
    assert "Hva er endret" in chains.robustness_table(table).data


def test_amirs_plan_counts_the_apprenticeship_as_work_and_beats_a_school_based_education():
    p = ChainParams()
    resolved = chains.scenario_params(p, chains.SCENARIOS["apprenticeship"][1])
    assert resolved.steps == 1 and resolved.step_months == 12
    # a job is all but certain after the school year: the largest valid gain
    assert resolved.training_gain == pytest.approx(chains.max_training_gain(resolved) * 0.999)
    table = chains.scenarios(p).set_index("key")
    assert table.loc["apprenticeship", "ttp_months"] > table.loc["apprenticeship", "ptt_months"]
    assert table.loc["education", "ttp_months"] < table.loc["education", "ptt_months"]
    # with a school part as long as the two-year education, the plan no longer wins clearly
    long = chains.scenario_params(p, {"steps": 1, "step_months": 24, "training_gain": "max"})
    assert chains.work_months(long, "ttp") < chains.work_months(long, "ptt")
