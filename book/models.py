"""Three ways of organising work-oriented follow-up, compared on time and staff (chapter 9).

The chapter contrasts the *caseworker model* (large caseloads, standardised follow-up), the
*job-specialist model* (small caseloads, much of the time out at workplaces) and the *hybrid
model* (an ordinary NAV counsellor who gives a few candidates with a workplace mentor close
follow-up). This module builds on :mod:`book.caseload`, which shares one counsellor's
follow-up time equally over a caseload; here the time can be split between two groups of
candidates and between the office and the field:

    minutes per candidate per week = hours × 60 × follow-up share × group share / candidates in group
    of which in the field          = minutes per candidate × field share of that group

Everything is a *worked example* («regneeksempel»): arithmetic on stated assumptions, not a
simulation and not data. Impossible assumptions raise ``ValueError`` (through
:class:`book.caseload.Workload` and the checks in :class:`FollowUpModel`).

The module also places caseloads on the caseload item of the IPS fidelity scale
(:func:`fidelity_score`, dataset ``ips_caseload_anchors``) and turns the number of people with
reduced work capacity (``norway_stats``) into the number of full-time positions different
caseloads would need (:func:`staff_needed`).
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

OFFICE_HATCH = ""
FIELD_HATCH = "////"
MARKERS = ["o", "s", "^", "D", "v", "P"]

NAE_INDICATOR = "nedsatt_arbeidsevne_persons"
NAE_STATUS_INDICATOR = "nedsatt_arbeidsevne_status_share"
NAE_GROUP = "18-66 bosatte"  # the SSB figure (November 2020) that the status shares belong to
NOT_IN_WORK = ("AAP", "tiltak", "annet")  # prioritised status: not employed, not in education, not on uføretrygd


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


# ------------------------------------------------------------------ the IPS fidelity anchors

def _check_anchors(anchors: pd.DataFrame) -> pd.DataFrame:
    """The anchors sorted by lower bound; refuses gaps, overlaps and a missing open end."""
    needed = {"score", "min_caseload", "max_caseload"}
    if not needed <= set(anchors.columns):
        raise KeyError(f"anchors need columns {sorted(needed)}")
    table = anchors.sort_values("min_caseload").reset_index(drop=True)
    if table["min_caseload"].iloc[0] != 0:
        raise ValueError("anchors must start at a caseload of 0")
    uppers = table["max_caseload"]
    if uppers.iloc[:-1].isna().any() or not pd.isna(uppers.iloc[-1]):
        raise ValueError("only the highest anchor may be open-ended (empty max_caseload)")
    for (_, low), (_, high) in zip(table.iloc[:-1].iterrows(), table.iloc[1:].iterrows()):
        if high["min_caseload"] != low["max_caseload"] + 1:
            raise ValueError(f"anchors leave a gap or overlap between {low['max_caseload']} and {high['min_caseload']}")
    return table


def fidelity_score(n: int, anchors: pd.DataFrame) -> int:
    """The score a caseload of *n* candidates gets on the IPS caseload item.

    >>> a = pd.DataFrame({"score": [5, 1], "min_caseload": [0, 21], "max_caseload": [20, pd.NA]})
    >>> fidelity_score(20, a), fidelity_score(21, a)
    (5, 1)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"a caseload is a whole number of candidates ≥ 0, got {n!r}")
    table = _check_anchors(anchors)
    for _, row in table.iterrows():
        if n >= row["min_caseload"] and (pd.isna(row["max_caseload"]) or n <= row["max_caseload"]):
            return int(row["score"])
    raise AssertionError("unreachable: checked anchors cover every caseload")  # pragma: no cover


def plot_fidelity(anchors: pd.DataFrame, marks: Mapping[str, int], source: str, x_max: int = 100):
    """The caseload item as a step function (score against caseload) with the caseloads in
    *marks* (``{label: caseload}``) drawn on it, each with its own marker and a direct label."""
    table = _check_anchors(anchors)
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    xs, ys = [], []
    for _, row in table.iterrows():
        high = x_max if pd.isna(row["max_caseload"]) else row["max_caseload"] + 0.5
        xs += [max(row["min_caseload"] - 0.5, 0), high]
        ys += [row["score"], row["score"]]
    ax.plot(xs, ys, color=figures.GREY, lw=2, drawstyle="default")
    ordered = sorted(marks.items(), key=lambda kv: kv[1])
    seen_at_score: dict[int, int] = {}
    for i, (label, n) in enumerate(ordered):
        score = fidelity_score(int(n), anchors)
        color = figures.CYCLE[i % len(figures.CYCLE)]
        ax.plot([n], [score], marker=MARKERS[i % len(MARKERS)], ms=9, color=color, ls="none")
        k = seen_at_score.get(score, 0)
        seen_at_score[score] = k + 1
        offset = 16 + 22 * k  # stack labels of nearby points at the same score
        ha = "right" if n > 0.75 * x_max else ("left" if n < 0.25 * x_max else "center")
        ax.annotate(f"{label}: {fmt.number(n)}", (n, score), xytext=(0, offset if score < 4 else -offset - 8),
                    textcoords="offset points", ha=ha, fontsize=8.5, color=color,
                    bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"},
                    arrowprops={"arrowstyle": "-", "color": color, "lw": 0.8})
    ax.set_xlim(0, x_max)
    ax.set_ylim(0.3, 5.7)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_xlabel("Antall kandidater per veileder eller jobbspesialist")
    ax.set_ylabel("Skår på punktet om porteføljestørrelse")
    figures.norwegian_axis(ax, "x")
    fig.subplots_adjust(bottom=0.2)
    figures.source_line(fig, source)
    return fig


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


# ------------------------------------------------------------------ people with reduced work capacity

def reported(reports: pd.DataFrame, row_id: str) -> int:
    """One value of the ``caseload_reports`` dataset by its row id (KeyError if absent)."""
    rows = reports[reports["row_id"] == row_id]
    if len(rows) != 1:
        raise KeyError(f"caseload_reports: no row {row_id!r}")
    return int(rows["value"].iloc[0])


def nae_population(stats: pd.DataFrame) -> pd.DataFrame:
    """People with reduced work capacity (nedsatt arbeidsevne) in November 2020 by prioritised
    status, from ``norway_stats``: the SSB total and its status shares, with the number of
    persons in each status computed as total × share (approximate, because the total is given
    as «i underkant av», just under).

    Columns: ``status``, ``share`` (percent), ``persons`` and ``not_in_work`` (True for the
    statuses in :data:`NOT_IN_WORK`). Raises ``ValueError`` if the shares do not add up to
    100 within rounding (± 0.5 percentage points).
    """
    total_rows = stats[(stats["indicator"] == NAE_INDICATOR) & (stats["group"] == NAE_GROUP)]
    shares = stats[stats["indicator"] == NAE_STATUS_INDICATOR]
    if len(total_rows) != 1:
        raise KeyError(f"norway_stats: expected one {NAE_INDICATOR!r} row for group {NAE_GROUP!r}")
    if shares.empty:
        raise KeyError(f"norway_stats: no indicator {NAE_STATUS_INDICATOR!r}")
    total = total_rows.iloc[0]
    if shares["year"].nunique() != 1 or int(shares["year"].iloc[0]) != int(total["year"]):
        raise ValueError("the status shares and the total must be from the same year")
    if abs(float(shares["value"].sum()) - 100) > 0.5:
        raise ValueError(f"status shares add up to {float(shares['value'].sum()):.1f}, not 100")
    missing = set(NOT_IN_WORK) - set(shares["group"])
    if missing:
        raise KeyError(f"norway_stats: no status share for {sorted(missing)}")
    out = pd.DataFrame({"status": shares["group"].to_numpy(), "share": shares["value"].astype(float).to_numpy()})
    out["persons"] = float(total["value"]) * out["share"] / 100
    out["not_in_work"] = out["status"].isin(NOT_IN_WORK)
    out.attrs.update(total=float(total["value"]), approx=total["approx"], year=int(total["year"]), period=total["period"])
    return out.sort_values("share", ascending=False).reset_index(drop=True)


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


def round_to(x: float, step: int = 100) -> float:
    """*x* rounded to the nearest multiple of *step* (halves away from zero).

    >>> round_to(2077.8), round_to(1250, 100), round_to(44, 10)
    (2100.0, 1300.0, 40.0)
    """
    if step <= 0:
        raise ValueError("step must be > 0")
    return float(math.floor(abs(x) / step + 0.5) * step * (1 if x >= 0 else -1))


def plot_staff(table: pd.DataFrame, populations: Mapping[str, str], caseloads: Mapping[str, str], source: str,
               step: int = 100):
    """Grouped horizontal bars: positions needed for each caseload (rows) and population (one
    bar each, told apart by fill and hatch as well as colour), values rounded to the nearest
    *step* written at the bar ends."""
    fig, ax = plt.subplots(figsize=(7.2, 4.8))
    keys = list(caseloads)
    height = 0.8 / len(populations)
    hatches = ["", FIELD_HATCH, "..", "xx"]
    for j, (pop, pop_label) in enumerate(populations.items()):
        color = figures.CYCLE[j % len(figures.CYCLE)]
        for i, key in enumerate(keys[::-1]):
            row = table[(table["population"] == pop) & (table["caseload_key"] == key)]
            if len(row) != 1:
                raise KeyError(f"plot_staff: no row for population {pop!r} and caseload {key!r}")
            value = float(row["positions"].iloc[0])
            ypos = i + ((len(populations) - 1) / 2 - j) * height  # first population on top
            filled = j % 2 == 0
            ax.barh(ypos, value, height=height * 0.92, color=color if filled else "white", edgecolor=color,
                    hatch=hatches[j % len(hatches)], lw=1.2, label=pop_label if i == 0 else None)
            ax.annotate(f"om lag {fmt.number(round_to(value, step))}", (value, ypos), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=8.5)
    ax.set_yticks(range(len(keys)), [caseloads[k] for k in keys[::-1]])
    ax.set_xlim(0, float(table["positions"].max()) * 1.3)
    ax.set_xlabel("Årsverk (veiledere eller jobbspesialister i full stilling)")
    figures.norwegian_axis(ax, "x")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), fontsize=8.5, frameon=False)
    fig.subplots_adjust(left=0.3, right=0.97, bottom=0.2, top=0.82)
    figures.source_line(fig, source)
    return fig


def staff_table(table: pd.DataFrame, populations: Mapping[str, str], caseloads: Mapping[str, str], caption: str,
                notes: Sequence[str] = (), step: int = 100):
    """The numbers of :func:`plot_staff`: persons, caseload and positions (exact and rounded to
    the nearest *step*)."""
    frame = table.copy()
    frame["population_label"] = frame["population"].map(populations)
    frame["caseload_label"] = frame["caseload_key"].map(caseloads)
    frame["rounded"] = frame["positions"].map(lambda v: round_to(v, step))
    return figures.data_table(
        frame, caption=caption,
        columns={"population_label": "Gruppe", "persons": "Personer (om lag)", "caseload_label": "Portefølje",
                 "positions": "Årsverk (utregnet)", "rounded": "Årsverk (avrundet)"},
        formats={"persons": lambda v: fmt.number(round_to(v, step)), "positions": lambda v: fmt.number(v, 0),
                 "rounded": lambda v: fmt.number(v)},
        notes=notes,
    )


def population_table(pop: pd.DataFrame, labels: Mapping[str, str], caption: str):
    """The status distribution behind analysis 2 (shares and approximate persons)."""
    frame = pop.copy()
    frame["label"] = frame["status"].map(lambda s: labels.get(s, s))
    frame["group"] = frame["not_in_work"].map({True: "ja", False: "nei"})
    return figures.data_table(
        frame, caption=caption,
        columns={"label": "Status (prioritert)", "share": "Andel (%)", "persons": "Personer (om lag)",
                 "group": "Regnet som utenfor arbeid"},
        formats={"share": lambda v: fmt.number(v, 1), "persons": lambda v: fmt.number(round_to(v))},
    )


def sequence_text(values: Sequence[float], decimals: int = 0) -> str:
    """Norwegian list of numbers: «1, 2 og 3»."""
    items = [fmt.number(v, decimals) for v in values]
    if not items:
        raise ValueError("sequence_text: nothing to list")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
