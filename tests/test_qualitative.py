"""book.qualitative and the chapter 11 teaching datasets: small hand-checkable inputs, the real files'
internal consistency, and bad input that fails with a clear error."""


import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest

from book import data
from book import qualitative as q
from book.data import DataError
from conftest import package_with

CODEBOOK = pd.DataFrame({
    "code": ["X", "Y", "Z"],
    "label": ["Iks", "Ypsilon", "Zeta"],
    "theme": ["t1", "t1", "t2"],
    "theme_label": ["Tema 1", "Tema 1", "Tema 2"],
    "definition": ["a" * 20] * 3,
})


def toy_coding(pairs):
    """One statement per (coder 1, coder 2) pair."""
    return pd.DataFrame({
        "statement_id": [f"S{i:02d}" for i in range(len(pairs))],
        "text": ["…"] * len(pairs),
        "code_coder1": [a for a, _ in pairs],
        "code_coder2": [b for _, b in pairs],
    })


def test_kappa_by_hand():
    # 2 x 2 table [[10, 2], [3, 5]]: p_o = 15/20 = 0.75; margins 12/8 and 13/7,
    # p_e = (12*13 + 8*7) / 400 = 0.53; kappa = (0.75 - 0.53) / (1 - 0.53) = 0.22 / 0.47.
    coding = toy_coding([("X", "X")] * 10 + [("X", "Y")] * 2 + [("Y", "X")] * 3 + [("Y", "Y")] * 5)
    result = q.agreement(coding, CODEBOOK)
    assert result.n == 20 and result.n_agree == 15
    assert result.observed == pytest.approx(0.75)
    assert result.expected == pytest.approx(0.53)
    assert result.kappa == pytest.approx(0.22 / 0.47)
    assert result.ci_low < result.kappa < result.ci_high <= 1


def test_perfect_agreement_is_one_and_interval_is_cut_at_one():
    coding = toy_coding([("X", "X"), ("Y", "Y"), ("Z", "Z"), ("X", "X")])
    result = q.agreement(coding, CODEBOOK)
    assert result.kappa == pytest.approx(1.0)
    assert result.ci_high == 1.0


def test_agreement_no_better_than_chance_is_zero():
    # Coder 1 says X for half, Y for half; coder 2 agrees on exactly half of each: p_o = p_e = 0.5.
    coding = toy_coding([("X", "X"), ("X", "Y"), ("Y", "X"), ("Y", "Y")])
    assert q.agreement(coding, CODEBOOK).kappa == pytest.approx(0.0)


def test_high_agreement_low_kappa_by_hand():
    # 100 statements, "power" or not: both coders say no to 90; p_o = 0.92,
    # p_e = (94*94 + 6*6) / 100**2 = 0.8872, kappa = 0.0328 / 0.1128.
    result = q.agreement_from_table([[90, 4], [4, 2]])
    assert result.observed == pytest.approx(0.92)
    assert result.expected == pytest.approx(0.8872)
    assert result.kappa == pytest.approx(0.0328 / 0.1128)
    with pytest.raises(ValueError, match="square"):
        q.agreement_from_table([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="negative"):
        q.agreement_from_table([[1, -1], [0, 2]])


def test_one_category_for_everything_is_refused():
    with pytest.raises(ValueError, match="undefined"):
        q.agreement(toy_coding([("X", "X"), ("X", "X")]), CODEBOOK)


def test_table_keeps_unused_codes_and_theme_level_merges():
    coding = toy_coding([("X", "Y"), ("Y", "Y"), ("Z", "Z")])
    table = q.agreement_table(coding, CODEBOOK)
    assert list(table.index) == ["X", "Y", "Z"] and list(table.columns) == ["X", "Y", "Z"]
    assert table.loc["X", "Y"] == 1 and table.loc["X", "X"] == 0 and int(table.to_numpy().sum()) == 3
    themes = q.agreement_table(coding, CODEBOOK, level="theme")
    assert themes.loc["t1", "t1"] == 2 and themes.loc["t2", "t2"] == 1
    # X and Y are different codes but the same theme: the disagreement disappears at theme level
    assert q.agreement(coding, CODEBOOK, level="theme").observed == pytest.approx(1.0)


def test_frequencies_by_hand():
    coding = toy_coding([("X", "Y"), ("X", "X"), ("Z", "Z")])
    freq = q.frequencies(coding, CODEBOOK)
    assert freq["code_coder1"].tolist() == [2, 0, 1]
    assert freq["code_coder2"].tolist() == [1, 1, 1]
    assert freq["label"].tolist() == ["Iks", "Ypsilon", "Zeta"]
    themes = q.frequencies(coding, CODEBOOK, level="theme")
    assert themes["code_coder1"].tolist() == [2, 1] and themes["label"].tolist() == ["Tema 1", "Tema 2"]


def test_disagreements_name_the_statements():
    coding = toy_coding([("X", "Y"), ("X", "X"), ("Y", "Z")])
    out = q.disagreements(coding, CODEBOOK)
    assert out["statement_id"].tolist() == ["S00", "S02"]
    assert out["same_theme"].tolist() == [True, False]
    assert out.loc[0, "coder2"] == "Ypsilon"


def test_unknown_code_and_level_are_refused():
    with pytest.raises(ValueError, match=r"S01.*'W'"):
        q.agreement(toy_coding([("X", "X"), ("W", "X")]), CODEBOOK)
    with pytest.raises(ValueError, match="level"):
        q.frequencies(toy_coding([("X", "X")]), CODEBOOK, level="category")
    with pytest.raises(KeyError, match="S99"):
        q.statements_table(toy_coding([("X", "X")]), CODEBOOK, ["S99"], "t")


# ---------------------------------------------------------------- the book's constructed and real data


def test_constructed_coding_as_designed():
    coding, codebook = data.load("vignette_coding"), data.load("vignette_codebook")
    assert len(coding) == 36 and set(coding["group"]) == {"A", "B", "C"}
    q.check_coding(coding, codebook)
    # eight statements were written with two different codes, five of them within one theme
    out = q.disagreements(coding, codebook)
    assert out["statement_id"].tolist() == ["A08", "A09", "A11", "B01", "B12", "C07", "C08", "C10"]
    assert int(out["same_theme"].sum()) == 5
    assert q.agreement(coding, codebook).n_agree == 28
    assert q.agreement(coding, codebook, level="theme").n_agree == 33
    assert "konstruerte undervisningsdata" in data.provenance("vignette_coding")["sources"][0]["title"]
    assert any("CONSTRUCTED" in c for c in data.provenance("vignette_coding")["caveats"])


def test_plots_return_figures():
    coding, codebook = data.load("vignette_coding"), data.load("vignette_codebook")
    assert q.plot_frequencies(q.frequencies(coding, codebook), "test").axes
    assert q.plot_agreement(q.agreement_table(coding, codebook), codebook, "test").axes
    table = q.agreement_data_table(q.agreement_table(coding, codebook), codebook, "t")
    # nine codes plus a total row; a label column, nine codes and a total column
    assert len(table.rows) == 10 and len(table.headers) == 11
    assert "ANERK" not in " ".join(table.headers)  # short Norwegian names, not data codes


def test_agreement_table_totals_allow_kappa_by_hand():
    # rows X: (X,X),(X,Y) -> 2; Y: (Y,Y) -> 1; Z: (Z,Z),(Z,Z) -> 2; columns X 1, Y 2, Z 2
    coding = toy_coding([("X", "X"), ("X", "Y"), ("Y", "Y"), ("Z", "Z"), ("Z", "Z")])
    table = q.agreement_data_table(q.agreement_table(coding, CODEBOOK), CODEBOOK, "t")
    assert table.headers == ["Første koder (rad) / andre koder (kolonne)", "Iks", "Ypsilon", "Zeta", "Sum"]
    assert table.rows[0] == ["Iks", "1", "1", "0", "2"]
    assert table.rows[-1] == ["Sum", "1", "2", "2", "5"]
    # p_e from the printed totals: (2*1 + 1*2 + 2*2) / 25 = 8/25
    assert q.agreement(coding, CODEBOOK).expected == pytest.approx(8 / 25)


def test_disagreements_table_shows_both_codes_and_theme():
    coding = toy_coding([("X", "Y"), ("X", "X"), ("Y", "Z")])
    table = q.disagreements_table(q.disagreements(coding, CODEBOOK), "t")
    assert table.rows == [["S00", "«…»", "Iks", "Ypsilon", "ja"], ["S02", "«…»", "Ypsilon", "Zeta", "nei"]]
    with pytest.raises(KeyError, match="text"):
        q.disagreements_table(pd.DataFrame({"statement_id": ["S00"]}), "t")


def test_exercise_changes_by_hand():
    """The two changes exercise 11.3 asks for, from the agreement table by hand.

    Table margins (rows / columns): 4,4,4,5,4,4,3,4,4 / 4,6,4,4,4,3,4,4,3, so sum of products 144.
    A09 to STARTE: diagonal 29; TILLIT column 6 -> 5 and STARTE column 4 -> 5, both rows 4, so the sum
    stays 144: kappa = (29*36 - 144) / (36**2 - 144) = 900/1152.
    MAKT merged into SYSTEM: diagonal 2 + 3 + 1 (C07) = 6 replaces 5, so 29; merged margins 7 and 8
    replace 3*4 + 4*4 = 28 by 56, sum 172: kappa = (29*36 - 172) / (1296 - 172) = 872/1124.
    """
    coding, codebook = data.load("vignette_coding"), data.load("vignette_codebook")
    a09 = coding.assign(code_coder2=coding["code_coder2"].where(coding["statement_id"] != "A09", "STARTE"))
    result = q.agreement(a09, codebook)
    assert result.n_agree == 29 and result.expected == pytest.approx(144 / 1296)
    assert result.kappa == pytest.approx(900 / 1152)
    merged = coding.replace({"code_coder1": {"MAKT": "SYSTEM"}, "code_coder2": {"MAKT": "SYSTEM"}})
    result = q.agreement(merged, codebook[codebook["code"] != "MAKT"])
    assert result.n_agree == 29 and result.expected == pytest.approx(172 / 1296)
    assert result.kappa == pytest.approx(872 / 1124)


@pytest.mark.parametrize("resource, row, column", [
    ("vignette_coding", "A01,A,Et konstruert utsagn som er langt nok.,EMPATI,STARTE\n", "code_coder1"),
    ("vignette_coding", "D01,A,Et konstruert utsagn som er langt nok.,MAKT,MAKT\n", "statement_id"),
    ("vignette_codebook", "ANERK,Anerkjennelse,relasjonen,Møtet,En definisjon som er lang nok.\n", "theme"),
])
def test_bad_rows_are_refused_with_column_named(tmp_path, resource, row, column):
    with pytest.raises(DataError, match=rf"column '{column}'"):
        data.load(resource, package_with(tmp_path, resource, row, header=True))


def test_codebook_table_shows_every_definition():
    table = q.codebook_table(CODEBOOK, caption="Kodeboka")
    assert len(table.rows) == len(CODEBOOK)
    assert table.rows[0] == ["Tema 1", "Iks", "a" * 20]
    with pytest.raises(KeyError, match="definition"):
        q.codebook_table(CODEBOOK.drop(columns="definition"), caption="Kodeboka")


def test_two_by_two_table_totals():
    table = q.two_by_two_table([[90, 4], [4, 2]], ["Ikke makt", "Makt"], caption="T", note="N")
    assert table.rows[-1] == ["Sum", "94", "6", "100"]
    assert table.rows[0][-1] == "94"
    with pytest.raises(ValueError, match="2 × 2"):
        q.two_by_two_table([[1, 2, 3]], ["a", "b"], caption="T", note="N")


def test_paradox_numbers_by_hand():
    # [[90, 4], [4, 2]]: p_o = 0.92; p_e = (94*94 + 6*6) / 10000 = 0.8872; kappa = 0.0328/0.1128 = 0.29
    nums = q.paradox_numbers([[90, 4], [4, 2]])
    assert nums["par_p_o"] == "92,0\u00a0%" and nums["par_p_e"] == "88,7\u00a0%"
    assert nums["par_kappa"] == "0,29" and nums["par_each"] == "fire" and nums["par_dis"] == "åtte"
    assert (nums["par_rows_no"], nums["par_cols_yes"]) == ("94", "6")
