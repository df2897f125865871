"""Helpers for the long-format Norwegian statistics (``data.load("norway_stats")``).

Each row of ``norway_stats`` is one published figure: ``indicator × year × period × group``
with its unit, source and the page it was read from. Chapters select an indicator with
:func:`indicator` (which refuses ambiguous selections instead of mixing units or periods),
reshape with :func:`wide`, and draw time series with :func:`plot_lines`, which labels every
line directly and gives each its own marker, so no line is told apart by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd

from . import figures, fmt

COLUMNS = ["year", "period", "group", "value", "approx", "unit", "source", "url", "note"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINESTYLES = ["-", "--", "-.", ":", "-", "--", "-."]


def indicator(
    stats: pd.DataFrame,
    name: str,
    groups: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Rows of one indicator, optionally restricted to *groups* and an inclusive *years* range.

    Raises ``KeyError`` for an unknown indicator or group, and ``ValueError`` if the selection
    mixes units or holds two values for the same year and group (e.g. two periods), so a chart
    can never silently combine figures that do not belong together.
    """
    rows = stats[stats["indicator"] == name]
    if rows.empty:
        raise KeyError(f"norway_stats: no indicator {name!r}")
    if groups is not None:
        missing = sorted(set(groups) - set(rows["group"].dropna()))
        if missing:
            raise KeyError(f"norway_stats: indicator {name!r} has no group(s) {missing}")
        rows = rows[rows["group"].isin(groups)]
    if years is not None:
        rows = rows[rows["year"].between(*years)]
        if rows.empty:
            raise KeyError(f"norway_stats: indicator {name!r} has no rows in {years[0]}–{years[1]}")
    units = rows["unit"].unique()
    if len(units) != 1:
        raise ValueError(f"norway_stats: indicator {name!r} mixes units {sorted(units)}")
    dupes = rows[rows.duplicated(["year", "group"], keep=False)]
    if not dupes.empty:
        raise ValueError(
            f"norway_stats: indicator {name!r} has several values for the same year and group "
            f"(rows {', '.join(dupes['row_id'])}); select by period or group first"
        )
    return rows[["row_id", *COLUMNS]].sort_values(["group", "year"]).reset_index(drop=True)


def wide(rows: pd.DataFrame, order: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per year, one column per group (as selected by :func:`indicator`)."""
    table = rows.pivot(index="year", columns="group", values="value")
    if order is not None:
        table = table[list(order)]
    table.columns.name = None
    return table


def plot_lines(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    ylabel: str,
    source: str,
    decimals: int = 0,
    ax=None,
):
    """Line chart of the columns of *table* (index = x), each with its own marker and line style
    and a direct label at its last point. *labels* maps column → Norwegian label (and selects)."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.2, 4.2))
    else:
        fig = ax.figure
    palette = figures.CYCLE
    for i, (col, label) in enumerate(labels.items()):
        if col not in table.columns:
            raise KeyError(f"plot_lines: no column {col!r}")
        series = table[col].dropna()
        ax.plot(series.index, series.values, marker=MARKERS[i % len(MARKERS)], ms=5,
                ls=LINESTYLES[i % len(LINESTYLES)], color=palette[i % len(palette)], label=label)
        ax.annotate(label, (series.index[-1], series.values[-1]), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=9, color=palette[i % len(palette)])
    ax.set_ylabel(ylabel)
    figures.norwegian_axis(ax, "y", decimals)
    figures.year_axis(ax)
    ax.margins(x=0.02)
    fig.subplots_adjust(right=0.78, bottom=0.16)
    figures.source_line(fig, source)
    return fig


def table_html(table: pd.DataFrame, caption: str, labels: Mapping[str, str], decimals: int = 1, index_label: str = "År"):
    """The numbers of a :func:`wide` table as an accessible HTML table with Norwegian headers."""
    frame = table.reset_index().rename(columns={table.index.name or "index": "_x"})
    columns = {"_x": index_label, **{c: labels[c] for c in labels}}
    formats = {c: (lambda v, d=decimals: fmt.number(v, d)) for c in labels}
    formats["_x"] = lambda v: str(int(v)) if float(v).is_integer() else str(v)
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats)
