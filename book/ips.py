"""Analyses for chapter 5 (Supported Employment and IPS): trial effects, pooling, effects over time.

Risk ratios and their pooling use statsmodels' meta-analysis functions
(:func:`statsmodels.stats.meta_analysis.effectsize_2proportions` and
:func:`~statsmodels.stats.meta_analysis.combine_effects`); nothing here re-implements them.

Two assumptions are made visibly and recorded per row in :func:`forest_table`:

* where the source gives only the trial's total N, participants are assumed to be split
  equally between the randomised arms (``equal_allocation``; an odd remainder goes to the
  IPS arm);
* where the source gives only a percentage, the number employed is reconstructed as
  ``round(percentage × n)`` (``counts_reconstructed``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions

from . import figures, fmt

Z95 = 1.959963984540054

COUNTRY_NB = {
    "Norway": "Norge", "Sweden": "Sverige", "Denmark": "Danmark", "Switzerland": "Sveits",
    "UK": "Storbritannia", "USA": "USA", "Canada": "Canada", "Australia": "Australia",
    "6 European centres": "seks europeiske byer",
}
OUTCOME_NB = {
    "ever_employed": "i ordinært arbeid en gang i perioden",
    "employed_at_followup": "i arbeid ved måletidspunktet",
    "employment_or_education": "i arbeid eller utdanning",
    "steady_employment": "stabilt i arbeid",
    "other": "annet mål",
}
NAME_NB = {"Hellstrom": "Hellström"}
#: How each trial measured employment, in Norwegian (the data keep the compilers' English wording).
OUTCOME_SOURCE_NB = {
    "registry": "registerdata",
    "self-report (questionnaires 6 and 12 m)": "selvrapportert (spørreskjema etter 6 og 12 mnd.)",
    "monthly tracking": "månedlig oppfølging av deltakerne",
    "weekly employment data": "ukentlige arbeidsdata",
    "tracking": "løpende oppfølging av deltakerne",
    "continuous tracking": "løpende oppfølging av deltakerne",
    "interviews every 6 months": "intervju hver 6. måned",
    "research-assistant assessments (masked)": "vurdering av forskningsassistenter (blindet)",
    "re-assessment at 2 years (method not stated)": "ny vurdering etter 2 år (metode ikke oppgitt)",
    "not stated in read excerpt": "ikke oppgitt i sammendraget",
}
LABEL_OVERRIDES = {"DahlLima2021_SE_NAV4offices_NO": "Dahl & Lima 2021"}
REVIEW_LABELS = {
    "Modini2016": "Modini mfl. 2016",
    "Brinchmann2020": "Brinchmann mfl. 2020",
    "FrederickVanderWeele2019": "Frederick & VanderWeele 2019",
    "Fadyl2020": "Fadyl mfl. 2020",
}
INTERVENTION_ARMS = ("IPS",)
CONTROL_ARMS = ("control",)


def study_label(study_id: str) -> str:
    """``'Reme2019_IPS_NO'`` → ``'Reme mfl. 2019'``."""
    if study_id in LABEL_OVERRIDES:
        return LABEL_OVERRIDES[study_id]
    m = re.match(r"([A-Za-z]+?)(\d{4})", study_id)
    if not m:
        raise ValueError(f"cannot make a label from study_id {study_id!r}")
    name = NAME_NB.get(m.group(1), m.group(1))
    return f"{name} mfl. {m.group(2)}"


def country_nb(country: str) -> str:
    """Norwegian name of the first country in a free-text country field."""
    for english, norwegian in COUNTRY_NB.items():
        if country.startswith(english):
            return norwegian
    raise ValueError(f"no Norwegian name for country {country!r}; add it to COUNTRY_NB")


def _arm_sizes(ips: pd.Series, ctrl: pd.Series) -> tuple[int, int, bool]:
    if pd.notna(ips["n_arm"]) and pd.notna(ctrl["n_arm"]):
        return int(ips["n_arm"]), int(ctrl["n_arm"]), False
    per_arm = ips["n_total"] / ips["n_arms_randomised"]
    return math.ceil(per_arm), math.floor(per_arm), True


def _events(arm: pd.Series, n: int) -> tuple[int, bool]:
    if pd.notna(arm["n_employed"]):
        return int(arm["n_employed"]), False
    return int(round(arm["pct_employed"] / 100 * n)), True


def _source_nb(source: str) -> str:
    if source not in OUTCOME_SOURCE_NB:
        raise ValueError(f"no Norwegian wording for outcome_source {source!r}; add it to OUTCOME_SOURCE_NB")
    return OUTCOME_SOURCE_NB[source]


def forest_table(trials: pd.DataFrame) -> pd.DataFrame:
    """One row per IPS trial with an IPS arm and a single control arm: counts, RR and 95 % CI.

    Uses the longest follow-up at which both arms report a share employed; excludes later
    follow-up publications (``is_followup``) and non-IPS interventions (``ips`` false).
    """
    usable = trials[
        trials["ips"].fillna(False)
        & ~trials["is_followup"].fillna(False)
        & trials["arm"].isin(INTERVENTION_ARMS + CONTROL_ARMS)
        & trials["pct_employed"].notna()
    ]
    rows = []
    for trial_id, group in usable.groupby("trial_id", sort=False):
        both = group.groupby(group["followup_months"].fillna(-1))["arm"].nunique()
        times = both[both == 2].index
        if len(times) == 0:
            continue  # no time point with both an IPS and a control arm (e.g. three-arm trials)
        at = group[group["followup_months"].fillna(-1) == max(times)]
        ips = at[at["arm"].isin(INTERVENTION_ARMS)].iloc[0]
        ctrl = at[at["arm"].isin(CONTROL_ARMS)].iloc[0]
        n_ips, n_ctrl, equal = _arm_sizes(ips, ctrl)
        e_ips, rec_i = _events(ips, n_ips)
        e_ctrl, rec_c = _events(ctrl, n_ctrl)
        rows.append({
            "study_id": ips["study_id"],
            "label": study_label(ips["study_id"]),
            "year": int(ips["year"]),
            "country": country_nb(ips["country"]),
            "followup_months": ips["followup_months"],
            "outcome_type": ips["outcome_type"],
            "outcome_nb": OUTCOME_NB[ips["outcome_type"]],
            "outcome_source": ips["outcome_source"],
            "outcome_source_nb": _source_nb(ips["outcome_source"]),
            "pct_ips": float(ips["pct_employed"]),
            "pct_control": float(ctrl["pct_employed"]),
            "n_ips": n_ips, "n_control": n_ctrl,
            "events_ips": e_ips, "events_control": e_ctrl,
            "equal_allocation": equal,
            "counts_reconstructed": rec_i or rec_c,
        })
    table = pd.DataFrame(rows)
    if table.empty:
        raise ValueError("forest_table: no trial has both an IPS arm and a control arm")
    log_rr, var = effectsize_2proportions(
        table["events_ips"].to_numpy(float), table["n_ips"].to_numpy(float),
        table["events_control"].to_numpy(float), table["n_control"].to_numpy(float),
        statistic="risk-ratio",
    )
    table["log_rr"], table["var_log_rr"] = log_rr, var
    table["rr"] = np.exp(log_rr)
    table["ci_low"] = np.exp(log_rr - Z95 * np.sqrt(var))
    table["ci_high"] = np.exp(log_rr + Z95 * np.sqrt(var))
    return table.sort_values(["year", "label"], ignore_index=True)


@dataclass(frozen=True)
class Pooled:
    """A pooled risk ratio with its 95 % CI and heterogeneity statistics."""

    k: int
    n: int
    rr: float
    ci_low: float
    ci_high: float
    rr_fixed: float
    i2: float
    tau2: float
    q: float


def pool(forest: pd.DataFrame) -> Pooled:
    """Random-effects (DerSimonian–Laird) pooled RR of the trials in *forest*."""
    if len(forest) < 2:
        raise ValueError("pool: need at least two trials")
    with np.errstate(divide="ignore", invalid="ignore"):  # Q = 0 (no heterogeneity) divides by zero inside
        res = combine_effects(forest["log_rr"].to_numpy(), forest["var_log_rr"].to_numpy(), method_re="dl")
        frame = res.summary_frame()
    re_row, fe_row = frame.loc["random effect"], frame.loc["fixed effect"]
    tau2 = float(res.tau2)
    if tau2 < 0:
        # DerSimonian–Laird truncates tau² at zero; statsmodels 0.15 does not (Q < df gives tau² < 0
        # and a "random effect" row that is not a random-effects estimate). With tau² = 0 the
        # random-effects model is the fixed-effect model.
        tau2, re_row = 0.0, fe_row
    return Pooled(
        k=len(forest),
        n=int(forest["n_ips"].sum() + forest["n_control"].sum()),
        rr=float(np.exp(re_row["eff"])),
        ci_low=float(np.exp(re_row["ci_low"])),
        ci_high=float(np.exp(re_row["ci_upp"])),
        rr_fixed=float(np.exp(fe_row["eff"])),
        i2=float(res.i2) if res.q > res.df else 0.0,  # I² is truncated at 0 by definition
        tau2=tau2,
        q=float(res.q),
    )


def rr_text(prefix: str, rr: float, low: float, high: float) -> dict[str, str]:
    """Prose values for one risk ratio: ``{prefix}_rr``, ``{prefix}_low``, ``{prefix}_high`` (two decimals)."""
    return {f"{prefix}_rr": fmt.number(rr, 2), f"{prefix}_low": fmt.number(low, 2), f"{prefix}_high": fmt.number(high, 2)}


def sensitivity(subsets: dict[str, tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Pool each named subset of the forest table: ``{key: (label, rows)}`` → one row per subset.

    Shows how much the pooled estimate depends on which trials are included.
    """
    rows = []
    for key, (label, frame) in subsets.items():
        p = pool(frame)
        rows.append({"key": key, "label": label, "k": p.k, "n": p.n, "rr": p.rr,
                     "ci_low": p.ci_low, "ci_high": p.ci_high, "i2": p.i2})
    return pd.DataFrame(rows).set_index("key")


def sensitivity_table(table: pd.DataFrame):
    """Accessible table of :func:`sensitivity`."""
    return figures.data_table(
        table.reset_index(drop=True),
        caption="Samlet risikoratio for ulike utvalg av forsøkene (tilfeldige effekter)",
        columns={"label": "Utvalg", "k": "Antall forsøk", "n": "Deltakere", "rr": "RR",
                 "ci_low": "KI nedre", "ci_high": "KI øvre", "i2": "I²"},
        formats={"rr": lambda v: fmt.number(v, 2), "ci_low": lambda v: fmt.number(v, 2),
                 "ci_high": lambda v: fmt.number(v, 2), "i2": lambda v: fmt.share(v, 0)},
    )


def published(meta: pd.DataFrame, reviews=tuple(REVIEW_LABELS)) -> pd.DataFrame:
    """Pooled RRs for competitive employment reported by the named reviews."""
    rows = meta[meta["review_id"].isin(reviews) & (meta["effect_type"] == "RR")]
    rows = rows.drop_duplicates("review_id")
    missing = set(reviews) - set(rows["review_id"])
    if missing:
        raise ValueError(f"published: no RR row for {sorted(missing)}")
    out = rows.assign(label=rows["review_id"].map(REVIEW_LABELS))
    return out[["review_id", "label", "k_studies", "estimate", "ci_low", "ci_high", "scope", "outcome"]].reset_index(drop=True)


def norwegian_over_time(effects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the Norwegian effect-over-time rows into numeric points and statements without numbers.

    Points: difference in percentage points, either as reported or as intervention − control.
    """
    nor = effects[effects["country"] == "Norway"].copy()
    diff = nor["difference_value"].where(
        nor["difference_value"].notna(), nor["intervention_value"] - nor["control_value"]
    )
    nor["difference_pp"] = diff
    nor["label"] = nor["study_id"].map(study_label)
    points = nor[nor["difference_pp"].notna()]
    statements = nor[nor["difference_pp"].isna()]
    return (
        points[["study_id", "label", "months_to", "difference_pp", "intervention_value", "control_value", "measure"]]
        .rename(columns={"months_to": "months"}).reset_index(drop=True),
        statements[["study_id", "label", "months_from", "months_to", "measure", "significance"]].reset_index(drop=True),
    )


# ---------------------------------------------------------------- figures


OUTCOME_CODE = {
    "ever_employed": "E",
    "employed_at_followup": "T",
    "employment_or_education": "U",
    "steady_employment": "S",
    "other": "A",
}


def plot_forest(forest: pd.DataFrame, pooled: Pooled):
    """Forest plot: RR with 95 % CI per trial (log scale), the pooled diamond, and per trial the
    outcome measure (letter code) and follow-up in months, so unlike outcomes are never hidden."""
    n = len(forest)
    fig, ax = plt.subplots(figsize=(8.4, 0.36 * n + 2.6))
    ys = np.arange(n, 0, -1) + 1
    colour = figures.PALETTE["blue"]
    right = ax.get_yaxis_transform()
    for y, row in zip(ys, forest.itertuples()):
        ax.plot([row.ci_low, row.ci_high], [y, y], color=colour, lw=1.4)
        ax.plot(row.rr, y, marker="s", ms=7, mec=colour, mew=1.5,
                mfc="white" if row.equal_allocation else colour, ls="none")
        ax.text(1.03, y, f"{fmt.number(row.rr, 2)} ({fmt.interval(row.ci_low, row.ci_high)})",
                transform=right, va="center", fontsize=9)
        months = "–" if pd.isna(row.followup_months) else fmt.number(row.followup_months)
        ax.text(1.50, y, f"{OUTCOME_CODE[row.outcome_type]}, {months}", transform=right, va="center", fontsize=9)
    diamond_y = 0.6
    ax.fill([pooled.ci_low, pooled.rr, pooled.ci_high, pooled.rr],
            [diamond_y, diamond_y + 0.35, diamond_y, diamond_y - 0.35], color=figures.PALETTE["vermillion"])
    ax.text(1.03, diamond_y, f"{fmt.number(pooled.rr, 2)} ({fmt.interval(pooled.ci_low, pooled.ci_high)})",
            transform=right, va="center", fontsize=9, fontweight="bold")
    labels = [f"{r.label}, {r.country}{' †' if r.equal_allocation else ''}" for r in forest.itertuples()]
    ax.set_yticks(list(ys) + [diamond_y], labels + ["Samlet (tilfeldige effekter)"])
    ax.axvline(1, color=figures.GREY, ls="--", lw=1)
    ax.set_xscale("log")
    ticks = [0.5, 1, 2, 5, 10, 20]
    ax.set_xticks(ticks, [fmt.number(t, 1 if t < 1 else 0) for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(0.5, 25)
    ax.set_ylim(0, n + 2.2)
    ax.set_xlabel("Risikoratio for arbeid, IPS mot kontroll (logaritmisk skala)")
    top = n + 1.7
    ax.text(0.93, top, "← favoriserer\nkontroll", ha="right", va="center", fontsize=8.5, color=figures.GREY)
    ax.text(1.08, top, "favoriserer\nIPS →", ha="left", va="center", fontsize=8.5, color=figures.GREY)
    ax.text(1.03, top, "RR (95 % KI)", transform=right, va="center", fontsize=9, fontweight="bold")
    ax.text(1.50, top, "Mål, mnd.", transform=right, va="center", fontsize=9, fontweight="bold")
    handles = [
        Line2D([], [], marker="s", color=colour, mfc=colour, ls="none", label="armstørrelser oppgitt i kilden"),
        Line2D([], [], marker="s", color=colour, mfc="white", ls="none", label="† lik fordeling mellom armene antatt"),
    ]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.055), ncol=2, frameon=False, fontsize=9)
    fig.text(0.01, 0.035, "Mål: E = i arbeid en gang i perioden, T = i arbeid på måletidspunktet, "
             "U = i arbeid eller utdanning, S = stabilt i arbeid.", fontsize=8.5, ha="left")
    fig.subplots_adjust(left=0.36, right=0.68, bottom=0.19, top=0.98)
    figures.source_line(fig, "forsøkene i data/trials.csv; egne beregninger (statsmodels).")
    return fig


def plot_meta(pooled: Pooled, reviews: pd.DataFrame):
    """Our pooled RR beside the published meta-analyses."""
    fig, ax = plt.subplots(figsize=(8.0, 2.9))
    rows = list(reviews.itertuples())
    n = len(rows)
    for i, r in enumerate(rows):
        y = n - i + 1
        ax.plot([r.ci_low, r.ci_high], [y, y], color=figures.PALETTE["blue"], lw=1.6)
        ax.plot(r.estimate, y, marker="o", ms=7, color=figures.PALETTE["blue"], ls="none")
    ax.plot([pooled.ci_low, pooled.ci_high], [1, 1], color=figures.PALETTE["vermillion"], lw=1.6)
    ax.plot(pooled.rr, 1, marker="D", ms=8, color=figures.PALETTE["vermillion"], ls="none")
    labels = [f"{r.label} ({'k = ' + str(int(r.k_studies)) if pd.notna(r.k_studies) else 'k ikke oppgitt'})" for r in rows]
    ax.set_yticks([n - i + 1 for i in range(n)] + [1], labels + [f"Denne boka (k = {pooled.k})"])
    ax.axvline(1, color=figures.GREY, ls="--", lw=1)
    ax.set_xscale("log")
    ticks = [1, 1.5, 2, 3]
    ax.set_xticks(ticks, [fmt.number(t, 1 if t % 1 else 0) for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(0.9, 3.3)
    ax.set_ylim(0.4, n + 1.6)
    ax.set_xlabel("Samlet risikoratio (95 % KI), logaritmisk skala")
    fig.subplots_adjust(left=0.47, right=0.97, bottom=0.3, top=0.97)
    figures.source_line(fig, "data/meta_analyses.csv (publiserte metaanalyser); egne beregninger.")
    return fig


def plot_over_time(points: pd.DataFrame, statements: pd.DataFrame):
    """Effects in percentage points by month (top) and the statements without numbers (bottom)."""
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.2, 6.0), sharex=True, gridspec_kw={"height_ratios": [3, 2.2]}
    )
    markers = ["o", "s", "^", "D"]
    colours = [figures.PALETTE[c] for c in ("blue", "vermillion", "green", "purple")]
    for (label, group), marker, colour in zip(points.groupby("label", sort=False), markers, colours):
        top.plot(group["months"], group["difference_pp"], marker=marker, color=colour, ms=7, lw=1.2,
                 ls=":" if len(group) > 1 else "none", label=label)
    top.axhline(0, color=figures.GREY, lw=1)
    top.set_ylabel("Forskjell (prosentpoeng)")
    top.set_ylim(-2, 16)
    figures.norwegian_axis(top, "y")
    top.legend(loc="upper right", frameon=False, title="Tall oppgitt i kilden")
    for i, r in enumerate(statements.itertuples()):
        y = len(statements) - i
        start, end = r.months_from, r.months_to
        if start == end:
            bottom.plot(start, y, marker="|", ms=14, mew=2, color=figures.PALETTE["black"])
        else:
            bottom.plot([start, end], [y, y], lw=5, color=figures.PALETTE["skyblue"], solid_capstyle="butt")
        bottom.text(start, y + 0.22, f"{r.label}: {STATEMENT_NB.get(r.significance, r.significance)}",
                    va="bottom", fontsize=8.5)
    bottom.set_yticks([])
    bottom.spines["left"].set_visible(False)
    bottom.set_ylim(0.5, len(statements) + 0.9)
    bottom.set_title("Utsagn uten tall i kildene (periode i måneder)", fontsize=10, loc="left")
    bottom.set_xlim(0, 75)
    bottom.set_xlabel("Måneder etter loddtrekning")
    figures.norwegian_axis(bottom, "x")
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.14, top=0.97, hspace=0.25)
    figures.source_line(fig, "data/effect_over_time.csv (Reme mfl. 2015, 2019; Dahl & Lima 2021; Berg mfl. 2021).")
    return fig


STATEMENT_NB = {
    "positive effects": "positive effekter",
    "not significant": "ingen signifikant forskjell",
    "no lasting differences": "ingen varige forskjeller",
}


# ---------------------------------------------------------------- the numbers behind the figures


def forest_data_table(forest: pd.DataFrame, pooled: Pooled):
    """Accessible table with the numbers behind the forest plot."""
    rows = forest.assign(
        arms=[f"{fmt.number(a)} / {fmt.number(b)}" for a, b in zip(forest["n_ips"], forest["n_control"])],
        employed=[f"{fmt.number(a)} / {fmt.number(b)}" for a, b in zip(forest["events_ips"], forest["events_control"])],
        shares=[f"{fmt.percent(a)} / {fmt.percent(b)}" for a, b in zip(forest["pct_ips"], forest["pct_control"])],
        rr_ci=[f"{fmt.number(r, 2)} ({fmt.interval(lo, hi)})" for r, lo, hi in zip(forest["rr"], forest["ci_low"], forest["ci_high"])],
    )
    pooled_row = pd.DataFrame([{
        "label": "Samlet (tilfeldige effekter)", "country": "–", "followup_months": None,
        "outcome_nb": "–", "outcome_source_nb": "–",
        "arms": f"{fmt.number(pooled.n)} i alt", "employed": "–", "shares": "–",
        "equal_allocation": None,
        "rr_ci": f"{fmt.number(pooled.rr, 2)} ({fmt.interval(pooled.ci_low, pooled.ci_high)})",
    }])
    return figures.data_table(
        pd.concat([rows, pooled_row], ignore_index=True),
        caption="Tallene bak forest-plottet: forsøk, utfallsmål og beregnet risikoratio",
        columns={
            "label": "Forsøk", "country": "Land", "followup_months": "Måneder", "outcome_nb": "Utfallsmål",
            "outcome_source_nb": "Datakilde", "arms": "n IPS / kontroll",
            "employed": "I arbeid IPS / kontroll", "shares": "Andel IPS / kontroll",
            "equal_allocation": "Lik fordeling antatt", "rr_ci": "RR (95 % KI)",
        },
        formats={"followup_months": lambda m: fmt.number(m)},
        notes=[
            "«Lik fordeling antatt» = kilden oppgir bare totalt N; armstørrelsene er satt til N delt på antall armer.",
            "Antall i arbeid er regnet tilbake fra prosentandelen der kilden ikke oppgir antallet, og er derfor omtrentlig.",
            "«–» = ikke oppgitt i kilden eller ikke relevant.",
        ],
    )


def meta_data_table(pooled: Pooled, reviews: pd.DataFrame):
    """Accessible table with the pooled estimates compared in the second figure."""
    ours = pd.DataFrame([{
        "label": "Denne boka (tilfeldige effekter, DerSimonian–Laird)", "k_studies": pooled.k,
        "estimate": pooled.rr, "ci_low": pooled.ci_low, "ci_high": pooled.ci_high,
        "scope": "IPS-forsøkene i figuren over",
    }])
    table = pd.concat([reviews, ours], ignore_index=True)
    return figures.data_table(
        table,
        caption="Samlede risikoratioer: publiserte metaanalyser og bokas egen sammenstilling",
        columns={"label": "Kilde", "k_studies": "Antall forsøk", "estimate": "RR", "ci_low": "KI nedre",
                 "ci_high": "KI øvre", "scope": "Omfang (slik kilden beskriver det)"},
        formats={"estimate": lambda v: fmt.number(v, 2), "ci_low": lambda v: fmt.number(v, 2),
                 "ci_high": lambda v: fmt.number(v, 2), "k_studies": lambda v: fmt.number(v)},
        notes=["«–» = ikke oppgitt i sammendraget som ble lest."],
    )


def time_data_table(points: pd.DataFrame, statements: pd.DataFrame):
    """Accessible table with the effects over time: numbers and statements without numbers."""
    nums = points.assign(
        period=points["months"].map(lambda m: f"{fmt.number(m)} mnd."),
        finding=[fmt.pp(d) for d in points["difference_pp"]],
    )
    words = statements.assign(
        period=[f"{fmt.number(a)}–{fmt.number(b)} mnd." if a != b else f"{fmt.number(a)} mnd."
                for a, b in zip(statements["months_from"], statements["months_to"])],
        finding=statements["significance"].map(lambda s: STATEMENT_NB.get(s, s) + " (tall ikke oppgitt)"),
    )
    table = pd.concat([nums, words], ignore_index=True)
    return figures.data_table(
        table,
        caption="Effekter over tid i de norske forsøkene",
        columns={"label": "Forsøk", "period": "Tid etter loddtrekning", "measure": "Mål (slik kilden oppgir)",
                 "finding": "Forskjell mellom gruppene"},
        notes=["Forskjell i prosentpoeng = andel i tiltaksgruppen minus andel i kontrollgruppen, "
               "der kilden ikke oppgir forskjellen selv."],
    )
