"""Chapter 11, analysis 2: what a user survey with a low response rate can and cannot say.

Nav's annual survey of its personal users (resource ``nav_personbruker``) reports three headline
indicators as shares of those who answered: satisfied with Nav, met with respect, trust in Nav.
Only about one in ten of those invited answered. This module turns each published share into

* the share among respondents with a 95 % Wilson interval (sampling uncertainty only),
* the worst-case bounds for the share among *all invited* when nothing is assumed about those who
  did not answer (Manski bounds: every non-respondent a «no», or every one a «yes»),
* the share among all invited for a chosen share among non-respondents, and the share among
  non-respondents below which fewer than half of all invited would say «yes» (the flip point).

All of it is arithmetic on three published numbers per indicator; nothing is simulated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from . import figures, fmt

#: Norwegian labels for the indicator codes kept in the data file.
INDICATORS = {
    "tilfredshet": "Fornøyd med Nav alt i alt",
    "respekt": "Opplever å bli møtt med respekt",
    "tillit": "Har tillit til Nav",
}
#: Short labels for panel titles.
SHORT = {"tilfredshet": "Fornøyd", "respekt": "Respekt", "tillit": "Tillit"}
Z95 = 1.959963984540054


# ------------------------------------------------------------------ the arithmetic


def _share(x: float, name: str) -> float:
    x = float(x)
    if not 0 <= x <= 1 or math.isnan(x):
        raise ValueError(f"{name} must be a share between 0 and 1, got {x!r}")
    return x


def response_rate(respondents: int, invited: int) -> float:
    """Share of those invited who answered."""
    if invited <= 0 or respondents < 0:
        raise ValueError(f"need invited > 0 and respondents >= 0, got {respondents!r} of {invited!r}")
    if respondents > invited:
        raise ValueError(f"more respondents ({respondents}) than invited ({invited})")
    return respondents / invited


def wilson(share: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a share observed among *n* respondents."""
    p = _share(share, "share")
    if n <= 0:
        raise ValueError(f"n must be positive, got {n!r}")
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def overall(share: float, rate: float, nonrespondent_share: float) -> float:
    """Share among all invited if the respondents' share is *share* and the non-respondents'
    share is *nonrespondent_share*: ``rate * share + (1 - rate) * nonrespondent_share``."""
    p, r, q = _share(share, "share"), _share(rate, "rate"), _share(nonrespondent_share, "nonrespondent_share")
    return r * p + (1 - r) * q


def bounds(share: float, rate: float) -> tuple[float, float]:
    """Worst-case (Manski) bounds for the share among all invited: no non-respondent says «yes»,
    or every one does."""
    return overall(share, rate, 0.0), overall(share, rate, 1.0)


def flip_point(share: float, rate: float, threshold: float = 0.5) -> float | None:
    """The share among non-respondents at which the share among all invited equals *threshold*
    (below it, fewer than *threshold* of all invited say «yes»). ``None`` if no share between
    0 and 1 gets there."""
    p, r, t = _share(share, "share"), _share(rate, "rate"), _share(threshold, "threshold")
    if r == 1:
        return None
    q = (t - r * p) / (1 - r)
    return q if 0 <= q <= 1 else None


@dataclass(frozen=True)
class Indicator:
    """One published indicator and what follows from it."""

    indicator: str
    label: str
    share: float
    respondents: int
    invited: int
    rate: float
    ci_low: float
    ci_high: float
    lower: float
    upper: float
    flip: float | None


def indicators(frame: pd.DataFrame, year: int | None = None) -> list[Indicator]:
    """The computed quantities for every indicator of one survey year (the latest if *year* is None),
    in the order of :data:`INDICATORS`."""
    missing = [c for c in ("indicator", "year", "share", "respondents", "invited") if c not in frame.columns]
    if missing:
        raise KeyError(f"survey: missing column(s) {missing}")
    year = int(frame["year"].max()) if year is None else year
    rows = frame[frame["year"] == year].set_index("indicator")
    if rows.empty:
        raise KeyError(f"survey: no rows for {year}")
    out = []
    for code in [c for c in INDICATORS if c in rows.index]:
        row = rows.loc[code]
        n, invited = int(row["respondents"]), int(row["invited"])
        p, r = float(row["share"]) / 100, response_rate(n, invited)
        low, high = wilson(p, n)
        lower, upper = bounds(p, r)
        out.append(Indicator(code, INDICATORS[code], p, n, invited, r, low, high, lower, upper, flip_point(p, r)))
    return out


# ------------------------------------------------------------------ figure and tables


def plot_bounds(items: list[Indicator], source: str, example: str = "respekt"):
    """Two panels. a) Per indicator: the respondents' share with its 95 % interval (a marker with
    whiskers narrower than the marker) and the worst-case span for all invited (a grey bar).
    b) For one indicator (*example*): the share among all invited as a function of the
    non-respondents' share, with the 50 % line, the flip point (hollow) and the case of no
    difference between respondents and non-respondents (filled)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 4.3), gridspec_kw={"width_ratios": [1.2, 1]})
    colours = [figures.PALETTE["blue"], figures.PALETTE["vermillion"], figures.PALETTE["green"]]
    markers = ["o", "s", "^"]
    y = np.arange(len(items))[::-1].astype(float)
    for yi, item, colour, marker in zip(y, items, colours, markers):
        left.plot([100 * item.lower, 100 * item.upper], [yi, yi], lw=9, color="#D9D9D9", solid_capstyle="butt")
        left.errorbar(100 * item.share, yi, xerr=[[100 * (item.share - item.ci_low)], [100 * (item.ci_high - item.share)]],
                      fmt=marker, ms=8, color=colour, capsize=3)
        left.annotate(fmt.percent(100 * item.share, 0), (100 * item.share, yi), xytext=(0, 9),
                      textcoords="offset points", ha="center", fontsize=9, color=colour)
    left.set_yticks(y, [_wrap(i.label, 18) for i in items])
    left.set_xlim(0, 100)
    left.set_ylim(-0.7, len(items) - 0.3)
    left.set_xlabel("Andel positive svar (prosent)")
    left.set_title("a) Svarerne og alle inviterte", fontsize=10.5, loc="left")
    figures.norwegian_axis(left, "x")
    handles = [Line2D([], [], color=figures.GREY, marker="o", ls="", label="Andel blant svarerne (95 % KI)"),
               Line2D([], [], color="#D9D9D9", lw=8, label="Mulig spenn for alle inviterte")]
    left.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, 1.3), frameon=False, fontsize=8.5)

    pick = {i.indicator: (i, c, m) for i, c, m in zip(items, colours, markers)}
    item, colour, marker = pick.get(example, (items[0], colours[0], markers[0]))
    q = np.linspace(0, 1, 101)
    right.plot(100 * q, [100 * overall(item.share, item.rate, v) for v in q], color=colour, lw=1.8)
    right.axhline(50, color=figures.GREY, lw=0.9, ls=":")
    if item.flip is not None:
        right.plot(100 * item.flip, 50, marker=marker, color=colour, ms=8, markerfacecolor="white",
                   markeredgewidth=1.6)
        right.annotate(f"Vippepunkt\n{fmt.share(item.flip, 0)}", (100 * item.flip, 50), xytext=(8, -24),
                       textcoords="offset points", fontsize=8.5, color=colour)
    right.plot(100 * item.share, 100 * item.share, marker=marker, color=colour, ms=8)
    right.annotate("Ingen forskjell", (100 * item.share, 100 * item.share), xytext=(-8, 6),
                   textcoords="offset points", ha="right", fontsize=8.5, color=colour)
    right.set_xlim(0, 100)
    right.set_ylim(0, 100)
    right.set_xlabel("Andel positive blant dem som ikke svarte (%)")
    right.set_ylabel("Andel positive blant alle inviterte (%)")
    right.set_title(f"b) {SHORT[item.indicator]} blant alle inviterte", fontsize=10.5, loc="left")
    figures.norwegian_axis(right, "x")
    figures.norwegian_axis(right, "y")
    fig.subplots_adjust(left=0.19, right=0.98, bottom=0.2, top=0.8, wspace=0.4)
    figures.source_line(fig, source)
    return fig


def bounds_table(items: list[Indicator], caption: str):
    """The numbers behind :func:`plot_bounds`, one row per indicator."""
    frame = pd.DataFrame({
        "label": [i.label for i in items],
        "share": [fmt.share(i.share, 0) for i in items],
        "ci": [fmt.interval(100 * i.ci_low, 100 * i.ci_high, 0) + "\u00a0%" for i in items],
        "bounds": [fmt.interval(100 * i.lower, 100 * i.upper, 0) + "\u00a0%" for i in items],
        "flip": [fmt.share(i.flip, 0) if i.flip is not None else "–" for i in items],
    })
    first = items[0]
    return figures.data_table(
        frame, caption=caption,
        columns={"label": "Indikator", "share": "Andel av svarerne", "ci": "95 % KI (svarerne)",
                 "bounds": "Mulig spenn, alle inviterte", "flip": "Vippepunkt blant ikke-svarerne"},
        notes=[f"{fmt.number(first.respondents)} av {fmt.number(first.invited)} inviterte svarte "
               f"({fmt.share(first.rate)}). Mulig spenn: fra «ingen av dem som ikke svarte, svarer positivt» "
               "til «alle gjør det». Vippepunkt: andelen positive blant dem som ikke svarte, der andelen "
               "blant alle inviterte blir 50 %. Nav oppgir andelene i hele prosent; konfidensintervallet er "
               "regnet som for et enkelt tilfeldig utvalg uten vekting."],
    )


def scenario_table(items: list[Indicator], gaps: tuple[float, ...], caption: str):
    """Share among all invited if non-respondents are *gap* percentage points less positive than
    respondents (0 = no difference), one column per gap."""
    frame = pd.DataFrame({"label": [i.label for i in items]})
    columns = {"label": "Indikator"}
    for gap in gaps:
        key = f"g{gap:g}"
        frame[key] = [fmt.share(overall(i.share, i.rate, max(i.share - gap / 100, 0.0)), 0) for i in items]
        columns[key] = "Ingen forskjell" if gap == 0 else f"{fmt.number(gap)} poeng lavere"
    return figures.data_table(
        frame, caption=caption, columns=columns,
        notes=["Kolonnene viser andelen positive blant alle inviterte hvis de som ikke svarte, har en andel "
               "positive som er så mange prosentpoeng lavere enn svarernes. Regneeksempel, ikke målte tall."],
    )


def prose_numbers(items: list[Indicator]) -> dict[str, str]:
    """The numbers the chapter quotes in its prose, formatted the Norwegian way (for ``glue``).
    The worked example is the «respekt» indicator; the scenarios take non-respondents to be 20 or
    30 percentage points less positive than respondents."""
    by = {i.indicator: i for i in items}
    missing = {"respekt", "tillit"} - set(by)
    if missing:
        raise KeyError(f"prose_numbers: missing indicator(s) {sorted(missing)}")
    r, t = by["respekt"], by["tillit"]

    def lower_by(item: Indicator, gap: float) -> float:
        return overall(item.share, item.rate, max(item.share - gap, 0.0))

    flips = [i.flip for i in items if i.flip is not None]
    return {
        "pb_invited": fmt.number(r.invited), "pb_resp": fmt.number(r.respondents),
        "pb_rate": fmt.share(r.rate), "pb_rate_dec": fmt.number(r.rate, 3),
        "pb_nonrate_dec": fmt.number(1 - r.rate, 3),
        **{f"pb_{k}": fmt.share(v.share, 0) for k, v in by.items()},
        "pb_ci_max": fmt.number(100 * max(max(i.ci_high - i.share, i.share - i.ci_low) for i in items), 1),
        "pb_respekt_low": fmt.share(r.lower, 0), "pb_respekt_high": fmt.share(r.upper, 0),
        "pb_respekt_low_dec": fmt.number(r.lower, 3),
        "pb_respekt_flip": fmt.share(r.flip, 0),
        "pb_respekt_gap": fmt.number(100 * (r.share - r.flip), 0),
        "pb_flip_min": fmt.share(min(flips), 1), "pb_flip_max": fmt.share(max(flips), 1),
        "pb_respekt_minus20": fmt.share(lower_by(r, 0.20), 0),
        "pb_tillit_minus20": fmt.share(lower_by(t, 0.20), 0),
        "pb_tillit_minus30": fmt.share(lower_by(t, 0.30), 0),
    }


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
