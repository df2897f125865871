"""Chapter 7 (street-level bureaucracy, discretion and creaming): who gets a place, and what the
numbers then show.

Two parts, each small enough to check by hand.

**The selection simulation** (a teaching model, not data). A pool of ``n`` candidates competes
for a fixed number of places in a programme. Each candidate has

* an *employability* ``e`` (standard normal): how close the person stands to work;
* a chance of a job without the programme, ``p0 = expit(logit(base_rate) + spread·e)``;
* a chance of a job with the programme, ``p1``, given by one of two effect models:
  ``"gap"`` – the programme closes a fixed share ``effect`` of the distance to a job,
  ``p1 = p0 + effect·(1 − p0)``, so it adds most for those furthest from work; or
  ``"proportional"`` – the programme raises the chance itself by a fixed share,
  ``p1 = min(1, p0·(1 + effect))``, so it adds most for those already close to work;
* a *visible motivation* ``m = signal·e + √(1 − signal²)·z`` (standard normal): what the
  counsellor sees, correlated with employability by ``signal``.

The counsellor ranks the pool by ``strength·m + √(1 − strength²)·noise`` and gives the places to
the top of the list. ``strength = 0`` is a lottery; ``strength = 1`` is ranking on visible
motivation alone. The same random numbers are used for every strength (common random numbers),
so the curves differ only because of the selection rule.

For every strength the model reports, among the participants, the *success rate* (mean ``p1``:
what a performance indicator counts), the share who would have found a job anyway (mean ``p0``),
the *effect* (mean ``p1 − p0``: the difference the programme makes), the expected number of
extra jobs, and the share of places that go to the quarter of the pool furthest from work.
The model works with each person's probabilities rather than drawing who gets a job, and
:func:`expected_curve` integrates over employability instead of drawing a pool, so the chapter's
numbers are the model's expected values, free of simulation noise (:func:`selection_curve`, one
drawn pool, is kept as a check and for readers who want to see a finite group vary).

**Raw outcomes by group** (real data): the shares of participants on midlertidig lønnstilskudd
who reached stable work within three years (Nossen 2024), and a worked example of how a
success rate depends on the mix of participants alone (:func:`mix_rate`, :func:`implied_mix`,
:func:`adjusted_difference`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.special import expit, logit
from scipy.stats import norm

from . import figures, fmt, simulation

SEED = 2026
EFFECT_MODELS = ("gap", "proportional")
STRENGTHS = tuple(round(0.1 * k, 1) for k in range(11))


# ---------------------------------------------------------------- the selection simulation


@dataclass(frozen=True)
class SelectionParams:
    """The assumptions of the selection model (see the module docstring)."""

    n: int = 2000
    places_share: float = 0.25
    base_rate: float = 0.271
    spread: float = 1.2
    signal: float = 0.6
    effect: float = 0.1413
    effect_model: str = "gap"

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, (int, np.integer)) or self.n < 4:
            raise ValueError(f"SelectionParams.n must be a whole number of at least 4, got {self.n!r}")
        for name, low, high in (("places_share", 0.0, 1.0), ("base_rate", 0.0, 1.0)):
            value = getattr(self, name)
            if not _is_number(value) or not low < value < high:
                raise ValueError(f"SelectionParams.{name} must be strictly between {low:g} and {high:g}, got {value!r}")
        if not _is_number(self.signal) or not 0 <= self.signal <= 1:
            raise ValueError(f"SelectionParams.signal must be a correlation between 0 and 1, got {self.signal!r}")
        if not _is_number(self.spread) or self.spread < 0:
            raise ValueError(f"SelectionParams.spread must be ≥ 0, got {self.spread!r}")
        if self.effect_model not in EFFECT_MODELS:
            raise ValueError(f"SelectionParams.effect_model must be one of {EFFECT_MODELS}, got {self.effect_model!r}")
        if not _is_number(self.effect) or self.effect < 0 or (self.effect_model == "gap" and self.effect > 1):
            raise ValueError(f"SelectionParams.effect must be ≥ 0 (and ≤ 1 in the gap model), got {self.effect!r}")
        if self.places < 1 or self.places >= self.n:
            raise ValueError("SelectionParams: places_share must leave at least one place and one candidate without")

    @property
    def places(self) -> int:
        """Number of places: ``places_share`` of the pool, rounded to whole people."""
        return int(round(self.places_share * self.n))

    def changed(self, **changes) -> "SelectionParams":
        """A copy with some assumptions changed (and checked again)."""
        return replace(self, **changes)


def _is_number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating)) \
        and math.isfinite(float(value))


def with_programme(p0, effect: float, model: str = "gap"):
    """The chance of a job with the programme, given the chance without it (*p0*)."""
    p0 = np.asarray(p0, dtype=float)
    if np.any((p0 < 0) | (p0 > 1)):
        raise ValueError("with_programme: p0 must be probabilities between 0 and 1")
    if model == "gap":
        return p0 + effect * (1 - p0)
    if model == "proportional":
        return np.minimum(1.0, p0 * (1 + effect))
    raise ValueError(f"model must be one of {EFFECT_MODELS}, got {model!r}")


def calibrate_effect(p_without: float, p_with: float, model: str = "gap") -> float:
    """The *effect* that takes a person from *p_without* to *p_with* in *model*.

    ``calibrate_effect(0.2, 0.4, "gap") == 0.25`` (a quarter of the gap of 0.8 is closed);
    ``calibrate_effect(0.2, 0.3, "proportional") == 0.5`` (the chance rises by half).
    """
    if not 0 < p_without < 1 or not 0 < p_with <= 1 or p_with < p_without:
        raise ValueError("calibrate_effect needs 0 < p_without ≤ p_with ≤ 1")
    if model == "gap":
        return (p_with - p_without) / (1 - p_without)
    if model == "proportional":
        return p_with / p_without - 1
    raise ValueError(f"model must be one of {EFFECT_MODELS}, got {model!r}")


@dataclass(frozen=True)
class Pool:
    """One simulated pool of candidates (arrays of length ``n``)."""

    employability: np.ndarray
    motivation: np.ndarray
    noise: np.ndarray
    p0: np.ndarray
    p1: np.ndarray


def draw_pool(params: SelectionParams, seed: int = SEED) -> Pool:
    """Draw the candidates with seeded random numbers (:func:`book.simulation.rng`)."""
    gen = simulation.rng(seed)
    e, z, noise = gen.standard_normal((3, params.n))
    motivation = params.signal * e + math.sqrt(1 - params.signal ** 2) * z
    p0 = expit(logit(params.base_rate) + params.spread * e)
    p1 = with_programme(p0, params.effect, params.effect_model)
    return Pool(e, motivation, noise, p0, p1)


def select(pool: Pool, places: int, strength: float) -> np.ndarray:
    """A boolean mask of the *places* candidates ranked highest by the counsellor.

    The ranking score is ``strength·motivation + √(1 − strength²)·noise``; ties are broken by
    position, so the result is deterministic for a given pool.
    """
    if not _is_number(strength) or not 0 <= strength <= 1:
        raise ValueError(f"strength must be between 0 (lottery) and 1 (motivation only), got {strength!r}")
    n = len(pool.p0)
    if not 1 <= places < n:
        raise ValueError(f"places must be between 1 and {n - 1}, got {places}")
    score = strength * pool.motivation + math.sqrt(1 - strength ** 2) * pool.noise
    chosen = np.zeros(n, dtype=bool)
    chosen[np.argsort(-score, kind="stable")[:places]] = True
    return chosen


def summarise(pool: Pool, chosen: np.ndarray) -> dict[str, float]:
    """What one selection gives: rates among participants and non-participants, effect, reach."""
    if chosen.dtype != bool or chosen.shape != pool.p0.shape or not chosen.any() or chosen.all():
        raise ValueError("summarise needs a boolean mask with at least one participant and one non-participant")
    hardest = pool.employability <= np.quantile(pool.employability, 0.25)
    gain = pool.p1 - pool.p0
    return {
        "success": float(pool.p1[chosen].mean()),
        "anyway": float(pool.p0[chosen].mean()),
        "effect": float(gain[chosen].mean()),
        "extra_jobs": float(gain[chosen].sum()),
        "hardest_share": float(hardest[chosen].mean()),
        "left_out_rate": float(pool.p0[~chosen].mean()),
    }


def selection_curve(params: SelectionParams, strengths: Sequence[float] = STRENGTHS,
                    seed: int = SEED) -> pd.DataFrame:
    """One row per selection strength, all computed on the same seeded pool."""
    pool = draw_pool(params, seed)
    rows = [{"strength": float(s), **summarise(pool, select(pool, params.places, s))} for s in strengths]
    return pd.DataFrame(rows)


def expected_curve(params: SelectionParams, strengths: Sequence[float] = STRENGTHS,
                   grid: int = 40_001) -> pd.DataFrame:
    """Like :func:`selection_curve`, but the expected values of the model: what a pool of
    unlimited size gives, computed by integrating over employability instead of drawing people.

    Given employability ``e``, the counsellor's score is normal with mean ``a·e`` and variance
    ``1 − a²`` (``a = strength·signal``), and the score is standard normal over the pool, so the
    places go to those above its ``1 − places_share`` quantile ``c``. The chance of being chosen
    is then ``Φ((a·e − c)/√(1 − a²))`` (a step at ``c`` when ``a = 1``). Every column means the
    same as in :func:`selection_curve`; ``extra_jobs`` is scaled to a pool of ``params.n``. There
    is no random variation: the lottery gives the hardest quarter exactly a quarter of the places.
    """
    e = np.linspace(-9.0, 9.0, grid)
    weight = norm.pdf(e)
    weight /= weight.sum()
    p0 = expit(logit(params.base_rate) + params.spread * e)
    p1 = with_programme(p0, params.effect, params.effect_model)
    hardest = e <= norm.ppf(0.25)
    c = norm.ppf(1 - params.places_share)
    rows = []
    for s in strengths:
        if not _is_number(s) or not 0 <= s <= 1:
            raise ValueError(f"strength must be between 0 (lottery) and 1 (motivation only), got {s!r}")
        a = float(s) * params.signal
        chosen = (e > c).astype(float) if a >= 1 else norm.cdf((a * e - c) / math.sqrt(1 - a * a))
        w_in, w_out = weight * chosen, weight * (1 - chosen)
        n_in, n_out = w_in.sum(), w_out.sum()
        rows.append({
            "strength": float(s),
            "success": float((w_in * p1).sum() / n_in),
            "anyway": float((w_in * p0).sum() / n_in),
            "effect": float((w_in * (p1 - p0)).sum() / n_in),
            "extra_jobs": float((w_in * (p1 - p0)).sum() / n_in * params.places),
            "hardest_share": float((w_in * hardest).sum() / n_in),
            "left_out_rate": float((w_out * p0).sum() / n_out),
        })
    return pd.DataFrame(rows)


def at(curve: pd.DataFrame, strength: float) -> pd.Series:
    """The row of *curve* for *strength*."""
    row = curve[np.isclose(curve["strength"], strength)]
    if row.empty:
        raise KeyError(f"no row for strength {strength}")
    return row.iloc[0]


PARAMETER_LABELS = {
    "n": ("Kandidater som konkurrerer om plassene (bare for å regne om til antall jobber)", "antakelse"),
    "places_share": ("Andel av kandidatene som får plass", "antakelse"),
    "base_rate": ("Sjanse for jobb uten tiltaket, gjennomsnittlig ansettbarhet",
                  "satt lik kontrollgruppen etter 18 måneder i Reme mfl. (2019)"),
    "effect": ("Tiltakets effekt (andel av avstanden til jobb som tas bort)",
               "valgt slik at en person med gjennomsnittlig ansettbarhet får samme sjanse som "
               "tiltaksgruppen i Reme mfl. (2019)"),
    "spread": ("Hvor mye ansettbarheten betyr (log-odds per standardavvik)", "antakelse"),
    "signal": ("Sammenheng mellom synlig motivasjon og ansettbarhet (korrelasjon)", "antakelse"),
    "effect_model": ("Hvem tiltaket hjelper mest", "antakelse: de som står lengst unna (se teksten)"),
}
MODEL_TEXT = {"gap": "de som står lengst unna arbeid", "proportional": "de som står nærmest arbeid"}


def parameter_table(params: SelectionParams):
    """The assumptions as an accessible table (via :func:`book.simulation.parameter_table`)."""
    values = asdict(params)
    table = {}
    for name, (label, basis) in PARAMETER_LABELS.items():
        value = values[name]
        if name == "effect_model":
            value = MODEL_TEXT[value]
        elif isinstance(value, float):  # as many decimals as the value has: 0,1413 stays 0,1413
            value = fmt.number(value, 4).rstrip("0").rstrip(",")
        if name == "effect" and params.effect_model == "proportional":
            label = "Tiltakets effekt (andel økning i sjansen for jobb)"
        table[name] = simulation.Parameter(value, label, basis)
    return simulation.parameter_table(table, caption="Forutsetningene i simuleringen", names=False)


def _percent_axis(ax, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(plt.FuncFormatter(lambda v, _pos: fmt.percent(v * 100, 0)))


def plot_selection(curve: pd.DataFrame, params: SelectionParams):
    """A: success rate and «would have got a job anyway» among participants; the gap is the effect.
    B: the share of places that go to the quarter of the pool furthest from work."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.8, 4.3), gridspec_kw={"width_ratios": [1.35, 1]})
    x = curve["strength"]
    blue, orange, green = figures.PALETTE["blue"], figures.PALETTE["vermillion"], figures.PALETTE["green"]
    left.fill_between(x, curve["anyway"], curve["success"], color=figures.PALETTE["skyblue"], alpha=0.35, lw=0)
    left.plot(x, curve["success"], marker="o", color=blue, lw=2, label="I jobb med tiltaket")
    left.plot(x, curve["anyway"], marker="s", ls="--", color=orange, lw=2, label="Ville fått jobb uansett")
    mid = len(curve) // 2
    left.annotate("I jobb med tiltaket\n(det resultatmålet teller)", (x.iloc[mid], curve["success"].iloc[mid]),
                  xytext=(-6, 16), textcoords="offset points", ha="right", color=blue, fontsize=8.5)
    left.annotate("Ville fått jobb uansett", (x.iloc[mid], curve["anyway"].iloc[mid]), xytext=(6, -18),
                  textcoords="offset points", ha="left", color=orange, fontsize=8.5)
    for i, side in ((0, -1), (len(curve) - 1, 1)):
        centre = (curve["success"].iloc[i] + curve["anyway"].iloc[i]) / 2
        left.annotate(f"effekt\n{fmt.number(100 * curve['effect'].iloc[i], 1)}\nprosent-\npoeng", (x.iloc[i], centre),
                      xytext=(10 * side, 0), textcoords="offset points", ha="left" if side > 0 else "right",
                      va="center", fontsize=8.5)
    left.set_ylim(0, 0.8)
    left.set_xlim(-0.4, 1.4)
    _percent_axis(left)
    left.set_ylabel("Andel av deltakerne")
    left.set_title("A. Deltakerne: resultat og effekt", loc="left", fontsize=11)
    right.plot(x, curve["hardest_share"], marker="D", color=green, lw=2)
    right.axhline(0.25, color=figures.GREY, ls=":", lw=1)
    right.text(0.02, 0.265, "ved loddtrekning (25 %)", color=figures.GREY, fontsize=8.5)
    right.set_ylim(0, 0.4)
    _percent_axis(right)
    right.set_ylabel("Andel av plassene")
    right.set_title("B. Plasser til fjerdedelen\nsom står lengst unna arbeid", loc="left", fontsize=11)
    for ax in (left, right):
        ax.set_xlabel("Utvelgelse etter synlig motivasjon\n(0 = loddtrekning, 1 = bare motivasjon)")
        figures.norwegian_axis(ax, "x", 1)
        ax.set_xticks([0, 0.5, 1])
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.27, top=0.86, wspace=0.38)
    figures.source_line(fig, "egen simulering, forventede verdier; "
                             "sjansene for jobb ved gjennomsnittlig ansettbarhet fra Reme mfl. (2019).")
    simulation.mark_figure(fig)
    return fig


def selection_table(curve: pd.DataFrame, params: SelectionParams | None = None):
    """The numbers behind :func:`plot_selection`."""
    params = params or SelectionParams()
    pct = lambda v: fmt.share(v, 1)  # noqa: E731
    return figures.data_table(
        curve, caption="Tallene bak figuren (simulert)",
        columns={"strength": "Vekt på synlig motivasjon", "success": "I jobb med tiltaket",
                 "anyway": "Ville fått jobb uansett", "effect": "Effekt (prosentpoeng)",
                 "extra_jobs": "Ekstra jobber i alt", "hardest_share": "Plasser til fjerdedelen lengst unna",
                 "left_out_rate": "Jobbsjanse for dem uten plass"},
        formats={"strength": lambda v: fmt.number(v, 1), "success": pct, "anyway": pct,
                 "effect": lambda v: fmt.number(100 * v, 1), "extra_jobs": lambda v: fmt.number(v, 0),
                 "hardest_share": pct, "left_out_rate": pct},
        notes=["Alle tall er forventede verdier i modellen, ikke data om virkelige personer. "
               "Effekt = «i jobb med tiltaket» minus «ville fått jobb uansett». "
               f"Ekstra jobber gjelder en gruppe på {fmt.number(params.n)} kandidater med "
               f"{fmt.number(params.places)} plasser."],
    )


def variants_table(variants: Mapping[str, pd.DataFrame]):
    """The ends of several curves side by side (lottery and motivation only), for the exercise
    that changes the assumptions: *variants* maps a Norwegian label to a curve from
    :func:`expected_curve` with rows for strength 0 and 1."""
    rows = []
    for label, curve in variants.items():
        for strength, text in ((0.0, "loddtrekning"), (1.0, "bare motivasjon")):
            row = at(curve, strength)
            rows.append({"variant": label, "rule": text, **{k: row[k] for k in
                         ("success", "anyway", "effect", "hardest_share")}})
    pct = lambda v: fmt.share(v, 1)  # noqa: E731
    return figures.data_table(
        pd.DataFrame(rows), caption="Tre varianter av simuleringen: loddtrekning og bare motivasjon",
        columns={"variant": "Variant", "rule": "Fordeling av plassene", "success": "I jobb med tiltaket",
                 "anyway": "Ville fått jobb uansett", "effect": "Effekt (prosentpoeng)",
                 "hardest_share": "Plasser til fjerdedelen lengst unna"},
        formats={"success": pct, "anyway": pct, "effect": lambda v: fmt.number(100 * v, 1), "hardest_share": pct},
        notes=["Forventede verdier i modellen, ikke data. Alle andre forutsetninger er som i tabellen over figuren."],
    )


# ---------------------------------------------------------------- raw outcomes by group (real data)

GROUP_ORDER = ("ordinære arbeidssøkere", "alle deltakere", "nedsatt arbeidsevne")
GROUP_LABELS = {"ordinære arbeidssøkere": "Ordinære arbeidssøkere", "alle deltakere": "Alle deltakere",
                "nedsatt arbeidsevne": "Nedsatt arbeidsevne"}


def attachment(frame: pd.DataFrame) -> pd.DataFrame:
    """The three published shares (Nossen 2024) in a fixed order, as proportions 0–1.

    Refuses input that lacks a group or repeats one, so a figure can never silently drop a bar.
    """
    # the dataset shared with chapter 4 (data/lonnstilskudd_stabil.csv) names its columns so
    frame = frame.rename(columns={"share_pct": "value_percent", "source_rounded": "approx"})
    counts = frame["group"].value_counts()
    missing = [g for g in GROUP_ORDER if g not in counts.index]
    if missing:
        raise ValueError(f"attachment: no row for group(s) {missing}")
    if (counts > 1).any():
        raise ValueError(f"attachment: more than one row for {list(counts[counts > 1].index)}")
    out = frame.set_index("group").loc[list(GROUP_ORDER)].reset_index()
    out["share"] = out["value_percent"].astype(float) / 100
    out["label"] = out["group"].map(GROUP_LABELS)
    return out


def shares_by_group(table: pd.DataFrame) -> dict[str, float]:
    """``{"ordinary": …, "nae": …, "all": …}`` as proportions, from :func:`attachment`."""
    s = table.set_index("group")["share"]
    return {"ordinary": float(s["ordinære arbeidssøkere"]), "nae": float(s["nedsatt arbeidsevne"]),
            "all": float(s["alle deltakere"])}


def plot_attachment(table: pd.DataFrame):
    """Bars for the three groups, labelled with the source's own wording; hatched if rounded."""
    fig, ax = plt.subplots(figsize=(7.2, 3.3))
    rows = table.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(rows))
    colours = {"ordinære arbeidssøkere": figures.PALETTE["blue"], "alle deltakere": figures.GREY,
               "nedsatt arbeidsevne": figures.PALETTE["vermillion"]}
    for yi, row in zip(y, rows.itertuples()):
        bar = ax.barh(yi, row.share, height=0.6, color=colours[row.group], edgecolor=figures.PALETTE["black"],
                      hatch="//" if row.approx else "")
        ax.text(row.share + 0.01, yi, f"«{row.stated}»", va="center", fontsize=9.5)
        bar[0].set_alpha(0.85)
    ax.set_yticks(y, rows["label"])
    ax.set_xlim(0, 0.7)
    _percent_axis(ax, "x")
    ax.set_xlabel("Andel med stabil arbeidstilknytning innen tre år")
    fig.text(0.01, 0.1, "Skravert: kilden oppgir bare en avrundet brøk.", fontsize=8.5, color=figures.GREY)
    fig.subplots_adjust(left=0.27, right=0.95, bottom=0.33, top=0.95)
    figures.source_line(fig, "Nossen (2024), Arbeid og velferd 3/2024.")
    return fig


def attachment_table(table: pd.DataFrame):
    """The numbers behind :func:`plot_attachment`."""
    return figures.data_table(
        table, caption="Stabil arbeidstilknytning innen tre år blant deltakere som startet på midlertidig lønnstilskudd 2013–2020",
        columns={"label": "Gruppe", "stated": "Kildens ord", "share": "Andel", "approx": "Avrundet brøk"},
        formats={"share": lambda v: fmt.share(v, 0), "approx": lambda v: "ja" if v else "nei"},
        notes=["Utfallene beskriver hvordan det gikk med deltakerne, ikke hva tiltaket forårsaket."],
    )


def _check_share(name: str, value: float) -> None:
    if not _is_number(value) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a proportion between 0 and 1, got {value!r}")


def mix_rate(share_ordinary, rate_ordinary: float, rate_nae: float):
    """The success rate of a participant group that is *share_ordinary* ordinary job seekers and
    the rest persons with nedsatt arbeidsevne, if each group does as well as on average:
    ``mix_rate(0.5, 0.54, 0.23) == 0.385``."""
    _check_share("rate_ordinary", rate_ordinary)
    _check_share("rate_nae", rate_nae)
    share = np.asarray(share_ordinary, dtype=float)
    if np.any((share < 0) | (share > 1)):
        raise ValueError("share_ordinary must be between 0 and 1")
    result = share * rate_ordinary + (1 - share) * rate_nae
    return float(result) if result.ndim == 0 else result


def implied_mix(rate_all: float, rate_ordinary: float, rate_nae: float) -> float:
    """The share of ordinary job seekers that makes :func:`mix_rate` equal *rate_all*."""
    for name, value in (("rate_all", rate_all), ("rate_ordinary", rate_ordinary), ("rate_nae", rate_nae)):
        _check_share(name, value)
    if rate_ordinary == rate_nae:
        raise ValueError("implied_mix: the two groups have the same rate, so any mix fits")
    mix = (rate_all - rate_nae) / (rate_ordinary - rate_nae)
    if not 0 <= mix <= 1:
        raise ValueError(f"implied_mix: {rate_all} is not between the two group rates")
    return float(mix)


def adjusted_difference(observed: float, share_ordinary: float, rate_ordinary: float, rate_nae: float) -> float:
    """Observed success rate minus the rate expected from the mix alone (indirect standardisation)."""
    _check_share("observed", observed)
    return observed - mix_rate(share_ordinary, rate_ordinary, rate_nae)


def plot_mix(rates: Mapping[str, float], offices: Mapping[str, float]):
    """Worked example: the success rate as a function of the share of ordinary job seekers, with
    the made-up offices in *offices* (name → share of ordinary job seekers) marked."""
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    shares = np.linspace(0, 1, 101)
    ax.plot(shares, mix_rate(shares, rates["ordinary"], rates["nae"]), color=figures.PALETTE["blue"], lw=2)
    markers = iter(("o", "s", "D", "^"))
    for name, share in offices.items():
        value = mix_rate(share, rates["ordinary"], rates["nae"])
        ax.plot(share, value, marker=next(markers), ms=9, color=figures.PALETTE["vermillion"], ls="none")
        ax.annotate(f"{name}\n{fmt.share(value, 0)} i stabil jobb", (share, value), xytext=(10, -22),
                    textcoords="offset points", fontsize=9)
    for share, text in ((0, "bare nedsatt\narbeidsevne"), (1, "bare ordinære\narbeidssøkere")):
        ax.annotate(text, (share, mix_rate(share, rates["ordinary"], rates["nae"])), xytext=(0, 22),
                    textcoords="offset points", ha="left" if share == 0 else "right", fontsize=8.5, color=figures.GREY)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(0, 0.7)
    _percent_axis(ax, "x")
    _percent_axis(ax, "y")
    ax.set_xlabel("Andel ordinære arbeidssøkere blant deltakerne på kontoret")
    ax.set_ylabel("Forventet andel i stabil jobb")
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.2, top=0.93)
    figures.source_line(fig, "regneeksempel med andelene i Nossen (2024); kontorene er tenkte.")
    simulation.mark_figure(fig, "Regneeksempel – tenkte kontorer")
    return fig


def mix_table(rates: Mapping[str, float], offices: Mapping[str, float]):
    """The numbers behind :func:`plot_mix`."""
    rows = pd.DataFrame([{"office": name, "share": share,
                          "rate": mix_rate(share, rates["ordinary"], rates["nae"])} for name, share in offices.items()])
    return figures.data_table(
        rows, caption="Tallene bak figuren: tenkte kontorer med ulik sammensetning",
        columns={"office": "Kontor", "share": "Andel ordinære arbeidssøkere", "rate": "Forventet andel i stabil jobb"},
        formats={"share": lambda v: fmt.share(v, 0), "rate": lambda v: fmt.share(v, 1)},
        notes=[f"Begge kontorene antas å lykkes like godt med hver gruppe som gjennomsnittet i Nossen (2024): "
               f"{fmt.share(rates['ordinary'], 0)} for ordinære arbeidssøkere og {fmt.share(rates['nae'], 0)} "
               "for personer med nedsatt arbeidsevne."],
    )
