"""book.models (chapter 10): the three follow-up models on numbers that can be checked by hand,
the staffing arithmetic, the temporary-jobs table, the chapter 10 datasets and bad input."""


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


# ------------------------------------------------------------------ the chapter's datasets

def test_reported_caseloads():
    reports = data.load("caseload_reports")
    assert models.reported(reports, "nou2019_mean") == 90
    assert models.reported(reports, "ips_top_score_max") == 20
    assert reports.set_index("row_id").loc["nou2019_mean", "approx"] == "om lag"
    low, mean, high = (models.reported(reports, k) for k in ("inko_min", "inko_mean", "inko_max"))
    assert (low, mean, high) == (14, 50, 93)
    with pytest.raises(KeyError, match="nope"):
        models.reported(reports, "nope")


def test_aap_figures_as_nav_publishes_them():
    aap = data.load("nav_aap_mottakere")
    # Nav: 168 884 recipients at the end of December 2025, 10 344 more than a year before (+6,5 %)
    assert models.measure(aap, "recipients") == 168884
    assert models.measure(aap, "change_from_year_before") == 10344
    # the published percentage agrees with the two counts: 10 344 / (168 884 − 10 344) = 6,52 %
    before = 168884 - 10344
    assert round(100 * 10344 / before, 1) == models.measure(aap, "percent_change_from_year_before")
    with pytest.raises(KeyError, match="nope"):
        models.measure(aap, "nope")


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


def test_staff_grid_by_hand():
    # 168 884 × 0,25 / 20 = 2 111,05; × 1,0 / 90 = 1 876,49
    grid = models.staff_grid(168884, [0.25, 1.0], {"js": 20, "case": 90}).set_index(["share", "caseload_key"])
    assert grid.loc[(0.25, "js"), "positions"] == pytest.approx(2111.05)
    assert grid.loc[(1.0, "case"), "positions"] == pytest.approx(1876.4889, rel=1e-6)
    assert grid.loc[(0.25, "js"), "persons"] == pytest.approx(42221)
    with pytest.raises(ValueError, match="share"):
        models.staff_grid(100, [0.0], {"x": 10})
    with pytest.raises(ValueError, match="share"):
        models.staff_grid(100, [1.5], {"x": 10})
    with pytest.raises(ValueError):
        models.staff_grid(100, [], {"x": 10})


def test_temporary_wide_by_hand():
    frame = pd.DataFrame({"year": [2023, 2023, 2024, 2024, 2024], "quarter": ["K4", "K4", "K4", "K4", "K3"],
                          "age_group": ["25-29", "15-24", "15-24", "25-29", "15-24"],
                          "percent": [10.7, 22.8, 23.0, 12.1, 30.5]})
    wide = models.temporary_wide(frame)
    assert list(wide.columns) == ["15-24", "25-29"]  # in the order of AGE_LABELS
    assert wide.loc[2024, "15-24"] == 23.0 and wide.loc[2023, "25-29"] == 10.7
    assert models.temporary_wide(frame, "K3").loc[2024, "15-24"] == 30.5
    with pytest.raises(KeyError, match="K1"):
        models.temporary_wide(frame, "K1")
    with pytest.raises(KeyError, match="age"):
        models.temporary_wide(frame.iloc[[0]].assign(age_group="16-19"))


def test_real_temporary_jobs():
    wide = models.temporary_wide(data.load("ssb_midlertidig_ansatte"))
    assert list(wide.index) == list(range(2014, 2025))
    # SSB table 05611, 4th quarter: 15–24 år 20,9 % (2014) and 23,0 % (2024); 40–54 år 3,3 % (2024)
    assert wide.loc[2014, "15-24"] == 20.9 and wide.loc[2024, "15-24"] == 23.0
    assert wide.loc[2024, "40-54"] == 3.3
    assert (wide["15-24"] > wide["25-29"]).all() and (wide["25-29"] > wide["40-54"]).all()


def test_plots_and_tables():
    model_table = models.compare({"a": FollowUpModel(90, Workload(37.5, 0.5), 0.1)}, {"a": {"all": "Saksbehandler"}})
    fig = models.plot_time(model_table, "test")
    assert "12,5 min (ute: 1,3)" in " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "12,5" in models.time_table(model_table, "T").data
    # 1 000 × 0,5 / 20 = 25 → «0» at step 100, «30» at step 10; 1 000 / 20 = 50
    fig = models.plot_staff_curves(1000, {0.5: "Halvparten", 1.0: "Alle"}, {"IPS": 20}, "test", step=10)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"IPS", "30", "50"} <= texts
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Halvparten", "Alle"]
    grid = models.staff_grid(1000, [0.5, 1.0], {"js": 20, "case": 90})
    html = models.staff_matrix_table(grid, {0.5: "Halvparten", 1.0: "Alle"}, {"js": "20", "case": "90"}, "T",
                                     notes=["N"], step=10).data
    assert "<td>20</td><td>30</td><td>50</td>" in html and "<td>90</td><td>10</td><td>10</td>" in html and "N" in html
    with pytest.raises(KeyError):
        models.staff_matrix_table(grid, {0.5: "Halvparten"}, {"js": "20"}, "T")
    wide = pd.DataFrame({"15-24": [22.8, 23.0], "25-29": [10.7, 12.1]}, index=[2023, 2024])
    fig = models.plot_temporary(wide, "test")
    assert {"15–24 år", "25–29 år"} <= {t.get_text() for t in fig.axes[0].texts}
    html = models.temporary_table(wide, "T").data
    assert "<td>2024</td><td>23,0</td><td>12,1</td>" in html


# ------------------------------------------------------------------ the chapter 10 datasets: bad input

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


def test_new_datasets_refuse_bad_rows(tmp_path):
    with pytest.raises(DataError, match="measure"):
        data.load("nav_aap_mottakere", _package(tmp_path, "nav_aap_mottakere", "recipients_2026,2025-12,1,persons\n"))
    with pytest.raises(DataError, match="period"):
        data.load("nav_aap_mottakere", _package(tmp_path, "nav_aap_mottakere", "recipients,2025-13,1,persons\n"))
    with pytest.raises(DataError, match="age_group"):
        data.load("ssb_midlertidig_ansatte", _package(tmp_path, "ssb_midlertidig_ansatte", "2024,K4,16-19,5.0\n"))
    with pytest.raises(DataError, match="percent"):
        data.load("ssb_midlertidig_ansatte", _package(tmp_path, "ssb_midlertidig_ansatte", "2024,K4,15-24,120\n"))
    dup = "2024,K4,15-24,23.0\n2024,K4,15-24,22.0\n"
    with pytest.raises(DataError, match="unique|primary|duplicate"):
        data.load("ssb_midlertidig_ansatte", _package(tmp_path, "ssb_midlertidig_ansatte", dup))
