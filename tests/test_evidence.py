"""book.evidence: selection simulation, power, simulated trials and intervals, on hand-checkable inputs."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from book import data, evidence

Z = norm.ppf(0.975)


# ---------------------------------------------------------------- inputs


def arm_frame(rows):
    return pd.DataFrame(rows, columns=["study_id", "followup_months", "arm", "pct_employed"])


def test_arm_shares_reads_the_two_arms():
    f = arm_frame([("X", 12.0, "IPS", 40.0), ("X", 12.0, "control", 25.0), ("X", 6.0, "IPS", 30.0)])
    s = evidence.arm_shares(f, "X", 12)
    assert (s.pct_treated, s.pct_control) == (40.0, 25.0)
    assert s.difference_pp == pytest.approx(15.0)


@pytest.mark.parametrize("rows", [
    [("X", 12.0, "IPS", 40.0)],  # no control arm
    [("X", 12.0, "IPS", 40.0), ("X", 12.0, "control", None)],  # control without a share
    [("X", 12.0, "IPS", 40.0), ("X", 12.0, "IPS", 41.0), ("X", 12.0, "control", 20.0)],  # two IPS rows
])
def test_arm_shares_refuses_incomplete_input(rows):
    with pytest.raises(ValueError):
        evidence.arm_shares(arm_frame(rows), "X", 12)


def test_trial_sizes_match_the_published_arms():
    sizes = evidence.trial_sizes(data.load("trials")).set_index("trial")
    assert tuple(sizes.loc["SEED (Sveinsdottir mfl. 2020)", ["n_treated", "n_control"]]) == (50, 46)
    assert tuple(sizes.loc["Dahl & Lima 2021", ["n_treated", "n_control"]]) == (167, 101)
    # Reme 2019: a hypothetical trial of the same N = 410 with equal arms, labelled as such
    assert tuple(sizes.loc["Reme mfl. 2019", ["n_treated", "n_control"]]) == (205, 205)
    assert sizes.loc["Reme mfl. 2019", "allocation"].startswith("antatt")


# ---------------------------------------------------------------- power


def test_sample_size_for_30_vs_50_percent_is_93_per_arm():
    # Hand calculation (two-sided 5 %, power 80 %, pooled variance under H0):
    # n = (1.95996·√(2·0.4·0.6) + 0.84162·√(0.5·0.5 + 0.3·0.7))² / 0.2² = 92.999 → 93
    hand = (Z * math.sqrt(2 * 0.4 * 0.6) + norm.ppf(0.8) * math.sqrt(0.25 + 0.21)) ** 2 / 0.2 ** 2
    assert hand == pytest.approx(93.0, abs=0.01)
    assert evidence.required_n_per_arm(0.3, 0.5) == 93


def test_power_at_the_required_size_is_about_80_percent():
    assert evidence.power_for(0.3, 0.5, 93, 93) == pytest.approx(0.80, abs=0.005)
    assert evidence.power_for(0.3, 0.5, 200, 200) > evidence.power_for(0.3, 0.5, 93, 93)


def test_detectable_difference_inverts_power():
    d = evidence.detectable_difference(0.3, 93, 93)
    assert d == pytest.approx(0.2, abs=0.002)
    assert evidence.power_for(0.3, 0.3 + d, 93, 93) == pytest.approx(0.8, abs=1e-6)


@pytest.mark.parametrize("args", [(0.3, 0.3, 50, 50), (0.0, 0.3, 50, 50), (0.3, 1.2, 50, 50), (0.3, 0.5, 0, 50)])
def test_power_refuses_meaningless_input(args):
    with pytest.raises(ValueError):
        evidence.power_for(*args)


def test_power_curve_rises_with_n_and_with_the_difference():
    curve = evidence.power_curve(0.3, {"liten": 0.05, "stor": 0.2}, [50, 200, 800])
    small = curve[curve["label"] == "liten"]["power"].to_numpy()
    big = curve[curve["label"] == "stor"]["power"].to_numpy()
    assert (np.diff(small) > 0).all() and (big > small).all()


# ---------------------------------------------------------------- intervals


def wilson(e, n):
    p, z2 = e / n, Z ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n ** 2)) / (1 + z2 / n)
    return centre - half, centre + half


def test_intervals_for_24_of_50_vs_4_of_46():
    r = evidence.intervals(24, 50, 4, 46)
    assert r["diff_pp"] == pytest.approx(100 * (24 / 50 - 4 / 46))  # 39.3 pp
    assert r["rr"] == pytest.approx((24 / 50) / (4 / 46))  # 5.52
    # Katz log interval by hand
    se = math.sqrt(1 / 24 - 1 / 50 + 1 / 4 - 1 / 46)
    assert r["rr_log_low"] == pytest.approx(math.exp(math.log(5.52) - Z * se), rel=1e-4)
    assert r["rr_log_high"] == pytest.approx(math.exp(math.log(5.52) + Z * se), rel=1e-4)
    # Newcombe's hybrid score interval by hand, from the two Wilson intervals
    (l1, u1), (l2, u2) = wilson(24, 50), wilson(4, 46)
    p1, p2 = 24 / 50, 4 / 46
    assert r["diff_low"] == pytest.approx(100 * (p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)), rel=1e-6)
    assert r["diff_high"] == pytest.approx(100 * (p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)), rel=1e-6)
    # the score interval for the ratio lies inside (0, ∞) and contains the estimate
    assert 0 < r["rr_score_low"] < r["rr"] < r["rr_score_high"]


def test_intervals_narrow_as_the_trial_grows():
    table = evidence.intervals_by_size(24, 50, 4, 46, [0.5, 1, 4, 16])
    assert table["published"].tolist() == [False, True, False, False]
    assert table.loc[table["published"], "n_total"].item() == 96
    assert (np.diff(table["diff_width"]) < 0).all()
    # same shares at every size, so the point estimate does not move
    assert np.allclose(table["diff_pp"], table["diff_pp"].iloc[0])
    # for large n the width roughly halves when n is multiplied by four
    assert table["diff_width"].iloc[3] / table["diff_width"].iloc[2] == pytest.approx(0.5, abs=0.05)


def test_intervals_need_the_published_trial_and_valid_counts():
    with pytest.raises(ValueError):
        evidence.intervals_by_size(24, 50, 4, 46, [2, 4])
    with pytest.raises(ValueError):
        evidence.intervals(60, 50, 4, 46)


# ---------------------------------------------------------------- simulations


def test_selection_without_confounding_is_unbiased_and_true_effect_is_exact():
    # Motivation affects neither uptake nor outcome: the true effect is exactly 40 − 25 = 15 pp,
    # and the naive comparison is as good as the randomised one.
    setup = evidence.SelectionSetup(p_control=0.25, p_treated=0.40, motivation_uptake=0.0,
                                    motivation_outcome=0.0, n=400, replications=300)
    result = evidence.simulate_selection(setup, seed=1)
    assert result.true_pp == pytest.approx(15.0)
    summary = evidence.selection_summary(result)
    assert abs(summary.loc["naive_pp", "bias"]) < 1.0 and abs(summary.loc["randomised_pp", "bias"]) < 1.0


def test_selection_on_motivation_biases_only_the_naive_comparison():
    setup = evidence.SelectionSetup(p_control=0.25, p_treated=0.25, n=400, replications=300)
    result = evidence.simulate_selection(setup, seed=2)
    assert result.true_pp == 0.0  # the measure does nothing
    summary = evidence.selection_summary(result)
    assert summary.loc["naive_pp", "mean"] > 5  # yet those who chose it do better
    assert abs(summary.loc["randomised_pp", "mean"]) < 1.0
    mot = result.motivation.set_index("group")["mean_motivation"]
    assert mot["valgte tiltaket"] > 0 > mot["valgte det ikke"]


def test_selection_is_seeded():
    setup = evidence.SelectionSetup(p_control=0.25, p_treated=0.35, n=100, replications=20)
    a = evidence.simulate_selection(setup, seed=5).studies
    b = evidence.simulate_selection(setup, seed=5).studies
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("kwargs", [{"p_control": 0.0, "p_treated": 0.3}, {"p_control": 0.3, "p_treated": 1.0},
                                    {"p_control": 0.3, "p_treated": 0.4, "n": 2}])
def test_selection_setup_refuses_impossible_values(kwargs):
    with pytest.raises(ValueError):
        evidence.SelectionSetup(**kwargs)


def test_share_of_significant_simulated_trials_equals_the_power():
    sims = evidence.simulate_trials(0.3, 0.5, 93, 4000, seed=3)
    assert sims["significant"].mean() == pytest.approx(0.80, abs=0.03)
    summary = evidence.trials_summary({"93": sims}, 20.0).iloc[0]
    assert summary["mean_all"] == pytest.approx(20.0, abs=0.5)
    assert summary["mean_significant"] > summary["mean_all"]  # significant estimates run high


def test_simulation_figures_carry_the_simulation_mark():
    setup = evidence.SelectionSetup(p_control=0.25, p_treated=0.35, n=100, replications=20)
    fig = evidence.plot_selection(evidence.simulate_selection(setup, seed=1))
    assert any(t.get_text() == "Simulering – ikke data" for t in fig.texts)
    plt.close(fig)
    fig = evidence.plot_trials({"100": evidence.simulate_trials(0.3, 0.4, 50, 200, seed=1)}, 10.0)
    assert any(t.get_text() == "Simulering – ikke data" for t in fig.texts)
    plt.close(fig)


def test_selection_scenarios_change_one_assumption_at_a_time():
    setup = evidence.SelectionSetup(p_control=0.271, p_treated=0.374, n=400, replications=200)
    table = evidence.selection_scenarios(setup, seed=3).set_index("scenario")
    assert len(table) == 4
    as_given, no_effect, no_choice, reversed_ = table.itertuples(index=False)
    # the same seed: the randomised comparison and the true effect do not depend on who chooses
    assert as_given.randomised_pp == pytest.approx(no_choice.randomised_pp)
    assert as_given.true_pp == pytest.approx(reversed_.true_pp)
    assert no_effect.true_pp == pytest.approx(0.0, abs=1e-12)
    assert no_effect.naive_pp > 5 and abs(no_effect.randomised_pp) < 2
    assert abs(no_choice.naive_pp - no_choice.true_pp) < 2
    assert reversed_.naive_pp < reversed_.true_pp - 5  # the bias changes direction
    html = evidence.selection_scenarios_table(table.reset_index()).data
    assert "Loddtrekning" in html and "naive_pp" not in html
