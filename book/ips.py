"""Analyses for chapter 5 (Supported Employment and IPS): trial effects, pooling, effects over time.

Risk ratios and their pooling use statsmodels' meta-analysis functions
(:func:`statsmodels.stats.meta_analysis.effectsize_2proportions` and
:func:`~statsmodels.stats.meta_analysis.combine_effects`); the 95 % prediction interval of the
random-effects model follows Riley, Higgins & Deeks (2011, BMJ 342:d549) and is computed here.

How the arm sizes were obtained is recorded per trial (column ``allocation`` of
:func:`forest_table`, from ``n_arm_basis`` in the data): printed in the source, printed in another
publication from the same trial, the only split that reproduces the published shares, or – where
only the trial's total N is known – *assumed*. An assumed split is an equal split by default
(``assumed_ips_share=0.5``; an odd remainder goes to the IPS arm); :func:`allocation_sensitivity`
varies it within the same trials. Where the source gives only a percentage, the number employed is
reconstructed as ``round(percentage × n)`` (``counts_reconstructed``), and
``shares_consistent`` says whether whole numbers of those arm sizes can give the published shares.

The rule for the time point is the longest follow-up reported in the trial's main publication
(``final_followup_months``): a trial
whose per-arm shares are published only for an earlier time point is left out unless
``allow_earlier=True``.
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
    "not stated in read excerpt": "ikke ført inn",
}
#: How the arm sizes were obtained (column ``n_arm_basis`` in the data, or ``assumed``), in Norwegian.
ALLOCATION_NB = {
    "stated": "oppgitt",
    "stated_other_base": "oppgitt, annen nevner",
    "other_publication": "oppgitt i annen artikkel",
    "derived_from_shares": "utledet av prosentene",
    "assumed": "delt likt",
}
LABEL_OVERRIDES = {"DahlLima2021_SE_NAV4offices_NO": "Dahl & Lima 2021"}
REVIEW_LABELS = {
    "Modini2016": "Modini mfl. 2016",
    "Brinchmann2020": "Brinchmann mfl. 2020",
    "FrederickVanderWeele2019": "Frederick & VanderWeele 2019",
    "Fadyl2020": "Fadyl mfl. 2020",
    "Metcalfe2018": "Metcalfe mfl. 2018",
}
#: What each review covers, in Norwegian (the data keep the compilers' English wording in ``scope``).
SCOPE_NB = {
    "Modini2016": "randomiserte forsøk med IPS mot tradisjonell arbeidsrettet rehabilitering i flere land; "
                  "metaregresjon på ledighet og BNP",
    "Brinchmann2020": "randomiserte forsøk med IPS mot vanlig arbeidsrettet rehabilitering; metaregresjon på "
                      "politikk og arbeidsmarked (data fra OECD og Verdensbanken)",
    "FrederickVanderWeele2019": "randomiserte forsøk med IPS mot vanlig oppfølging",
    "Fadyl2020": "lettere og moderate psykiske lidelser; IPS-lignende tiltak mot vanlig oppfølging",
    "Metcalfe2018": "metaregresjon på 30 forsøkssteder fra 21 randomiserte forsøk i 12 land",
}
#: The measures in the effect-over-time data, in Norwegian.
MEASURE_NB = {
    "share in work and education": "andel i arbeid og utdanning",
    "share in work": "andel i arbeid",
    "employment and income": "sysselsetting og inntekt",
    "benefit receipt and labour-market participation": "trygdemottak og deltakelse i arbeidslivet",
    "in competitive employment (registry)": "i ordinært arbeid (registerdata)",
    "increased/maintained work participation (registry)": "økt eller opprettholdt arbeidsdeltakelse (registerdata)",
}
#: The reviews in the second figure: those whose number of trials (k) the data give.
FIGURE_REVIEWS = ("Modini2016", "Brinchmann2020", "Metcalfe2018", "Fadyl2020")
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


def _arm_sizes(ips: pd.Series, ctrl: pd.Series, assumed_ips_share: float) -> tuple[int, int, str]:
    """Arm sizes and how they were obtained; only two-arm trials reach this point."""
    if pd.notna(ips["n_arm"]) and pd.notna(ctrl["n_arm"]):
        basis = ips.get("n_arm_basis")
        return int(ips["n_arm"]), int(ctrl["n_arm"]), basis if isinstance(basis, str) and basis else "stated"
    if not 0 < assumed_ips_share < 1:
        raise ValueError("assumed_ips_share must lie strictly between 0 and 1")
    # the two compared arms' share of everyone randomised (all of N in a two-arm trial, 2/3 in a three-arm one)
    per_arm = ips["n_total"] / ips["n_arms_randomised"]
    if assumed_ips_share == 0.5:
        return math.ceil(per_arm), math.floor(per_arm), "assumed"  # an odd remainder goes to the IPS arm
    pair = math.ceil(per_arm) + math.floor(per_arm)
    n_ips = int(round(assumed_ips_share * pair))
    return n_ips, pair - n_ips, "assumed"


def consistent_counts(pct: float, n: int) -> list[int]:
    """Whole numbers k with k/n equal to *pct* (percent) as printed.

    A share printed with one decimal (36.6) must match to one decimal; a share printed without
    decimals (48) to whole percent. The data store shares as numbers, so 48.0 and 48 cannot be told
    apart: a value with no fractional part is accepted if it matches at either precision.
    """
    if n < 1:
        raise ValueError("consistent_counts: n must be at least 1")
    decimals = (0, 1) if float(pct).is_integer() else (1,)
    return [k for k in range(n + 1) if any(abs(round(100 * k / n, d) - pct) < 1e-9 for d in decimals)]


def _events(arm: pd.Series, n: int) -> tuple[int, bool]:
    if pd.notna(arm["n_employed"]):
        return int(arm["n_employed"]), False
    return int(round(arm["pct_employed"] / 100 * n)), True


def _source_nb(source: str) -> str:
    if source not in OUTCOME_SOURCE_NB:
        raise ValueError(f"no Norwegian wording for outcome_source {source!r}; add it to OUTCOME_SOURCE_NB")
    return OUTCOME_SOURCE_NB[source]


def forest_table(trials: pd.DataFrame, *, assumed_ips_share: float = 0.5,
                 allow_earlier: bool = False) -> pd.DataFrame:
    """One row per IPS trial with an IPS arm and a single control arm: counts, RR and 95 % CI.

    Uses the longest follow-up at which both arms report a share employed; excludes later
    follow-up publications (``is_followup``) and non-IPS interventions (``ips`` false). A trial
    whose shares stop before its own longest follow-up (``final_followup_months``) is left out
    unless *allow_earlier*. Where only the total N is known, a share *assumed_ips_share* of it is
    put in the IPS arm.
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
        final = ips.get("final_followup_months")
        at_final = pd.isna(final) or pd.isna(ips["followup_months"]) or ips["followup_months"] >= final
        if not at_final and not allow_earlier:
            continue  # shares only for an earlier time point than the trial's longest follow-up
        n_ips, n_ctrl, allocation = _arm_sizes(ips, ctrl, assumed_ips_share)
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
            "final_followup_months": final,
            "at_final_followup": bool(at_final),
            "n_ips": n_ips, "n_control": n_ctrl,
            "events_ips": e_ips, "events_control": e_ctrl,
            "allocation": allocation,
            "allocation_nb": ALLOCATION_NB[allocation],
            "equal_allocation": allocation == "assumed",
            "counts_reconstructed": rec_i or rec_c,
            "shares_consistent": bool(consistent_counts(float(ips["pct_employed"]), n_ips)
                                      and consistent_counts(float(ctrl["pct_employed"]), n_ctrl)),
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
    # the ratio itself from whole numbers (exp(log) turns 77/56 = 1.375 into 1.37499…, printed 1,37)
    table["rr"] = (table["events_ips"] * table["n_control"]) / (table["n_ips"] * table["events_control"])
    table["ci_low"] = np.exp(log_rr - Z95 * np.sqrt(var))
    table["ci_high"] = np.exp(log_rr + Z95 * np.sqrt(var))
    return table.sort_values(["year", "label"], ignore_index=True)


@dataclass(frozen=True)
class Pooled:
    """A pooled risk ratio with its 95 % CI, 95 % prediction interval and heterogeneity statistics."""

    k: int
    n: int
    rr: float
    ci_low: float
    ci_high: float
    rr_fixed: float
    i2: float
    tau2: float
    q: float
    se_log: float     # standard error of the pooled log RR (random effects)
    pi_low: float     # 95 % prediction interval for the true RR in a new, similar trial
    pi_high: float


def prediction_interval(mu: float, se: float, tau2: float, k: int, level: float = 0.95) -> tuple[float, float]:
    """95 % prediction interval on the log scale (Riley, Higgins & Deeks 2011, BMJ 342:d549).

    ``mu ± t(k − 2) · sqrt(tau² + se²)``: the range in which the true effect of a new study like
    those pooled is expected to lie. Needs at least three studies (k − 2 degrees of freedom).
    """
    from scipy.stats import t as student_t

    if k < 3:
        raise ValueError("prediction_interval: need at least three studies")
    if tau2 < 0 or se < 0:
        raise ValueError("prediction_interval: tau2 and se must be non-negative")
    half = student_t.ppf(0.5 + level / 2, k - 2) * math.sqrt(tau2 + se**2)
    return mu - half, mu + half


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
    mu = float(re_row["eff"])
    weights = 1 / (forest["var_log_rr"].to_numpy(float) + tau2)
    se = math.sqrt(1 / weights.sum())
    if len(forest) >= 3:
        pi_low, pi_high = (math.exp(v) for v in prediction_interval(mu, se, tau2, len(forest)))
    else:
        pi_low = pi_high = float("nan")
    return Pooled(
        k=len(forest),
        n=int(forest["n_ips"].sum() + forest["n_control"].sum()),
        rr=float(np.exp(mu)),
        ci_low=float(np.exp(re_row["ci_low"])),
        ci_high=float(np.exp(re_row["ci_upp"])),
        rr_fixed=float(np.exp(fe_row["eff"])),
        i2=float(res.i2) if res.q > res.df else 0.0,  # I² is truncated at 0 by definition
        tau2=tau2,
        q=float(res.q),
        se_log=se,
        pi_low=pi_low,
        pi_high=pi_high,
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
                     "ci_low": p.ci_low, "ci_high": p.ci_high, "pi_low": p.pi_low, "pi_high": p.pi_high,
                     "i2": p.i2})
    return pd.DataFrame(rows).set_index("key")


def _interval_text(lo: float, hi: float) -> str:
    return "–" if pd.isna(lo) or pd.isna(hi) else fmt.interval(lo, hi)


def sensitivity_table(table: pd.DataFrame):
    """Accessible table of :func:`sensitivity`."""
    shown = table.reset_index(drop=True).assign(
        ci=[_interval_text(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        pi=[_interval_text(lo, hi) for lo, hi in zip(table["pi_low"], table["pi_high"])],
    )
    return figures.data_table(
        shown,
        caption="Samlet relativ risiko for ulike utvalg av forsøkene (tilfeldige effekter)",
        columns={"label": "Utvalg", "k": "Antall forsøk", "n": "Deltakere", "rr": "RR",
                 "ci": "95 % KI", "pi": "95 % prediksjonsintervall", "i2": "I²"},
        formats={"rr": lambda v: fmt.number(v, 2), "i2": lambda v: fmt.share(v, 0)},
        notes=["RR = relativ risiko; KI = konfidensintervall for gjennomsnittet. Prediksjonsintervallet: hvor "
               "effekten i et nytt, lignende tiltak kan ventes å ligge."],
    )


def allocation_sensitivity(trials: pd.DataFrame, shares=(0.4, 0.5, 0.6)) -> pd.DataFrame:
    """Pool the same trials with different assumed splits where only the total N is known.

    For each share *s*, every trial with an assumed split gets ``round(s × N)`` participants in the
    IPS arm and the rest in the control arm; trials with known arm sizes are unchanged. One row per
    share: the pooled RR with CI and prediction interval, and how many trials had an assumed split.
    """
    rows = []
    for share in shares:
        forest = forest_table(trials, assumed_ips_share=share)
        p = pool(forest)
        rows.append({"ips_share": share, "k": p.k, "k_assumed": int(forest["equal_allocation"].sum()),
                     "rr": p.rr, "ci_low": p.ci_low, "ci_high": p.ci_high,
                     "pi_low": p.pi_low, "pi_high": p.pi_high, "i2": p.i2})
    return pd.DataFrame(rows)


def allocation_table(table: pd.DataFrame):
    """Accessible table of :func:`allocation_sensitivity`."""
    shown = table.assign(
        split=[f"{fmt.percent(100 * s, 0)} / {fmt.percent(100 * (1 - s), 0)}" for s in table["ips_share"]],
        ci=[_interval_text(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        pi=[_interval_text(lo, hi) for lo, hi in zip(table["pi_low"], table["pi_high"])],
    )
    return figures.data_table(
        shown,
        caption="Samlet relativ risiko når fordelingen mellom gruppene varieres i forsøkene der bare samlet N er kjent",
        columns={"split": "Antatt fordeling IPS / kontroll", "k_assumed": "Forsøk med antatt fordeling",
                 "rr": "RR", "ci": "95 % KI", "pi": "95 % prediksjonsintervall", "i2": "I²"},
        formats={"rr": lambda v: fmt.number(v, 2), "i2": lambda v: fmt.share(v, 0)},
        notes=["De samme forsøkene i alle radene; bare fordelingen i forsøkene med antatt fordeling endres. "
               "Andelen i arbeid i hver gruppe er den publiserte."],
    )


def published(meta: pd.DataFrame, reviews=FIGURE_REVIEWS) -> pd.DataFrame:
    """Pooled RRs for competitive employment reported by the named reviews."""
    rows = meta[meta["review_id"].isin(reviews) & (meta["effect_type"] == "RR")]
    rows = rows.drop_duplicates("review_id")
    missing = set(reviews) - set(rows["review_id"])
    if missing:
        raise ValueError(f"published: no RR row for {sorted(missing)}")
    missing_nb = set(rows["review_id"]) - set(SCOPE_NB)
    if missing_nb:
        raise ValueError(f"published: no Norwegian scope for {sorted(missing_nb)}; add it to SCOPE_NB")
    out = rows.assign(label=rows["review_id"].map(REVIEW_LABELS), scope_nb=rows["review_id"].map(SCOPE_NB))
    return out[["review_id", "label", "k_studies", "estimate", "ci_low", "ci_high", "scope", "scope_nb",
                "outcome"]].reset_index(drop=True)


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
    unknown = set(nor["measure"]) - set(MEASURE_NB)
    if unknown:
        raise ValueError(f"norwegian_over_time: no Norwegian wording for {sorted(unknown)}; add it to MEASURE_NB")
    nor["measure_nb"] = nor["measure"].map(MEASURE_NB)
    points = nor[nor["difference_pp"].notna()]
    statements = nor[nor["difference_pp"].isna()]
    return (
        points[["study_id", "label", "months_to", "difference_pp", "intervention_value", "control_value", "measure",
                "measure_nb"]]
        .rename(columns={"months_to": "months"}).reset_index(drop=True),
        statements[["study_id", "label", "months_from", "months_to", "measure", "measure_nb",
                    "significance"]].reset_index(drop=True),
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
    fig, ax = plt.subplots(figsize=(8.4, 0.36 * n + 3.0))
    ys = np.arange(n, 0, -1) + 1
    colour = figures.PALETTE["blue"]
    right = ax.get_yaxis_transform()
    for y, row in zip(ys, forest.itertuples()):
        ax.plot([row.ci_low, row.ci_high], [y, y], color=colour, lw=1.4)
        ax.plot(row.rr, y, marker="s", ms=7, mec=colour, mew=1.5,
                mfc="white" if row.equal_allocation else colour, ls="none")
        ax.text(1.03, y, f"{fmt.number(row.rr, 2)} ({fmt.interval(row.ci_low, row.ci_high)})",
                transform=right, va="center", fontsize=9)
    diamond_y = 0.6
    pi_y = -0.2
    ax.fill([pooled.ci_low, pooled.rr, pooled.ci_high, pooled.rr],
            [diamond_y, diamond_y + 0.35, diamond_y, diamond_y - 0.35], color=figures.PALETTE["vermillion"])
    ax.text(1.03, diamond_y, f"{fmt.number(pooled.rr, 2)} ({fmt.interval(pooled.ci_low, pooled.ci_high)})",
            transform=right, va="center", fontsize=9, fontweight="bold")
    ax.plot([pooled.pi_low, pooled.pi_high], [pi_y, pi_y], color=figures.PALETTE["vermillion"], lw=2.2, ls="--")
    ax.text(1.03, pi_y, f"({fmt.interval(pooled.pi_low, pooled.pi_high)})", transform=right, va="center", fontsize=9)
    # outcome code and months in the trial's own label (fewer text elements than a separate column)
    labels = [f"{r.label}, {r.country}{' †' if r.equal_allocation else ''} "
              f"({OUTCOME_CODE[r.outcome_type]}, {'–' if pd.isna(r.followup_months) else fmt.number(r.followup_months)})"
              for r in forest.itertuples()]
    ax.set_yticks(list(ys) + [diamond_y, pi_y],
                  labels + ["Samlet (tilfeldige effekter)", "Prediksjonsintervall, nytt tiltak"])
    ax.axvline(1, color=figures.GREY, ls="--", lw=1)
    ax.set_xscale("log")
    ticks = [0.5, 1, 2, 5, 10, 20]
    ax.set_xticks(ticks, [fmt.number(t, 1 if t < 1 else 0) for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(0.5, 25)
    ax.set_ylim(-0.8, n + 2.2)
    ax.set_xlabel("Relativ risiko for arbeid, IPS mot kontroll (logaritmisk skala)")
    top = n + 1.7
    ax.text(0.87, top, "← til fordel for\nkontroll", ha="right", va="center", fontsize=8.5, color=figures.GREY)
    ax.text(1.15, top, "til fordel for\nIPS →", ha="left", va="center", fontsize=8.5, color=figures.GREY)
    ax.text(1.03, top, "RR (95 % KI)", transform=right, va="center", fontsize=9, fontweight="bold")
    handles = [
        Line2D([], [], marker="s", color=colour, mfc=colour, ls="none", label="gruppestørrelser kjent"),
        Line2D([], [], marker="s", color=colour, mfc="white", ls="none", label="† samlet antall delt likt på gruppene"),
    ]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.085), ncol=2, frameon=False, fontsize=9)
    fig.text(0.01, 0.03, "I parentes: mål og måneder. E = i arbeid en gang i perioden, T = i arbeid på\n"
             "måletidspunktet, U = i arbeid eller utdanning, S = stabilt i arbeid.", fontsize=8.5, ha="left", va="bottom")
    fig.subplots_adjust(left=0.45, right=0.77, bottom=0.22, top=0.98)
    figures.source_line(fig, "de publiserte forsøkene (se tabellen under figuren); egne beregninger med statsmodels.")
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
    labels = [f"{r.label} (k = {int(r.k_studies)})" if pd.notna(r.k_studies) else r.label for r in rows]
    ax.set_yticks([n - i + 1 for i in range(n)] + [1], labels + [f"Denne boka (k = {pooled.k})"])
    ax.axvline(1, color=figures.GREY, ls="--", lw=1)
    ax.set_xscale("log")
    ticks = [1, 1.5, 2, 3]
    ax.set_xticks(ticks, [fmt.number(t, 1 if t % 1 else 0) for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(0.9, 3.3)
    ax.set_ylim(0.4, n + 1.6)
    ax.set_xlabel("Samlet relativ risiko (95 % KI), logaritmisk skala")
    fig.subplots_adjust(left=0.47, right=0.97, bottom=0.3, top=0.97)
    figures.source_line(fig, "de publiserte metaanalysene (se tabellen under figuren); egne beregninger.")
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
    figures.source_line(fig, "Reme mfl. 2015, 2019; Dahl & Lima 2021; Berg mfl. 2021.")
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
        "outcome_nb": "–",
        "arms": f"{fmt.number(pooled.n)} i alt", "employed": "–", "shares": "–",
        "allocation_nb": None,
        "rr_ci": f"{fmt.number(pooled.rr, 2)} ({fmt.interval(pooled.ci_low, pooled.ci_high)}); "
                 f"prediksjonsintervall {fmt.interval(pooled.pi_low, pooled.pi_high)}",
    }])
    return figures.data_table(
        pd.concat([rows, pooled_row], ignore_index=True),
        caption="Tallene bak forest-plottet: forsøk, utfallsmål og beregnet relativ risiko",
        columns={
            "label": "Forsøk", "country": "Land", "followup_months": "Måneder", "outcome_nb": "Utfallsmål",
            "arms": "n IPS / kontroll", "allocation_nb": "Gruppestørrelsene",
            "employed": "I arbeid IPS / kontroll", "shares": "Andel IPS / kontroll",
            "rr_ci": "RR (95 % KI)",
        },
        formats={"followup_months": lambda m: fmt.number(m)},
        notes=[
            "RR = relativ risiko. Gruppestørrelsene: «utledet av prosentene» = den eneste fordelingen som gir alle "
            "prosentene i sammendraget; «annen nevner» = de loddtrukne gruppene, men prosentene går ikke opp i hele "
            "personer av dem; «delt likt» = samlet antall fordelt likt på gruppene (se analyse 2).",
            "Antall i arbeid er prosent × n, avrundet, der kilden ikke oppgir antallet.",
        ],
    )


def meta_data_table(pooled: Pooled, reviews: pd.DataFrame):
    """Accessible table with the pooled estimates compared in the second figure."""
    ours = pd.DataFrame([{
        "label": "Denne boka (tilfeldige effekter, DerSimonian–Laird)", "k_studies": pooled.k,
        "estimate": pooled.rr, "ci_low": pooled.ci_low, "ci_high": pooled.ci_high,
        "scope_nb": "IPS-forsøkene i forest-plottet; prediksjonsintervall "
                    f"{fmt.interval(pooled.pi_low, pooled.pi_high)}",
    }])
    table = pd.concat([reviews, ours], ignore_index=True)
    return figures.data_table(
        table,
        caption="Samlet relativ risiko: publiserte metaanalyser og bokas egen sammenstilling",
        columns={"label": "Kilde", "k_studies": "Antall forsøk", "estimate": "RR", "ci_low": "KI nedre",
                 "ci_high": "KI øvre", "scope_nb": "Omfang"},
        formats={"estimate": lambda v: fmt.number(v, 2), "ci_low": lambda v: fmt.number(v, 2),
                 "ci_high": lambda v: fmt.number(v, 2), "k_studies": lambda v: fmt.number(v)},
        notes=["RR = relativ risiko; KI = 95 % konfidensintervall."],
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
        columns={"label": "Forsøk", "period": "Tid etter loddtrekning", "measure_nb": "Mål",
                 "finding": "Forskjell mellom gruppene"},
        notes=["Forskjell i prosentpoeng = andel i tiltaksgruppen minus andel i kontrollgruppen, "
               "der kilden ikke oppgir forskjellen selv."],
    )


# ---------------------------------------------------------------- the numbers the chapter's prose uses


def _row(frame: pd.DataFrame, key_col: str, key: str) -> pd.Series:
    hit = frame[frame[key_col] == key]
    if len(hit) != 1:
        raise KeyError(f"expected one row with {key_col} = {key!r}, found {len(hit)}")
    return hit.iloc[0]


def forest_glue(forest: pd.DataFrame, pooled: Pooled, trials: pd.DataFrame) -> dict[str, str]:
    """Formatted numbers for the prose around the forest plot (analysis 1) and exercise 5.2."""
    ranked = forest.sort_values("rr", ascending=False)
    top1, top2, low1 = ranked.iloc[0], ranked.iloc[1], ranked.iloc[-1]
    out = {
        "forest_k": fmt.number(len(forest)), "forest_n": fmt.number(pooled.n),
        "forest_k_assumed": fmt.number(forest["equal_allocation"].sum()),
        "forest_k_known": fmt.number((~forest["equal_allocation"]).sum()),
        "forest_k_above": fmt.number((forest["ci_low"] > 1).sum()),
        "forest_top1_label": top1["label"], "forest_top1_rr": fmt.number(top1["rr"], 2),
        "forest_top2_label": top2["label"], "forest_top2_rr": fmt.number(top2["rr"], 2),
        "forest_min_label": low1["label"], "forest_rr_min": fmt.number(low1["rr"], 2),
    }
    for key, sid in [("reme", "Reme2019_IPS_NO"), ("seed", "Sveinsdottir2020_SEED_NO"),
                     ("hell", "Hellstrom2017_Denmark_IPSMA"), ("chr", "Christensen2019_Denmark"),
                     ("bej", "Bejerholm2015_Sweden")]:
        row = _row(forest, "study_id", sid)
        out |= rr_text(key, row["rr"], row["ci_low"], row["ci_high"])
    seed, reme = _row(forest, "study_id", "Sveinsdottir2020_SEED_NO"), _row(forest, "study_id", "Reme2019_IPS_NO")
    drake = _row(forest, "study_id", "Drake1999_DC")
    seed_arm = _row(trials, "row_id", "Sveinsdottir2020_SEED_NO:IPS:12")
    kill = trials[trials["trial_id"] == "Killackey2019_Melbourne_FEP"].iloc[0]
    n_c, e_c = int(seed["n_control"]), int(seed["events_control"])
    out |= {
        "seed_pct_ips": fmt.percent(seed["pct_ips"], 0), "seed_pct_ctrl": fmt.percent(seed["pct_control"], 0),
        "seed_n_ips": fmt.number(seed["n_ips"]), "seed_n_ctrl": fmt.number(n_c),
        "seed_e_ips": fmt.number(seed["events_ips"]), "seed_e_ctrl": fmt.number(e_c),
        "seed_e_ctrl_lo": fmt.number(e_c - 1),
        "seed_ratio_pct": fmt.number(seed["pct_ips"] / seed["pct_control"], 1),
        "seed_alt_lo": fmt.percent(100 * (e_c - 1) / n_c), "seed_alt_hi": fmt.percent(100 * e_c / n_c),
        "seed_or": fmt.number(seed_arm["effect"], 2), "seed_or_ci": fmt.interval(seed_arm["ci_low"], seed_arm["ci_high"]),
        "reme_pct_ips": fmt.percent(reme["pct_ips"]), "reme_pct_ctrl": fmt.percent(reme["pct_control"]),
        "reme_n": fmt.number(reme["n_ips"] + reme["n_control"]), "reme_n_half": fmt.number(reme["n_ips"]),
        "drake_n_ips": fmt.number(drake["n_ips"]), "drake_n_ctrl": fmt.number(drake["n_control"]),
        "kill_months": fmt.number(kill["followup_months"]), "kill_final": fmt.number(kill["final_followup_months"]),
    }
    return out


REVIEW_KEYS = {"modini": "Modini2016", "brinchmann": "Brinchmann2020", "frederick": "FrederickVanderWeele2019",
               "fadyl": "Fadyl2020", "metcalfe": "Metcalfe2018"}


def meta_glue(pooled: Pooled, reviews: pd.DataFrame, sensitivity_table_: pd.DataFrame,
              allocation: pd.DataFrame) -> dict[str, str]:
    """Formatted numbers for the prose of analysis 2: pooled RR, intervals, reviews, sensitivity."""
    out = {"pooled_i2": fmt.share(pooled.i2, 0), "pooled_rr_fe": fmt.number(pooled.rr_fixed, 2),
           "pooled_pi_low": fmt.number(pooled.pi_low, 2), "pooled_pi_high": fmt.number(pooled.pi_high, 2),
           "alloc_rr_min": fmt.number(allocation["rr"].min(), 2),
           "alloc_rr_max": fmt.number(allocation["rr"].max(), 2),
           **rr_text("pooled", pooled.rr, pooled.ci_low, pooled.ci_high)}
    by_review = reviews.set_index("review_id")
    for key, rid in REVIEW_KEYS.items():
        if rid not in by_review.index:
            continue  # a review left out of *reviews* gets no prose values
        r = by_review.loc[rid]
        out |= rr_text(key, r["estimate"], r["ci_low"], r["ci_high"])
        if pd.notna(r["k_studies"]):  # Frederick & VanderWeele give no k
            out[f"{key}_k"] = fmt.number(r["k_studies"])
    for key, s in sensitivity_table_.iterrows():
        out |= rr_text(f"sens_{key}", s["rr"], s["ci_low"], s["ci_high"])
        out |= {f"sens_{key}_k": fmt.number(s["k"]), f"sens_{key}_i2": fmt.share(s["i2"], 0)}
    return out


def time_glue(points: pd.DataFrame, trials: pd.DataFrame, effects: pd.DataFrame) -> dict[str, str]:
    """Formatted numbers for the prose of analysis 3."""
    diff = points.set_index(["study_id", "months"])["difference_pp"]
    arms, other = trials.set_index("row_id"), effects.set_index("row_id")
    dahl = "DahlLima2021_SE_NAV4offices_NO"
    return {
        "reme_diff_12": fmt.pp(diff["Reme2019_IPS_NO", 12]), "reme_diff_18": fmt.pp(diff["Reme2019_IPS_NO", 18]),
        "awac_diff_12": fmt.pp(diff["Reme2015_AWaC_NO", 12]), "awac_diff_18": fmt.pp(diff["Reme2015_AWaC_NO", 18]),
        "dahl_diff_24": fmt.pp(diff[dahl, 24], 0),
        "dahl_n": fmt.number(arms.loc[f"{dahl}:SE:na", "n_total"]),
        "dahl_n_se": fmt.number(arms.loc[f"{dahl}:SE:na", "n_arm"]),
        "dahl_n_ctrl": fmt.number(arms.loc[f"{dahl}:control:na", "n_arm"]),
        "berg_n": fmt.number(arms.loc["Berg2021_SE_NAV7counties_NO:difference:na", "n_total"]),
        "dk18_ips": fmt.percent(other.loc["Christensen_DK_11", "intervention_value"]),
        "dk18_ctrl": fmt.percent(other.loc["Christensen_DK_11", "control_value"]),
        "ch60_ips": fmt.percent(other.loc["Hoffmann2014_CH_5yr_13", "intervention_value"], 0),
        "ch60_ctrl": fmt.percent(other.loc["Hoffmann2014_CH_5yr_13", "control_value"], 0),
    }
