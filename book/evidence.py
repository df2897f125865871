"""Analyses for chapter 12 (reading effect studies critically): selection bias, power, intervals.

Four pieces, each small enough to check by hand:

* :func:`simulate_selection` – a teaching simulation in which motivation drives both the choice
  of a measure and the chance of getting a job. It compares a naive comparison (those who chose
  the measure against those who did not) with a randomised comparison, against the true effect.
* :func:`required_n_per_arm`, :func:`power_for_sizes`, :func:`power_curve`,
  :func:`detectable_difference` – statistical power for two proportions, via
  :func:`statsmodels.stats.proportion.power_proportions_2indep` and
  :func:`~statsmodels.stats.proportion.samplesize_proportions_2indep_onetail` (z-test, pooled
  variance under the null, unpooled under the alternative).
* :func:`simulate_trials` – a second teaching simulation: many trials of a fixed size drawn from
  known true shares, tested with statsmodels' score test, to show that the share of significant
  trials equals the power and that significant estimates from small trials exaggerate the effect.
* :func:`intervals` and :func:`intervals_by_size` – 95 % intervals for a difference of two
  proportions (Newcombe's hybrid score interval) and for a risk ratio (Katz log or Koopman score),
  via :func:`statsmodels.stats.proportion.confint_proportions_2indep`, for a published trial and
  for hypothetical larger (or smaller) trials with the same shares.

Nothing here re-implements a power or interval formula; the functions choose inputs, call
statsmodels and arrange the results for the chapter's figures and tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from scipy.optimize import brentq
from scipy.special import expit, logit
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
    samplesize_proportions_2indep_onetail,
    test_proportions_2indep,
)

from . import figures, fmt, simulation

ALPHA = 0.05


# ---------------------------------------------------------------- inputs from the trials dataset


@dataclass(frozen=True)
class ArmShares:
    """Published shares employed (in percent) in the two arms of one trial at one time point."""

    study_id: str
    months: float
    pct_treated: float
    pct_control: float

    @property
    def difference_pp(self) -> float:
        """Treated minus control, in percentage points."""
        return self.pct_treated - self.pct_control


def arm_shares(trials: pd.DataFrame, study_id: str, months: float,
               treated: str = "IPS", control: str = "control") -> ArmShares:
    """The published shares employed in *study_id* at *months*, read from the ``trials`` dataset.

    Raises ``ValueError`` unless exactly one row per arm is found and both have a share.
    """
    rows = trials[(trials["study_id"] == study_id) & (trials["followup_months"] == months)]
    values = {}
    for arm in (treated, control):
        hit = rows[rows["arm"] == arm]
        if len(hit) != 1 or pd.isna(hit["pct_employed"].iloc[0]):
            raise ValueError(f"arm_shares: need one row with a share for {study_id!r}, arm {arm!r}, "
                             f"{months} months; found {len(hit)}")
        values[arm] = float(hit["pct_employed"].iloc[0])
    return ArmShares(study_id, float(months), values[treated], values[control])


def trial_sizes(trials: pd.DataFrame) -> pd.DataFrame:
    """Arm sizes of the Norwegian trials the chapter discusses, as published or as assumed.

    Where the source gives only the total N, the arms are assumed equal (Reme 2019) or split
    one to two (Berg 2021: «litt over en tredel» drawn to SE); the ``allocation`` column says so.
    """
    by_row = trials.set_index("row_id")

    def n(row_id: str, col: str) -> int:
        value = by_row.loc[row_id, col]
        if pd.isna(value):
            raise ValueError(f"trial_sizes: {row_id} has no {col}")
        return int(value)

    reme = n("Reme2019_IPS_NO:IPS:18", "n_total")
    berg = n("Berg2021_SE_NAV7counties_NO:difference:na", "n_total")
    rows = [
        ("SEED (Sveinsdottir mfl. 2020)", n("Sveinsdottir2020_SEED_NO:IPS:12", "n_arm"),
         n("Sveinsdottir2020_SEED_NO:control:12", "n_arm"), "oppgitt i kilden"),
        ("Dahl & Lima 2021", n("DahlLima2021_SE_NAV4offices_NO:SE:na", "n_arm"),
         n("DahlLima2021_SE_NAV4offices_NO:control:na", "n_arm"), "oppgitt i kilden"),
        ("Reme mfl. 2019", math.ceil(reme / 2), reme // 2, "antatt: samme N, like store grupper (tenkt)"),
        ("Berg mfl. 2021", math.ceil(berg / 3), berg - math.ceil(berg / 3), "antatt 1 av 3 til SE"),
    ]
    return pd.DataFrame(rows, columns=["trial", "n_treated", "n_control", "allocation"]).assign(
        n_total=lambda d: d["n_treated"] + d["n_control"])


# ---------------------------------------------------------------- simulation 1: selection vs randomisation


@dataclass(frozen=True)
class SelectionSetup:
    """Assumptions of the selection simulation (probabilities as shares 0–1, effects in log-odds)."""

    p_control: float          # employed without the measure, at average motivation
    p_treated: float          # employed with the measure, at average motivation
    uptake: float = 0.5       # chooses the measure, at average motivation
    motivation_uptake: float = 1.5   # log-odds of choosing per SD of motivation
    motivation_outcome: float = 0.8  # log-odds of a job per SD of motivation
    n: int = 1000             # people in each simulated study
    replications: int = 1000  # simulated studies

    def __post_init__(self) -> None:
        for name in ("p_control", "p_treated", "uptake"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"SelectionSetup: {name} must be strictly between 0 and 1, got {value}")
        if self.n < 4 or self.replications < 1:
            raise ValueError("SelectionSetup: need n >= 4 and replications >= 1")


def selection_parameters(setup: SelectionSetup, source: str) -> dict[str, simulation.Parameter]:
    """The simulation's assumptions with their basis, for :func:`book.simulation.parameter_table`."""
    P = simulation.Parameter
    return {
        "p_control": P(setup.p_control, "Sjanse for jobb uten tiltaket (gjennomsnittlig motivasjon)",
                       f"satt lik kontrollgruppen i {source}"),
        "p_treated": P(setup.p_treated, "Sjanse for jobb med tiltaket (gjennomsnittlig motivasjon)",
                       f"satt lik tiltaksgruppen i {source}"),
        "uptake": P(setup.uptake, "Andel som velger tiltaket (gjennomsnittlig motivasjon)", "antakelse"),
        "motivation_uptake": P(setup.motivation_uptake, "Motivasjonens betydning for å velge tiltaket "
                               "(log-odds per standardavvik)", "antakelse"),
        "motivation_outcome": P(setup.motivation_outcome, "Motivasjonens betydning for å få jobb "
                                "(log-odds per standardavvik)", "antakelse"),
        "n": P(setup.n, "Personer i hver simulerte studie", "antakelse"),
        "replications": P(setup.replications, "Antall simulerte studier", "antakelse"),
    }


@dataclass(frozen=True)
class SelectionResult:
    """Estimates from :func:`simulate_selection`: one row per simulated study, plus summaries."""

    studies: pd.DataFrame   # columns naive_pp, randomised_pp, true_pp (percentage points)
    motivation: pd.DataFrame  # mean motivation (SD units) of the four groups compared
    true_pp: float          # the true average effect in the simulated population (pp)


def simulate_selection(setup: SelectionSetup, seed: int) -> SelectionResult:
    """Simulate *replications* studies of *n* people in which motivation affects uptake and outcome.

    Each person has a motivation score (standard normal) and two potential outcomes: a job
    without the measure (probability ``expit(logit(p_control) + b·m)``) and with it (the same plus
    the measure's effect in log-odds, ``logit(p_treated) − logit(p_control)``). One uniform draw
    decides both, so nobody is harmed by the measure. The *naive* estimate compares those who
    chose the measure with those who did not; the *randomised* estimate lets a fair coin decide.
    The true effect is the population average of the two probabilities' difference.
    """
    gen = simulation.rng(seed)
    shape = (setup.replications, setup.n)
    motivation = gen.standard_normal(shape)
    u = gen.random(shape)
    base = logit(setup.p_control) + setup.motivation_outcome * motivation
    effect = logit(setup.p_treated) - logit(setup.p_control)
    p0, p1 = expit(base), expit(base + effect)
    y0, y1 = u < p0, u < p1
    chose = gen.random(shape) < expit(logit(setup.uptake) + setup.motivation_uptake * motivation)
    drawn = gen.random(shape) < 0.5

    def diff(group: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            treated = (y1 & group).sum(axis=1) / group.sum(axis=1)
            control = (y0 & ~group).sum(axis=1) / (~group).sum(axis=1)
        return 100 * (treated - control)

    studies = pd.DataFrame({
        "naive_pp": diff(chose),
        "randomised_pp": diff(drawn),
        "true_pp": 100 * (p1 - p0).mean(axis=1),
    })
    if studies.isna().any().any():
        raise ValueError("simulate_selection: a simulated group was empty; increase n")

    def mean_m(group: np.ndarray) -> float:
        return float(motivation[group].mean())

    groups = pd.DataFrame([
        {"comparison": "Selvvalg", "group": "valgte tiltaket", "mean_motivation": mean_m(chose)},
        {"comparison": "Selvvalg", "group": "valgte det ikke", "mean_motivation": mean_m(~chose)},
        {"comparison": "Loddtrekning", "group": "trukket til tiltaket", "mean_motivation": mean_m(drawn)},
        {"comparison": "Loddtrekning", "group": "trukket til kontroll", "mean_motivation": mean_m(~drawn)},
    ])
    return SelectionResult(studies, groups, float(studies["true_pp"].mean()))


def selection_summary(result: SelectionResult) -> pd.DataFrame:
    """Mean and middle 95 % of the estimates from each kind of comparison, and their bias (pp)."""
    rows = []
    for key, label in (("naive_pp", "Selvvalg: de som valgte tiltaket mot de som ikke gjorde det"),
                       ("randomised_pp", "Loddtrekning: tiltaksgruppe mot kontrollgruppe")):
        est = result.studies[key]
        rows.append({"key": key, "label": label, "mean": est.mean(), "low": est.quantile(0.025),
                     "high": est.quantile(0.975), "bias": est.mean() - result.true_pp})
    return pd.DataFrame(rows).set_index("key")


def plot_selection(result: SelectionResult):
    """Left: mean motivation in the groups compared. Right: the estimates against the true effect."""
    summary = selection_summary(result)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.6), gridspec_kw={"width_ratios": [1, 1.25]})
    rows = {"Selvvalg": 2, "Loddtrekning": 1}
    colours = {"Selvvalg": figures.PALETTE["vermillion"], "Loddtrekning": figures.PALETTE["blue"]}
    mot = result.motivation
    for comparison, y in rows.items():
        pair = mot[mot["comparison"] == comparison]
        xs = pair["mean_motivation"].to_list()
        left.plot(xs, [y, y], color=colours[comparison], lw=1.5)
        left.plot(xs[0], y, marker="o", ms=9, color=colours[comparison], ls="none")
        left.plot(xs[1], y, marker="s", ms=8, mfc="white", mec=colours[comparison], mew=1.6, ls="none")
        for x, text, dy in ((xs[0], pair["group"].iloc[0], 0.2), (xs[1], pair["group"].iloc[1], -0.3)):
            left.text(x, y + dy, text, ha="center", fontsize=8.5)
    left.axvline(0, color=figures.GREY, lw=0.8, ls=":")
    left.set_yticks(list(rows.values()), list(rows.keys()))
    left.set_ylim(0.4, 2.6)
    left.set_xlim(-1.0, 1.0)
    left.set_xlabel("Gjennomsnittlig motivasjon\n(standardavvik fra snittet)")
    left.set_title("Hvem sammenlignes?", fontsize=11, loc="left")
    figures.norwegian_axis(left, "x", 1)
    for key, y, comparison in (("naive_pp", 2, "Selvvalg"), ("randomised_pp", 1, "Loddtrekning")):
        s = summary.loc[key]
        right.plot([s["low"], s["high"]], [y, y], color=colours[comparison], lw=2)
        right.plot(s["mean"], y, marker="D" if key == "naive_pp" else "o", ms=8,
                   color=colours[comparison], ls="none")
        right.text(s["high"], y + 0.22, f"snitt {fmt.number(s['mean'], 1)}", ha="right", fontsize=8.5)
    right.axvline(result.true_pp, color=figures.PALETTE["black"], ls="--", lw=1.2)
    right.text(result.true_pp, 0.5, f" sann effekt {fmt.number(result.true_pp, 1)}", ha="left",
               va="bottom", fontsize=8.5)
    right.set_yticks(list(rows.values()), list(rows.keys()))
    right.set_ylim(0.4, 2.6)
    right.set_xlim(left=min(0.0, float(summary["low"].min()) - 2))
    right.set_xlabel("Beregnet effekt (prosentpoeng); strek = 95 %\nav de simulerte studiene")
    right.set_title("Hva finner studiene?", fontsize=11, loc="left")
    figures.norwegian_axis(right, "x")
    fig.subplots_adjust(left=0.14, right=0.98, bottom=0.3, top=0.9, wspace=0.45)
    figures.source_line(fig, "simulering (se forutsetningene i tabellen); andeler i arbeid fra Reme mfl. 2019.")
    simulation.mark_figure(fig)
    return fig


def selection_table(result: SelectionResult):
    """The numbers behind :func:`plot_selection`."""
    summary = selection_summary(result).reset_index(drop=True)
    fmt1 = lambda v: fmt.number(v, 1)  # noqa: E731
    motivation = figures.data_table(
        result.motivation, caption="Gjennomsnittlig motivasjon i gruppene (simulert, standardavvik)",
        columns={"comparison": "Sammenligning", "group": "Gruppe", "mean_motivation": "Motivasjon"},
        formats={"mean_motivation": lambda v: fmt.number(v, 2)})
    estimates = figures.data_table(
        summary, caption=f"Beregnet effekt i prosentpoeng (sann effekt {fmt.number(result.true_pp, 1)})",
        columns={"label": "Sammenligning", "mean": "Snitt", "low": "2,5-persentil",
                 "high": "97,5-persentil", "bias": "Skjevhet"},
        formats={"mean": fmt1, "low": fmt1, "high": fmt1, "bias": fmt1},
        notes=["Skjevhet = snittet av de beregnede effektene minus den sanne effekten."])
    return _join(motivation, estimates)


def selection_scenarios(setup: SelectionSetup, seed: int) -> pd.DataFrame:
    """The selection simulation rerun with one assumption changed at a time (same seed).

    Four rows: the setup as given; no effect (``p_treated = p_control``); motivation does not
    steer the choice (``motivation_uptake = 0``); and the least motivated choose the measure
    (``motivation_uptake`` with the opposite sign), where the naive bias changes direction.
    Columns ``scenario``, ``true_pp``, ``naive_pp``, ``randomised_pp`` (means, percentage points).
    """
    variants = [
        ("Som i figuren", setup),
        ("Tiltaket har ingen effekt", replace(setup, p_treated=setup.p_control)),
        ("Motivasjonen styrer ikke hvem som velger tiltaket", replace(setup, motivation_uptake=0.0)),
        ("De minst motiverte velger oftest tiltaket", replace(setup, motivation_uptake=-setup.motivation_uptake)),
    ]
    rows = []
    for label, variant in variants:
        result = simulate_selection(variant, seed=seed)
        summary = selection_summary(result)
        rows.append({"scenario": label, "true_pp": result.true_pp, "naive_pp": summary.loc["naive_pp", "mean"],
                     "randomised_pp": summary.loc["randomised_pp", "mean"]})
    return pd.DataFrame(rows)


def selection_scenarios_table(scenarios: pd.DataFrame):
    """The numbers from :func:`selection_scenarios` as an accessible table."""
    fmt1 = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        scenarios, caption="Simuleringen med én forutsetning endret om gangen (snitt av de simulerte studiene)",
        columns={"scenario": "Scenario", "true_pp": "Sann effekt", "naive_pp": "Selvvalg",
                 "randomised_pp": "Loddtrekning"},
        formats={"true_pp": fmt1, "naive_pp": fmt1, "randomised_pp": fmt1},
        notes=["Alle tall i prosentpoeng. Selvvalg: de som valgte tiltaket mot de som ikke gjorde det. "
               "Loddtrekning: tiltaksgruppe mot kontrollgruppe. De andre forutsetningene er som i tabellen "
               "over figuren."])


# ---------------------------------------------------------------- power


def required_n_per_arm(p_control: float, p_treated: float, power: float = 0.8, alpha: float = ALPHA) -> int:
    """Participants needed in *each* arm to detect p_treated vs p_control (shares 0–1), rounded up."""
    _check_shares(p_control, p_treated)
    if not 0 < power < 1:
        raise ValueError(f"power must be between 0 and 1, got {power}")
    n = samplesize_proportions_2indep_onetail(p_treated - p_control, p_control, power, alpha=alpha)
    return math.ceil(float(n) - 1e-9)


def power_for(p_control: float, p_treated: float, n_treated: float, n_control: float,
              alpha: float = ALPHA) -> float:
    """Power of a two-sided test at level *alpha* for these shares and arm sizes."""
    _check_shares(p_control, p_treated)
    if n_treated <= 0 or n_control <= 0:
        raise ValueError("arm sizes must be positive")
    return float(power_proportions_2indep(p_treated - p_control, p_control, n_treated,
                                          ratio=n_control / n_treated, alpha=alpha, return_results=False))


def power_for_sizes(sizes: pd.DataFrame, p_control: float, p_treated: float) -> pd.DataFrame:
    """:func:`power_for` for each trial in *sizes* (from :func:`trial_sizes`)."""
    return sizes.assign(power=[power_for(p_control, p_treated, a, b)
                               for a, b in zip(sizes["n_treated"], sizes["n_control"])])


def power_curve(p_control: float, differences: Mapping[str, float], totals: Sequence[int]) -> pd.DataFrame:
    """Power by total N (two equal arms) for each assumed true difference (shares, e.g. 0.103)."""
    rows = []
    for label, d in differences.items():
        for total in totals:
            rows.append({"label": label, "difference": d, "n_total": total,
                         "power": power_for(p_control, p_control + d, total / 2, total / 2)})
    return pd.DataFrame(rows)


def detectable_difference(p_control: float, n_treated: float, n_control: float,
                          power: float = 0.8, alpha: float = ALPHA) -> float:
    """The smallest increase over *p_control* (a share) that the trial detects with *power*."""
    if not 0 < p_control < 1:
        raise ValueError("p_control must be strictly between 0 and 1")
    f = lambda d: power_for(p_control, p_control + d, n_treated, n_control, alpha) - power  # noqa: E731
    top = 1 - p_control - 1e-9
    if f(top) < 0:
        raise ValueError("detectable_difference: the trial cannot reach this power for any difference")
    return float(brentq(f, 1e-9, top))


def plot_power(curve: pd.DataFrame, sizes: pd.DataFrame, p_control: float):
    """Power curves with direct labels, the 80 % line and the sizes of the Norwegian trials."""
    fig, ax = plt.subplots(figsize=(8.0, 4.8))
    styles = [("o", "-", "blue"), ("s", "--", "vermillion"), ("^", ":", "green"), ("D", "-.", "purple")]
    for (label, group), (marker, ls, colour) in zip(curve.groupby("label", sort=False), styles):
        c = figures.PALETTE[colour]
        ax.plot(group["n_total"], 100 * group["power"], ls=ls, color=c, lw=1.6, marker=marker,
                ms=5, markevery=4)
        mid = group[group["power"] >= 0.5].iloc[0]  # label each curve where it passes 50 %
        ax.annotate(label, (mid["n_total"], 100 * mid["power"]), xytext=(6, -4), textcoords="offset points",
                    ha="left", va="top", fontsize=9, color=c, fontweight="bold")
    ax.axhline(80, color=figures.GREY, lw=1, ls="--")
    ax.text(curve["n_total"].max(), 81.5, "80 % styrke", fontsize=8.5, color=figures.GREY, ha="right")
    for i, row in enumerate(sizes.itertuples()):
        ax.axvline(row.n_total, color=figures.GREY, lw=0.8, ls=":")
        ax.text(row.n_total, 102 + 15 * (i % 2), f"{row.trial.split(' (')[0]}\nN = {fmt.number(row.n_total)}",
                fontsize=8, color=figures.GREY, va="bottom", ha="center", clip_on=False)
    ax.set_xscale("log")
    ticks = [50, 100, 200, 500, 1000, 2000, 4000]
    ax.set_xticks(ticks, [fmt.number(t) for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(curve["n_total"].min(), curve["n_total"].max() * 1.6)
    ax.set_ylim(0, 101)
    figures.norwegian_axis(ax, "y")
    ax.set_xlabel("Deltakere i alt, to like store grupper (logaritmisk skala)")
    ax.set_ylabel(f"Styrke (%), kontrollgruppe {fmt.percent(100 * p_control)}")
    fig.subplots_adjust(left=0.1, right=0.96, bottom=0.17, top=0.8)
    figures.source_line(fig, "egne beregninger; andeler fra Reme mfl. 2019, antall deltakere fra "
                             "forsøksartiklene (se tabellen).")
    return fig


def power_table(curve: pd.DataFrame, sized: pd.DataFrame, p_control: float, p_treated: float):
    """The numbers behind :func:`plot_power`: power for the trials' sizes and the curve values."""
    pct0 = lambda v: fmt.percent(100 * v, 0)  # noqa: E731
    trials = figures.data_table(
        sized, caption=(f"Styrke til å oppdage {fmt.percent(100 * p_treated)} mot "
                        f"{fmt.percent(100 * p_control)} med forsøkenes størrelse"),
        columns={"trial": "Forsøk", "n_treated": "Tiltak", "n_control": "Kontroll",
                 "allocation": "Gruppestørrelser", "power": "Styrke"},
        formats={"power": pct0},
        notes=["Regnestykket spør hva et forsøk av denne størrelsen kunne oppdaget, ikke hva forsøket fant."])
    wide = curve.pivot(index="n_total", columns="label", values="power").reset_index()
    labels = list(dict.fromkeys(curve["label"]))
    curve_table = figures.data_table(
        wide, caption="Styrke etter antall deltakere i alt (to like store grupper)",
        columns={"n_total": "Deltakere i alt", **{label: label for label in labels}},
        formats={"n_total": lambda v: fmt.number(v), **{label: pct0 for label in labels}})
    return _join(trials, curve_table)


# ---------------------------------------------------------------- simulation 2: many trials of one size


def simulate_trials(p_control: float, p_treated: float, n_per_arm: int, replications: int,
                    seed: int) -> pd.DataFrame:
    """Draw *replications* two-arm trials from known true shares; estimate and test each one.

    Returns one row per simulated trial: the estimated difference in percentage points and
    whether statsmodels' score test rejects «no difference» at the 5 % level.
    """
    _check_shares(p_control, p_treated)
    if n_per_arm < 2 or replications < 1:
        raise ValueError("simulate_trials: need n_per_arm >= 2 and replications >= 1")
    gen = simulation.rng(seed)
    treated = gen.binomial(n_per_arm, p_treated, replications)
    control = gen.binomial(n_per_arm, p_control, replications)
    test = test_proportions_2indep(treated, n_per_arm, control, n_per_arm, method="score")
    return pd.DataFrame({
        "estimate_pp": 100 * (treated - control) / n_per_arm,
        "significant": np.asarray(test.pvalue) < ALPHA,
        "n_per_arm": n_per_arm,
    })


def trials_summary(sims: Mapping[str, pd.DataFrame], true_pp: float) -> pd.DataFrame:
    """Share significant and the mean estimate among significant trials, per simulated trial size."""
    rows = []
    for label, sim in sims.items():
        sig = sim[sim["significant"]]
        rows.append({"label": label, "share_significant": sim["significant"].mean(),
                     "mean_all": sim["estimate_pp"].mean(),
                     "mean_significant": sig["estimate_pp"].mean() if len(sig) else float("nan"),
                     "exaggeration": (sig["estimate_pp"].mean() / true_pp) if len(sig) else float("nan")})
    return pd.DataFrame(rows)


def plot_trials(sims: Mapping[str, pd.DataFrame], true_pp: float):
    """Histograms of the estimates, significant (filled) vs not (hatched), one panel per size."""
    fig, axes = plt.subplots(1, len(sims), figsize=(8.6, 3.8), sharey=False)
    axes = np.atleast_1d(axes)
    for ax, (label, sim) in zip(axes, sims.items()):
        step = 100 / int(sim["n_per_arm"].iloc[0])  # estimates lie on a grid of this spacing
        width = step * math.ceil(3 / step)
        bins = np.arange(-30 - width / 2, 62, width)
        sig, non = sim.loc[sim["significant"], "estimate_pp"], sim.loc[~sim["significant"], "estimate_pp"]
        # one outline per group (stepfilled), not one rectangle per bin: a much lighter SVG
        _, _, (non_patch, _sig_patch) = ax.hist([non, sig], bins=bins, stacked=True, histtype="stepfilled",
                                                color=["white", figures.PALETTE["blue"]],
                                                edgecolor=figures.PALETTE["blue"], linewidth=0.8)
        for patch in np.atleast_1d(non_patch):
            patch.set_hatch("///")
        ax.axvline(true_pp, color=figures.PALETTE["black"], ls="--", lw=1.2)
        ax.axvline(sig.mean(), color=figures.PALETTE["vermillion"], ls="-", lw=1.8)
        ax.set_title(label, fontsize=10.5, loc="left")
        ax.set_xlabel("Beregnet forskjell (prosentpoeng)")
        figures.norwegian_axis(ax, "x")
        figures.norwegian_axis(ax, "y")
    axes[0].set_ylabel("Antall simulerte forsøk")
    handles = [
        Patch(facecolor=figures.PALETTE["blue"], edgecolor=figures.PALETTE["blue"], label="signifikant (p < 0,05)"),
        Patch(facecolor="white", edgecolor=figures.PALETTE["blue"], hatch="///", label="ikke signifikant"),
        Line2D([], [], color=figures.PALETTE["black"], ls="--", label="sann forskjell"),
        Line2D([], [], color=figures.PALETTE["vermillion"], lw=1.8, label="snitt av de signifikante"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=8.5, bbox_to_anchor=(0.5, 0.05))
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.36, top=0.84, wspace=0.25)
    figures.source_line(fig, "egen simulering med sanne andeler fra Reme mfl. 2019 (18 måneder).")
    simulation.mark_figure(fig)
    return fig


def trials_table(summary: pd.DataFrame, true_pp: float):
    """The numbers behind :func:`plot_trials`."""
    fmt1 = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        summary, caption=f"Tusenvis av simulerte forsøk med sann forskjell {fmt.pp(true_pp)}",
        columns={"label": "Forsøksstørrelse", "share_significant": "Andel signifikante",
                 "mean_all": "Snitt, alle", "mean_significant": "Snitt, signifikante",
                 "exaggeration": "Overdrivelse (faktor)"},
        formats={"share_significant": lambda v: fmt.percent(100 * v, 0), "mean_all": fmt1,
                 "mean_significant": fmt1, "exaggeration": lambda v: fmt.number(v, 2)},
        notes=["Snittene er i prosentpoeng. Overdrivelse = snittet av de signifikante delt på den sanne forskjellen."])


# ---------------------------------------------------------------- confidence intervals


def intervals(e_treated: float, n_treated: float, e_control: float, n_control: float,
              alpha: float = ALPHA) -> dict[str, float]:
    """Difference (pp, Newcombe interval) and risk ratio (Katz log and Koopman score intervals)."""
    for e, n in ((e_treated, n_treated), (e_control, n_control)):
        if n <= 0 or e < 0 or e > n:
            raise ValueError(f"intervals: need 0 <= events <= n and n > 0, got {e} of {n}")
    diff_low, diff_high = confint_proportions_2indep(e_treated, n_treated, e_control, n_control,
                                                     method="newcomb", compare="diff", alpha=alpha)
    log_low, log_high = confint_proportions_2indep(e_treated, n_treated, e_control, n_control,
                                                   method="log", compare="ratio", alpha=alpha)
    score_low, score_high = confint_proportions_2indep(e_treated, n_treated, e_control, n_control,
                                                       method="score", compare="ratio", alpha=alpha)
    p1, p0 = e_treated / n_treated, e_control / n_control
    return {
        "pct_treated": 100 * p1, "pct_control": 100 * p0,
        "diff_pp": 100 * (p1 - p0), "diff_low": 100 * float(diff_low), "diff_high": 100 * float(diff_high),
        "rr": p1 / p0 if p0 > 0 else float("inf"),
        "rr_log_low": float(log_low), "rr_log_high": float(log_high),
        "rr_score_low": float(score_low), "rr_score_high": float(score_high),
    }


def intervals_by_size(e_treated: int, n_treated: int, e_control: int, n_control: int,
                      factors: Sequence[float]) -> pd.DataFrame:
    """:func:`intervals` for the published counts (factor 1) and hypothetical trials with the same shares.

    A factor of 4 means four times as many participants in each arm, with the same shares employed
    (so the counts need not be whole numbers). ``published`` marks the row from the published trial.
    """
    if 1 not in factors:
        raise ValueError("intervals_by_size: include factor 1 (the published trial)")
    rows = []
    for f in factors:
        if f <= 0:
            raise ValueError("factors must be positive")
        row = intervals(e_treated * f, n_treated * f, e_control * f, n_control * f)
        rows.append({"factor": f, "n_total": (n_treated + n_control) * f, "published": f == 1,
                     **row, "diff_width": row["diff_high"] - row["diff_low"]})
    return pd.DataFrame(rows)


def plot_intervals(panels: Mapping[str, pd.DataFrame]):
    """One panel per trial: the difference with its 95 % interval at the published and hypothetical N."""
    fig, axes = plt.subplots(1, len(panels), figsize=(8.6, 4.0))
    axes = np.atleast_1d(axes)
    colour = figures.PALETTE["blue"]
    for ax, (title, table) in zip(axes, panels.items()):
        for row in table.itertuples():
            ax.plot([row.n_total, row.n_total], [row.diff_low, row.diff_high], color=colour,
                    lw=2.2 if row.published else 1.3, ls="-" if row.published else "--")
            ax.plot(row.n_total, row.diff_pp, marker="o", ms=8 if row.published else 6, ls="none",
                    mfc=colour if row.published else "white", mec=colour, mew=1.5)
        pub = table[table["published"]].iloc[0]
        ax.annotate(f"publisert\nN = {fmt.number(pub['n_total'])}", (pub["n_total"], pub["diff_high"]),
                    xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8.5)
        ax.axhline(0, color=figures.GREY, lw=1)
        ax.set_xscale("log")
        ticks = [int(round(n)) for n in table["n_total"]]
        ax.set_xticks(ticks, [fmt.number(t) for t in ticks], rotation=45)
        ax.minorticks_off()
        ax.set_xlim(min(ticks) / 1.5, max(ticks) * 1.5)
        top = table["diff_high"].max()
        ax.set_ylim(min(-5, table["diff_low"].min() - 3), top + 0.22 * abs(top))
        ax.set_title(title, fontsize=10.5, loc="left")
        ax.set_xlabel("Deltakere i alt (logaritmisk skala)")
        figures.norwegian_axis(ax, "y")
    axes[0].set_ylabel("Forskjell i andel i arbeid\n(prosentpoeng, 95 % KI)")
    handles = [
        Line2D([], [], color=colour, marker="o", mfc=colour, lw=2.2, label="publisert utvalg"),
        Line2D([], [], color=colour, marker="o", mfc="white", ls="--", lw=1.3,
               label="hypotetisk utvalg, samme andeler"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=9, bbox_to_anchor=(0.5, 0.055))
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.33, top=0.92, wspace=0.3)
    figures.source_line(fig, "andeler og gruppestørrelser fra Sveinsdottir mfl. 2020; "
                             "egne beregninger av intervallene.")
    return fig


def intervals_table(panels: Mapping[str, pd.DataFrame]):
    """The numbers behind :func:`plot_intervals`, published rows marked."""
    frame = pd.concat([t.assign(trial=title) for title, t in panels.items()], ignore_index=True)
    frame["kind"] = np.where(frame["published"], "publisert", "hypotetisk")
    frame["diff_ci"] = [fmt.interval(lo, hi, 1) for lo, hi in zip(frame["diff_low"], frame["diff_high"])]
    frame["rr_ci"] = [fmt.interval(lo, hi, 2) for lo, hi in zip(frame["rr_score_low"], frame["rr_score_high"])]
    fmt1 = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        frame, caption="Forskjell og relativ risiko med 95 % konfidensintervall, publisert og hypotetisk utvalg",
        columns={"trial": "Forsøk", "kind": "Utvalg", "n_total": "Deltakere i alt", "diff_pp": "Forskjell",
                 "diff_ci": "95 % KI (forskjell)", "diff_width": "Bredde", "rr": "Relativ risiko",
                 "rr_ci": "95 % KI (relativ risiko, scoremetoden)"},
        formats={"n_total": lambda v: fmt.number(v), "diff_pp": fmt1, "diff_width": fmt1,
                 "rr": lambda v: fmt.number(v, 2)},
        notes=["Forskjell og bredde i prosentpoeng. Hypotetiske utvalg har de samme andelene som det publiserte, "
               "med flere (eller færre) deltakere i hver gruppe.",
               "Antall i arbeid i det publiserte utvalget er regnet tilbake fra prosentandelene og de oppgitte "
               "gruppestørrelsene og er derfor omtrentlige."])


# ---------------------------------------------------------------- helpers


def _check_shares(p_control: float, p_treated: float) -> None:
    for name, p in (("p_control", p_control), ("p_treated", p_treated)):
        if not 0 < p < 1:
            raise ValueError(f"{name} must be a share strictly between 0 and 1, got {p}")
    if p_control == p_treated:
        raise ValueError("p_control and p_treated are equal: there is no difference to detect")


def _join(*tables):
    """Show several accessible tables as one output."""
    from IPython.display import HTML

    return HTML("".join(t.data for t in tables))


__all__ = [
    "ArmShares", "SelectionResult", "SelectionSetup", "arm_shares", "detectable_difference",
    "intervals", "intervals_by_size", "intervals_table", "plot_intervals", "plot_power",
    "plot_selection", "plot_trials", "power_curve", "power_for", "power_for_sizes", "power_table",
    "required_n_per_arm", "selection_parameters", "selection_scenarios", "selection_scenarios_table",
    "selection_summary", "selection_table",
    "simulate_selection", "simulate_trials", "trial_sizes", "trials_summary", "trials_table",
]
