"""Caseload arithmetic: how much of a counsellor's time is left for each candidate.

A *worked example* (Norwegian: «regneeksempel»), not a simulation and not data. The model is
deliberately simple so that every step can be checked by hand:

    minutes per candidate per week = hours per week × 60 × share of time for follow-up / caseload

and, averaged over the year,

    minutes per candidate per month = minutes per week × working weeks per year / 12.

All assumptions live in :class:`Workload` and are validated when it is created, so an
impossible assumption (a follow-up share of 1.5, a 200-hour week, a caseload of zero) raises a
clear ``ValueError`` instead of producing a plausible-looking number. The functions accept a
single caseload or an array of caseloads. Chapter 2 uses the model for one counsellor in NAV;
chapter 10 can reuse it to compare ways of organising follow-up (different caseloads and shares).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import figures, fmt

MINUTES_PER_HOUR = 60
MONTHS_PER_YEAR = 12
HOURS_PER_WEEK_MAX = 7 * 24
WEEKS_PER_YEAR_MAX = 52

MARKERS = ["o", "s", "^", "D", "v"]
LINESTYLES = ["-", "--", "-.", ":", "-"]


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


@dataclass(frozen=True)
class Workload:
    """The assumptions behind the arithmetic for one counsellor.

    * ``hours_per_week`` – contracted working hours per week (0 < h ≤ 168);
    * ``followup_share`` – share of working time available for direct follow-up of the
      candidates in the caseload (0 < s ≤ 1); the rest goes to other tasks such as case
      processing, meetings, reporting and travel;
    * ``working_weeks_per_year`` – weeks actually at work (0 < w ≤ 52), after holidays,
      public holidays, courses and sick leave; used only for the monthly average.
    """

    hours_per_week: float = 37.5
    followup_share: float = 0.5
    working_weeks_per_year: float = 45.0

    def __post_init__(self) -> None:
        hours = _number("hours_per_week", self.hours_per_week)
        share = _number("followup_share", self.followup_share)
        weeks = _number("working_weeks_per_year", self.working_weeks_per_year)
        if not 0 < hours <= HOURS_PER_WEEK_MAX:
            raise ValueError(f"hours_per_week must be > 0 and ≤ {HOURS_PER_WEEK_MAX}, got {hours}")
        if not 0 < share <= 1:
            raise ValueError(f"followup_share is a share of working time: must be > 0 and ≤ 1, got {share}")
        if not 0 < weeks <= WEEKS_PER_YEAR_MAX:
            raise ValueError(f"working_weeks_per_year must be > 0 and ≤ {WEEKS_PER_YEAR_MAX}, got {weeks}")

    def replace(self, **changes) -> "Workload":
        """A copy with some assumptions changed (validated like a new Workload).

        >>> Workload(37.5, 0.5).replace(followup_share=0.3).followup_share
        0.3
        """
        return dataclasses.replace(self, **changes)

    @property
    def followup_minutes_per_week(self) -> float:
        """Minutes per week available for follow-up of the whole caseload."""
        return self.hours_per_week * MINUTES_PER_HOUR * self.followup_share


def _caseload(caseload: float | Sequence[float] | np.ndarray) -> np.ndarray:
    if isinstance(caseload, (bool, str, bytes)):
        raise TypeError(f"caseload must be a number or an array of numbers, got {caseload!r}")
    try:
        values = np.asarray(caseload)
        if values.dtype.kind not in "iuf":
            raise TypeError(values.dtype)
        values = values.astype(float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"caseload must be a number or an array of numbers, got {caseload!r}") from exc
    if values.size == 0:
        raise ValueError("caseload is empty")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"caseload must be finite, got {caseload!r}")
    if np.any(values <= 0):
        raise ValueError(f"caseload (candidates per counsellor) must be > 0, got {caseload!r}")
    return values


def _scalar_or_array(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def minutes_per_candidate_week(caseload, workload: Workload = Workload()) -> float | np.ndarray:
    """Minutes of follow-up per candidate per working week.

    >>> minutes_per_candidate_week(90, Workload(37.5, 0.5))
    12.5
    """
    if not isinstance(workload, Workload):
        raise TypeError(f"workload must be a Workload, got {type(workload).__name__}")
    return _scalar_or_array(workload.followup_minutes_per_week / _caseload(caseload))


def minutes_per_candidate_month(caseload, workload: Workload = Workload()) -> float | np.ndarray:
    """Minutes of follow-up per candidate per month, averaged over the year (working weeks / 12).

    >>> minutes_per_candidate_month(90, Workload(37.5, 0.5, 48))
    50.0
    """
    weekly = minutes_per_candidate_week(caseload, workload)
    return weekly * workload.working_weeks_per_year / MONTHS_PER_YEAR


def max_caseload(minutes_per_month: float, workload: Workload = Workload()) -> float:
    """The largest caseload that still leaves *minutes_per_month* per candidate (not rounded).

    >>> max_caseload(60, Workload(37.5, 0.5, 48))
    75.0
    """
    target = _number("minutes_per_month", minutes_per_month)
    if target <= 0:
        raise ValueError(f"minutes_per_month must be > 0, got {target}")
    if not isinstance(workload, Workload):
        raise TypeError(f"workload must be a Workload, got {type(workload).__name__}")
    monthly_total = workload.followup_minutes_per_week * workload.working_weeks_per_year / MONTHS_PER_YEAR
    return monthly_total / target


def curve(caseloads, scenarios: Mapping[str, Workload]) -> pd.DataFrame:
    """Minutes per candidate for every caseload under every scenario (long format).

    Columns: ``scenario``, ``caseload``, ``minutes_week``, ``minutes_month``.
    """
    if not scenarios:
        raise ValueError("curve: give at least one scenario")
    loads = np.atleast_1d(_caseload(caseloads))
    frames = []
    for name, workload in scenarios.items():
        frames.append(pd.DataFrame({
            "scenario": name,
            "caseload": loads,
            "minutes_week": np.atleast_1d(minutes_per_candidate_week(loads, workload)),
            "minutes_month": np.atleast_1d(minutes_per_candidate_month(loads, workload)),
        }))
    return pd.concat(frames, ignore_index=True)


def _spread(values: Sequence[float], min_gap: float) -> list[float]:
    """Label positions close to *values* but at least *min_gap* apart (order kept)."""
    order = np.argsort(values)
    placed: dict[int, float] = {}
    previous = -np.inf
    for i in order:
        placed[int(i)] = max(float(values[i]), previous + min_gap)
        previous = placed[int(i)]
    return [placed[i] for i in range(len(values))]


def plot_minutes(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    mark: float | None,
    mark_label: str,
    source: str,
    measure: str = "minutes_week",
    ylabel: str = "Minutter per kandidat per uke",
    xlabel: str = "Antall kandidater i porteføljen",
):
    """Minutes per candidate against caseload, one line per scenario (own marker, line style and
    a direct label at the right end, labels nudged apart), with a dotted vertical line at the
    caseload *mark* and the value of every scenario there written out."""
    if measure not in ("minutes_week", "minutes_month"):
        raise ValueError(f"measure must be 'minutes_week' or 'minutes_month', got {measure!r}")
    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    at_mark, ends = [], []
    for i, (scenario, label) in enumerate(labels.items()):
        rows = table[table["scenario"] == scenario].sort_values("caseload")
        if rows.empty:
            raise KeyError(f"plot_minutes: no scenario {scenario!r} in the table")
        color = figures.CYCLE[i % len(figures.CYCLE)]
        marker = MARKERS[i % len(MARKERS)]
        ax.plot(rows["caseload"], rows[measure], color=color, ls=LINESTYLES[i % len(LINESTYLES)],
                marker=marker, markevery=max(len(rows) // 8, 1), ms=5)
        ends.append((label, color, float(rows["caseload"].iloc[-1]), float(rows[measure].iloc[-1])))
        if mark is not None:
            value = float(np.interp(mark, rows["caseload"], rows[measure]))
            at_mark.append((label, value))
            ax.plot([mark], [value], marker=marker, ms=8, color=color, mfc="white", mew=1.6)
    ymax = float(table[table["scenario"].isin(list(labels))][measure].max()) * 1.08
    ax.set_ylim(0, ymax)
    positions = _spread([e[3] for e in ends], min_gap=ymax * 0.06)
    for (label, color, x_end, _y_end), y_text in zip(ends, positions):
        ax.annotate(label, (x_end, _y_end), xytext=(x_end + (x_end * 0.02), y_text), textcoords="data",
                    va="center", fontsize=9, color=color, fontweight="bold")
    if mark is not None:
        ax.axvline(mark, color=figures.GREY, ls=":", lw=1.2)
        unit = "min per uke" if measure == "minutes_week" else "min per måned"
        lines = [mark_label] + [f"{label}: {fmt.number(v, 1)} {unit}" for label, v in at_mark]
        ax.annotate("\n".join(lines), (mark, 1.0), xycoords=("data", "axes fraction"), xytext=(6, -4),
                    textcoords="offset points", va="top", fontsize=9, color=figures.GREY)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    figures.norwegian_axis(ax, "x")
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(right=0.8, bottom=0.2)
    figures.source_line(fig, source)
    return fig


def curve_table(table: pd.DataFrame, labels: Mapping[str, str], caseloads: Sequence[float], caption: str,
                caseload_label: str = "Kandidater i porteføljen"):
    """The figure's numbers for selected caseloads: one row per caseload, minutes per week and
    per month for each scenario (Norwegian headers and number formatting). *caseload_label* heads
    the first column (chapter 2 counts Nav users, «brukere», not job-seeking candidates)."""
    wanted = table[table["caseload"].isin(list(caseloads))]
    if wanted["caseload"].nunique() != len(set(caseloads)):
        missing = sorted(set(caseloads) - set(wanted["caseload"]))
        raise KeyError(f"curve_table: caseload(s) {missing} not in the table")
    wide = wanted.pivot(index="caseload", columns="scenario", values=["minutes_week", "minutes_month"])
    frame = pd.DataFrame({"caseload": wide.index})
    columns = {"caseload": caseload_label}
    formats = {"caseload": lambda v: fmt.number(v)}
    for scenario, label in labels.items():
        for measure, unit in (("minutes_week", "min/uke"), ("minutes_month", "min/måned")):
            key = f"{scenario}_{measure}"
            frame[key] = wide[(measure, scenario)].to_numpy()
            columns[key] = f"{label}: {unit}"
            formats[key] = lambda v: fmt.number(v, 1)
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats)
