"""Analyses for chapter 6 (welfare conditionality and sanctions).

Three pieces:

* **The 2017 reform in the statistics** – the change in the number of young social assistance
  recipients from 2017 to 2018 (SSB, resource ``ssb_sosialhjelp_2017_2018``) set beside the
  labour market of the same years (quarterly unemployment in ``norway_stats``). The point of the
  figure is what a before/after comparison *cannot* separate.
* **The 2018 survey of NAV offices** (Dahl & Lima, ``norway_stats`` indicator
  ``aktivitetsplikt_nav_office_survey``), including the one answer the source gives as a range.
* **A teaching simulation** («fewer claimants is not more people in work»): a cohort of young
  recipients moves each month between four states – on social assistance, in work, on another
  benefit, without income – with and without a sanction regime. All transition probabilities are
  parameters the reader can change; they are assumptions, not estimates. The chapter's numbers are
  expected values; what they depend on is shown by varying the assumptions (:func:`tradeoff_grid`,
  :func:`sensitivity`, :func:`flip_point`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from . import figures, fmt
from .simulation import Parameter

# ------------------------------------------------------------------------------- the 2017 reform

AGE_LABELS = {"18-24": "18–24 år", "25-29": "25–29 år", "50-66": "50–66 år"}
REFORM_X = 2017.0  # sosialtjenesteloven § 20 a took effect on 1 January 2017


def age_changes(changes: pd.DataFrame, groups: tuple[str, ...] = ("18-24", "25-29", "50-66")) -> pd.DataFrame:
    """Change in the number of recipients by age group, in the order of *groups*.

    *changes* is the resource ``ssb_sosialhjelp_2017_2018``. Returns columns ``group``,
    ``label`` (Norwegian), ``from_year``, ``to_year`` and ``change`` (persons; negative = fewer).
    Raises ``KeyError`` if a group is missing and ``ValueError`` if the rows do not all compare
    the same two years, so the bars can never mix periods.
    """
    rows = changes[changes["measure"] == "change_recipients"].set_index("group")
    missing = [g for g in groups if g not in rows.index]
    if missing:
        raise KeyError(f"age_changes: no change_recipients row for group(s) {missing}")
    rows = rows.loc[list(groups)]
    periods = set(zip(rows["from_year"], rows["to_year"]))
    if len(periods) != 1:
        raise ValueError(f"age_changes: rows compare different years {sorted(periods)}")
    out = pd.DataFrame({
        "group": list(groups),
        "label": [AGE_LABELS.get(g, g) for g in groups],
        "from_year": [int(v) for v in rows["from_year"]],
        "to_year": [int(v) for v in rows["to_year"]],
        "change": [float(v) for v in rows["value"]],
    })
    return out


def measure_value(changes: pd.DataFrame, measure: str, group: str = "alle") -> float:
    """The single value of *measure* for *group* in ``ssb_sosialhjelp_2017_2018``."""
    rows = changes[(changes["measure"] == measure) & (changes["group"] == group)]
    if len(rows) != 1:
        raise KeyError(f"measure_value: expected one row for {measure!r}/{group!r}, found {len(rows)}")
    return float(rows["value"].iloc[0])


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def quarter_to_x(period: str) -> float:
    """``'2017Q1'`` → 2017.0, ``'2017Q3'`` → 2017.5: the start of the quarter on a year axis."""
    m = _QUARTER.match(str(period))
    if not m:
        raise ValueError(f"quarter_to_x: {period!r} is not a quarter like '2017Q1'")
    return int(m.group(1)) + (int(m.group(2)) - 1) / 4


def quarter_label(period: str) -> str:
    """``'2014Q1'`` → ``'1. kv. 2014'``: the Norwegian way to write a quarter, for tables."""
    m = _QUARTER.match(str(period))
    if not m:
        raise ValueError(f"quarter_label: {period!r} is not a quarter like '2017Q1'")
    return f"{m.group(2)}. kv. {m.group(1)}"


def quarterly(stats: pd.DataFrame, name: str, start: str, end: str) -> pd.DataFrame:
    """Quarterly rows of indicator *name* in ``norway_stats`` from *start* to *end* (inclusive).

    Returns columns ``period``, ``x`` (year axis, see :func:`quarter_to_x`) and ``value``.
    Refuses an unknown indicator, mixed units, duplicate quarters or a gap in the quarters.
    """
    rows = stats[stats["indicator"] == name]
    if rows.empty:
        raise KeyError(f"quarterly: no indicator {name!r}")
    if rows["unit"].nunique() != 1:
        raise ValueError(f"quarterly: indicator {name!r} mixes units {sorted(rows['unit'].unique())}")
    x = rows["period"].map(quarter_to_x)
    lo, hi = quarter_to_x(start), quarter_to_x(end)
    out = pd.DataFrame({"period": rows["period"].astype(str), "x": x.astype(float),
                        "value": rows["value"].astype(float)})
    out = out[(out["x"] >= lo) & (out["x"] <= hi)].sort_values("x").reset_index(drop=True)
    if out["x"].duplicated().any():
        raise ValueError(f"quarterly: indicator {name!r} has duplicate quarters")
    expected = int(round((hi - lo) * 4)) + 1
    if len(out) != expected:
        raise ValueError(f"quarterly: indicator {name!r} has {len(out)} of {expected} quarters {start}–{end}")
    return out


def plot_reform_context(changes: pd.DataFrame, series: Mapping[str, pd.DataFrame], source: str):
    """Two panels: the age-group changes as bars (left) and quarterly unemployment (right) with
    the date § 20 a took effect marked. *series* maps a Norwegian label to a :func:`quarterly`
    frame. Bars differ by hatch as well as colour; lines by line style and a direct label (no markers,
    which keeps the SVG light)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.4), gridspec_kw={"width_ratios": [1, 1.35]})
    colours = [figures.PALETTE["vermillion"] if v < 0 else figures.PALETTE["blue"] for v in changes["change"]]
    hatches = ["//" if v < 0 else "" for v in changes["change"]]
    y = np.arange(len(changes))[::-1]
    bars = left.barh(y, changes["change"], color=colours, edgecolor="black", linewidth=0.6)
    for bar, hatch in zip(bars, hatches):
        bar.set_hatch(hatch)
    for yi, v in zip(y, changes["change"]):
        left.annotate(fmt.number(v) if v < 0 else "+" + fmt.number(v), (v, yi),
                      xytext=(-4 if v < 0 else 4, 0), textcoords="offset points",
                      ha="right" if v < 0 else "left", va="center", fontsize=10)
    left.set_yticks(y, changes["label"])
    left.axvline(0, color="black", lw=0.8)
    span = max(abs(changes["change"])) * 2.3
    left.set_xlim(-span, span)
    figures.norwegian_axis(left, "x")
    first, last = changes["from_year"].iloc[0], changes["to_year"].iloc[0]
    left.set_xlabel(f"Endring i antall mottakere, {first}–{last}")
    left.set_title("A  Mottakere av sosialhjelp", loc="left", fontsize=11)

    styles = ["-", "--", "-.", ":"]
    for i, (label, frame) in enumerate(series.items()):
        ls = styles[i % len(styles)]
        colour = figures.CYCLE[i % len(figures.CYCLE)]
        right.plot(frame["x"], frame["value"], ls=ls, lw=1.8, color=colour, label=label)
        right.annotate(label, (frame["x"].iloc[-1], frame["value"].iloc[-1]), xytext=(6, 0),
                       textcoords="offset points", va="center", fontsize=9, color=colour)
    right.axvline(REFORM_X, color=figures.GREY, ls=":", lw=1.2)
    top = max(float(f["value"].max()) for f in series.values())
    right.annotate("§ 20 a gjelder\nfra 1.1.2017", (REFORM_X, 0.25), xytext=(5, 0), textcoords="offset points",
                   ha="left", va="bottom", fontsize=9, color=figures.GREY)
    right.set_ylim(0, top * 1.15)
    right.set_ylabel("Prosent av arbeidsstyrken")
    figures.norwegian_axis(right, "y", 1)
    figures.year_axis(right)
    right.set_title("B  Arbeidsledighet, sesongjustert", loc="left", fontsize=11)
    fig.subplots_adjust(left=0.11, right=0.80, bottom=0.2, wspace=0.35)
    figures.source_line(fig, source)
    return fig


def _table_html(frame: pd.DataFrame, caption: str, columns: Mapping[str, str], formats) -> str:
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats).data


def reform_data_table(changes: pd.DataFrame, series: Mapping[str, pd.DataFrame]):
    """The numbers behind :func:`plot_reform_context` as two accessible tables."""
    from IPython.display import HTML

    first = _table_html(
        changes, "Endring i antall sosialhjelpsmottakere etter alder",
        {"label": "Aldersgruppe", "from_year": "Fra år", "to_year": "Til år", "change": "Endring (personer)"},
        {"change": lambda v: fmt.number(v), "from_year": str, "to_year": str},
    )
    wide = pd.concat({label: f.set_index("period")["value"] for label, f in series.items()}, axis=1)
    wide = wide.reset_index().rename(columns={"index": "period"})
    second = _table_html(
        wide, "Arbeidsledighet per kvartal, prosent av arbeidsstyrken",
        {"period": "Kvartal", **{label: label for label in series}},
        {"period": quarter_label, **{label: (lambda v: fmt.number(v, 2)) for label in series}},
    )
    return HTML(first + second)


CASE_AGE_LABELS = {"-19": "Under 20", "20-24": "20–24", "25-29": "25–29", "30-39": "30–39", "40-49": "40–49",
                   "50-66": "50–66", "67+": "67 og over", "total": "I alt"}


def cases_table(wide: pd.DataFrame):
    """SSB's stønadstilfeller by age and year (``stats.wide`` of ``sosialhjelp_stonadstilfelle``) as an
    accessible table, one row per year, so the exercise on 2005–2008 can be done with a calculator."""
    unknown = [c for c in wide.columns if c not in CASE_AGE_LABELS]
    if unknown:
        raise KeyError(f"cases_table: unknown age group(s) {unknown}")
    frame = wide.reset_index()
    frame["year"] = frame["year"].astype(int).astype(str)
    return figures.data_table(
        frame, caption="Stønadstilfeller med økonomisk sosialhjelp etter alder (år), 2005–2008",
        columns={"year": "År", **{c: CASE_AGE_LABELS[c] for c in wide.columns}},
        formats={c: (lambda v: fmt.number(v)) for c in wide.columns},
        notes=["Kilde: SSB. Den som har fått hjelp i flere kommuner, telles flere ganger. SSB har fotnoter om "
               "definisjonsendringer i flere av årene."],
    )


# ------------------------------------------------------------------------- the 2018 office survey

SURVEY_ITEMS = [
    ("introduced >=1 year before law change", "Hadde aktivitetsplikt minst ett år før lovendringen"),
    ("'many more' with activity conditions after 2017", "«Mange flere» med aktivitetsplikt etter 2017"),
    ("'some more' with activity conditions after 2017", "«Noen flere» med aktivitetsplikt etter 2017"),
    ("agree positive statements", "Enig i positive utsagn om virkningene*"),
    ("earlier adopters saying more bureaucracy", "Mer byråkrati (blant kontorer med plikt før 2017)"),
]


def survey_table(stats: pd.DataFrame) -> pd.DataFrame:
    """The 2018 survey of NAV offices as one row per item: ``label``, ``low``, ``high`` (percent).

    The source gives the agreement with three positive statements as a range (70–78 %), stored as
    two rows; they become one row with ``low`` < ``high``. Every other item has ``low == high``.
    """
    rows = stats[stats["indicator"] == "aktivitetsplikt_nav_office_survey"]
    if rows.empty:
        raise KeyError("survey_table: no rows for indicator 'aktivitetsplikt_nav_office_survey'")
    if set(rows["unit"]) != {"percent of NAV offices"}:
        raise ValueError(f"survey_table: unexpected unit(s) {sorted(set(rows['unit']))}")
    values = dict(zip(rows["group"], rows["value"].astype(float)))
    out = []
    for key, label in SURVEY_ITEMS:
        if key == "agree positive statements":
            low, high = values.get(key + " (range low)"), values.get(key + " (range high)")
        else:
            low = high = values.get(key)
        if low is None or high is None:
            raise KeyError(f"survey_table: no value for item {key!r}")
        out.append({"item": key, "label": label, "low": low, "high": high})
    return pd.DataFrame(out)


def plot_survey(table: pd.DataFrame, source: str):
    """Horizontal bars for the survey items; a range is drawn as a hatched bar from 0 to the low
    end plus a lighter segment up to the high end, and labelled «low–high %»."""
    fig, ax = plt.subplots(figsize=(8.6, 3.9))
    y = np.arange(len(table))[::-1]
    for yi, (_, row) in zip(y, table.iterrows()):
        is_range = row["high"] > row["low"]
        ax.barh(yi, row["low"], color=figures.PALETTE["blue"], edgecolor="black", lw=0.6)
        if is_range:
            ax.barh(yi, row["high"] - row["low"], left=row["low"], color=figures.PALETTE["skyblue"],
                    edgecolor="black", lw=0.6, hatch="\\\\")
            text = fmt.interval(row["low"], row["high"], 0) + "\u00a0%"
        else:
            text = fmt.percent(row["low"], 0)
        ax.annotate(text, (row["high"], yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
    ax.set_yticks(y, table["label"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Prosent av Nav-kontorene som svarte")
    figures.norwegian_axis(ax, "x")
    fig.subplots_adjust(left=0.46, right=0.97, bottom=0.26)
    fig.text(0.01, 0.075, "* Tre utsagn; kilden oppgir 70–78 % samlet. Det lyse feltet viser spennet.",
             fontsize=8.5, color=figures.GREY)
    figures.source_line(fig, source)
    return fig


def survey_data_table(table: pd.DataFrame):
    """The numbers behind :func:`plot_survey` (percent of NAV offices), one column: a single
    number, or «low–high» where the source gives a range."""
    table = table.assign(percent=[fmt.number(lo) if hi == lo else fmt.interval(lo, hi, 0)
                                  for lo, hi in zip(table["low"], table["high"])])
    return figures.data_table(
        table, caption="Svar fra Nav-kontorene i 2018, prosent av kontorene",
        columns={"label": "Spørsmål", "percent": "Prosent"},
        formats={"percent": str},
        notes=["For de positive utsagnene oppgir kilden et spenn for tre utsagn samlet."],
    )


# ----------------------------------------------------------------------------- the simulation
#
# Every number the chapter shows from the model is an expected value (expected_flows): the
# share of the cohort in each state, computed exactly from the transition probabilities, with
# no random draws. Uncertainty is shown by varying the assumptions (tradeoff_grid, sensitivity),
# not by repeating random runs. simulate_flows is kept for readers who want to see how much a
# small office's numbers can vary by chance around the expectation.

STATES = ("benefit", "work", "other", "none")
STATE_LABELS = {"benefit": "På sosialhjelp", "work": "I arbeid", "other": "Annen ytelse", "none": "Uten inntekt"}
SCENARIO_LABELS = {"baseline": "Uten sanksjonsregime", "sanctions": "Med sanksjonsregime"}

PARAMETERS: dict[str, Parameter] = {
    "n_persons": Parameter(1000, "Unge sosialhjelpsmottakere i starten", "valgt for å regne i personer"),
    "months": Parameter(24, "Måneder som følges", "valgt"),
    "exit_work": Parameter(0.08, "Per måned: fra stønad til arbeid",
                           "antakelse (to tredeler av avgangen); samlet avgang 12 % tilpasset SSBs stønadstid"),
    "exit_other": Parameter(0.02, "Per måned: fra stønad til annen ytelse (for eksempel AAP)", "antakelse (en sjettedel av avgangen)"),
    "exit_none": Parameter(0.02, "Per måned: fra stønad til ingen inntekt", "antakelse (en sjettedel av avgangen)"),
    "threat_effect": Parameter(0.15, "Med sanksjonsregime: relativ økning i overgangen til arbeid (trusseleffekt)",
                               "antakelse"),
    "sanction_rate": Parameter(0.02, "Med sanksjonsregime: andel mottakere som får stønaden redusert per måned",
                               "antakelse (ingen publiserte norske tall)"),
    "after_sanction_work": Parameter(0.2, "Av dem som får trekk: andel som går til arbeid", "antakelse"),
    "after_sanction_other": Parameter(0.2, "Av dem som får trekk: andel som går til annen ytelse", "antakelse"),
    "after_sanction_none": Parameter(0.4, "Av dem som får trekk: andel som blir uten inntekt", "antakelse"),
    "job_loss": Parameter(0.02, "Per måned: mister jobben og søker stønad igjen", "antakelse"),
    "return_from_none": Parameter(0.04, "Per måned: søker stønad igjen etter en tid uten inntekt", "antakelse"),
    "none_to_work": Parameter(0.02, "Per måned: finner arbeid etter en tid uten inntekt", "antakelse"),
}
SEED = 2026  # fixed seed for simulate_flows (book.simulation.rng): the same draws in every build
_PROBABILITIES = ("exit_work", "exit_other", "exit_none", "threat_effect", "sanction_rate", "after_sanction_work",
                  "after_sanction_other", "after_sanction_none", "job_loss", "return_from_none", "none_to_work")


def parameters(**changes) -> dict[str, Parameter]:
    """The default assumptions with some values changed: ``parameters(sanction_rate=0.08)``.

    Unknown names raise ``KeyError``; the changed set is checked with :func:`check_parameters`.
    """
    unknown = sorted(set(changes) - set(PARAMETERS))
    if unknown:
        raise KeyError(f"parameters: unknown parameter(s) {unknown}; known: {sorted(PARAMETERS)}")
    params = {k: (replace(p, value=changes[k]) if k in changes else p) for k, p in PARAMETERS.items()}
    check_parameters(params)
    return params


#: Average months with social assistance in a calendar year, enslige 20–24 år, SSB soshjelpk
#: tabell 1 (statistikkbanken's published table on the statistics page), 2015–2019: men 4.8–4.9,
#: women 4.6–4.8. The three baseline exits above add up to 12 % a month, which gives
#: :func:`calendar_year_months` ≈ 4.9; how the exits are split is an assumption.
SSB_MONTHS_20_24 = (4.6, 4.9)


def calendar_year_months(params: Mapping[str, Parameter | float]) -> float:
    """Average months on social assistance within a calendar year that the baseline exits imply,
    to compare with SSB's «gjennomsnittlig stønadstid» (months with assistance in the year, among
    everyone who had assistance in the year).

    With a steady inflow of new recipients and the same monthly exit probability *h* for everyone,
    the stock is inflow/h; each month the stock is on assistance, and the persons seen in a year
    are the stock at the start plus twelve months of inflow. The average is therefore
    ``12 / (1 + 12 h)``. Returns to assistance within the year are ignored (they would lengthen the
    average a little for the same *h*).
    """
    h = monthly_exit(params)
    if h <= 0:
        raise ValueError("the monthly exits from benefit must be positive")
    return 12 / (1 + 12 * h)


def monthly_exit(params: Mapping[str, Parameter | float]) -> float:
    """The monthly probability (0–1) of leaving benefit without sanctions: the three baseline exits
    (to work, to another benefit, to no income) added up."""
    return sum(_v(params, n) for n in ("exit_work", "exit_other", "exit_none"))


def monthly_exit_for_months(months: float) -> float:
    """The monthly exit probability *h* (0–1) that gives *months* average months on assistance in a
    calendar year under the steady-state assumptions of :func:`calendar_year_months` (its inverse):
    ``h = (12 / months - 1) / 12``."""
    if not 0 < months <= 12:
        raise ValueError("months must be in (0, 12]")
    return (12 / months - 1) / 12


def ssb_exit_range() -> tuple[float, float]:
    """The monthly exit probabilities (low, high; 0–1) that match SSB's 4.9 and 4.6 months
    (:data:`SSB_MONTHS_20_24`) under the assumptions of :func:`calendar_year_months`."""
    return tuple(monthly_exit_for_months(m) for m in sorted(SSB_MONTHS_20_24, reverse=True))


def ever_sanctioned(params: Mapping[str, Parameter | float]) -> float:
    """Expected share (0–1) of the cohort that has the benefit reduced at least once during
    ``months`` under the sanction regime.

    Follows the persons who have not yet had a reduction: each month a share ``sanction_rate`` of
    those of them on benefit get one; the rest move as in the regime without the sanction moves
    (the threat effect included), and may come back to benefit from work or no income.
    """
    check_parameters(params)
    rate = _v(params, "sanction_rate")
    work = _v(params, "exit_work") * (1 + _v(params, "threat_effect"))
    other, none = _v(params, "exit_other"), _v(params, "exit_none")
    loss, back, find = _v(params, "job_loss"), _v(params, "return_from_none"), _v(params, "none_to_work")
    b, w, z = 1.0, 0.0, 0.0  # never sanctioned: on benefit, in work, without income (other is absorbing)
    hit = 0.0
    for _ in range(int(_v(params, "months"))):
        hit += b * rate
        stay = max(1 - rate - work - other - none, 0.0)
        b, w, z = b * stay + w * loss + z * back, w * (1 - loss) + b * work + z * find, z * (1 - back - find) + b * none
    return hit


def _v(params: Mapping[str, Parameter | float], name: str) -> float:
    p = params[name]
    return p.value if isinstance(p, Parameter) else p


def _with(params: Mapping[str, Parameter | float], **changes) -> dict[str, Parameter | float]:
    """A copy of *params* with some values changed, keeping labels where the values are Parameters."""
    out = dict(params)
    for name, value in changes.items():
        if name not in out:
            raise KeyError(f"unknown parameter {name!r}")
        out[name] = replace(out[name], value=value) if isinstance(out[name], Parameter) else value
    check_parameters(out)
    return out


def check_parameters(params: Mapping[str, Parameter | float]) -> None:
    """Raise ``ValueError`` with a clear message if the assumptions cannot describe probabilities."""
    for name in _PROBABILITIES:
        value = _v(params, name)
        if not 0 <= value <= 1:
            raise ValueError(f"{name} = {value}: must be a probability between 0 and 1")
    after = sum(_v(params, n) for n in ("after_sanction_work", "after_sanction_other", "after_sanction_none"))
    if after > 1 + 1e-12:
        raise ValueError(f"after_sanction_work + _other + _none = {after:.3f}: the shares cannot exceed 1")
    for regime in (False, True):
        stay = monthly_probabilities(params, regime, check=False)["benefit"]
        if stay < -1e-12:
            raise ValueError("the monthly exits from benefit add up to more than 1: lower the exit rates")
    if _v(params, "return_from_none") + _v(params, "none_to_work") > 1 + 1e-12:
        raise ValueError("return_from_none + none_to_work cannot exceed 1")
    if int(_v(params, "n_persons")) < 1 or int(_v(params, "months")) < 1:
        raise ValueError("n_persons and months must be at least 1")


def monthly_probabilities(params: Mapping[str, Parameter | float], sanctions: bool, check: bool = True) -> dict[str, float]:
    """Where a person on social assistance is one month later, with or without a sanction regime.

    Without sanctions the exits are ``exit_work``, ``exit_other`` and ``exit_none``. With sanctions
    the exit to work is raised by the relative ``threat_effect``, and each month a share
    ``sanction_rate`` has the benefit reduced; of those, the ``after_sanction_*`` shares leave for
    work, another benefit or no income, and the rest stay on (reduced) benefit.
    """
    if check:
        check_parameters(params)
    work, other, none = _v(params, "exit_work"), _v(params, "exit_other"), _v(params, "exit_none")
    if sanctions:
        rate = _v(params, "sanction_rate")
        work = work * (1 + _v(params, "threat_effect")) + rate * _v(params, "after_sanction_work")
        other += rate * _v(params, "after_sanction_other")
        none += rate * _v(params, "after_sanction_none")
    return {"benefit": 1 - work - other - none, "work": work, "other": other, "none": none}


def first_month_channels(params: Mapping[str, Parameter | float]) -> pd.DataFrame:
    """The extra moves the sanction regime adds in the first month, per 100 recipients, by channel.

    This is where the model's work effect comes from: it is put in by two assumptions (the threat
    effect and the share of those sanctioned who go to work), not found by the model. Columns
    ``channel``, ``label`` (Norwegian), ``to`` (a state or ``reduced``) and ``per_100``.
    """
    check_parameters(params)
    rate = _v(params, "sanction_rate")
    shares = {s: _v(params, f"after_sanction_{s}") for s in ("work", "other", "none")}
    rows = [
        ("threat", "Trusseleffekt: flere går til arbeid", "work", _v(params, "exit_work") * _v(params, "threat_effect")),
        ("sanction_work", "Trekk i stønaden, går til arbeid", "work", rate * shares["work"]),
        ("sanction_other", "Trekk i stønaden, går til annen ytelse", "other", rate * shares["other"]),
        ("sanction_none", "Trekk i stønaden, blir uten inntekt", "none", rate * shares["none"]),
        ("sanction_stay", "Trekk i stønaden, blir på redusert stønad", "reduced", rate * (1 - sum(shares.values()))),
    ]
    return pd.DataFrame([{"channel": c, "label": lab, "to": to, "per_100": 100 * v} for c, lab, to, v in rows])


def expected_flows(params: Mapping[str, Parameter | float], sanctions: bool) -> pd.DataFrame:
    """Expected number of persons in each state, month 0 to ``months`` (no randomness).

    «Another benefit» is absorbing in this model; people in work may lose the job and reapply;
    people without income may reapply or find work.
    """
    p = monthly_probabilities(params, sanctions)
    loss, back, find = _v(params, "job_loss"), _v(params, "return_from_none"), _v(params, "none_to_work")
    state = np.array([float(_v(params, "n_persons")), 0.0, 0.0, 0.0])
    rows = [state.copy()]
    for _ in range(int(_v(params, "months"))):
        b, w, o, z = state
        state = np.array([
            b * p["benefit"] + w * loss + z * back,
            w * (1 - loss) + b * p["work"] + z * find,
            o + b * p["other"],
            z * (1 - back - find) + b * p["none"],
        ])
        rows.append(state.copy())
    return pd.DataFrame(rows, columns=list(STATES)).rename_axis("month")


def expected_scenarios(params: Mapping[str, Parameter | float]) -> dict[str, pd.DataFrame]:
    """The expected flows of the same cohort without and with a sanction regime."""
    return {"baseline": expected_flows(params, False), "sanctions": expected_flows(params, True)}


def end_shares(results: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Share (0–1) of the cohort in each state in the last month, one row per scenario, plus the
    difference row ``difference`` = sanctions − baseline."""
    shares = {name: frame.iloc[-1] / frame.iloc[0].sum() for name, frame in results.items()}
    table = pd.DataFrame(shares).T[list(STATES)]
    table.loc["difference"] = table.loc["sanctions"] - table.loc["baseline"]
    return table


def work_per_fewer_claimant(table: pd.DataFrame) -> float:
    """Of each person fewer on social assistance, how many are in work (from :func:`end_shares`)."""
    fall = -table.loc["difference", "benefit"]
    if fall <= 0:
        raise ValueError("the sanction regime did not lower the caseload under these assumptions")
    return float(table.loc["difference", "work"] / fall)


def outcome(params: Mapping[str, Parameter | float]) -> dict[str, float]:
    """The model's answer under *params*, as expected values in the last month.

    ``fall_benefit``: how many percentage points fewer of the cohort are on social assistance with
    the sanction regime; ``work``, ``other``, ``none``: how many percentage points more are in each
    of the other states; ``work_per_100``: of every 100 fewer on social assistance, how many more
    are in work (can be negative: more people without income can mean fewer in work).
    """
    table = end_shares(expected_scenarios(params))
    d = table.loc["difference"]
    out = {"fall_benefit": -100 * float(d["benefit"]), **{s: 100 * float(d[s]) for s in ("work", "other", "none")}}
    out["work_per_100"] = 100 * work_per_fewer_claimant(table)
    return out


def with_none_share(params: Mapping[str, Parameter | float], none: float) -> dict[str, Parameter | float]:
    """*params* with ``after_sanction_none`` set to *none* and ``after_sanction_work`` adjusted so that
    their sum is unchanged: of those who leave after a reduction, a larger share without income
    means a smaller share in work. The shares going to another benefit or staying are unchanged."""
    total = _v(params, "after_sanction_work") + _v(params, "after_sanction_none")
    if not -1e-12 <= none <= total + 1e-12:
        raise ValueError(f"after_sanction_none = {none}: must lie between 0 and {total:.3f} "
                         "(after_sanction_work + after_sanction_none)")
    none = min(max(none, 0.0), total)
    return _with(params, after_sanction_none=none, after_sanction_work=total - none)


_AFTER = ("after_sanction_work", "after_sanction_other", "after_sanction_none")


def leave_share(params: Mapping[str, Parameter | float]) -> float:
    """Of those who have the benefit reduced, the share (0–1) who leave benefit the same month: the
    three ``after_sanction_*`` shares added up. The rest stay on reduced benefit."""
    return sum(_v(params, n) for n in _AFTER)


def with_leave_share(params: Mapping[str, Parameter | float], leave: float) -> dict[str, Parameter | float]:
    """*params* with the three ``after_sanction_*`` shares scaled so that they add up to *leave*,
    keeping how those who leave are split between work, another benefit and no income.

    In the model only ``sanction_rate`` times each share matters, so halving *leave* gives the same
    flows as halving ``sanction_rate`` (only :func:`ever_sanctioned` differs)."""
    if not 0 <= leave <= 1:
        raise ValueError(f"leave = {leave}: must be a share between 0 and 1")
    total = leave_share(params)
    if total <= 0:
        raise ValueError("the after_sanction_* shares add up to 0: nothing to scale")
    return _with(params, **{n: _v(params, n) * leave / total for n in _AFTER})


def assumptions_for_table(params: Mapping[str, Parameter]) -> dict[str, Parameter]:
    """The assumptions as shown to the reader: *params* plus one derived row, right after the three
    ``after_sanction_*`` rows, stating the share of those sanctioned who leave benefit the same month
    (:func:`leave_share`) as the assumption it is. The row is not a separate input to the model."""
    out: dict[str, Parameter] = {}
    for name, p in params.items():
        out[name] = p
        if name == "after_sanction_none":
            leave = leave_share(params)
            out["after_sanction_leave"] = Parameter(
                round(leave, 4), "Av dem som får trekk: andel som forlater stønaden samme måned (summen av de tre over)",
                f"antakelse (et trekk er en reduksjon, ikke en stans; de øvrige {fmt.percent(100 * (1 - leave), 0)} "
                "blir på redusert stønad)")
    return out


def rate_comparison(params: Mapping[str, Parameter | float], rates=(0.02, 0.01)) -> pd.DataFrame:
    """The model's answer for each monthly ``sanction_rate`` in *rates*, other assumptions as in
    *params*: one row per rate with ``sanction_rate``, ``ever_sanctioned`` (0–1) and the columns of
    :func:`outcome` (percentage points, and ``work_per_100``)."""
    rows = []
    for rate in rates:
        p = _with(params, sanction_rate=rate)
        rows.append({"sanction_rate": float(rate), "ever_sanctioned": ever_sanctioned(p), **outcome(p)})
    return pd.DataFrame(rows)


def rate_comparison_table(table: pd.DataFrame):
    """:func:`rate_comparison` as an accessible table."""
    frame = table.copy()
    return figures.data_table(
        frame, caption="Simulering: svaret etter to år med to ulike trekkandeler (forventede verdier)",
        columns={"sanction_rate": "Trekk per måned", "ever_sanctioned": "Minst ett trekk på to år",
                 "fall_benefit": "Færre på sosialhjelp (prosentpoeng)", "work": "Flere i arbeid (prosentpoeng)",
                 "other": "Flere på annen ytelse (prosentpoeng)", "none": "Flere uten inntekt (prosentpoeng)",
                 "work_per_100": "Flere i arbeid per 100 færre på sosialhjelp"},
        formats={"sanction_rate": lambda v: fmt.percent(100 * v, 0), "ever_sanctioned": lambda v: fmt.percent(100 * v, 0),
                 **{k: (lambda v: fmt.number(v, 1)) for k in ("fall_benefit", "work", "other", "none")},
                 "work_per_100": lambda v: fmt.number(v, 0)},
        notes=["Alle andre forutsetninger er som i tabellen over forutsetningene. Et negativt tall betyr færre."],
    )


def tradeoff_grid(params: Mapping[str, Parameter | float], none_values, threat_values) -> pd.DataFrame:
    """The model's answer for every combination of ``after_sanction_none`` (via :func:`with_none_share`)
    and ``threat_effect``, all other assumptions as in *params*. One row per combination."""
    rows = []
    for threat in threat_values:
        for none in none_values:
            p = with_none_share(_with(params, threat_effect=threat), none)
            rows.append({"threat_effect": float(threat), "after_sanction_none": float(_v(p, "after_sanction_none")),
                         "after_sanction_work": float(_v(p, "after_sanction_work")), **outcome(p)})
    return pd.DataFrame(rows)


def flip_point(params: Mapping[str, Parameter | float], target: float = 50.0, tol: float = 1e-7) -> float | None:
    """The share ``after_sanction_none`` at which *target* of every 100 fewer on social assistance are
    in work (with :func:`with_none_share`; other assumptions as in *params*).

    Below the returned value more than *target* of every 100 go to work, above it fewer. Returns
    ``None`` if the answer stays on one side of *target* over the whole range.
    """
    total = _v(params, "after_sanction_work") + _v(params, "after_sanction_none")

    def gap(none: float) -> float:
        return outcome(with_none_share(params, none))["work_per_100"] - target

    lo, hi = 0.0, total
    g_lo, g_hi = gap(lo), gap(hi)
    if g_lo < 0 or g_hi > 0:
        return None
    while hi - lo > tol:  # the answer falls as the share without income rises
        mid = (lo + hi) / 2
        if gap(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


#: One-at-a-time ranges for :func:`sensitivity`: name, Norwegian label, low value, high value.
SENSITIVITY = (
    ("threat_effect", "Trusseleffekt (relativ økning i overgang til arbeid)", 0.0, 0.5),
    ("after_sanction_none", "Av dem som får trekk: uten inntekt (resten av dem som går ut, til arbeid)", 0.1, 0.6),
    ("after_sanction_other", "Av dem som får trekk: til annen ytelse", 0.0, 0.4),
    ("sanction_rate", "Andel som får trekk per måned", 0.01, 0.06),
    ("after_sanction_leave", "Av dem som får trekk: forlater stønaden samme måned (fordelt som i tabellen)", 0.4, 1.0),
    ("exit_work", "Overgang fra stønad til arbeid per måned uten sanksjoner", 0.06, 0.10),
    ("none_to_work", "Overgang fra ingen inntekt til arbeid per måned", 0.01, 0.04),
)


def sensitivity(params: Mapping[str, Parameter | float], spec=SENSITIVITY) -> pd.DataFrame:
    """Change one assumption at a time to a low and a high value, the others as in *params*.

    Returns one row per assumption with ``name``, ``label``, ``low``, ``high``, ``default``,
    ``per100_low``, ``per100_high`` (work per 100 fewer on social assistance) and ``span`` (the
    distance between them), sorted with the assumption that moves the answer most first.
    ``after_sanction_none`` is moved with :func:`with_none_share`, and ``after_sanction_leave`` (the
    share of those sanctioned who leave benefit, :func:`leave_share`) with :func:`with_leave_share`.
    """
    movers = {"after_sanction_none": with_none_share, "after_sanction_leave": with_leave_share}
    rows = []
    for name, label, low, high in spec:
        results = []
        for value in (low, high):
            p = movers[name](params, value) if name in movers else _with(params, **{name: value})
            results.append(outcome(p)["work_per_100"])
        default = leave_share(params) if name == "after_sanction_leave" else _v(params, name)
        rows.append({"name": name, "label": label, "low": low, "high": high, "default": default,
                     "per100_low": results[0], "per100_high": results[1], "span": abs(results[1] - results[0])})
    return pd.DataFrame(rows).sort_values("span", ascending=False, kind="stable").reset_index(drop=True)


def simulate_flows(params: Mapping[str, Parameter | float], sanctions: bool, rng: np.random.Generator) -> pd.DataFrame:
    """One random run of the cohort: each month every person moves with the probabilities of
    :func:`monthly_probabilities` (multinomial draws from *rng*). Returns counts per state.
    Not used for the chapter's numbers, which are expected values (:func:`expected_flows`)."""
    p = monthly_probabilities(params, sanctions)
    loss, back, find = _v(params, "job_loss"), _v(params, "return_from_none"), _v(params, "none_to_work")
    b, w, o, z = int(_v(params, "n_persons")), 0, 0, 0
    rows = [(b, w, o, z)]
    from_benefit = [max(p["benefit"], 0.0), p["work"], p["other"], p["none"]]
    for _ in range(int(_v(params, "months"))):
        stay_b, to_w, to_o, to_z = rng.multinomial(b, from_benefit)
        lost = rng.binomial(w, loss)
        back_b, found, stay_z = rng.multinomial(z, [back, find, max(1 - back - find, 0.0)])
        b, w, o, z = stay_b + lost + back_b, w - lost + to_w + found, o + to_o, stay_z + to_z
        rows.append((b, w, o, z))
    return pd.DataFrame(rows, columns=list(STATES)).rename_axis("month")


def run_scenarios(params: Mapping[str, Parameter | float], rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """The same cohort without and with a sanction regime (one random run each)."""
    return {"baseline": simulate_flows(params, False, rng), "sanctions": simulate_flows(params, True, rng)}


HATCHES = {"benefit": "", "work": "//", "other": "--", "none": "xx"}
COLOURS = {"benefit": figures.PALETTE["vermillion"], "work": figures.PALETTE["blue"],
           "other": figures.PALETTE["orange"], "none": figures.PALETTE["purple"]}


def plot_flows(results: Mapping[str, pd.DataFrame], source: str):
    """Left: share on social assistance month by month in both scenarios. Right: where the cohort
    is in the last month, as stacked bars with hatching and the percentages written in."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.4), gridspec_kw={"width_ratios": [1.3, 1]})
    n = results["baseline"].iloc[0].sum()
    for (name, frame), (ls, colour) in zip(results.items(), [("-", figures.PALETTE["blue"]),
                                                            ("--", figures.PALETTE["vermillion"])]):
        share = 100 * frame["benefit"] / n
        left.plot(frame.index, share, ls=ls, lw=1.8, color=colour)
        left.annotate(SCENARIO_LABELS[name], (frame.index[-1], share.iloc[-1]), xytext=(-4, 9 if name == "baseline" else -11),
                      textcoords="offset points", ha="right", fontsize=9, color=colour)
    left.set_ylim(0, 105)
    left.set_xlabel("Måneder etter start")
    left.set_ylabel("Prosent av kullet på sosialhjelp")
    figures.norwegian_axis(left, "y")
    left.set_title("A  Stønadsmottakere", loc="left", fontsize=11)

    table = end_shares(results)
    x = np.arange(2)
    bottom = np.zeros(2)
    for state in STATES:
        values = 100 * table.loc[["baseline", "sanctions"], state].to_numpy(dtype=float)
        right.bar(x, values, bottom=bottom, color=COLOURS[state], hatch=HATCHES[state], edgecolor="black", lw=0.6,
                  width=0.6, label=STATE_LABELS[state])
        for xi, v, b0 in zip(x, values, bottom):
            if v >= 4:
                right.text(xi, b0 + v / 2, fmt.percent(v, 0), ha="center", va="center", fontsize=9,
                           bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
        bottom += values
    right.set_xticks(x, ["Uten\nsanksjoner", "Med\nsanksjoner"])
    right.set_ylim(0, 100)
    right.set_ylabel("Prosent av kullet, siste måned")
    figures.norwegian_axis(right, "y")
    handles = [Patch(facecolor=COLOURS[s], hatch=HATCHES[s], edgecolor="black", label=STATE_LABELS[s]) for s in STATES][::-1]
    right.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9)
    right.set_title("B  Hvor er de til slutt?", loc="left", fontsize=11)
    fig.subplots_adjust(left=0.08, right=0.80, bottom=0.18, wspace=0.35)
    figures.source_line(fig, source)
    return fig


def flows_data_table(table: pd.DataFrame):
    """The end shares of :func:`end_shares` as an accessible table (percent, and prosentpoeng for
    the difference row)."""
    frame = table.copy()
    frame.insert(0, "scenario", [SCENARIO_LABELS.get(i, "Forskjell (med − uten), prosentpoeng") for i in frame.index])
    formats = {state: (lambda v: fmt.number(100 * v, 1)) for state in STATES}
    return figures.data_table(
        frame, caption="Simulering: fordeling av kullet i siste måned, prosent (forventede verdier)",
        columns={"scenario": "Scenario", **STATE_LABELS}, formats=formats,
        notes=["Forskjellene er regnet før avrunding og kan derfor avvike med 0,1 fra forskjellen mellom de "
               "avrundede tallene over."],
    )


THREAT_STYLES = ["-", "--", "-.", ":"]


def plot_tradeoff(grid: pd.DataFrame, params: Mapping[str, Parameter | float], source: str,
                  flip: float | None = None):
    """Work per 100 fewer on social assistance (y) against the share of those sanctioned who end up
    without income (x, percent), one line per threat effect. A dashed line marks 50 (half the fall
    in the caseload is work); the answer under *params* is marked with a star, and *flip* (the share
    where the line for the threat effect in *params* crosses 50) with a dotted line."""
    default = (_v(params, "after_sanction_none"), outcome(params)["work_per_100"])
    fig, ax = plt.subplots(figsize=(8.6, 4.6))
    for i, (threat, frame) in enumerate(grid.groupby("threat_effect", sort=True)):
        ls = THREAT_STYLES[i % len(THREAT_STYLES)]
        colour = figures.CYCLE[i % len(figures.CYCLE)]
        x, y = 100 * frame["after_sanction_none"], frame["work_per_100"]
        ax.plot(x, y, ls=ls, lw=1.8, color=colour)
        ax.annotate(f"Trusseleffekt {fmt.percent(100 * threat, 0)}", (x.iloc[-1], y.iloc[-1]), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=9, color=colour)
    ax.axhline(50, color=figures.GREY, ls="--", lw=1)
    ax.annotate("Halvparten er arbeid", (100 * grid["after_sanction_none"].max(), 50), xytext=(6, 0),
                textcoords="offset points", va="center", fontsize=9, color=figures.GREY)
    ax.axhline(0, color="black", lw=0.6)
    if flip is not None:
        ax.axvline(100 * flip, color=figures.GREY, ls=":", lw=1.2)
    ax.plot(100 * default[0], default[1], marker="*", ms=14, color="black", ls="none")
    ax.annotate("Standardforutsetningene", (100 * default[0], default[1]), xytext=(8, -14), textcoords="offset points",
                fontsize=9)
    ax.set_xlabel("Av dem som får trekk: prosent som blir uten inntekt (resten av dem som går ut, går til arbeid)")
    ax.set_ylabel("Flere i arbeid per 100 færre på sosialhjelp")
    figures.norwegian_axis(ax, "x")
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(left=0.11, right=0.80, bottom=0.2)
    figures.source_line(fig, source)
    return fig


def tradeoff_data_table(grid: pd.DataFrame):
    """:func:`tradeoff_grid` as a wide table: one row per share without income, one column per
    threat effect, cells = more in work per 100 fewer on social assistance."""
    wide = grid.pivot(index="after_sanction_none", columns="threat_effect", values="work_per_100").reset_index()
    threat_cols = [c for c in wide.columns if c != "after_sanction_none"]
    wide.columns = ["after_sanction_none", *[f"t{c}" for c in threat_cols]]
    columns = {"after_sanction_none": "Av dem som får trekk: uten inntekt",
               **{f"t{c}": f"Trusseleffekt {fmt.percent(100 * c, 0)}" for c in threat_cols}}
    formats = {"after_sanction_none": lambda v: fmt.percent(100 * v, 0),
               **{f"t{c}": (lambda v: fmt.number(v, 0)) for c in threat_cols}}
    return figures.data_table(
        wide, caption="Simulering: flere i arbeid per 100 færre på sosialhjelp (forventede verdier)",
        columns=columns, formats=formats,
        notes=["Resten av dem som går ut av stønaden etter et trekk, går til arbeid; andelen som går til "
               "annen ytelse, og alle andre forutsetninger er som i tabellen over forutsetningene.",
               "Et tall over 100 betyr at økningen i arbeid er større enn nedgangen på sosialhjelp: Trusselen får "
               "da også noen som ellers ville endt på en annen ytelse eller uten inntekt, over i arbeid."],
    )


def sensitivity_data_table(table: pd.DataFrame):
    """:func:`sensitivity` as an accessible table."""
    frame = table.copy()
    for col in ("low", "high", "default"):
        frame[col] = frame[col].map(lambda v: fmt.percent(100 * v, 0))
    return figures.data_table(
        frame, caption="Simulering: flere i arbeid per 100 færre på sosialhjelp når én forutsetning endres",
        columns={"label": "Forutsetning", "default": "Standardverdi", "low": "Lav verdi", "per100_low": "Svar ved lav",
                 "high": "Høy verdi", "per100_high": "Svar ved høy"},
        formats={"per100_low": lambda v: fmt.number(v, 0), "per100_high": lambda v: fmt.number(v, 0)},
        notes=["Alle andre forutsetninger er som i tabellen over forutsetningene. Forutsetningen som flytter "
               "svaret mest, står først."],
    )
