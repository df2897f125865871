"""book.chains: the chain simulation on hand-checkable cases, the published statements, and the new data."""

from dataclasses import replace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from book import chains, data
from book.data import DataError
from book.chains import MEASURE, SEARCH, WAIT, ChainParams
from conftest import package_with

# A small model with round numbers for hand calculation.
TINY = ChainParams(n=1000, months=8, steps=2, wait_months=1, step_months=2, dropout=0.0,
                   job_unsupported=0.0, job_in_measure=0.0, job_supported=0.5, training_gain=0.0, ptt_wait_months=0)


# ---------------------------------------------------------------- the schedule

def test_phases_follow_wait_measure_blocks_then_search():
    assert list(chains.phases(TINY, "ttp")) == [WAIT, MEASURE, MEASURE, WAIT, MEASURE, MEASURE, SEARCH, SEARCH]
    assert list(chains.phases(replace(TINY, ptt_wait_months=2), "ptt")) == [WAIT, WAIT] + [SEARCH] * 6
    assert TINY.chain_months == 6


def test_a_chain_longer_than_the_follow_up_is_cut_off():
    params = replace(TINY, months=4)
    assert list(chains.phases(params, "ttp")) == [WAIT, MEASURE, MEASURE, WAIT]


def test_training_gain_raises_the_job_chance_after_the_chain():
    params = replace(TINY, job_supported=0.04, training_gain=0.5, steps=2)
    assert params.job_after_chain == pytest.approx(0.04 * 1.5 * 1.5)
    assert chains.hazards(params, "ttp")[-1] == pytest.approx(0.09)
    assert chains.hazards(params, "ptt")[-1] == pytest.approx(0.04)


def test_chain_completion_is_the_product_of_monthly_survival():
    params = replace(TINY, steps=1, wait_months=0, step_months=2, dropout=0.1)
    assert chains.chain_completion(params) == pytest.approx(0.9 * 0.9)
    params = replace(params, job_in_measure=0.1)
    assert chains.chain_completion(params) == pytest.approx(0.8 * 0.8)


# ---------------------------------------------------------------- the exact (cohort) model

def test_expected_without_dropout_is_a_geometric_series():
    params = replace(TINY, months=2, ptt_wait_months=0, job_supported=0.5)
    work = chains.expected(params, "ptt")["share_work"].tolist()
    assert work == pytest.approx([0.0, 0.5, 0.75])


def test_expected_with_dropout_by_hand():
    # month 1: work 0.2, out 0.5, still followed 0.3
    # month 2: work 0.2 + 0.3*0.2 + 0.5*0.1 = 0.31; out 0.5 + 0.15 - 0.05 = 0.6; followed 0.09
    params = replace(TINY, months=2, ptt_wait_months=0, job_supported=0.2, dropout=0.5, job_unsupported=0.1)
    last = chains.expected(params, "ptt").iloc[-1]
    assert (last["share_work"], last["share_out"], last["share_programme"]) == pytest.approx((0.31, 0.6, 0.09))


def test_nobody_works_during_a_chain_without_job_chances():
    e = chains.expected(TINY, "ttp")
    assert e.loc[e["month"] <= 6, "share_work"].max() == 0
    assert chains.share_at(e, "ttp", 7) == pytest.approx(0.5)


def test_shares_add_up_to_one_every_month():
    params = ChainParams(n=2000, months=24)
    for arm in chains.ARMS:
        e = chains.expected(params, arm)
        total = e["share_programme"] + e["share_out"] + e["share_work"]
        assert np.allclose(total, 1.0)
    sim = chains.simulate(params, seed=3).shares
    assert np.allclose(sim["share_programme"] + sim["share_out"] + sim["share_work"], 1.0)


# ---------------------------------------------------------------- the individual simulation

def test_simulation_is_seeded_and_repeatable():
    params = ChainParams(n=500, months=12)
    a, b, c = chains.simulate(params, seed=1), chains.simulate(params, seed=1), chains.simulate(params, seed=2)
    assert a.shares.equals(b.shares)
    assert not a.shares.equals(c.shares)


def test_simulation_agrees_with_the_exact_model():
    params = ChainParams(n=40_000)
    sim = chains.simulate(params, seed=11)
    for arm in chains.ARMS:
        exact = chains.expected(params, arm)
        for month in (6, 12, 24, 60):
            for column in ("share_work", "share_out"):
                assert chains.share_at(sim.shares, arm, month, column) == pytest.approx(
                    chains.share_at(exact, arm, month, column), abs=0.01)


def test_deterministic_case_gives_exact_job_months():
    params = replace(TINY, job_supported=1.0, ptt_wait_months=2, n=50)
    sim = chains.simulate(params)
    assert chains.time_to_job(sim, "ptt") == 3.0  # two months of waiting, a job in month 3
    assert chains.time_to_job(sim, "ttp") == 7.0  # six months of chain, a job in month 7
    assert chains.share_at(sim.shares, "ttp", 6) == 0 and chains.share_at(sim.shares, "ttp", 7) == 1


def test_time_to_job_needs_someone_in_work():
    params = replace(TINY, job_supported=0.0)
    with pytest.raises(ValueError, match="undefined"):
        chains.time_to_job(chains.simulate(params), "ptt")


def test_by_steps_zero_steps_without_waiting_equals_place_then_train():
    params = replace(ChainParams(), ptt_wait_months=0)
    table = chains.by_steps(params, steps=[0, 2])
    assert table.loc[0, "ttp_60"] == pytest.approx(table.loc[0, "ptt_60"])
    assert table.loc[1, "ttp_24"] < table.loc[0, "ttp_24"]
    assert list(table["chain_months"]) == [0, 2 * (params.wait_months + params.step_months)]


@pytest.mark.parametrize("kwargs, error", [
    ({"steps": -1}, ValueError),
    ({"months": 0}, ValueError),
    ({"months": 2.5}, TypeError),
    ({"steps": True}, TypeError),
    ({"dropout": 1.2}, ValueError),
    ({"job_supported": 0.7, "dropout": 0.4}, ValueError),
    ({"training_gain": -0.1}, ValueError),
    ({"job_supported": 0.5, "training_gain": 1.0, "steps": 2, "dropout": 0.1}, ValueError),  # 0.5·2² > 1
])
def test_bad_parameters_are_refused(kwargs, error):
    with pytest.raises(error):
        ChainParams(**kwargs)


def test_unknown_arm_is_refused():
    with pytest.raises(ValueError, match="arm"):
        chains.hazards(TINY, "both")


def test_figures_are_marked_as_simulations_and_tables_are_norwegian():
    params = ChainParams(n=300, months=24)
    sim = chains.simulate(params)
    for fig in (chains.plot_simulation(sim.shares, params), chains.plot_steps(chains.by_steps(params, months=(12, 24)))):
        assert any(t.get_text() == "Simulering – ikke data" for t in fig.texts)
        assert any(t.get_text().startswith("Kilde:") for t in fig.texts)
        plt.close(fig)
    html = chains.simulation_table(sim.shares).data
    assert "I arbeid, tiltakskjede" in html and "%" in html
    table = chains.parameter_table(params).data
    assert "Grunnlag" in table
    assert "<td>0,005</td>" in table and "<td>0,03</td>" in table and "<td>300</td>" in table


# ---------------------------------------------------------------- published statements

@pytest.mark.parametrize("text, expected", [
    ("1 av 4", ("", 1, 4)), ("knapt 6 av 10", ("knapt", 6, 10)), ("mer enn 4 av 10", ("mer enn", 4, 10)),
])
def test_stated_words_are_read(text, expected):
    assert chains.stated_words(text) == expected


@pytest.mark.parametrize("text", ["omtrent 4 av 10", "fire av ti", "5 av 4", "40 %"])
def test_stated_words_refuse_other_wording(text):
    with pytest.raises(ValueError):
        chains.stated_words(text)


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
    assert list(table["share"]) == pytest.approx([0.25, 0.4, 0.6])
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


def test_education_growth_by_hand():
    frame = pd.DataFrame({"persons_per_month": [10, 25]})
    assert chains.education_growth(frame) == {"first": 10.0, "last": 25.0, "ratio": 2.5}
    with pytest.raises(ValueError):
        chains.education_growth(pd.DataFrame({"persons_per_month": [0, 5]}))
    with pytest.raises(ValueError):
        chains.education_growth(pd.DataFrame({"persons_per_month": [5]}))


# ---------------------------------------------------------------- the new datasets

def test_real_data_load_and_agree_with_each_other():
    table = chains.trajectories(data.load("norway_stats"), data.load("tiltak_forlop"))
    assert len(table) == 6 and table["share"].between(0, 1).all()
    edu = data.load("utdanningstiltak")
    assert list(edu["persons_per_month"]) == [74, 757]  # Sohlman & Kann (2021), summary


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
