"""Norwegian number formatting for prose (via MyST-NB ``glue``), tables and figure axes.

Norwegian conventions (Språkrådet): decimal comma (17,3), a space as thousands separator
(3 737), a space before the percent sign (17,3 %), the minus sign (−) for negatives and an
en dash for ranges (1,03–1,83). The spaces are no-break spaces, so a number never splits
across lines.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from collections.abc import Mapping
from numbers import Real

NBSP = "\u00a0"
MINUS = "\u2212"
DASH = "\u2013"


class Text(str):
    """A string whose repr is itself, so ``glue`` shows it without quotes."""

    def __repr__(self) -> str:
        return str(self)


def _check(x: Real) -> float:
    if x is None or isinstance(x, bool):
        raise TypeError(f"expected a number, got {x!r}")
    value = float(x)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"cannot format {x!r} as a Norwegian number")
    return value


def number(x: Real, decimals: int = 0) -> Text:
    """Format *x* the Norwegian way: ``number(3737.25, 1) == '3 737,3'`` (no-break spaces)."""
    value = _check(x)
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    # Half up, as Norwegian readers round by hand (Python's own formatting rounds an exact half to
    # even: 1.25 -> "1.2"); the shortest repr keeps 0.1 + 0.2 from turning into a hidden half.
    rounded = Decimal(repr(abs(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # avoid "−0"
        value = 0.0
    text = text.replace(",", NBSP).replace(".", ",")
    return Text((MINUS if value < 0 else "") + text)


_WORDS = ("null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv")


def count(x: Real) -> Text:
    """A whole count for running text: in words up to twelve (Språkrådet), digits above:
    ``count(9) == 'ni'``, ``count(36) == '36'``. «én» carries its accent to tell it from «en»."""
    value = _check(x)
    if not value.is_integer() or value < 0:
        raise ValueError(f"count: expected a whole number >= 0, got {x!r}")
    return Text(_WORDS[int(value)]) if value <= 12 else number(value)


def percent(x: Real, decimals: int = 1) -> Text:
    """Percent with a space before the sign: ``percent(36.6) == '36,6 %'``. *x* is already in percent."""
    return Text(number(x, decimals) + NBSP + "%")


def share(x: Real, decimals: int = 1) -> Text:
    """A proportion 0–1 as percent: ``share(0.366) == '36,6 %'``."""
    return percent(_check(x) * 100, decimals)


def pp(x: Real, decimals: int = 1) -> Text:
    """A difference of percentages: ``pp(9.5) == '9,5 prosentpoeng'``."""
    return Text(number(x, decimals) + NBSP + "prosentpoeng")


def interval(low: Real, high: Real, decimals: int = 2) -> Text:
    """A range with an en dash: ``interval(1.03, 1.83) == '1,03–1,83'``."""
    return Text(number(low, decimals) + DASH + number(high, decimals))


def tick_formatter(decimals: int = 0):
    """A matplotlib tick formatter that prints Norwegian numbers."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: number(x, decimals))


GLUED: dict[str, str] = {}
"""Every value glued in this Python session, by key (also outside the book's build)."""


def glue_all(values: Mapping[str, str]) -> None:
    """Glue every formatted value under its key, for use in the prose as ``{glue}`key```.

    Values must already be formatted text (from the functions above), so the prose never
    shows an unformatted number. Each value is also kept in :data:`GLUED`. Outside the book's
    build (a student's notebook without MyST-NB) nothing else happens: the notebook's text
    already holds the values the book printed.
    """
    for key, value in values.items():
        if not isinstance(value, str):
            raise TypeError(f"glue_all: value for {key!r} is {type(value).__name__}, not formatted text")
    GLUED.update(values)
    try:
        from myst_nb import glue
    except ImportError:
        return
    for key, value in values.items():
        glue(key, Text(value), display=False)
