"""book.simulation: seeded generators, parameter tables and the «Simulering» mark."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from book import simulation


def test_rng_is_seeded_and_repeatable():
    a = simulation.rng(7).random(5)
    b = simulation.rng(7).random(5)
    c = simulation.rng(8).random(5)
    assert (a == b).all() and not (a == c).all()


@pytest.mark.parametrize("seed", [1.5, "1", None, True])
def test_rng_refuses_non_integer_seeds(seed):
    with pytest.raises(TypeError):
        simulation.rng(seed)


def test_parameter_table_is_norwegian_and_states_the_basis():
    html = simulation.parameter_table(
        {"dropout": simulation.Parameter(0.25, "Frafall per trinn", "antakelse"),
         "steps": simulation.Parameter(3, "Antall trinn", "antakelse"),
         "n": simulation.Parameter(10000, "Deltakere", "antakelse")},
        caption="Forutsetninger",
    ).data
    assert "<caption>Forutsetninger</caption>" in html
    assert "0,25" in html and "10\u00a0000" in html and "Grunnlag" in html and "antakelse" in html


def test_parameter_table_can_leave_out_the_code_names():
    params = {"dropout_rate": simulation.Parameter(0.25, "Frafall per trinn", "antakelse")}
    with_names = simulation.parameter_table(params, caption="F").data
    without = simulation.parameter_table(params, caption="F", names=False).data
    assert "dropout_rate" in with_names and "Navn i koden" in with_names
    assert "dropout_rate" not in without and "Navn i koden" not in without
    assert without.count('<th scope="col">') == 3 and "Frafall per trinn" in without


def test_parameter_table_needs_parameters():
    with pytest.raises(ValueError):
        simulation.parameter_table({}, caption="x")
    with pytest.raises(TypeError):
        simulation.parameter_table({"a": 0.5}, caption="x")


def test_mark_figure_writes_the_label():
    fig, _ = plt.subplots()
    simulation.mark_figure(fig)
    assert any(t.get_text() == "Simulering – ikke data" for t in fig.texts)
    plt.close(fig)


def test_parameter_table_keeps_the_decimals_a_value_has():
    html = simulation.parameter_table(
        {"a": simulation.Parameter(0.271, "A", "kilde"), "b": simulation.Parameter(0.005, "B", "antakelse"),
         "c": simulation.Parameter(1 / 3, "C", "antakelse")}, caption="x").data
    assert "0,271" in html and "0,005" in html and "0,3333" in html


def test_parameter_table_can_leave_out_the_code_names():
    params = {"caseload": simulation.Parameter(90, "Brukere per veileder", "kilde")}
    with_names = simulation.parameter_table(params, caption="x")._repr_html_()
    without = simulation.parameter_table(params, caption="x", names=False)._repr_html_()
    assert "Navn i koden" in with_names and "caseload" in with_names
    assert "Navn i koden" not in without and "caseload" not in without
    assert "Brukere per veileder" in without and "90" in without
