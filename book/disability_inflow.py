"""Analysis 1 of chapter 2: the inflow to uføretrygd, 2015–2024, beside the AAP rule changes.

Data (both Nav statistics tables, used as published, nothing interpolated):

* ``nav_uforetrygd_tilgang`` – new recipients of uføretrygd during the year per 1 000 persons in
  the population who are not already disabled (Nav's table «Nye mottakere av uføretrygd per 1000
  ikke-ufør i befolkningen … 1.–4. kvartal 2015–2024»), whole country, all and women;
* ``nav_uforetrygd_andel`` – the age-standardised share receiving uføretrygd at 30 June (the stock),
  shown beside the inflow in the table so that flow and stock can be told apart.

The functions only reshape and average the published one-decimal figures; results are therefore
given to one decimal at most. Rule changes are drawn as dated markers, not as causes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.ticker import MultipleLocator
import pandas as pd

from . import figures, fmt

GROUPS = ("total", "women")
GROUP_NB = {"total": "Alle", "women": "Kvinner"}

#: AAP rule changes drawn on the figure: position on the year axis (annual values sit on the
#: year; a change on 1 January sits between two years) and a Norwegian label.
AAP_CHANGES: dict[float, str] = {
    2017.5: "1.1.2018: strengere\nAAP-regler",
    2022.0: "1.7.2022: karensperioden\nopphevet",
}


def inflow_table(tilgang: pd.DataFrame) -> pd.DataFrame:
    """One row per year, one column per group (``total``, ``women``), values per 1 000."""
    unknown = sorted(set(tilgang["group"]) - set(GROUPS))
    if unknown:
        raise KeyError(f"inflow_table: unknown group(s) {unknown}; known: {list(GROUPS)}")
    table = tilgang.pivot(index="year", columns="group", values="per_1000")
    missing = [g for g in GROUPS if g not in table.columns]
    if missing:
        raise KeyError(f"inflow_table: no data for group(s) {missing}")
    table = table[list(GROUPS)].sort_index().astype(float)
    table.columns.name = None
    if table.isna().any().any():
        raise ValueError("inflow_table: a year lacks a value for one of the groups")
    return table


def period_mean(series: pd.Series, first: int, last: int) -> float:
    """Plain mean of the yearly values from *first* to *last* (both included).

    Every year in the span must be present: a mean over a gap would quietly change its meaning.
    """
    if first > last:
        raise ValueError(f"period_mean: first year {first} is after last year {last}")
    wanted = list(range(first, last + 1))
    missing = [y for y in wanted if y not in series.index]
    if missing:
        raise KeyError(f"period_mean: no value for year(s) {missing}")
    return float(series.loc[wanted].mean())


def plot_inflow(table: pd.DataFrame, source: str,
                changes: Mapping[float, str] = AAP_CHANGES):
    """Inflow per 1 000 by year: one line per group (own marker and line style, direct label at
    the last year, every point's value written), with the AAP rule changes as dotted markers."""
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    styles = {"total": ("o", "-"), "women": ("s", "--")}
    years = list(table.index)
    ymax = float(table.max().max()) * 1.25
    for i, group in enumerate(GROUPS):
        color = figures.CYCLE[i]
        marker, ls = styles[group]
        ax.plot(years, table[group].to_numpy(), marker=marker, ls=ls, color=color, ms=6)
        for year, value in table[group].items():
            ax.annotate(fmt.number(value, 1), (year, value), xytext=(0, 7 if group == "women" else -13),
                        textcoords="offset points", ha="center", fontsize=8, color=color, zorder=4,
                        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"})
        ax.annotate(GROUP_NB[group], (years[-1], table[group].iloc[-1]), xytext=(12, 0),
                    textcoords="offset points", va="center", fontsize=10, color=color)
    for x, label in changes.items():
        ax.axvline(x, color=figures.GREY, ls=":", lw=1, zorder=1)
        ax.annotate(label, (x, ymax * 0.98), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="top", fontsize=8, color=figures.GREY)
    ax.set_xlim(years[0] - 0.5, years[-1] + 1.3)
    ax.set_ylim(0, ymax)
    ax.yaxis.set_major_locator(MultipleLocator(2))
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel("Nye mottakere per 1 000")
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(bottom=0.16)
    figures.source_line(fig, source)
    return fig


def combined_table(table: pd.DataFrame, stock: pd.DataFrame, caption: str):
    """Inflow (all, women) and the age-standardised stock at 30 June, year by year, so a reader
    can check every point of the figure and compare flow with stock by hand."""
    share = stock.set_index("year")["share_pct"]
    missing = sorted(set(table.index) - set(share.index))
    if missing:
        raise KeyError(f"combined_table: no stock for year(s) {missing}")
    frame = table.reset_index().rename(columns={"index": "year"})
    frame["stock"] = frame["year"].map(share)
    return figures.data_table(
        frame, caption=caption,
        columns={"year": "År", "total": "Nye per 1 000, alle", "women": "Nye per 1 000, kvinner",
                 "stock": "Andel med uføretrygd 30. juni (%)"},
        formats={"year": lambda v: str(int(v)), "total": lambda v: fmt.number(v, 1),
                 "women": lambda v: fmt.number(v, 1), "stock": lambda v: fmt.number(v, 1)},
        notes=["Kilde: Nav, statistikktabeller om uføretrygd (se «Om dataene» bakerst i boka). "
               "Nye mottakere i løpet av året per 1 000 i befolkningen som ikke allerede er uføre; "
               "andelen 30. juni er aldersstandardisert."],
    )


def changes_between(series: pd.Series, pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """Change in the published value from the first to the second year of each pair."""
    out = {}
    for a, b in pairs:
        if a not in series.index or b not in series.index:
            raise KeyError(f"changes_between: no value for {a} or {b}")
        out[(a, b)] = round(float(series.loc[b]) - float(series.loc[a]), 10)
    return out


def key_figures(table: pd.DataFrame, stock: pd.DataFrame, before: tuple[int, int] = (2015, 2017),
                after: tuple[int, int] = (2020, 2024), jump: tuple[int, int] = (2017, 2018),
                fall: tuple[int, int] = (2019, 2020)) -> dict[str, str]:
    """The numbers chapter 2 quotes, formatted Norwegian style to one decimal (the source's
    precision) or whole percent for relative changes. Keys start with ``ut_``."""
    alle, kvinner = table["total"], table["women"]
    share = stock.set_index("year")["share_pct"]
    first, last = int(alle.index.min()), int(alle.index.max())
    low = int(alle.idxmin())
    mean_before = period_mean(alle, *before)
    rise = changes_between(alle, [jump])[jump]
    rise_w = changes_between(kvinner, [jump])[jump]
    one = lambda v: fmt.number(v, 1)  # noqa: E731
    return {
        "ut_first_year": str(first), "ut_last_year": str(last),
        "ut_mean_1517": one(mean_before), "ut_mean_2024": one(period_mean(alle, *after)),
        "ut_2017": one(alle[jump[0]]), "ut_2018": one(alle[jump[1]]), "ut_2019": one(alle[fall[0]]),
        "ut_jump": one(rise), "ut_jump_w": one(rise_w),
        "ut_jump_rel": fmt.share(rise / alle[jump[0]], 0), "ut_jump_w_rel": fmt.share(rise_w / kvinner[jump[0]], 0),
        "ut_2018_over": one(alle[jump[1]] - mean_before),
        "ut_fall": one(-changes_between(alle, [fall])[fall]),
        "ut_low_year": str(low), "ut_low": one(alle[low]), "ut_last": one(alle[last]),
        "ut_w_first": one(kvinner[first]), "ut_w_2018": one(kvinner[jump[1]]), "ut_w_last": one(kvinner[last]),
        "ut_stock_first": fmt.percent(share[first]), "ut_stock_2020": fmt.percent(share[after[0]]),
        "ut_stock_last": fmt.percent(share[last]),
    }
