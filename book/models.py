"""Three ways of organising work-oriented follow-up, compared on time and staff (chapter 10).

The chapter contrasts the *caseworker model* (large caseloads, standardised follow-up), the
*job-specialist model* (small caseloads, much of the time out at workplaces) and the *hybrid
model* (an ordinary NAV counsellor who gives a few candidates with a workplace mentor close
follow-up). This module builds on :mod:`book.caseload`, which shares one counsellor's
follow-up time equally over a caseload; here the time can be split between two groups of
candidates and between the office and the field:

    minutes per candidate per week = hours × 60 × follow-up share × group share / candidates in group
    of which in the field          = minutes per candidate × field share of that group

That part is a *worked example* («regneeksempel»): arithmetic on stated assumptions, not a
simulation and not data. Impossible assumptions raise ``ValueError`` (through
:class:`book.caseload.Workload` and the checks in :class:`FollowUpModel`).

Two analyses on published statistics complete the chapter:

* staffing: how many full-time positions it takes to give a share of the people receiving
  arbeidsavklaringspenger (Nav, dataset ``nav_aap_mottakere``) a place in caseloads of a given
  size (:func:`staff_needed`, :func:`staff_grid`);
* temporary jobs: the share of employees with a temporary contract by age group (SSB table
  05611, dataset ``ssb_midlertidig_ansatte``; :func:`temporary_wide`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from . import caseload, figures, fmt
from .caseload import Workload

FIELD_HATCH = "////"
MARKERS = ["o", "s", "^", "D", "v", "P"]
LINESTYLES = ["-", "--", ":", "-."]

AGE_LABELS = {"15-24": "15–24 år", "25-29": "25–29 år", "30-39": "30–39 år", "40-54": "40–54 år",
              "55-74": "55–74 år"}
"""SSB's age codes in table 05611 and how the book prints them."""


def _share(name: str, value: object, allow_zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    number = float(value)
    low_ok = number >= 0 if allow_zero else number > 0
    if not (math.isfinite(number) and low_ok and number <= 1):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ValueError(f"{name} is a share: must be {bound} and ≤ 1, got {value!r}")
    return number


@dataclass(frozen=True)
class FollowUpModel:
    """One way of organising follow-up, seen from one counsellor or job specialist.

    * ``caseload`` – candidates in the caseload (a whole number > 0);
    * ``workload`` – working hours and the share of them used for direct follow-up
      (:class:`book.caseload.Workload`);
    * ``field_share`` – share of the follow-up time spent out of the office (at workplaces, with
      employers and mentors) for the ordinary candidates;
    * ``focus`` – candidates who get close follow-up (in the hybrid model: those with a mentor);
      0 for a model without such a group;
    * ``focus_time_share`` – share of the follow-up time reserved for the focus candidates
      (0 when ``focus`` is 0, otherwise > 0 and < 1);
    * ``focus_field_share`` – share of the focus candidates' time spent in the field.
    """

    caseload: int
    workload: Workload = field(default_factory=Workload)
    field_share: float = 0.0
    focus: int = 0
    focus_time_share: float = 0.0
    focus_field_share: float = 0.0

    def __post_init__(self) -> None:
        for name in ("caseload", "focus"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"{name} counts candidates: must be a whole number, got {value!r}")
        if self.caseload <= 0:
            raise ValueError(f"caseload must be > 0, got {self.caseload}")
        if not 0 <= self.focus < self.caseload:
            raise ValueError(f"focus must be ≥ 0 and smaller than the caseload ({self.caseload}), got {self.focus}")
        if not isinstance(self.workload, Workload):
            raise TypeError(f"workload must be a Workload, got {type(self.workload).__name__}")
        _share("field_share", self.field_share)
        _share("focus_field_share", self.focus_field_share)
        time_share = _share("focus_time_share", self.focus_time_share)
        if self.focus == 0 and time_share != 0:
            raise ValueError("focus_time_share must be 0 when there are no focus candidates (focus = 0)")
        if self.focus > 0 and not 0 < time_share < 1:
            raise ValueError(f"focus_time_share must be > 0 and < 1 when focus > 0, got {time_share}")

    @property
    def ordinary(self) -> int:
        """Candidates outside the focus group."""
        return self.caseload - self.focus


def _group_minutes(model: FollowUpModel, candidates: int, time_share: float) -> tuple[float, float]:
    """Minutes per candidate per week and per month for a group that gets *time_share* of the
    follow-up time (computed with book.caseload, so the same rules apply)."""
    workload = model.workload.replace(followup_share=model.workload.followup_share * time_share)
    week = caseload.minutes_per_candidate_week(candidates, workload)
    month = caseload.minutes_per_candidate_month(candidates, workload)
    return float(week), float(month)


def time_per_candidate(model: FollowUpModel) -> pd.DataFrame:
    """Follow-up time per candidate for each group in *model*.

    One row per group (``all`` for a model without focus candidates, otherwise ``focus`` and
    ``ordinary``) with columns ``group``, ``candidates``, ``minutes_week``,
    ``field_minutes_week``, ``office_minutes_week`` and ``minutes_month``.

    >>> from book.caseload import Workload
    >>> float(time_per_candidate(FollowUpModel(90, Workload(37.5, 0.5))).loc[0, "minutes_week"])
    12.5
    """
    if not isinstance(model, FollowUpModel):
        raise TypeError(f"model must be a FollowUpModel, got {type(model).__name__}")
    if model.focus == 0:
        groups = [("all", model.caseload, 1.0, model.field_share)]
    else:
        groups = [("focus", model.focus, model.focus_time_share, model.focus_field_share),
                  ("ordinary", model.ordinary, 1 - model.focus_time_share, model.field_share)]
    rows = []
    for group, n, time_share, field_share in groups:
        week, month = _group_minutes(model, n, time_share)
        rows.append({"group": group, "candidates": n, "minutes_week": week,
                     "field_minutes_week": week * field_share, "office_minutes_week": week * (1 - field_share),
                     "minutes_month": month})
    return pd.DataFrame(rows)


def compare(models: Mapping[str, FollowUpModel], labels: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """:func:`time_per_candidate` for several models in one table, one row per model and group,
    with a Norwegian ``label`` from *labels* (``{model: {group: label}}``)."""
    if not models:
        raise ValueError("compare: give at least one model")
    frames = []
    for key, model in models.items():
        table = time_per_candidate(model)
        try:
            table.insert(0, "label", [labels[key][g] for g in table["group"]])
        except KeyError as exc:
            raise KeyError(f"compare: no label for model {key!r}, group {exc.args[0]!r}") from exc
        table.insert(0, "model", key)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def focus_candidates_at(model: FollowUpModel, minutes_week: float) -> float:
    """How many focus candidates *model*'s reserved time could follow with *minutes_week* each
    (not rounded): the reserved minutes per week divided by the target.

    >>> from book.caseload import Workload
    >>> m = FollowUpModel(50, Workload(37.5, 0.5), focus=3, focus_time_share=0.2)
    >>> focus_candidates_at(m, 75)
    3.0
    """
    target = float(minutes_week)
    if not math.isfinite(target) or target <= 0:
        raise ValueError(f"minutes_week must be > 0, got {minutes_week!r}")
    if model.focus == 0:
        raise ValueError("the model has no time reserved for focus candidates (focus = 0)")
    return model.workload.followup_minutes_per_week * model.focus_time_share / target


# ------------------------------------------------------------------ figure and table for the time model

def plot_time(table: pd.DataFrame, source: str):
    """Horizontal bars of minutes per candidate per week: office time as a filled bar, field time
    as a hatched bar after it, the total and the field minutes written at the end of each bar."""
    rows = table.iloc[::-1].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.2, 0.75 * len(rows) + 2.2))
    y = np.arange(len(rows))
    for i, row in rows.iterrows():
        color = figures.CYCLE[list(dict.fromkeys(table["model"])).index(row["model"]) % len(figures.CYCLE)]
        ax.barh(i, row["office_minutes_week"], color=color, edgecolor=color, height=0.6)
        ax.barh(i, row["field_minutes_week"], left=row["office_minutes_week"], color="white",
                edgecolor=color, hatch=FIELD_HATCH, height=0.6, lw=1.2)
        text = f"{fmt.number(row['minutes_week'], 1)} min (ute: {fmt.number(row['field_minutes_week'], 1)})"
        ax.annotate(text, (row["minutes_week"], i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y, rows["label"])
    ax.set_xlim(0, float(table["minutes_week"].max()) * 1.45)
    ax.set_xlabel("Minutter per kandidat per uke")
    figures.norwegian_axis(ax, "x")
    legend = [Patch(facecolor=figures.GREY, edgecolor=figures.GREY, label="På kontoret, på telefon eller digitalt"),
              Patch(facecolor="white", edgecolor=figures.GREY, hatch=FIELD_HATCH, label="Ute: på arbeidsplassen, med arbeidsgiver og mentor")]
    ax.legend(handles=legend, loc="lower left", bbox_to_anchor=(0, 1.01), fontsize=8.5, frameon=False, ncol=1)
    fig.subplots_adjust(left=0.36, right=0.97, bottom=0.2, top=0.8)
    figures.source_line(fig, source)
    return fig


def time_table(table: pd.DataFrame, caption: str):
    """The numbers of :func:`plot_time` with Norwegian headers."""
    return figures.data_table(
        table, caption=caption,
        columns={"label": "Modell og kandidatgruppe", "candidates": "Kandidater i gruppen",
                 "minutes_week": "Min per kandidat per uke", "field_minutes_week": "Herav ute",
                 "minutes_month": "Min per kandidat per måned"},
        formats={"candidates": lambda v: fmt.number(v), "minutes_week": lambda v: fmt.number(v, 1),
                 "field_minutes_week": lambda v: fmt.number(v, 1), "minutes_month": lambda v: fmt.number(v, 0)},
    )




# ------------------------------------------------------------------ the chapter's datasets

def reported(reports: pd.DataFrame, row_id: str) -> int:
    """One value of the ``caseload_reports`` dataset by its row id (KeyError if absent)."""
    rows = reports[reports["row_id"] == row_id]
    if len(rows) != 1:
        raise KeyError(f"caseload_reports: no row {row_id!r}")
    return int(rows["value"].iloc[0])


def measure(table: pd.DataFrame, name: str) -> float:
    """One value of a dataset with a ``measure`` column (``nav_aap_mottakere``) by its name."""
    rows = table[table["measure"] == name]
    if len(rows) != 1:
        raise KeyError(f"no measure {name!r}")
    return float(rows["value"].iloc[0])


# ------------------------------------------------------------------ staffing

def staff_needed(persons: Mapping[str, float], caseloads: Mapping[str, int]) -> pd.DataFrame:
    """Full-time positions needed to give every person in each population a place in a caseload
    of the given size: persons / caseload (long format: ``population``, ``caseload_key``,
    ``caseload``, ``persons``, ``positions``).

    >>> staff_needed({"a": 900}, {"x": 90, "y": 20})["positions"].tolist()
    [10.0, 45.0]
    """
    if not persons or not caseloads:
        raise ValueError("staff_needed: give at least one population and one caseload")
    rows = []
    for pop, n in persons.items():
        if not (isinstance(n, (int, float, np.integer, np.floating)) and math.isfinite(float(n)) and n >= 0):
            raise ValueError(f"persons for {pop!r} must be a number ≥ 0, got {n!r}")
        for key, size in caseloads.items():
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size <= 0:
                raise ValueError(f"caseload {key!r} must be a whole number > 0, got {size!r}")
            rows.append({"population": pop, "caseload_key": key, "caseload": int(size),
                         "persons": float(n), "positions": float(n) / int(size)})
    return pd.DataFrame(rows)


def staff_grid(persons: float, shares: Sequence[float], caseloads: Mapping[str, int]) -> pd.DataFrame:
    """:func:`staff_needed` for *shares* of one population: for each share *s* (0 < s ≤ 1) the
    population ``s × persons`` gets a place in each caseload. Adds the column ``share``.

    >>> staff_grid(1000, [0.5, 1.0], {"x": 20})["positions"].tolist()
    [25.0, 50.0]
    """
    if not shares:
        raise ValueError("staff_grid: give at least one share")
    pops = {}
    for s in shares:
        pops[f"{float(s):g}"] = float(persons) * _share("share", s, allow_zero=False)
    table = staff_needed(pops, caseloads)
    table.insert(0, "share", table["population"].astype(float))
    return table


def round_to(x: float, step: int = 100) -> float:
    """*x* rounded to the nearest multiple of *step* (halves away from zero).

    >>> round_to(2077.8), round_to(1250, 100), round_to(44, 10)
    (2100.0, 1300.0, 40.0)
    """
    if step <= 0:
        raise ValueError("step must be > 0")
    return float(math.floor(abs(x) / step + 0.5) * step * (1 if x >= 0 else -1))


def plot_staff_curves(persons: float, shares: Mapping[float, str], marks: Mapping[str, int], source: str,
                      x_range: tuple[int, int] = (15, 100), step: int = 100):
    """Positions needed (y) against caseload size (x) for each share of *persons* in *shares*
    (``{share: label}``, shown in the legend): curves ``share × persons / caseload``. The
    caseloads in *marks* (``{label: caseload}``) are drawn as vertical lines, with the positions at
    each mark, rounded to the nearest *step*, written next to the points. The y axis stops a
    little above the highest marked point, so the curves run off the top at the smallest caseloads."""
    lo, hi = x_range
    if not 0 < lo < hi:
        raise ValueError("x_range must be (low, high) with 0 < low < high")
    if not marks:
        raise ValueError("plot_staff_curves: give at least one caseload to mark")
    xs = np.linspace(lo, hi, 400)
    fig, ax = plt.subplots(figsize=(7.2, 5.0))
    top = max(float(persons) * _share("share", s, allow_zero=False) / min(marks.values()) for s in shares)
    for i, (share, label) in enumerate(shares.items()):
        need = float(persons) * share
        color = figures.CYCLE[i % len(figures.CYCLE)]
        ax.plot(xs, need / xs, color=color, lw=2, ls=LINESTYLES[i % len(LINESTYLES)], label=label)
        for n in marks.values():
            value = need / n
            ax.plot([n], [value], marker=MARKERS[i % len(MARKERS)], ms=6, color=color, ls="none")
            ax.annotate(fmt.number(round_to(value, step)), (n, value), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=8, color=color,
                        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    for mark, n in marks.items():
        ax.axvline(n, color=figures.GREY, lw=0.8, ls=":")
        ax.annotate(mark, (n, top * 1.13), ha="center", va="bottom", fontsize=8, color=figures.GREY)
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, top * 1.2)
    ax.set_xlabel("Kandidater per veileder eller jobbspesialist (porteføljestørrelse)")
    ax.set_ylabel("Årsverk som trengs")
    figures.norwegian_axis(ax, "y")
    figures.norwegian_axis(ax, "x")
    ax.legend(loc="upper right", fontsize=8.5, frameon=False, bbox_to_anchor=(1.0, 0.93))
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.18, top=0.95)
    figures.source_line(fig, source)
    return fig


def staff_matrix_table(grid: pd.DataFrame, share_labels: Mapping[float, str], caseload_labels: Mapping[str, str],
                       caption: str, notes: Sequence[str] = (), step: int = 100):
    """The numbers behind :func:`plot_staff_curves`: one row per caseload, one column per share,
    positions rounded to the nearest *step*; the first columns give the caseload and the number
    of persons in each share is in the notes."""
    frame = grid.copy()
    missing = set(frame["share"]) - set(share_labels)
    if missing:
        raise KeyError(f"staff_matrix_table: no label for share(s) {sorted(missing)}")
    wide = frame.pivot(index="caseload_key", columns="share", values="positions")
    wide = wide.loc[[k for k in caseload_labels if k in wide.index]]
    wide.insert(0, "label", [caseload_labels[k] for k in wide.index])
    columns = {"label": "Portefølje (kandidater per årsverk)"}
    columns.update({s: share_labels[s] for s in share_labels if s in wide.columns})
    formats = {s: (lambda v: fmt.number(round_to(v, step))) for s in share_labels}
    return figures.data_table(wide.reset_index(drop=True), caption=caption, columns=columns, formats=formats,
                              notes=notes)


# ------------------------------------------------------------------ temporary jobs by age

def temporary_wide(frame: pd.DataFrame, quarter: str = "K4") -> pd.DataFrame:
    """The ``ssb_midlertidig_ansatte`` rows for one *quarter* as a table with one row per year
    and one column per age group (SSB's codes), in the order of :data:`AGE_LABELS`."""
    rows = frame[frame["quarter"] == quarter]
    if rows.empty:
        raise KeyError(f"no rows for quarter {quarter!r}")
    wide = rows.pivot(index="year", columns="age_group", values="percent").sort_index()
    unknown = set(wide.columns) - set(AGE_LABELS)
    if unknown:
        raise KeyError(f"unknown age group(s) {sorted(unknown)}")
    return wide[[a for a in AGE_LABELS if a in wide.columns]].astype(float)


def plot_temporary(wide: pd.DataFrame, source: str):
    """One line per age group (share of employees with a temporary contract), labelled directly
    at the right-hand end."""
    from .labour import direct_labels

    fig, ax = plt.subplots(figsize=(7.2, 4.4))
    last = wide.index.max()
    points = []
    for i, age in enumerate(wide.columns):
        color = figures.CYCLE[i % len(figures.CYCLE)]
        ax.plot(wide.index, wide[age], color=color, lw=2, ls=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[i % len(MARKERS)], ms=4)
        points.append((last, float(wide.loc[last, age]), AGE_LABELS[age], color))
    ax.set_ylim(0, max(30.0, float(wide.max().max()) * 1.1))
    direct_labels(ax, points, min_gap=0.06)
    ax.set_xlim(wide.index.min() - 0.3, last + 0.3)
    ax.set_ylabel("Midlertidig ansatte, prosent av de ansatte")
    ax.set_xticks(list(wide.index)[::2])
    figures.year_axis(ax)
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(left=0.11, right=0.84, bottom=0.18, top=0.95)
    figures.source_line(fig, source)
    return fig


def temporary_table(wide: pd.DataFrame, caption: str, notes: Sequence[str] = ()):
    """The numbers of :func:`plot_temporary`: one row per year, one column per age group."""
    frame = wide.rename_axis("year").reset_index()
    columns = {"year": "År (4. kvartal)"}
    columns.update({a: AGE_LABELS[a] for a in wide.columns})
    formats = {"year": lambda v: str(int(v))}
    formats.update({a: (lambda v: fmt.number(v, 1)) for a in wide.columns})
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats, notes=notes)
