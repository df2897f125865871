"""Analyses for chapter 2: who receives economic social assistance, by age, and the
qualification programme (kvalifiseringsprogrammet, KVP) against its estimated need.

Three published sources, each used as published (nothing interpolated or read off a chart):

* ``norway_stats`` indicator ``sosialhjelp_stonadstilfelle`` – SSB's *cases* (stønadstilfelle)
  by age group, 2000–2008 (counts, not rates);
* ``sosialhjelp_rate_by_age`` – SSB's *recipients* by age group, as persons and per 1 000
  inhabitants, 2005, 2007 and 2009;
* ``kvp_participants`` – the Ministry's figures for KVP in Prop. 12 L (2018–2019).

Counts and rates answer different questions: a wide age band (30–39) can hold many cases and
still a lower share of its age group than a narrow band (20–24). The functions keep the two apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from . import figures, fmt, stats

CASE_INDICATOR = "sosialhjelp_stonadstilfelle"
CASE_GROUPS = ["-19", "20-24", "25-29", "30-39", "40-49", "50-66", "67+"]
ADULT_GROUPS = ["20-24", "25-29", "30-39", "40-49", "50-59", "60-66"]
UNDER_30 = ["-19", "20-24", "25-29"]
AGE_NB = {
    "-19": "under 20 år", "20-24": "20–24 år", "25-29": "25–29 år", "30-39": "30–39 år",
    "40-49": "40–49 år", "50-59": "50–59 år", "50-66": "50–66 år", "60-66": "60–66 år",
    "67+": "67 år og eldre", "total": "alle aldre",
}
KVP_LABELS = {
    "estimated_need_at_introduction": "Beregnet behov ved innføringen",
    "participants_end_of_year": "Deltakere ved utgangen av {year}",
    "expected_annual_inflow_at_introduction": "Forventet tilgang av nye deltakere per år",
}
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-."]


def age_label(group: str) -> str:
    """Norwegian label for an SSB age group: ``'20-24'`` → ``'20–24 år'``."""
    if group not in AGE_NB:
        raise KeyError(f"unknown age group {group!r}; known: {sorted(AGE_NB)}")
    return AGE_NB[group]


# ------------------------------------------------------------------ cases 2000–2008 (counts)

def cases_by_age(norway_stats: pd.DataFrame, years: tuple[int, int] = (2000, 2008)) -> pd.DataFrame:
    """SSB's cases by age group, one row per year and one column per group (plus ``total``)."""
    rows = stats.indicator(norway_stats, CASE_INDICATOR, groups=[*CASE_GROUPS, "total"], years=years)
    return stats.wide(rows, order=[*CASE_GROUPS, "total"])


def share_of_total(table: pd.DataFrame, groups: Sequence[str]) -> pd.Series:
    """Share (0–1) of the ``total`` column made up by *groups*, year by year."""
    missing = [g for g in [*groups, "total"] if g not in table.columns]
    if missing:
        raise KeyError(f"share_of_total: no column(s) {missing}")
    return table[list(groups)].sum(axis=1) / table["total"]


def _spread(values: Sequence[float], min_gap: float) -> list[float]:
    """Label positions close to *values* but at least *min_gap* apart (order kept)."""
    order = np.argsort(values)
    placed: dict[int, float] = {}
    previous = -np.inf
    for i in order:
        y = max(values[i], previous + min_gap)
        placed[int(i)] = y
        previous = y
    return [placed[i] for i in range(len(values))]


def plot_cases_by_age(table: pd.DataFrame, source: str):
    """Cases by age group per year: a line per group with its own marker and line style and a
    direct label at 2008, labels nudged apart so none overlap."""
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    groups = [g for g in CASE_GROUPS if g in table.columns]
    last = [float(table[g].dropna().iloc[-1]) for g in groups]
    ymax = float(table[groups].max().max()) * 1.1
    positions = _spread(last, min_gap=ymax * 0.045)
    for i, group in enumerate(groups):
        series = table[group].dropna()
        color = figures.CYCLE[i % len(figures.CYCLE)]
        ax.plot(series.index, series.values, marker=MARKERS[i], ms=5, ls=LINESTYLES[i], color=color)
        ax.annotate(age_label(group), (series.index[-1], series.values[-1]),
                    xytext=(series.index[-1] + 0.25, positions[i]), textcoords="data",
                    va="center", fontsize=9, color=color)
    ax.set_ylim(0, ymax)
    ax.set_ylabel("Stønadstilfeller i løpet av året")
    figures.norwegian_axis(ax, "y")
    figures.year_axis(ax)
    fig.subplots_adjust(right=0.8, bottom=0.16)
    figures.source_line(fig, source)
    return fig


def cases_table(table: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_cases_by_age` (whole numbers, Norwegian headers)."""
    labels = {g: age_label(g).capitalize() for g in [*CASE_GROUPS, "total"] if g in table.columns}
    labels["total"] = "I alt"
    return stats.table_html(table, caption, labels, decimals=0)


# ------------------------------------------------------------------ recipients per 1 000, by age

def rate_profile(rates: pd.DataFrame, years: Sequence[int], groups: Sequence[str] = ADULT_GROUPS,
                 column: str = "rate_per_1000") -> pd.DataFrame:
    """One row per age group (in *groups* order), one column per year, values from *column*."""
    if column not in ("rate_per_1000", "recipients"):
        raise ValueError(f"column must be 'rate_per_1000' or 'recipients', got {column!r}")
    chosen = rates[rates["year"].isin(list(years)) & rates["age_group"].isin(list(groups))]
    table = chosen.pivot(index="age_group", columns="year", values=column)
    missing_years = sorted(set(years) - set(table.columns))
    missing_groups = sorted(set(groups) - set(table.index))
    if missing_years or missing_groups:
        raise KeyError(f"rate_profile: no data for years {missing_years} / groups {missing_groups}")
    table = table.loc[list(groups), list(years)].astype(float)
    table.columns.name = None
    return table


def plot_rate_profile(profile: pd.DataFrame, source: str, total: tuple[int, float] | None = None):
    """Recipients per 1 000 inhabitants by age group: one line per year (own marker, line style,
    direct label, labels nudged apart); optionally a dotted reference line for all ages
    (*total* = (year, rate))."""
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    x = np.arange(len(profile.index))
    first = [float(profile[year].iloc[0]) for year in profile.columns]
    ymax = float(profile.max().max()) * 1.12
    positions = _spread(first, min_gap=ymax * 0.05)
    for i, year in enumerate(profile.columns):
        color = figures.CYCLE[i % len(figures.CYCLE)]
        ax.plot(x, profile[year].to_numpy(), marker=MARKERS[i], ms=6, ls=LINESTYLES[i], color=color)
        ax.annotate(str(year), (x[0], first[i]), xytext=(x[0] - 0.15, positions[i]), textcoords="data",
                    ha="right", va="center", fontsize=9, color=color)
    if total is not None:
        year, value = total
        ax.axhline(value, color=figures.GREY, ls=":", lw=1)
        ax.annotate(f"Alle aldre, {year}: {fmt.number(value)}", (x[0], value), xytext=(0, 4),
                    textcoords="offset points", ha="left", fontsize=9, color=figures.GREY)
    ax.set_xticks(x, [age_label(g) for g in profile.index])
    ax.set_xlim(-0.9, len(x) - 0.6)
    ax.set_ylim(0, ymax)
    ax.set_ylabel("Mottakere per 1 000 innbyggere")
    ax.set_xlabel("Aldersgruppe")
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(bottom=0.2)
    figures.source_line(fig, source)
    return fig


def rate_table(rates: pd.DataFrame, years: Sequence[int], caption: str):
    """Recipients and rate per 1 000 for every age group and year (including the groups the
    figure leaves out), so a reader can check every point."""
    order = ["-19", *ADULT_GROUPS, "67+", "total"]
    chosen = rates[rates["year"].isin(list(years))].copy()
    chosen["order"] = chosen["age_group"].map({g: i for i, g in enumerate(order)})
    chosen = chosen.sort_values(["order", "year"])
    chosen["label"] = chosen["age_group"].map(lambda g: age_label(g).capitalize())
    return figures.data_table(
        chosen, caption=caption,
        columns={"label": "Aldersgruppe", "year": "År", "recipients": "Mottakere",
                 "rate_per_1000": "Per 1 000 innbyggere"},
        formats={"year": lambda v: str(int(v)), "recipients": lambda v: fmt.number(v),
                 "rate_per_1000": lambda v: fmt.number(v)},
        notes=["Kilde: SSB, tabeller over sosialhjelpsmottakere etter alder (se data/datapackage.json)."],
    )


# ------------------------------------------------------------------ the qualification programme

def kvp_rows(kvp: pd.DataFrame) -> pd.DataFrame:
    """The KVP figures with a Norwegian label each, in reading order (need, then participants)."""
    wanted = kvp[kvp["measure"].isin(["estimated_need_at_introduction", "participants_end_of_year"])].copy()
    if wanted.empty:
        raise KeyError("kvp_rows: no estimated need or participants in the data")
    wanted["order"] = wanted["measure"].map({"estimated_need_at_introduction": 0, "participants_end_of_year": 1})
    wanted = wanted.sort_values(["order", "year"]).reset_index(drop=True)
    wanted["label"] = [
        KVP_LABELS[m].format(year=int(y) if pd.notna(y) else "")
        for m, y in zip(wanted["measure"], wanted["year"])
    ]
    return wanted


def plot_kvp(rows: pd.DataFrame, source: str):
    """Horizontal bars: the estimated need and the participants at two year-ends. The estimate is
    hatched, approximate numbers carry «i underkant av», and every bar has its number written."""
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    y = np.arange(len(rows))[::-1]
    for yi, (_, row) in zip(y, rows.iterrows()):
        estimate = row["measure"] == "estimated_need_at_introduction"
        ax.barh(yi, row["value"], color="white" if estimate else figures.PALETTE["blue"],
                edgecolor=figures.PALETTE["blue"], hatch="//" if estimate else None, lw=1.2)
        text = fmt.number(row["value"])
        if pd.notna(row["approx"]):
            text = f"i underkant av {text}"
        ax.annotate(text, (row["value"], yi), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y, rows["label"])
    ax.set_xlim(0, float(rows["value"].max()) * 1.35)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel("Personer")
    figures.norwegian_axis(ax, "x")
    fig.subplots_adjust(left=0.36, bottom=0.28)
    figures.source_line(fig, source)
    return fig


def kvp_table(rows: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_kvp`, with the source's hedge where there is one."""
    return figures.data_table(
        rows, caption=caption,
        columns={"label": "Mål", "value": "Antall personer", "approx": "Omtrentlig i kilden"},
        formats={"value": lambda v: fmt.number(v), "approx": lambda v: "ja («i underkant av»)"},
    )
