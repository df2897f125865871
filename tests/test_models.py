"""book.models (chapter 9): the three follow-up models on numbers that can be checked by hand,
the IPS caseload anchors, the staffing arithmetic, the chapter 9 datasets and bad input."""


import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from book import data, models
from book.caseload import Workload
from book.data import DataError
from book.models import FollowUpModel
from conftest import package_with


# ------------------------------------------------------------------ time per candidate

def test_caseworker_model_by_hand():
    # 37.5 h × 60 × 0.5 = 1 125 min a week; / 90 = 12.5 min; a tenth of it in the field = 1.25
    row = models.time_per_candidate(FollowUpModel(90, Workload(37.5, 0.5), field_share=0.1)).iloc[0]
    assert row["group"] == "all" and row["candidates"] == 90
    assert row["minutes_week"] == pytest.approx(12.5)
    assert row["field_minutes_week"] == pytest.approx(1.25)
    assert row["office_minutes_week"] == pytest.approx(11.25)
    # 12.5 min × 48 weeks / 12 = 50 min a month
    assert models.time_per_candidate(FollowUpModel(90, Workload(37.5, 0.5, 48))).iloc[0]["minutes_month"] == pytest.approx(50)


def test_hybrid_model_splits_the_time_by_hand():
    # 40 h × 60 × 0.5 = 1 200 min; 25 % (300 min) to 3 mentor candidates = 100 min each,
    # the remaining 900 min to 47 others = 19.148… min each
    model = FollowUpModel(50, Workload(40, 0.5), field_share=0.0, focus=3, focus_time_share=0.25, focus_field_share=0.5)
    table = models.time_per_candidate(model).set_index("group")
    assert table.loc["focus", "candidates"] == 3 and table.loc["ordinary", "candidates"] == 47
    assert table.loc["focus", "minutes_week"] == pytest.approx(100)
    assert table.loc["focus", "field_minutes_week"] == pytest.approx(50)
    assert table.loc["ordinary", "minutes_week"] == pytest.approx(900 / 47)
    assert table.loc["ordinary", "field_minutes_week"] == 0
    # all the follow-up time is accounted for
    total = (table["minutes_week"] * table["candidates"]).sum()
    assert total == pytest.approx(1200)


def test_job_specialist_model_by_hand():
    # 37.5 h × 60 × 0.8 = 1 800 min / 20 = 90 min, of which 60 % (54 min) in the field
    row = models.time_per_candidate(FollowUpModel(20, Workload(37.5, 0.8), field_share=0.6)).iloc[0]
    assert row["minutes_week"] == pytest.approx(90) and row["field_minutes_week"] == pytest.approx(54)


def test_focus_candidates_at_by_hand():
    model = FollowUpModel(50, Workload(37.5, 0.5), focus=3, focus_time_share=0.2)
    assert models.focus_candidates_at(model, 90) == pytest.approx(2.5)  # 225 min / 90
    with pytest.raises(ValueError, match="focus"):
        models.focus_candidates_at(FollowUpModel(50), 90)
    with pytest.raises(ValueError, match="minutes_week"):
        models.focus_candidates_at(model, 0)


def test_compare_labels_every_group():
    table = models.compare({"a": FollowUpModel(10), "b": FollowUpModel(10, focus=2, focus_time_share=0.5)},
                           {"a": {"all": "A"}, "b": {"focus": "B1", "ordinary": "B2"}})
    assert table["label"].tolist() == ["A", "B1", "B2"]
    with pytest.raises(KeyError, match="ordinary"):
        models.compare({"b": FollowUpModel(10, focus=2, focus_time_share=0.5)}, {"b": {"focus": "B1"}})
    with pytest.raises(ValueError):
        models.compare({}, {})


@pytest.mark.parametrize("kwargs, error, message", [
    ({"caseload": 0}, ValueError, "caseload"),
    ({"caseload": 20.5}, TypeError, "caseload"),
    ({"caseload": 10, "focus": 10, "focus_time_share": 0.5}, ValueError, "focus"),
    ({"caseload": 10, "focus": -1}, ValueError, "focus"),
    ({"caseload": 10, "field_share": 1.2}, ValueError, "field_share"),
    ({"caseload": 10, "focus_field_share": -0.1}, ValueError, "focus_field_share"),
    ({"caseload": 10, "focus_time_share": 0.2}, ValueError, "focus_time_share"),
    ({"caseload": 10, "focus": 2}, ValueError, "focus_time_share"),
    ({"caseload": 10, "focus": 2, "focus_time_share": 1.0}, ValueError, "focus_time_share"),
    ({"caseload": 10, "field_share": "0.1"}, TypeError, "field_share"),
    ({"caseload": 10, "workload": {"hours_per_week": 37.5}}, TypeError, "Workload"),
])
def test_impossible_models_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        FollowUpModel(**kwargs)


# ------------------------------------------------------------------ fidelity anchors

ANCHORS = pd.DataFrame({"score": [1, 2, 3], "min_caseload": [21, 11, 0], "max_caseload": [pd.NA, 20, 10]})


@pytest.mark.parametrize("n, score", [(0, 3), (10, 3), (11, 2), (20, 2), (21, 1), (500, 1)])
def test_fidelity_score_at_the_bounds(n, score):
    assert models.fidelity_score(n, ANCHORS) == score


def test_fidelity_score_refuses_bad_caseloads_and_bad_anchors():
    with pytest.raises(ValueError, match="whole number"):
        models.fidelity_score(20.5, ANCHORS)
    with pytest.raises(ValueError, match="whole number"):
        models.fidelity_score(-1, ANCHORS)
    gap = ANCHORS.assign(min_caseload=[22, 11, 0])
    with pytest.raises(ValueError, match="gap"):
        models.fidelity_score(5, gap)
    closed = ANCHORS.assign(max_caseload=[99, 20, 10])
    with pytest.raises(ValueError, match="open-ended"):
        models.fidelity_score(5, closed)
    with pytest.raises(ValueError, match="start at"):
        models.fidelity_score(5, ANCHORS.assign(min_caseload=[21, 11, 1]))


def test_real_anchors_and_reported_caseloads():
    anchors = data.load("ips_caseload_anchors")
    reports = data.load("caseload_reports")
    assert models.fidelity_score(models.reported(reports, "ips_top_score_max"), anchors) == 5
    assert models.fidelity_score(21, anchors) == 4 and models.fidelity_score(41, anchors) == 1
    assert models.reported(reports, "nou2019_mean") == 90
    assert reports.set_index("row_id").loc["nou2019_mean", "approx"] == "om lag"
    low, mean, high = (models.reported(reports, k) for k in ("inko_min", "inko_mean", "inko_max"))
    assert low <= mean <= high
    with pytest.raises(KeyError, match="nope"):
        models.reported(reports, "nope")


# ------------------------------------------------------------------ staffing

def test_staff_needed_by_hand():
    table = models.staff_needed({"a": 900, "b": 180}, {"x": 90, "y": 20})
    assert table["positions"].tolist() == pytest.approx([10, 45, 2, 9])
    with pytest.raises(ValueError, match="caseload"):
        models.staff_needed({"a": 900}, {"x": 0})
    with pytest.raises(ValueError, match="persons"):
        models.staff_needed({"a": -1}, {"x": 10})


@pytest.mark.parametrize("x, step, expected", [(2077.8, 100, 2100), (2049.9, 100, 2000), (1250, 100, 1300),
                                               (44, 10, 40), (-150, 100, -200)])
def test_round_to(x, step, expected):
    assert models.round_to(x, step) == expected


def toy_stats(shares=(40.0, 30.0, 20.0, 10.0), year=2020):
    rows = [{"indicator": models.NAE_INDICATOR, "year": year, "period": "November", "group": models.NAE_GROUP,
             "value": 1000.0, "approx": "i underkant av"}]
    for group, share in zip(["sysselsatt", "AAP", "tiltak", "annet"], shares):
        rows.append({"indicator": models.NAE_STATUS_INDICATOR, "year": 2020, "period": "November",
                     "group": group, "value": share, "approx": pd.NA})
    return pd.DataFrame(rows)


def test_nae_population_by_hand():
    pop = models.nae_population(toy_stats()).set_index("status")
    assert pop.loc["AAP", "persons"] == pytest.approx(300)
    assert pop.loc[pop["not_in_work"], "persons"].sum() == pytest.approx(600)
    assert pop.attrs["approx"] == "i underkant av"


def test_nae_population_refuses_inconsistent_input():
    with pytest.raises(ValueError, match="add up"):
        models.nae_population(toy_stats(shares=(40.0, 30.0, 20.0, 20.0)))
    with pytest.raises(ValueError, match="same year"):
        models.nae_population(toy_stats(year=2019))
    with pytest.raises(KeyError):
        models.nae_population(toy_stats().iloc[1:])


def test_real_nae_population():
    pop = models.nae_population(data.load("norway_stats"))
    assert pop["share"].sum() == pytest.approx(99.8)  # the six SSB shares as published (rounded)
    assert set(pop.loc[pop["not_in_work"], "status"]) == {"AAP", "tiltak", "annet"}
    assert pop.attrs["total"] == 187000 and pop.attrs["year"] == 2020


def test_plots_and_tables():
    model_table = models.compare({"a": FollowUpModel(90, Workload(37.5, 0.5), 0.1)}, {"a": {"all": "Saksbehandler"}})
    fig = models.plot_time(model_table, "test")
    assert "12,5 min (ute: 1,2)" in " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "12,5" in models.time_table(model_table, "T").data
    fig = models.plot_fidelity(ANCHORS, {"Ti": 10, "Tretti": 30}, "test", x_max=40)
    assert {"Ti: 10", "Tretti: 30"} <= {t.get_text() for t in fig.axes[0].texts}
    staff = models.staff_needed({"a": 900}, {"x": 90, "y": 20})
    fig = models.plot_staff(staff, {"a": "Alle"}, {"x": "90", "y": "20"}, "test", step=10)
    assert "om lag 50" in " ".join(t.get_text() for t in fig.axes[0].texts)  # 900 / 20 = 45 → 50
    html = models.staff_table(staff, {"a": "Alle"}, {"x": "90", "y": "20"}, "T", notes=["N"], step=10).data
    assert "<td>45</td>" in html and "<td>50</td>" in html and "N" in html
    with pytest.raises(KeyError):
        models.plot_staff(staff, {"b": "B"}, {"x": "90"}, "test")


# ------------------------------------------------------------------ the chapter 9 datasets: bad input

def _package(tmp_path, name, rows):
    return package_with(tmp_path, name, rows, header=True)


GOOD_REPORT = "x,hybridmodellen,mean_caseload,50,,candidates per counsellor,s,https://e.no,\n"


def test_caseload_reports_good_row_loads(tmp_path):
    assert len(data.load("caseload_reports", _package(tmp_path, "caseload_reports", GOOD_REPORT))) == 1


@pytest.mark.parametrize("row, column", [
    (GOOD_REPORT.replace("hybridmodellen", "ipsmodellen"), "model"),
    (GOOD_REPORT.replace("mean_caseload", "median_caseload"), "measure"),
    (GOOD_REPORT.replace(",50,", ",-5,"), "value"),
    (GOOD_REPORT.replace(",50,", ",femti,"), "value"),
    (GOOD_REPORT.replace("https://e.no", "e.no"), "url"),
])
def test_caseload_reports_bad_rows_are_refused(tmp_path, row, column):
    with pytest.raises(DataError, match=rf"column '{column}'"):
        data.load("caseload_reports", _package(tmp_path, "caseload_reports", row))


def test_ips_anchors_refuse_duplicate_scores_and_out_of_range(tmp_path):
    dup = "5,0,20,s,https://e.no,\n5,21,25,s,https://e.no,\n"
    with pytest.raises(DataError, match="unique|primary"):
        data.load("ips_caseload_anchors", _package(tmp_path, "ips_caseload_anchors", dup))
    with pytest.raises(DataError, match="score"):
        data.load("ips_caseload_anchors", _package(tmp_path, "ips_caseload_anchors", "6,0,20,s,https://e.no,\n"))
