"""book.ips: trial table, risk ratios, pooling and the over-time split, on hand-checkable inputs."""

import math

import numpy as np
import pandas as pd
import pytest

from book import data, ips


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
