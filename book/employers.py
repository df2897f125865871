"""Chapter 4 (the demand perspective): employers, wage subsidies and the employer's calculation.

Three parts, each with its own figure:

* **Who gets the job?** (:func:`labour_force_table`). The AKU supplement on disability
  2006–2012 (``norway_stats``) seen from the demand side: among the people who *offer* their
  labour – the labour force, employed plus unemployed – how many are unemployed, with and
  without a disability? The rates for people *without* a disability are computed from the
  published counts with :func:`book.labour.rate_outside_group` (chapter 1's function), because a
  published rate for «all» includes the group itself.
* **After a wage subsidy** (:func:`stable_attachment`). The shares with a stable attachment to
  ordinary work within three years after starting midlertidig lønnstilskudd, as the summary of
  Nossen (2024) states them (``lonnstilskudd_stabil``).
* **The employer's calculation** (a teaching simulation). An employer considers hiring a
  candidate whose productivity is uncertain. Everything is measured in *monthly wage costs*:
  every employee costs 1 per month. An ordinary new employee also needs training: they start at
  ``start_share`` of their long-run level and reach it after ``ordinary_learning_months``. The
  value of a month's work at the ordinary long-run level (:func:`value_per_month`) is set so that
  such an ordinary hire exactly pays for itself over the horizon (a normalisation). The candidate
  starts at ``start_share`` of *their* long-run level and reaches it after ``learning_months``;
  the first ``extra_cost_months`` cost ``extra_cost`` extra per month (the candidate's extra
  follow-up). A candidate who learns as fast as an ordinary hire and needs no extra follow-up
  therefore breaks even at level 1 without subsidy; the first edition assumed an ordinary hire
  needs no training at all, which put that break-even above 1 for no stated reason. A wage subsidy pays a share of the wage
  cost per month, following the rates NAV states (``lonnstilskudd_satser``). Over
  ``horizon_months`` the employer's expected result is linear in the long-run level, so the
  level at which hiring breaks even has a closed form (:func:`break_even`). Uncertainty about
  the level is a Beta distribution on 0–``max_level`` with a given mean and standard deviation; the probability
  that the hire ends in a loss is computed twice, by seeded simulation
  (:func:`loss_curve`, :func:`book.simulation.rng`) and exactly (the Beta distribution's CDF at
  the break-even level), and the tests check that the two agree.

The simulation is a thinking tool, not a description of how employers decide: every number in
it except the subsidy rates is an assumption (see :func:`parameter_table`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats as sps

from . import figures, fmt, labour, simulation, stats

# --------------------------------------------------------------------------------------------
# Part 1: the labour force with and without a disability (AKU supplement 2006–2012)
# --------------------------------------------------------------------------------------------

AKU_GROUP = "15-66"
AKU_YEARS = (2006, 2012)
AKU_COUNTS = {
    "persons_dis": "disability_aku_persons_disabled_1000",
    "employed_dis": "disability_aku_employed_disabled_1000",
    "unemployed_dis": "disability_aku_unemployed_disabled_1000",
    "persons_all": "disability_aku_persons_total_1000",
    "employed_all": "disability_aku_employed_total_1000",
    "unemployed_all": "disability_aku_unemployed_total_1000",
}
GROUP_LABELS = {"dis": "Med nedsatt funksjonsevne", "oth": "Uten nedsatt funksjonsevne"}
SHORT_LABELS = {"dis": "Med nedsatt\nfunksjonsevne", "oth": "Uten nedsatt\nfunksjonsevne"}
STATUS_LABELS = {"employed": "Sysselsatt", "unemployed": "Arbeidsledig", "outside": "Utenfor arbeidsstyrken"}


def labour_force_table(norway_stats: pd.DataFrame, years: tuple[int, int] = AKU_YEARS) -> pd.DataFrame:
    """One row per year (index ``year``): counts in 1000 persons for people with a disability
    (``*_dis``), for everybody (``*_all``) and for those without (``*_oth`` = all minus the group),
    and rates in percent: employment rate (``emp_rate_*``), unemployment rate as a share of the
    labour force (``unemp_rate_*``), share outside the labour force (``outside_*``), and the ratio
    of the two unemployment rates (``unemp_ratio``).

    Raises ``KeyError`` if an indicator is missing and ``ValueError`` if a year lacks a count.
    """
    parts = {key: stats.wide(stats.indicator(norway_stats, name, groups=[AKU_GROUP], years=years))[AKU_GROUP]
             for key, name in AKU_COUNTS.items()}
    table = pd.DataFrame(parts).astype(float)
    if table.isna().any().any():
        raise ValueError(f"labour_force_table: missing counts in {table.columns[table.isna().any()].tolist()}")
    for kind in ("persons", "employed", "unemployed"):
        table[f"{kind}_oth"] = table[f"{kind}_all"] - table[f"{kind}_dis"]
    for g in ("dis", "all", "oth"):
        table[f"lf_{g}"] = table[f"employed_{g}"] + table[f"unemployed_{g}"]
    table["emp_rate_dis"] = table["employed_dis"] / table["persons_dis"] * 100
    table["unemp_rate_dis"] = table["unemployed_dis"] / table["lf_dis"] * 100
    table["emp_rate_oth"] = [labour.rate_outside_group(r.employed_all, r.persons_all, r.employed_dis, r.persons_dis)
                             for r in table.itertuples()]
    table["unemp_rate_oth"] = [labour.rate_outside_group(r.unemployed_all, r.lf_all, r.unemployed_dis, r.lf_dis)
                               for r in table.itertuples()]
    for g in ("dis", "oth"):
        table[f"outside_{g}"] = (table[f"persons_{g}"] - table[f"lf_{g}"]) / table[f"persons_{g}"] * 100
    table["unemp_ratio"] = table["unemp_rate_dis"] / table["unemp_rate_oth"]
    table.index.name = "year"
    return table


def status_shares(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Shares (percent of the population in the group) employed, unemployed and outside the
    labour force in *year*, one row per group; each row adds up to 100."""
    if year not in table.index:
        raise KeyError(f"status_shares: no year {year} (have {list(table.index)})")
    row = table.loc[year]
    out = []
    for g in ("dis", "oth"):
        persons = row[f"persons_{g}"]
        out.append({"group": g, "label": GROUP_LABELS[g], "short": SHORT_LABELS[g],
                    "employed": row[f"employed_{g}"] / persons * 100,
                    "unemployed": row[f"unemployed_{g}"] / persons * 100,
                    "outside": row[f"outside_{g}"]})
    return pd.DataFrame(out).set_index("group")


def plot_labour_force(table: pd.DataFrame, year: int, source: str):
    """Two panels: the population by labour-market status in *year* (stacked bars, one per
    group; hatching and fill as well as colour), and the unemployment rate in the labour force per year
    for both groups (lines with their own markers and direct labels)."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.4, 6.6), gridspec_kw={"height_ratios": [2, 3]})
    shares = status_shares(table, year)
    colours = {"employed": figures.PALETTE["blue"], "unemployed": figures.PALETTE["vermillion"],
               "outside": "white"}
    hatches = {"employed": "", "unemployed": "////", "outside": ""}  # outside: white with a grey edge
    y = np.arange(len(shares))[::-1]
    for yi, (g, row) in zip(y, shares.iterrows()):
        left = 0.0
        for status in STATUS_LABELS:
            width = row[status]
            top.barh(yi, width, left=left, height=0.55, color=colours[status], hatch=hatches[status],
                     edgecolor=figures.GREY if status == "outside" else colours[status], lw=0.8,
                     label=STATUS_LABELS[status] if g == "dis" else None)
            text = fmt.percent(width, 1 if status == "unemployed" else 0)
            if status == "employed":
                top.text(left + width / 2, yi, text, ha="center", va="center", color="white", fontsize=9,
                         fontweight="bold")
            elif status == "unemployed":
                top.annotate(text, (left + width / 2, yi - 0.28), xytext=(0, -3), textcoords="offset points",
                             ha="center", va="top", fontsize=8.5, color=colours[status])
            else:
                top.text(left + width / 2, yi, text, ha="center", va="center", fontsize=9,
                         bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"})
            left += width
    top.set_yticks(y, shares["short"])
    top.set_ylim(-0.7, len(shares) - 0.4)
    top.set_xlim(0, 100)
    top.set_xlabel(f"Prosent av befolkningen 15–66 år i gruppen, {year}")
    figures.norwegian_axis(top, "x", 0)
    top.legend(loc="upper center", bbox_to_anchor=(0.45, -0.42), ncol=3, frameon=False, fontsize=9)
    top.set_title("Hvem er i arbeid, søker arbeid eller står utenfor?", loc="left", fontsize=11)

    styles = {"dis": (figures.PALETTE["vermillion"], "s", "-"), "oth": (figures.PALETTE["blue"], "o", "--")}
    labels = []
    for g, (colour, marker, ls) in styles.items():
        series = table[f"unemp_rate_{g}"]
        bottom.plot(series.index, series.values, color=colour, marker=marker, ls=ls, ms=5)
        labels.append((series.index[-1], series.iloc[-1], SHORT_LABELS[g], colour))
    q4 = 2009  # the supplement was asked in the 4th quarter that year, otherwise the 2nd
    if q4 in table.index:
        bottom.annotate("4. kvartal", (q4, table.loc[q4, "unemp_rate_dis"]), xytext=(0, -14),
                        textcoords="offset points", ha="center", fontsize=7.5, color=figures.GREY)
    bottom.set_ylim(0, max(table["unemp_rate_dis"].max(), table["unemp_rate_oth"].max()) * 1.25)
    bottom.set_ylabel("Arbeidsledige, prosent\nav arbeidsstyrken")
    figures.norwegian_axis(bottom, "y", 0)
    figures.year_axis(bottom)
    bottom.set_xlim(table.index.min() - 0.3, table.index.max() + 0.3)
    bottom.set_title("Arbeidsledighet blant dem som tilbyr arbeidskraften sin", loc="left", fontsize=11)
    labour.direct_labels(bottom, labels, min_gap=0.1)
    fig.subplots_adjust(left=0.2, right=0.8, bottom=0.1, top=0.95, hspace=0.8)
    figures.source_line(fig, source)
    return fig


def labour_force_data_table(table: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_labour_force`, with Norwegian headers."""
    frame = table.reset_index()
    one = lambda v: fmt.number(v, 1)  # noqa: E731
    whole = lambda v: fmt.number(v, 0)  # noqa: E731
    return figures.data_table(
        frame, caption=caption,
        columns={"year": "År", "persons_dis": "Med nedsatt funksjonsevne (1 000)",
                 "employed_dis": "– sysselsatt (1 000)", "unemployed_dis": "– arbeidsledig (1 000)",
                 "unemp_rate_dis": "Ledighet med (%)", "unemp_rate_oth": "Ledighet uten (%)",
                 "unemp_ratio": "Forholdstall", "outside_dis": "Utenfor arbeidsstyrken med (%)",
                 "outside_oth": "Utenfor arbeidsstyrken uten (%)"},
        formats={"year": lambda v: str(int(v)), "persons_dis": whole, "employed_dis": whole, "unemployed_dis": whole,
                 "unemp_rate_dis": one, "unemp_rate_oth": one, "unemp_ratio": one, "outside_dis": one,
                 "outside_oth": one},
        notes=["Antallene i AKU er avrundet til nærmeste tusen; ledighetsraten for gruppen med nedsatt "
               "funksjonsevne bygger på 10 000–20 000 arbeidsledige og er derfor usikker fra år til år.",
               "Tallene for personer uten nedsatt funksjonsevne er regnet ut som alle minus gruppen.",
               "Tallene gjelder 2. kvartal, men 4. kvartal i 2009."],
    )


# --------------------------------------------------------------------------------------------
# Part 2: a stable attachment after midlertidig lønnstilskudd (Nossen 2024)
# --------------------------------------------------------------------------------------------

STABLE_ORDER = ("ordinære arbeidssøkere", "alle deltakere", "nedsatt arbeidsevne")
_FRACTION = re.compile(r"^(\d+) av (\d+)$")
_PERCENT = re.compile(r"^(\d+) prosent$")


def stated_share(text: str) -> float:
    """The share in percent that a source's wording states: ``'4 av 10'`` → 40.0,
    ``'54 prosent'`` → 54.0. Any other wording raises ``ValueError``."""
    if not isinstance(text, str):
        raise TypeError(f"stated_share: expected text, got {text!r}")
    if m := _FRACTION.match(text.strip()):
        num, den = int(m.group(1)), int(m.group(2))
        if den == 0 or num > den:
            raise ValueError(f"stated_share: {text!r} is not a fraction between 0 and 1")
        return 100 * num / den
    if m := _PERCENT.match(text.strip()):
        value = float(m.group(1))
        if value > 100:
            raise ValueError(f"stated_share: {text!r} is more than 100 per cent")
        return value
    raise ValueError(f"stated_share: cannot read {text!r} (expected 'N av M' or 'N prosent')")


def rounding_interval(text: str) -> tuple[float, float]:
    """The shares (percent) that a rounded statement covers: ``'4 av 10'`` → (35, 45),
    ``'54 prosent'`` → (53.5, 54.5)."""
    if m := _FRACTION.match(text.strip()):
        num, den = int(m.group(1)), int(m.group(2))
        return 100 * (num - 0.5) / den, 100 * (num + 0.5) / den
    value = stated_share(text)
    return value - 0.5, value + 0.5


def implied_weight(total: float, first: float, second: float) -> float:
    """If *total* is the weighted mean of two groups' shares *first* and *second*, the weight
    of the *second* group: ``(first - total) / (first - second)``. Raises ``ValueError`` if the
    total does not lie between the two shares or the shares are equal."""
    t, a, b = (float(v) for v in (total, first, second))
    if a == b:
        raise ValueError("implied_weight: the two groups have the same share; no weight follows")
    if not min(a, b) <= t <= max(a, b):
        raise ValueError(f"implied_weight: total {t} does not lie between {a} and {b}")
    return (a - t) / (a - b)


def stable_attachment(frame: pd.DataFrame) -> pd.DataFrame:
    """The published shares, one row per group in a fixed order, checked: each ``share_pct``
    must equal what ``stated`` says, all rows must describe the same cohort and outcome, and the
    share for all participants must lie between the two groups' shares (allowing for the
    source's rounding of it)."""
    missing = sorted(set(STABLE_ORDER) - set(frame["group"]))
    if missing:
        raise KeyError(f"stable_attachment: no row for {missing}")
    table = frame.set_index("group").loc[list(STABLE_ORDER)].reset_index()
    for row in table.itertuples():
        if abs(stated_share(row.stated) - float(row.share_pct)) > 1e-9:
            raise ValueError(f"stable_attachment: {row.group}: share_pct {row.share_pct} disagrees with "
                             f"the wording {row.stated!r}")
    for col in ("cohort_first_year", "cohort_last_year", "followup_years", "outcome"):
        if table[col].nunique() != 1:
            raise ValueError(f"stable_attachment: rows differ in {col}; they are not one cohort")
    by = table.set_index("group")
    low, high = rounding_interval(by.loc["alle deltakere", "stated"])
    a, b = float(by.loc["ordinære arbeidssøkere", "share_pct"]), float(by.loc["nedsatt arbeidsevne", "share_pct"])
    if high < min(a, b) or low > max(a, b):
        raise ValueError("stable_attachment: the share for all participants cannot be a mix of the two groups")
    table["share_pct"] = table["share_pct"].astype(float)
    return table


def plot_stable(table: pd.DataFrame, source: str):
    """Horizontal bars: the share with a stable attachment within three years, per group; the
    rounded share for all participants is hatched and labelled with the source's words."""
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    colours = {"ordinære arbeidssøkere": figures.PALETTE["blue"], "alle deltakere": "white",
               "nedsatt arbeidsevne": figures.PALETTE["vermillion"]}
    names = {"ordinære arbeidssøkere": "Ordinære arbeidssøkere", "alle deltakere": "Alle deltakere",
             "nedsatt arbeidsevne": "Nedsatt arbeidsevne"}
    y = np.arange(len(table))[::-1]
    for yi, row in zip(y, table.itertuples()):
        rounded = bool(row.source_rounded)
        ax.barh(yi, row.share_pct, height=0.55, color=colours[row.group], hatch="//" if rounded else "",
                edgecolor=figures.GREY if rounded else colours[row.group], lw=0.8)
        text = f"om lag {fmt.percent(row.share_pct, 0)} («{row.stated}»)" if rounded else fmt.percent(row.share_pct, 0)
        ax.text(row.share_pct + 1.5, yi, text, va="center", fontsize=9.5)
    ax.set_yticks(y, [names[g] for g in table["group"]])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Andel med stabil arbeidstilknytning innen tre år (%)")
    figures.norwegian_axis(ax, "x", 0)
    fig.subplots_adjust(left=0.27, right=0.97, bottom=0.27, top=0.95)
    figures.source_line(fig, source)
    return fig


def stable_data_table(table: pd.DataFrame, caption: str):
    """The numbers behind :func:`plot_stable`."""
    frame = table.assign(cohort=[f"{a}–{b}" for a, b in zip(table["cohort_first_year"], table["cohort_last_year"])])
    return figures.data_table(
        frame, caption=caption,
        columns={"group": "Gruppe", "stated": "Kildens ord", "share_pct": "Andel (%)", "cohort": "Startet i",
                 "followup_years": "Fulgt (år)"},
        formats={"share_pct": lambda v: fmt.number(v, 0), "followup_years": lambda v: str(int(v))},
        notes=["«4 av 10» er kildens egen avrunding; andelen i kolonnen ved siden av er brøken skrevet "
               "som prosent. Hvor mye avrundingen kan skjule, er drøftet i teksten under figuren."],
    )


# --------------------------------------------------------------------------------------------
# Part 3: the employer's calculation (teaching simulation)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyRule:
    """A wage subsidy as a share of the wage cost: ``rate_first`` for the first ``first_months``,
    then ``rate_after`` until ``max_months`` (``None``: no fixed end). Rates are fractions 0–1."""

    key: str
    label: str
    rate_first: float
    first_months: int
    rate_after: float
    max_months: int | None

    def __post_init__(self) -> None:
        for name in ("rate_first", "rate_after"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"SubsidyRule {self.key}: {name} must be a fraction 0–1, got {value}")
        if self.first_months < 0:
            raise ValueError(f"SubsidyRule {self.key}: first_months cannot be negative")
        if self.max_months is not None and self.max_months < 0:
            raise ValueError(f"SubsidyRule {self.key}: max_months cannot be negative")

    def monthly(self, months: int) -> np.ndarray:
        """The subsidy share in each of the first *months* months."""
        t = np.arange(1, months + 1)
        rates = np.where(t <= self.first_months, self.rate_first, self.rate_after)
        if self.max_months is not None:
            rates = np.where(t <= self.max_months, rates, 0.0)
        return rates.astype(float)


NO_SUBSIDY = SubsidyRule("ingen", "Uten tilskudd", 0.0, 0, 0.0, 0)
RULE_NAMES = {"midlertidig": "Midlertidig", "midlertidig_nae": "Midlertidig, nedsatt arbeidsevne",
              "varig": "Varig"}


def subsidy_rules(satser: pd.DataFrame) -> dict[str, SubsidyRule]:
    """The subsidy rules of ``lonnstilskudd_satser`` as :class:`SubsidyRule` objects, after a
    rule without subsidy (key ``"ingen"``), labelled like «Midlertidig (40/30 %)»."""
    rules = {NO_SUBSIDY.key: NO_SUBSIDY}
    for row in satser.itertuples():
        if row.scheme_id not in RULE_NAMES:
            raise KeyError(f"subsidy_rules: unknown scheme {row.scheme_id!r}")
        max_months = None if pd.isna(row.max_months) else int(row.max_months)
        if max_months is not None and int(row.first_months) > max_months:
            raise ValueError(f"subsidy_rules: {row.scheme_id}: first period longer than the maximum")
        label = f"{RULE_NAMES[row.scheme_id]} ({fmt.number(row.rate_first_pct)}/{fmt.number(row.rate_after_pct)} %)"
        rules[row.scheme_id] = SubsidyRule(row.scheme_id, label, float(row.rate_first_pct) / 100,
                                           int(row.first_months), float(row.rate_after_pct) / 100, max_months)
    return rules


@dataclass(frozen=True)
class HireParams:
    """The assumptions of the employer's calculation (months; costs in monthly wage costs)."""

    horizon_months: int = 36
    start_share: float = 0.6
    learning_months: int = 12
    ordinary_learning_months: int = 3
    extra_cost: float = 0.10
    extra_cost_months: int = 6
    sd_high: float = 0.25
    sd_low: float = 0.10
    max_level: float = 1.5
    loss_threshold: float = 0.20
    n: int = 20_000

    def __post_init__(self) -> None:
        checks = {
            "horizon_months": self.horizon_months >= 1, "learning_months": self.learning_months >= 1,
            "ordinary_learning_months": self.ordinary_learning_months >= 0,
            "start_share": 0 < self.start_share <= 1, "extra_cost": self.extra_cost >= 0,
            "extra_cost_months": self.extra_cost_months >= 0, "sd_high": self.sd_high > 0,
            "sd_low": self.sd_low > 0, "max_level": self.max_level > 0,
            "loss_threshold": 0 < self.loss_threshold < 1, "n": self.n >= 100,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"HireParams: invalid value(s) for {bad}: {[getattr(self, b) for b in bad]}")

    def changed(self, **kwargs) -> HireParams:
        """A copy with some assumptions changed (``params.changed(horizon_months=60)``)."""
        return replace(self, **kwargs)


def _ramp(start_share: float, learning_months: int, horizon_months: int) -> np.ndarray:
    """Output each month as a share of the long-run level: a straight line from *start_share* in
    month 1 to 1 in month ``learning_months + 1``, then 1 (``learning_months == 0``: 1 throughout)."""
    t = np.arange(horizon_months)
    if learning_months == 0:
        return np.ones(horizon_months)
    return (start_share + (1 - start_share) * np.minimum(t, learning_months) / learning_months).astype(float)


def productivity_factors(params: HireParams) -> np.ndarray:
    """The candidate's output each month as a share of their long-run level: rises in a straight
    line from ``start_share`` in month 1 to 1 in month ``learning_months + 1``, then stays at 1."""
    return _ramp(params.start_share, params.learning_months, params.horizon_months)


def ordinary_factors(params: HireParams) -> np.ndarray:
    """The same for an ordinary new employee, who reaches full level after ``ordinary_learning_months``."""
    return _ramp(params.start_share, params.ordinary_learning_months, params.horizon_months)


def value_per_month(params: HireParams) -> float:
    """The value (in monthly wage costs) of one month's work at an ordinary employee's long-run
    level, chosen so that an ordinary new hire, training included, exactly pays over the horizon:
    ``horizon_months / sum(ordinary_factors)``. 1 when the ordinary hire needs no training."""
    return params.horizon_months / float(ordinary_factors(params).sum())


def _components(rule: SubsidyRule, params: HireParams) -> tuple[float, float, float]:
    """(output value per unit of level, wage and extra costs, subsidy) over the horizon, in monthly wage costs."""
    output = value_per_month(params) * float(productivity_factors(params).sum())
    costs = params.horizon_months + params.extra_cost * min(params.extra_cost_months, params.horizon_months)
    subsidy = float(rule.monthly(params.horizon_months).sum())
    return output, costs, subsidy


def calculation_parts(params: HireParams) -> dict[str, float]:
    """The pieces of the break-even by hand (monthly wage costs over the horizon): ``costs`` (wages
    plus the candidate's extra follow-up), ``output`` (the value of the candidate's work per unit of
    long-run level) and ``extra`` (the extra follow-up alone). Break-even = (costs − subsidy) / output."""
    output, costs, _ = _components(NO_SUBSIDY, params)
    return {"costs": costs, "output": output,
            "extra": params.extra_cost * min(params.extra_cost_months, params.horizon_months)}


def net_result(level, rule: SubsidyRule, params: HireParams):
    """The employer's result over the horizon (monthly wage costs) if the candidate's long-run
    level is *level* (a number or an array): output value minus wage and extra costs plus
    subsidy. Positive: the hire pays; negative: it costs."""
    output, costs, subsidy = _components(rule, params)
    return np.asarray(level, dtype=float) * output - costs + subsidy


def break_even(rule: SubsidyRule, params: HireParams) -> float:
    """The long-run level at which the hire exactly pays for itself under *rule*."""
    output, costs, subsidy = _components(rule, params)
    return (costs - subsidy) / output


def level_grid(start: float, stop: float, step: float) -> list[float]:
    """Levels from *start* to *stop* (inclusive) in steps of *step*, rounded to avoid float noise:
    ``level_grid(0.2, 0.3, 0.05) == [0.2, 0.25, 0.3]``."""
    if step <= 0 or stop < start:
        raise ValueError("level_grid: need step > 0 and stop >= start")
    count = int(round((stop - start) / step))
    return [round(start + i * step, 10) for i in range(count + 1)]


def net_curve(levels: Iterable[float], rules: Mapping[str, SubsidyRule], params: HireParams) -> pd.DataFrame:
    """Long table: one row per rule and level, with the expected result (``net``)."""
    levels = np.asarray(list(levels), dtype=float)
    return pd.concat([pd.DataFrame({"rule": key, "level": levels, "net": net_result(levels, rule, params)})
                      for key, rule in rules.items()], ignore_index=True)


def beta_parameters(mean: float, sd: float, upper: float = 1.0) -> tuple[float, float]:
    """The two shape parameters of a Beta distribution on 0–*upper* with this mean and standard
    deviation (the level is *upper* times a standard Beta variable). Raises ``ValueError`` when no
    such distribution exists (the mean outside 0–upper, or sd² ≥ mean·(upper − mean))."""
    m, s, u = float(mean) / upper, float(sd) / upper, float(upper)
    if u <= 0:
        raise ValueError(f"beta_parameters: the upper bound must be positive, got {upper}")
    if not 0 < m < 1:
        raise ValueError(f"beta_parameters: the mean must lie strictly between 0 and {upper}, got {mean}")
    if s <= 0 or s * s >= m * (1 - m):
        raise ValueError(f"beta_parameters: no Beta distribution on 0–{upper} has mean {mean} and sd {sd} "
                         f"(the sd must be below {u * np.sqrt(m * (1 - m)):.3f})")
    k = m * (1 - m) / (s * s) - 1
    return m * k, (1 - m) * k


def loss_probability(mean: float, sd: float, rule: SubsidyRule, params: HireParams) -> float:
    """Exact probability that the hire ends in a loss when the long-run level has a Beta
    distribution on 0–``max_level`` with this mean and sd: its CDF at the break-even level."""
    a, b = beta_parameters(mean, sd, params.max_level)
    x = break_even(rule, params) / params.max_level
    return float(sps.beta.cdf(min(max(x, 0.0), 1.0), a, b))


def loss_curve(means: Sequence[float], spreads: Mapping[str, float], rules: Mapping[str, SubsidyRule],
               params: HireParams, seed: int = simulation.DEFAULT_SEED) -> pd.DataFrame:
    """For each rule, spread (name → sd) and mean level: the simulated share of ``params.n``
    draws that end in a loss (``p_loss``), the exact probability (``p_loss_exact``) and the 10th
    percentile of the simulated result (``q10``). Seeded: the same seed gives the same table."""
    rng = simulation.rng(seed)
    rows = []
    for key, rule in rules.items():
        for spread, sd in spreads.items():
            for mean in means:
                a, b = beta_parameters(mean, sd, params.max_level)
                net = net_result(params.max_level * rng.beta(a, b, size=params.n), rule, params)
                rows.append({"rule": key, "spread": spread, "sd": sd, "mean": float(mean),
                             "p_loss": float((net < 0).mean()),
                             "p_loss_exact": loss_probability(mean, sd, rule, params),
                             "q10": float(np.quantile(net, 0.10))})
    return pd.DataFrame(rows)


def lowest_accepted_mean(curve: pd.DataFrame, rule: str, spread: str, threshold: float,
                         column: str = "p_loss") -> float:
    """The lowest mean level at which the loss probability is at most *threshold* (NaN if none)."""
    part = curve[(curve["rule"] == rule) & (curve["spread"] == spread)]
    if part.empty:
        raise KeyError(f"lowest_accepted_mean: no rows for rule {rule!r} and spread {spread!r}")
    ok = part[part[column] <= threshold]
    return float(ok["mean"].min()) if not ok.empty else float("nan")


STYLE = {"ingen": ("black", "X", ":"), "midlertidig": ("green", "^", "-."),
         "midlertidig_nae": ("vermillion", "s", "-"), "varig": ("blue", "o", "--")}


def plot_net(curve: pd.DataFrame, rules: Mapping[str, SubsidyRule], params: HireParams, source: str):
    """The expected result over the horizon against the candidate's long-run level, one line per
    rule (own colour, marker and line style, direct labels), with the break-even levels marked."""
    fig, ax = plt.subplots(figsize=(7.4, 4.6))
    labels = []
    for key, rule in rules.items():
        part = curve[curve["rule"] == key]
        colour, marker, ls = STYLE.get(key, ("black", "o", "-"))
        colour = figures.PALETTE[colour]
        ax.plot(part["level"], part["net"], color=colour, marker=marker, ls=ls, ms=5,
                markevery=max(1, len(part) // 8))
        labels.append((part["level"].iloc[-1], part["net"].iloc[-1], rule.label, colour))
        be = break_even(rule, params)
        if part["level"].min() <= be <= part["level"].max():
            ax.plot([be], [0], marker=marker, ms=8, color=colour, mfc="white", zorder=5)
            ax.annotate(fmt.number(be, 2), (be, 0), xytext=(0, 9), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color=colour,
                        bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.9})
    ax.axhline(0, color=figures.GREY, lw=1)
    ax.axvline(1, color=figures.GREY, lw=0.8, ls=":")
    ax.text(1.01, 0.02, "like produktiv som en\nvanlig ansatt", transform=ax.get_xaxis_transform(),
            ha="left", va="bottom", fontsize=7.5, color=figures.GREY)
    ax.set_xlabel("Kandidatens forventede produktivitet etter opplæring\n(andel av en vanlig ansatts)")
    ax.set_ylabel(f"Forventet resultat over {params.horizon_months} måneder\n(månedslønner)")
    figures.norwegian_axis(ax, "x", 1)
    figures.norwegian_axis(ax, "y", 0)
    labour.direct_labels(ax, labels, min_gap=0.07)
    fig.subplots_adjust(left=0.14, right=0.63, bottom=0.22, top=0.93)
    figures.source_line(fig, source)
    simulation.mark_figure(fig)
    return fig


def plot_loss(curve: pd.DataFrame, lines: Mapping[tuple[str, str], str], threshold: float, source: str):
    """The simulated probability that the hire ends in a loss against the mean level, one line per
    (rule, spread) in *lines* (→ label), with the cautious employer's threshold marked."""
    fig, ax = plt.subplots(figsize=(7.4, 4.4))
    labels = []
    for (rule, spread), label in lines.items():
        part = curve[(curve["rule"] == rule) & (curve["spread"] == spread)].sort_values("mean")
        if part.empty:
            raise KeyError(f"plot_loss: no rows for {(rule, spread)}")
        colour, marker, _ = STYLE.get(rule, ("black", "o", "-"))
        colour = figures.PALETTE[colour]
        wide = spread == "high"  # large uncertainty: dotted line, hollow markers
        ax.plot(part["mean"], part["p_loss"] * 100, color=colour, marker=marker, ls=":" if wide else "-", ms=5,
                markevery=max(1, len(part) // 8), mfc="white" if wide else colour)
        labels.append((part["mean"].iloc[-1], part["p_loss"].iloc[-1] * 100, label, colour))
    ax.axhline(threshold * 100, color=figures.GREY, lw=1, ls="--")
    ax.text(curve["mean"].min(), threshold * 100 + 1.5,
            f"den forsiktige arbeidsgiverens grense ({fmt.percent(threshold * 100, 0)})",
            fontsize=8, color=figures.GREY, va="bottom")
    ax.set_ylim(-2, 102)
    ax.set_xlabel("Kandidatens forventede produktivitet etter opplæring\n(andel av en vanlig ansatts)")
    ax.set_ylabel("Sannsynlighet for tap (%)")
    figures.norwegian_axis(ax, "x", 1)
    figures.norwegian_axis(ax, "y", 0)
    labour.direct_labels(ax, labels, min_gap=0.13)
    fig.subplots_adjust(left=0.12, right=0.7, bottom=0.22, top=0.93)
    figures.source_line(fig, source)
    simulation.mark_figure(fig)
    return fig


def _rule_text(rule: SubsidyRule) -> str:
    if rule.key == NO_SUBSIDY.key:
        return "0 %"
    # Varig lønnstilskudd (uten sluttdato) har høyeste satser; Nav fastsetter satsen individuelt,
    # og simuleringen bruker den høyeste.
    most = "" if rule.max_months is not None else "høyst "
    first = f"{most}{fmt.number(rule.rate_first * 100)} % i {rule.first_months} mnd."
    after = f"deretter {most}{fmt.number(rule.rate_after * 100)} %"
    end = (f" (til og med måned {rule.max_months})" if rule.max_months is not None
           else " (uten fast slutt; simuleringen bruker høyeste sats)")
    return f"{first}, {after}{end}"


def parameter_table(params: HireParams, rules: Mapping[str, SubsidyRule], basis_rates: str):
    """The simulation's assumptions, each with its basis: *basis_rates* for the subsidy rates
    (a citation), «antakelse» for everything else."""
    labels = {
        "horizon_months": "Arbeidsgiverens tidshorisont (måneder)",
        "start_share": "Produktivitet første måned (andel av nivået etter opplæring), for begge",
        "learning_months": "Kandidatens opplæringstid (måneder)",
        "ordinary_learning_months": "En vanlig nyansatts opplæringstid (måneder)",
        "extra_cost": "Kandidatens ekstra oppfølgingskostnad per måned i starten (andel av lønnskostnaden)",
        "extra_cost_months": "Måneder med ekstra oppfølgingskostnad",
        "sd_high": "Stor usikkerhet: typisk avvik fra forventet produktivitet (standardavvik)",
        "sd_low": "Liten usikkerhet: typisk avvik fra forventet produktivitet (standardavvik)",
        "max_level": "Høyeste mulige produktivitet (andel av en vanlig ansatts)",
        "loss_threshold": "Høyeste sannsynlighet for tap den forsiktige arbeidsgiveren godtar",
        "n": "Antall trekninger per punkt",
    }
    values = asdict(params)
    table = {name: simulation.Parameter(values[name], label, "antakelse") for name, label in labels.items()}
    table["value_ordinary"] = simulation.Parameter(
        fmt.number(value_per_month(params), 3),
        "Verdien av en måneds arbeid på en vanlig ansatts nivå etter opplæring (månedslønner)",
        "regnet ut: en vanlig nyansatt, opplæring medregnet, går akkurat i null over tidshorisonten")
    for key, rule in rules.items():
        if key == NO_SUBSIDY.key:
            continue
        table[f"rule:{key}"] = simulation.Parameter(_rule_text(rule), f"Tilskudd: {rule.label}", basis_rates)
    # without the column of code names: the chapter's code cell shows them next to Norwegian comments
    return simulation.parameter_table(table, caption="Forutsetningene i simuleringen (endre dem i koden)", names=False)


def net_data_table(curve: pd.DataFrame, rules: Mapping[str, SubsidyRule], caption: str, every: int = 2):
    """The numbers behind :func:`plot_net` (every *every*-th level), one column per rule."""
    wide = curve.pivot(index="level", columns="rule", values="net")[list(rules)]
    wide = wide.iloc[::every]
    frame = wide.reset_index()
    columns = {"level": "Produktivitet", **{k: rules[k].label for k in rules}}
    formats = {"level": lambda v: fmt.number(v, 2), **{k: (lambda v: fmt.number(v, 1)) for k in rules}}
    return figures.data_table(frame, caption=caption, columns=columns, formats=formats,
                              notes=["Simulering, ikke data. Resultat i månedslønner over hele tidshorisonten."])


def loss_data_table(curve: pd.DataFrame, lines: Mapping[tuple[str, str], str], caption: str, every: int = 5):
    """The numbers behind :func:`plot_loss`: simulated and exact loss probabilities (percent)."""
    parts = []
    for (rule, spread), label in lines.items():
        part = curve[(curve["rule"] == rule) & (curve["spread"] == spread)].sort_values("mean").iloc[::every]
        parts.append(part.assign(label=label.replace("\n", " ")))
    frame = pd.concat(parts, ignore_index=True)
    pct = lambda v: fmt.number(v * 100, 1)  # noqa: E731
    return figures.data_table(
        frame, caption=caption,
        columns={"label": "Linje", "mean": "Forventet produktivitet", "p_loss": "Tap, simulert (%)",
                 "p_loss_exact": "Tap, eksakt (%)"},
        formats={"mean": lambda v: fmt.number(v, 2), "p_loss": pct, "p_loss_exact": pct},
        notes=["Simulering, ikke data. «Eksakt» er regnet fra betafordelingen uten tilfeldige trekninger."],
    )


def acceptance_table(curve: pd.DataFrame, lines: Mapping[tuple[str, str], str], threshold: float,
                     caption: str, max_level: float = 1.2):
    """For each line in *lines*: the lowest expected level at which the exact loss probability is
    at most *threshold* (the cautious employer's limit), as an accessible table."""
    frame = pd.DataFrame([
        {"label": label.replace("\n", " "),
         "lowest": lowest_accepted_mean(curve, rule, spread, threshold, column="p_loss_exact")}
        for (rule, spread), label in lines.items()])
    return figures.data_table(
        frame, caption=caption,
        columns={"label": "Linje", "lowest": "Laveste forventede produktivitet som ansettes"},
        formats={"lowest": lambda v: fmt.percent(100 * v, 0)},
        notes=[f"Simulering, ikke data. Grensen er sannsynlighet for tap på høyst {fmt.percent(threshold * 100, 0)}, "
               "regnet eksakt og lest av i steg på 0,02 (to prosentpoeng).",
               f"– betyr at grensen ikke nås for noen forventet produktivitet opp til {fmt.number(max_level, 1)}."],
    )
