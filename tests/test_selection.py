"""book.selection: the selection simulation on hand-checkable cases, the worked example, and the new data."""


import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from book import data, selection
from book.selection import Pool, SelectionParams


def tiny_pool() -> Pool:
    """Four candidates with round numbers: employability and motivation rise together."""
    p0 = np.array([0.1, 0.3, 0.5, 0.9])
    return Pool(employability=np.array([-1.5, -0.5, 0.5, 1.5]), motivation=np.array([-1.0, 0.0, 1.0, 2.0]),
                noise=np.array([2.0, 1.0, 0.0, -1.0]), p0=p0, p1=selection.with_programme(p0, 0.5, "gap"))


# ---------------------------------------------------------------- the effect models

def test_gap_model_closes_a_share_of_the_distance_to_work():
    assert selection.with_programme([0.2, 0.6, 1.0], 0.25, "gap") == pytest.approx([0.4, 0.7, 1.0])


def test_proportional_model_raises_the_chance_and_caps_at_one():
    assert selection.with_programme([0.2, 0.6, 0.8], 0.5, "proportional") == pytest.approx([0.3, 0.9, 1.0])


def test_calibration_inverts_the_models():
    assert selection.calibrate_effect(0.2, 0.4, "gap") == pytest.approx(0.25)
    assert selection.calibrate_effect(0.2, 0.3, "proportional") == pytest.approx(0.5)
    with pytest.raises(ValueError):
        selection.calibrate_effect(0.4, 0.2)
    with pytest.raises(ValueError):
        selection.with_programme([0.2], 0.1, "constant")


def test_default_effect_reproduces_the_two_arms_of_reme_2019_for_an_average_person():
    params = SelectionParams()
    assert selection.with_programme(params.base_rate, params.effect) == pytest.approx(0.374, abs=5e-4)


# ---------------------------------------------------------------- who gets the places

def test_full_strength_picks_the_most_motivated_and_zero_strength_follows_the_noise():
    pool = tiny_pool()
    assert selection.select(pool, 2, 1.0).tolist() == [False, False, True, True]
    assert selection.select(pool, 2, 0.0).tolist() == [True, True, False, False]


def test_summary_by_hand():
    pool = tiny_pool()  # p1 = 0.55, 0.65, 0.75, 0.95
    s = selection.summarise(pool, np.array([False, False, True, True]))
    assert s["success"] == pytest.approx(0.85)
    assert s["anyway"] == pytest.approx(0.7)
    assert s["effect"] == pytest.approx(0.15)  # (0.25 + 0.05) / 2
    assert s["extra_jobs"] == pytest.approx(0.3)
    assert s["hardest_share"] == pytest.approx(0.0)  # the lowest quarter is candidate 0
    assert s["left_out_rate"] == pytest.approx(0.2)
    s = selection.summarise(pool, np.array([True, True, False, False]))
    assert s["effect"] == pytest.approx(0.4) and s["hardest_share"] == pytest.approx(0.5)


def test_lottery_gives_the_hardest_quarter_about_its_share_and_creaming_less():
    curve = selection.selection_curve(SelectionParams(n=20_000), strengths=(0.0, 1.0))
    lottery, creaming = selection.at(curve, 0.0), selection.at(curve, 1.0)
    assert lottery["hardest_share"] == pytest.approx(0.25, abs=0.02)
    assert creaming["hardest_share"] < 0.1
    assert creaming["success"] > lottery["success"]
    assert creaming["effect"] < lottery["effect"]  # the gap model: most help for those furthest away


def test_the_proportional_model_turns_the_effect_around():
    params = SelectionParams(n=20_000, effect_model="proportional",
                             effect=selection.calibrate_effect(0.271, 0.374, "proportional"))
    curve = selection.selection_curve(params, strengths=(0.0, 1.0))
    assert selection.at(curve, 1.0)["effect"] > selection.at(curve, 0.0)["effect"]


def test_without_a_signal_motivation_tells_nothing_about_employability():
    curve = selection.selection_curve(SelectionParams(n=20_000, signal=0.0), strengths=(0.0, 1.0))
    assert selection.at(curve, 1.0)["anyway"] == pytest.approx(selection.at(curve, 0.0)["anyway"], abs=0.02)


def test_the_curve_is_seeded():
    a = selection.selection_curve(SelectionParams(n=500), seed=3)
    b = selection.selection_curve(SelectionParams(n=500), seed=3)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("changes", [
    {"n": 3}, {"n": 10.5}, {"places_share": 0.0}, {"places_share": 1.0}, {"base_rate": 1.0},
    {"signal": 1.2}, {"spread": -1}, {"effect": 1.5}, {"effect_model": "constant"}, {"effect": True},
])
def test_impossible_assumptions_are_refused(changes):
    with pytest.raises(ValueError):
        SelectionParams().changed(**changes)


def test_bad_selection_input_is_refused():
    pool = tiny_pool()
    with pytest.raises(ValueError):
        selection.select(pool, 2, 1.5)
    with pytest.raises(ValueError):
        selection.select(pool, 4, 0.5)
    with pytest.raises(ValueError):
        selection.summarise(pool, np.array([True] * 4))
    with pytest.raises(KeyError):
        selection.at(selection.selection_curve(SelectionParams(n=100), strengths=(0.0,)), 0.5)


def test_figures_are_marked_and_tables_are_norwegian():
    params = SelectionParams(n=200)
    curve = selection.selection_curve(params)
    fig = selection.plot_selection(curve, params)
    assert any("Simulering" in t.get_text() for t in fig.texts)
    assert any(t.get_text().startswith("Kilde:") for t in fig.texts)
    plt.close(fig)
    html = selection.selection_table(curve)._repr_html_()
    assert "Effekt (prosentpoeng)" in html and "strength" not in html
    table = selection.parameter_table(params)._repr_html_()
    assert "Reme mfl. (2019)" in table and "0,1413" in table


# ---------------------------------------------------------------- the worked example

def test_mix_rate_by_hand():
    assert selection.mix_rate(0.5, 0.54, 0.23) == pytest.approx(0.385)
    assert selection.mix_rate(np.array([0.0, 1.0]), 0.54, 0.23) == pytest.approx([0.23, 0.54])
    with pytest.raises(ValueError):
        selection.mix_rate(1.2, 0.54, 0.23)


def test_implied_mix_and_adjusted_difference_by_hand():
    assert selection.implied_mix(0.385, 0.54, 0.23) == pytest.approx(0.5)
    assert selection.adjusted_difference(0.40, 0.5, 0.54, 0.23) == pytest.approx(0.015)
    with pytest.raises(ValueError):
        selection.implied_mix(0.6, 0.54, 0.23)  # outside both group rates
    with pytest.raises(ValueError):
        selection.implied_mix(0.3, 0.3, 0.3)


# ---------------------------------------------------------------- the new data

def test_real_data_load_in_order_and_agree_with_the_source_wording():
    table = selection.attachment(data.load("lonnstilskudd_stabil"))
    assert table["group"].tolist() == list(selection.GROUP_ORDER)
    assert selection.shares_by_group(table) == pytest.approx({"ordinary": 0.54, "nae": 0.23, "all": 0.40})
    for row in table.itertuples():
        number = int(row.stated.split()[0])
        assert (number * 10 if row.approx else number) == row.value_percent  # renamed from share_pct / source_rounded


def test_attachment_refuses_a_missing_or_repeated_group():
    frame = data.load("lonnstilskudd_stabil")
    with pytest.raises(ValueError, match="no row"):
        selection.attachment(frame[frame["group"] != "nedsatt arbeidsevne"])
    with pytest.raises(ValueError, match="more than one"):
        selection.attachment(pd.concat([frame, frame.iloc[[0]]]))

# The dataset's schema and bad-input cases are tested with chapter 4 (tests/test_employers.py).


def test_attachment_table_shows_no_internal_identifiers():
    """The reader-visible table has group names and the source's wording, never dataset row ids."""
    table = selection.attachment_table(selection.attachment(data.load("lonnstilskudd_stabil")))
    cells = " ".join(" ".join(row) for row in table.rows) + " ".join(table.headers)
    assert "nossen2024" not in cells.lower()
    assert "_" not in cells
    assert table.headers == ["Gruppe", "Kildens ord", "Andel", "Avrundet brøk"]


def test_calibration_fits_the_average_person_not_the_group_average():
    """The base rate is the chance of a person of average employability (27.1 % in Reme 2019); with
    spread > 0 the pool's average chance is higher, because expit is convex below 50 %. With no
    spread the two coincide. Bounds: the average of expit over a normal lies between the value at
    the mean and 0.5."""
    params = SelectionParams(base_rate=0.271, effect=selection.calibrate_effect(0.271, 0.374))
    lottery = selection.at(selection.selection_curve(params, strengths=(0.0,)), 0.0)
    assert 0.271 + 0.02 < lottery["anyway"] < 0.5
    assert 0.374 + 0.02 < lottery["success"] < 0.6
    flat = selection.at(selection.selection_curve(params.changed(spread=0.0), strengths=(0.0,)), 0.0)
    assert flat["anyway"] == pytest.approx(0.271)
    assert flat["success"] == pytest.approx(0.374, abs=5e-4)


# ---------------------------------------------------------------- expected values (no simulation noise)

def test_expected_curve_agrees_with_a_large_drawn_pool():
    params = SelectionParams()
    exact = selection.expected_curve(params, strengths=(0.0, 0.5, 1.0))
    drawn = selection.selection_curve(params.changed(n=200_000), strengths=(0.0, 0.5, 1.0))
    for column in ("success", "anyway", "effect", "hardest_share", "left_out_rate"):
        assert exact[column].to_numpy() == pytest.approx(drawn[column].to_numpy(), abs=0.005)


def test_expected_lottery_is_exact():
    """A lottery takes a fair cross-section: a quarter of the places to the hardest quarter, and
    the same chance without the programme among those chosen and those left out."""
    lottery = selection.at(selection.expected_curve(SelectionParams(), strengths=(0.0,)), 0.0)
    assert lottery["hardest_share"] == pytest.approx(0.25, abs=1e-3)
    assert lottery["anyway"] == pytest.approx(lottery["left_out_rate"], abs=1e-9)
    assert lottery["extra_jobs"] == pytest.approx(lottery["effect"] * SelectionParams().places)


def test_expected_curve_reproduces_the_chapter_s_directions():
    params = SelectionParams()
    gap = selection.expected_curve(params, strengths=(0.0, 1.0))
    prop = selection.expected_curve(params.changed(
        effect_model="proportional", effect=selection.calibrate_effect(0.271, 0.374, "proportional")),
        strengths=(0.0, 1.0))
    assert selection.at(gap, 1.0)["effect"] < selection.at(gap, 0.0)["effect"]
    assert selection.at(prop, 1.0)["effect"] > selection.at(prop, 0.0)["effect"]
    assert selection.at(gap, 1.0)["hardest_share"] == pytest.approx(0.044, abs=0.002)
    with pytest.raises(ValueError):
        selection.expected_curve(params, strengths=(1.5,))


def test_reader_tables_show_no_code_names():
    params = SelectionParams()
    table = selection.parameter_table(params)
    cells = " ".join(table.headers) + " ".join(" ".join(map(str, row)) for row in table.rows)
    assert "Navn i koden" not in cells and "places_share" not in cells and "effect_model" not in cells
    curve = selection.expected_curve(params, strengths=(0.0, 1.0))
    variants = selection.variants_table({"Grunnversjonen": curve, "Svakt signal": curve})
    assert len(variants.rows) == 4
    assert variants.headers[0] == "Variant" and "strength" not in " ".join(variants.headers)
