"""book.ips: trial table, risk ratios, pooling and the over-time split, on hand-checkable inputs."""

import math

import numpy as np
import pandas as pd
import pytest

from book import data, fmt, ips


def trial_rows(study, n_total, ips_arm, ctrl_arm, followup=12, arms=2):
    """Two arm rows in the shape of data/trials.csv. *_arm = (n_arm or None, pct, n_employed or None)."""
    rows = []
    for arm, (n, pct, k) in (("IPS", ips_arm), ("control", ctrl_arm)):
        rows.append({
            "row_id": f"{study}:{arm}:{followup}", "study_id": study, "trial_id": study, "is_followup": False,
            "year": 2020, "country": "Norway", "ips": True, "arm": arm, "n_arm": n, "n_total": n_total,
            "n_arms_randomised": arms, "outcome_type": "ever_employed", "outcome_source": "registry",
            "followup_months": followup, "pct_employed": pct, "n_employed": k,
        })
    return rows


def frame(rows):
    f = pd.DataFrame(rows)
    for col in ("n_arm", "n_employed"):
        f[col] = f[col].astype("Int64")
    f["followup_months"] = f["followup_months"].astype("Float64")
    return f


def test_rr_and_ci_from_counts():
    f = ips.forest_table(frame(trial_rows("Aaa2020", 200, (100, 40.0, 40), (100, 20.0, 20))))
    row = f.iloc[0]
    assert row["rr"] == pytest.approx(2.0)
    se = math.sqrt(1 / 40 - 1 / 100 + 1 / 20 - 1 / 100)  # Katz log-RR standard error
    assert row["ci_low"] == pytest.approx(math.exp(math.log(2) - 1.96 * se), rel=1e-3)
    assert row["ci_high"] == pytest.approx(math.exp(math.log(2) + 1.96 * se), rel=1e-3)
    assert not row["equal_allocation"] and not row["counts_reconstructed"]


def test_equal_allocation_is_flagged_and_counts_reconstructed():
    f = ips.forest_table(frame(trial_rows("Bbb2019", 101, (None, 30.0, None), (None, 10.0, None))))
    row = f.iloc[0]
    assert (row["n_ips"], row["n_control"]) == (51, 50)
    assert (row["events_ips"], row["events_control"]) == (15, 5)  # round(0.30*51), round(0.10*50)
    assert row["equal_allocation"] and row["counts_reconstructed"]


def test_longest_common_followup_and_exclusions():
    rows = trial_rows("Ccc2018", 100, (50, 30.0, None), (50, 20.0, None), followup=12)
    rows += trial_rows("Ccc2018", 100, (50, 40.0, None), (50, 20.0, None), followup=24)
    three = trial_rows("Ddd2004", 150, (None, 50.0, None), (None, 20.0, None), arms=3)
    three[1]["arm"] = "control_PSR"  # no single control arm
    not_ips = trial_rows("Eee2021", 100, (50, 40.0, None), (50, 20.0, None))
    for r in not_ips:
        r["ips"] = False
    f = ips.forest_table(frame(rows + three + not_ips))
    assert list(f["study_id"]) == ["Ccc2018"]
    assert f.iloc[0]["followup_months"] == 24
    assert f.iloc[0]["rr"] == pytest.approx(2.0)


def test_pool_homogeneous_trials():
    """Little between-trial variation (Q < df): tau² = 0, random = fixed = inverse-variance mean, I² = 0."""
    rows = []
    for s, k in (("Aaa2001", 30), ("Bbb2002", 32), ("Ccc2003", 28)):
        rows += trial_rows(s, 200, (100, float(k), k), (100, 15.0, 15))
    forest = ips.forest_table(frame(rows))
    pooled = ips.pool(forest)
    log_rr = np.log(np.array([30, 32, 28]) / 15)
    var = np.array([1 / k - 1 / 100 + 1 / 15 - 1 / 100 for k in (30, 32, 28)])
    expected = math.exp(np.sum(log_rr / var) / np.sum(1 / var))
    assert pooled.rr_fixed == pytest.approx(expected)
    assert pooled.rr == pytest.approx(expected)
    assert pooled.i2 == 0.0 and pooled.tau2 == pytest.approx(0.0)
    assert pooled.k == 3 and pooled.n == 600


def test_pool_heterogeneous_trials_widen_the_interval():
    rows = []
    for s, k in (("Aaa2001", 20), ("Bbb2002", 45), ("Ccc2003", 70)):
        rows += trial_rows(s, 400, (200, k / 2, k), (200, 10.0, 20))
    pooled = ips.pool(ips.forest_table(frame(rows)))
    assert pooled.i2 > 0.5 and pooled.tau2 > 0
    assert forest_min_max(rows)[0] < pooled.rr < forest_min_max(rows)[1]


def forest_min_max(rows):
    f = ips.forest_table(frame(rows))
    return f["rr"].min(), f["rr"].max()


def test_pool_needs_two_trials():
    f = ips.forest_table(frame(trial_rows("Aaa2020", 200, (100, 40.0, 40), (100, 20.0, 20))))
    with pytest.raises(ValueError):
        ips.pool(f)


def test_real_data_eqolise_from_reported_counts():
    """EQOLISE reports 85/156 vs 43/156 in work: the RR must be computed from exactly those counts."""
    f = ips.forest_table(data.load("trials")).set_index("study_id")
    row = f.loc["Burns2007_EQOLISE"]
    assert (row["events_ips"], row["n_ips"], row["events_control"], row["n_control"]) == (85, 156, 43, 156)
    assert row["rr"] == pytest.approx((85 / 156) / (43 / 156))
    assert not row["equal_allocation"]


def test_real_data_every_trial_has_valid_interval():
    f = ips.forest_table(data.load("trials"))
    assert (f["ci_low"] < f["rr"]).all() and (f["rr"] < f["ci_high"]).all()
    assert f["study_id"].is_unique
    assert not f["study_id"].str.contains("Mueser|Christensen_DK_30m|DahlLima|Berg2021|Reme2015").any()


def test_published_and_missing_review():
    meta = data.load("meta_analyses")
    pub = ips.published(meta).set_index("review_id")
    assert pub.loc["Brinchmann2020", "estimate"] == pytest.approx(2.07)
    with pytest.raises(ValueError, match="NoSuchReview"):
        ips.published(meta, reviews=("NoSuchReview",))


def test_norwegian_over_time_differences():
    points, statements = ips.norwegian_over_time(data.load("effect_over_time"))
    by = {(r.study_id, r.months): r.difference_pp for r in points.itertuples()}
    assert by[("Reme2019_IPS_NO", 12)] == pytest.approx(36.6 - 27.1)
    assert by[("Reme2015_AWaC_NO", 18)] == pytest.approx(7.8)  # reported difference used as is
    assert statements["difference_pp"].isna().all() if "difference_pp" in statements else True
    assert set(statements["study_id"]) == {"DahlLima2021_SE_NAV4offices_NO", "Berg2021_SE_NAV7counties_NO"}


def test_labels():
    assert ips.study_label("Hellstrom2017_Denmark_IPSMA") == "Hellström mfl. 2017"
    assert ips.study_label("DahlLima2021_SE_NAV4offices_NO") == "Dahl & Lima 2021"
    with pytest.raises(ValueError):
        ips.country_nb("Atlantis")


def test_rr_text_formats_three_values_the_norwegian_way():
    assert ips.rr_text("x", 2.0894, 1.7299, 2.5236) == {"x_rr": "2,09", "x_low": "1,73", "x_high": "2,52"}


def test_sensitivity_pools_each_subset_separately():
    rows = trial_rows("Aaa2010", 200, (100, 40.0, 40), (100, 20.0, 20))
    rows += trial_rows("Bbb2012", 200, (100, 30.0, 30), (100, 20.0, 20))
    rows += trial_rows("Ccc2014", 200, (100, 60.0, 60), (100, 20.0, 20))
    forest = ips.forest_table(frame(rows))
    table = ips.sensitivity({"all": ("alle", forest), "two": ("to", forest.iloc[:2])})
    assert list(table.index) == ["all", "two"]
    assert table.loc["all", "k"] == 3 and table.loc["two", "k"] == 2
    assert table.loc["two", "rr"] == pytest.approx(ips.pool(forest.iloc[:2]).rr)
    assert table.loc["all", "rr"] > table.loc["two", "rr"]  # the subset leaves out the largest effect (RR 3)
    html = ips.sensitivity_table(table).data
    assert "<caption>" in html and "alle" in html and "Antall forsøk" in html


def test_every_real_trial_has_a_norwegian_data_source():
    table = ips.forest_table(data.load("trials"))
    assert table["outcome_source_nb"].notna().all()
    assert not table["outcome_source_nb"].str.contains("not stated|registry|tracking").any()


def test_unknown_data_source_is_an_error():
    rows = trial_rows("Fff2020", 100, (50, 40.0, 20), (50, 20.0, 10))
    for r in rows:
        r["outcome_source"] = "carrier pigeon"
    with pytest.raises(ValueError, match="carrier pigeon"):
        ips.forest_table(frame(rows))


# ---------------------------------------------------------------- prediction interval, time rule, arm sizes


def test_prediction_interval_by_hand():
    """mu = ln 2, se = 0.1, tau² = 0.04, k = 5: half-width t(0.975; 3) · sqrt(0.04 + 0.01)."""
    t3 = 3.1824463  # Student t, 3 degrees of freedom, two-sided 95 % (standard table value)
    half = t3 * math.sqrt(0.05)
    lo, hi = ips.prediction_interval(math.log(2), 0.1, 0.04, 5)
    assert lo == pytest.approx(math.log(2) - half, abs=1e-6)
    assert hi == pytest.approx(math.log(2) + half, abs=1e-6)
    assert math.exp(lo) == pytest.approx(0.9817, abs=1e-4) and math.exp(hi) == pytest.approx(4.0745, abs=1e-4)
    with pytest.raises(ValueError):
        ips.prediction_interval(0.0, 0.1, 0.01, 2)


def test_pool_prediction_interval_matches_dersimonian_laird_by_hand():
    """Three heterogeneous trials: DerSimonian–Laird tau², random-effects mean and its prediction interval
    computed here from the textbook formulas, independently of statsmodels."""
    rows = []
    for s, k in (("Aaa2001", 20), ("Bbb2002", 45), ("Ccc2003", 70)):
        rows += trial_rows(s, 400, (200, k / 2, k), (200, 10.0, 20))
    pooled = ips.pool(ips.forest_table(frame(rows)))
    y = np.log(np.array([20, 45, 70]) / 20)
    v = np.array([1 / k - 1 / 200 + 1 / 20 - 1 / 200 for k in (20, 45, 70)])
    w = 1 / v
    q = np.sum(w * (y - np.sum(w * y) / np.sum(w)) ** 2)
    tau2 = max(0.0, (q - 2) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
    ws = 1 / (v + tau2)
    mu, se = np.sum(ws * y) / np.sum(ws), math.sqrt(1 / np.sum(ws))
    t1 = 12.7062047  # Student t, 1 degree of freedom (k − 2), two-sided 95 %
    assert pooled.tau2 == pytest.approx(tau2, rel=1e-6)
    assert pooled.rr == pytest.approx(math.exp(mu), rel=1e-6)
    assert pooled.se_log == pytest.approx(se, rel=1e-6)
    assert pooled.pi_low == pytest.approx(math.exp(mu - t1 * math.sqrt(tau2 + se**2)), rel=1e-5)
    assert pooled.pi_high == pytest.approx(math.exp(mu + t1 * math.sqrt(tau2 + se**2)), rel=1e-5)
    assert pooled.pi_low < pooled.ci_low and pooled.pi_high > pooled.ci_high


def test_two_trials_have_no_prediction_interval():
    rows = trial_rows("Aaa2010", 200, (100, 40.0, 40), (100, 20.0, 20))
    rows += trial_rows("Bbb2012", 200, (100, 30.0, 30), (100, 20.0, 20))
    pooled = ips.pool(ips.forest_table(frame(rows)))
    assert math.isnan(pooled.pi_low) and math.isnan(pooled.pi_high)


def test_trial_without_shares_at_its_longest_followup_is_left_out_unless_allowed():
    rows = trial_rows("Ggg2019", 100, (None, 70.0, None), (None, 50.0, None), followup=6)
    for r in rows:
        r["final_followup_months"] = 18
    rows += trial_rows("Hhh2015", 100, (50, 40.0, 20), (50, 20.0, 10), followup=24)
    f = frame(rows)
    assert list(ips.forest_table(f)["study_id"]) == ["Hhh2015"]
    both = ips.forest_table(f, allow_earlier=True).set_index("study_id")
    assert not both.loc["Ggg2019", "at_final_followup"] and both.loc["Hhh2015", "at_final_followup"]


def test_assumed_split_is_varied_only_where_arm_sizes_are_unknown():
    rows = trial_rows("Iii2012", 100, (None, 30.0, None), (None, 10.0, None))
    rows += trial_rows("Jjj2014", 100, (50, 40.0, 20), (50, 20.0, 10))
    f = ips.forest_table(frame(rows), assumed_ips_share=0.4).set_index("study_id")
    assert (f.loc["Iii2012", "n_ips"], f.loc["Iii2012", "n_control"]) == (40, 60)
    assert (f.loc["Iii2012", "events_ips"], f.loc["Iii2012", "events_control"]) == (12, 6)  # 0.30·40, 0.10·60
    assert (f.loc["Jjj2014", "n_ips"], f.loc["Jjj2014", "n_control"]) == (50, 50)  # stated sizes unchanged
    assert f.loc["Iii2012", "allocation"] == "assumed" and f.loc["Jjj2014", "allocation"] == "stated"
    three = trial_rows("Kkk2019", 720, (None, 60.0, None), (None, 45.0, None), arms=3)
    g = ips.forest_table(frame(three), assumed_ips_share=0.6).iloc[0]
    assert (g["n_ips"], g["n_control"]) == (288, 192)  # 60 % of the 480 in the two compared arms
    with pytest.raises(ValueError):
        ips.forest_table(frame(three), assumed_ips_share=1.0)


def test_allocation_sensitivity_on_real_data_keeps_the_same_trials():
    table = ips.allocation_sensitivity(data.load("trials"), shares=(0.4, 0.5, 0.6))
    assert table["k"].nunique() == 1 and table["k_assumed"].nunique() == 1
    assert (table["k_assumed"] < table["k"]).all()
    assert table["rr"].max() - table["rr"].min() < 0.05  # the split moves the pooled RR by little
    html = ips.allocation_table(table).data
    assert "40\u00a0% / 60\u00a0%" in html and "prediksjonsintervall" in html


def test_consistent_counts():
    assert ips.consistent_counts(60.8, 74) == [45]
    assert ips.consistent_counts(48, 50) == [24]
    assert ips.consistent_counts(8, 46) == []  # 3/46 = 6.5 %, 4/46 = 8.7 %
    assert ips.consistent_counts(27.1, 205) == []


def test_real_data_arm_sizes_from_the_papers():
    f = ips.forest_table(data.load("trials")).set_index("study_id")
    drake = f.loc["Drake1999_DC"]
    assert (drake["n_ips"], drake["n_control"], drake["events_ips"], drake["events_control"]) == (74, 76, 45, 7)
    assert drake["allocation"] == "derived_from_shares" and drake["shares_consistent"]
    davis = f.loc["Davis2018_VA_CSP589"]
    assert (davis["n_ips"], davis["n_control"], davis["events_ips"], davis["events_control"]) == (271, 270, 105, 63)
    assert davis["followup_months"] == 18 and davis["allocation"] == "other_publication"
    assert f.loc["Sveinsdottir2020_SEED_NO", "allocation"] == "stated_other_base"  # 8 % is no whole part of 46
    assert f.loc["Reme2019_IPS_NO", "allocation"] == "assumed"  # only the total N = 410 is given in the text read
    # Christensen et al. 2019: arms as randomised (243 IPS, 239 SAU; 238 IPSE left out), counts = share × arm
    chr_ = f.loc["Christensen2019_Denmark"]
    assert (chr_["n_ips"], chr_["n_control"]) == (243, 239)
    assert (chr_["events_ips"], chr_["events_control"]) == (146, 111)  # round(0.599*243), round(0.465*239)
    assert chr_["allocation"] == "stated_other_base" and not chr_["shares_consistent"]
    assert chr_["rr"] == pytest.approx((146 / 243) / (111 / 239))
    assert "Lehman2002_Baltimore" not in f.index
    assert "Killackey2019_Melbourne_FEP" not in f.index  # shares only at 6 of 18 months
    assert "Killackey2019_Melbourne_FEP" in ips.forest_table(data.load("trials"), allow_earlier=True)["study_id"].values


def test_real_data_prediction_interval_is_reported_and_wider_than_the_ci():
    pooled = ips.pool(ips.forest_table(data.load("trials")))
    assert pooled.pi_low < pooled.ci_low < pooled.rr < pooled.ci_high < pooled.pi_high
    assert 0.8 < pooled.pi_low < 1.2 and 3.5 < pooled.pi_high < 5.5


def test_displayed_scope_and_measures_are_norwegian():
    reviews = ips.published(data.load("meta_analyses"))
    assert "Metcalfe2018" in set(reviews["review_id"])
    assert reviews["scope_nb"].notna().all()
    assert not reviews["scope_nb"].str.contains("RCTs|vs |meta-regression on").any()
    points, statements = ips.norwegian_over_time(data.load("effect_over_time"))
    shown = pd.concat([points["measure_nb"], statements["measure_nb"]])
    assert shown.notna().all() and not shown.str.contains("share in|registry|employment").any()


def test_prose_numbers_for_the_chapter():
    trials, meta = data.load("trials"), data.load("meta_analyses")
    forest = ips.forest_table(trials)
    pooled = ips.pool(forest)
    g = ips.forest_glue(forest, pooled, trials)
    nb = "\u00a0"
    assert g["forest_top1_label"] == "Drake mfl. 1999" and g["forest_top2_label"] == "Sveinsdottir mfl. 2020"
    assert g["seed_alt_lo"] == f"6,5{nb}%" and g["seed_alt_hi"] == f"8,7{nb}%"  # 3/46 and 4/46
    assert g["seed_ratio_pct"] == "6,0" and g["kill_months"] == "6" and g["kill_final"] == "18"
    sens = ips.sensitivity({"all": ("alle", forest), "us": ("USA", forest[forest["country"] == "USA"])})
    m = ips.meta_glue(pooled, ips.published(meta), sens, ips.allocation_sensitivity(trials))
    assert "frederick_rr" not in m and m["metcalfe_k"] == "21"  # the figure's reviews only
    every = ips.meta_glue(pooled, ips.published(meta, reviews=tuple(ips.REVIEW_LABELS)), sens,
                          ips.allocation_sensitivity(trials))
    assert every["frederick_rr"] == "1,63" and "frederick_k" not in every  # no k in the data: prose without k
    assert m["pooled_pi_low"] == fmt.number(pooled.pi_low, 2)
    points, _ = ips.norwegian_over_time(data.load("effect_over_time"))
    t = ips.time_glue(points, trials, data.load("effect_over_time"))
    assert t["dahl_n"] == "268" and t["dahl_n_se"] == "167" and t["dahl_n_ctrl"] == "101"


# ---------------------------------------------------------------- revision 2: exact ratios, tables without gaps


def test_rr_is_the_exact_ratio_of_the_counts():
    """77/205 against 56/205 is exactly 1.375; exp(log) would print 1,37, the shares 37.4/27.1 give 1.38."""
    f = ips.forest_table(frame(trial_rows("Rrr2019", 410, (None, 37.4, None), (None, 27.1, None)))).iloc[0]
    assert (f["events_ips"], f["events_control"]) == (77, 56)
    assert f["rr"] == 1.375
    assert ips.rr_text("x", f["rr"], f["ci_low"], f["ci_high"])["x_rr"] == "1,38"
    real = ips.forest_table(data.load("trials")).set_index("study_id").loc["Reme2019_IPS_NO"]
    assert ips.rr_text("reme", real["rr"], real["ci_low"], real["ci_high"])["reme_rr"] == "1,38"


def test_forest_table_prints_no_data_source_column_and_no_gap_notes():
    forest = ips.forest_table(data.load("trials"))
    html = ips.forest_data_table(forest, ips.pool(forest)).data
    assert "Datakilde" not in html and "ikke registrert" not in html and "ikke ført inn" not in html
    assert "delt likt" in html and "annen nevner" in html


def test_meta_figure_shows_only_reviews_with_k():
    meta = data.load("meta_analyses")
    reviews = ips.published(meta)
    assert reviews["k_studies"].notna().all()
    assert "FrederickVanderWeele2019" not in set(reviews["review_id"])
    html = ips.meta_data_table(ips.pool(ips.forest_table(data.load("trials"))), reviews).data
    assert "ikke ført inn" not in html and "Frederick" not in html
