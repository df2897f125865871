"""book.fmt: Norwegian number formatting."""

import math

import pytest

from book import fmt

NB = "\u00a0"


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (3737, 0, f"3{NB}737"),
        (1234567.891, 2, f"1{NB}234{NB}567,89"),
        (17.34, 1, "17,3"),
        (0.5, 2, "0,50"),
        (-2.75, 1, "\u22122,8"),
        (-0.04, 1, "0,0"),  # no negative zero
        (999.96, 1, f"1{NB}000,0"),
    ],
)
def test_number(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_percent_share_pp_interval():
    assert fmt.percent(36.6) == f"36,6{NB}%"
    assert fmt.share(0.754, 0) == f"75{NB}%"
    assert fmt.pp(9.5) == f"9,5{NB}prosentpoeng"
    assert fmt.interval(1.03, 1.834) == "1,03\u20131,83"


def test_text_repr_has_no_quotes():
    """glue shows text/plain = repr(); a Norwegian number must not appear as '17,3'."""
    assert repr(fmt.number(17.3, 1)) == "17,3"


@pytest.mark.parametrize("bad", [math.nan, math.inf, None, True])
def test_rejects_non_numbers(bad):
    with pytest.raises((TypeError, ValueError)):
        fmt.number(bad)


def test_tick_formatter():
    formatter = fmt.tick_formatter(1)
    assert formatter(2500.25, 0) == f"2{NB}500,2" or formatter(2500.25, 0) == f"2{NB}500,3"
    assert formatter(0.5, 0) == "0,5"


def test_glue_all_refuses_unformatted_numbers(monkeypatch):
    glued = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda key, value, display=True: glued.update({key: value}))
    fmt.glue_all({"a": fmt.number(3737)})
    assert glued == {"a": f"3{NB}737"} and repr(glued["a"]) == f"3{NB}737"
    with pytest.raises(TypeError, match="'b'"):
        fmt.glue_all({"b": 3737})


def test_count_in_words_up_to_twelve():
    from book import fmt as f
    assert [f.count(n) for n in (0, 3, 9, 12)] == ["null", "tre", "ni", "tolv"]
    assert f.count(36) == "36" and f.count(13312) == "13\u00a0312"
    import pytest
    with pytest.raises(ValueError):
        f.count(2.5)


def test_an_exact_half_rounds_up_as_by_hand():
    """1,25 with one decimal is 1,3 on paper; Python's own formatting gives 1,2 (half to even)."""
    assert fmt.number(1.25, 1) == "1,3"
    assert fmt.number(2.5) == "3"
    assert fmt.number(3737.25, 1) == "3\u00a0737,3"
    assert fmt.number(0.1 + 0.2, 1) == "0,3"  # not a hidden half
    assert fmt.number(-1.25, 1) == "\u22121,3"
