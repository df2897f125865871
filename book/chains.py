"""Chapter 3 (the supply perspective): a calibrated teaching model of a chain of measures
(«tren først») against placement first, and the published outcomes after measures.

The model
---------
A cohort is followed month by month for ``months`` months. Everyone is in one of four states:

* ``programme`` – followed up by Nav: waiting for a measure, in a measure, or in supported job
  search (which phase depends on the arm and the month, see :func:`phases`);
* ``work`` – in a job;
* ``out`` – no longer followed up and not in work (dropped out, or lost a job): looks for work on
  their own;
* ``disability`` – on uføretrygd; nobody leaves this state within the model.

Each month, someone in ``programme`` gets a job with the phase's job chance, moves to
``disability`` with chance ``disability`` or drops out with chance ``dropout``; someone ``out``
gets a job with chance ``job_unsupported`` or moves to ``disability``; someone in ``work`` loses
the job with chance ``job_loss`` and is then ``out`` – except that in the placement-first arm a
share ``follow_along`` of them goes back to supported search (the follow-along support of
Supported Employment; 0 by default, a simplification the chapter names). People in work do not
move to uføretrygd in the model.

The two arms:

* **chain** (``"ttp"``, train-then-place): ``steps`` measures, each after a wait of
  ``wait_months``, lasting ``step_months``; then supported job search with a job chance raised by
  ``training_gain`` for every completed step;
* **placement first** (``"ptt"``, place-then-train): supported job search after
  ``ptt_wait_months``; training happens on the job.

Only expected shares are computed (a cohort or Markov-chain calculation): there is no random
number anywhere, so every difference between the arms follows from the assumptions alone.

Calibration
-----------
Four of the assumptions are set so that the model reproduces four published Norwegian figures
(:data:`TARGETS`): about one in four in work and almost four in ten on uføretrygd five years
after starting a measure (Nossen 2023), and a lead for supported employment of 12 percentage
points after 24 months that is gone after 36 months (Dahl & Lima 2021). :func:`calibrate` does
this fit; the defaults of :class:`ChainParams` are its result, rounded.

What the calibration builds in: a lead for placement first at 24 months that is gone at 36
months makes placement first win in months in work almost by construction, and the size of that
win follows the size of the lead. :func:`target_variants` therefore calibrates again to other
values of the trial figure (which is uncertain: 167 and 101 participants, see
:func:`max_standard_error`) and to a higher level of work.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import asdict, dataclass, replace

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from . import figures, fmt, simulation

ARMS = ("ttp", "ptt")
ARM_LABELS = {"ttp": "Tiltakskjede («tren først»)", "ptt": "Plassering først"}
WAIT, MEASURE, SEARCH = 0, 1, 2
STATES = ("programme", "work", "out", "disability")
CALIBRATED = ("job_supported", "training_gain", "job_loss", "disability")


@dataclass(frozen=True)
class ChainParams:
    """The assumptions of the chain model. Probabilities are per month; durations in months.

    The defaults of the four parameters in :data:`CALIBRATED` come from :func:`calibrate`
    (rounded); the others are assumptions.
    """

    months: int = 60
    steps: int = 3
    wait_months: int = 2
    step_months: int = 4
    ptt_wait_months: int = 1
    dropout: float = 0.01
    job_unsupported: float = 0.005
    job_in_measure: float = 0.0025
    job_supported: float = 0.040
    training_gain: float = 0.18
    job_loss: float = 0.028
    disability: float = 0.011
    follow_along: float = 0.0

    def __post_init__(self) -> None:
        for name in ("months", "steps", "wait_months", "step_months", "ptt_wait_months"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"ChainParams.{name} must be a whole number, got {value!r}")
            if value < 0:
                raise ValueError(f"ChainParams.{name} must be ≥ 0, got {value}")
        if self.months < 1:
            raise ValueError("ChainParams.months must be at least 1")
        if self.step_months < 1 and self.steps > 0:
            raise ValueError("ChainParams.step_months must be at least 1 when there are steps")
        for name in ("dropout", "job_unsupported", "job_in_measure", "job_supported", "job_loss", "disability", "follow_along"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 <= value <= 1:
                raise ValueError(f"ChainParams.{name} must be a probability between 0 and 1, got {value!r}")
        gain = self.training_gain
        if isinstance(gain, bool) or not isinstance(gain, (int, float, np.floating)) or gain < 0:
            raise ValueError(f"ChainParams.training_gain must be ≥ 0, got {gain!r}")
        for name in ("job_unsupported", "job_in_measure", "job_supported", "job_after_chain"):
            if getattr(self, name) + self.dropout + self.disability > 1:
                raise ValueError(f"ChainParams: {name} + dropout + disability must not exceed 1 (events in one month)")

    def changed(self, **changes) -> "ChainParams":
        """A copy with some assumptions changed (and checked again): ``params.changed(dropout=0.02)``."""
        return replace(self, **changes)

    @property
    def job_after_chain(self) -> float:
        """Monthly job chance in supported search after the whole chain."""
        return self.job_supported * (1 + self.training_gain) ** self.steps

    @property
    def chain_months(self) -> int:
        """Months from the start until the last step of the chain is finished."""
        return self.steps * (self.wait_months + self.step_months)


def phases(params: ChainParams, arm: str) -> np.ndarray:
    """The phase (WAIT, MEASURE or SEARCH) of month 1, 2, … for someone still followed up."""
    if arm == "ttp":
        head = ([WAIT] * params.wait_months + [MEASURE] * params.step_months) * params.steps
    elif arm == "ptt":
        head = [WAIT] * params.ptt_wait_months
    else:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    tail = [SEARCH] * max(params.months - len(head), 0)
    return np.array((head + tail)[: params.months], dtype=int)


def hazards(params: ChainParams, arm: str) -> np.ndarray:
    """Monthly job chance for someone still followed up, month 1 … ``months``."""
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    search = params.job_after_chain if arm == "ttp" else params.job_supported
    by_phase = np.array([params.job_unsupported, params.job_in_measure, search])
    return by_phase[phases(params, arm)]


def expected(params: ChainParams, arm: str) -> pd.DataFrame:
    """Expected shares in each state, month 0 … ``months`` (they add up to 1 every month)."""
    prog, work, out, dis = 1.0, 0.0, 0.0, 0.0
    rows = [(0, prog, work, out, dis)]
    for month, h in enumerate(hazards(params, arm), start=1):
        p_job, p_dis, p_drop = prog * h, prog * params.disability, prog * params.dropout
        o_job, o_dis = out * params.job_unsupported, out * params.disability
        w_loss = work * params.job_loss
        w_back = w_loss * params.follow_along if arm == "ptt" else 0.0  # back to supported search
        prog = prog - p_job - p_dis - p_drop + w_back
        work = work + p_job + o_job - w_loss
        out = out + p_drop + w_loss - w_back - o_job - o_dis
        dis = dis + p_dis + o_dis
        rows.append((month, prog, work, out, dis))
    frame = pd.DataFrame(rows, columns=["month", *(f"share_{s}" for s in STATES)])
    return frame.assign(arm=arm)


def both(params: ChainParams) -> pd.DataFrame:
    """:func:`expected` for both arms, one long table."""
    return pd.concat([expected(params, arm) for arm in ARMS], ignore_index=True)


def share_at(table: pd.DataFrame, arm: str, month: int, column: str = "share_work") -> float:
    """The share in *column* for *arm* at *month*."""
    row = table[(table["arm"] == arm) & (table["month"] == month)]
    if row.empty:
        raise KeyError(f"no row for arm {arm!r} at month {month}")
    return float(row[column].iloc[0])


def gap(params: ChainParams, month: int) -> float:
    """Share in work with placement first minus share in work in the chain, at *month* (a proportion)."""
    if not 0 <= month <= params.months:
        raise ValueError(f"month must be between 0 and {params.months}, got {month}")
    return share_at(expected(params, "ptt"), "ptt", month) - share_at(expected(params, "ttp"), "ttp", month)


def work_months(params: ChainParams, arm: str, horizon: int | None = None) -> float:
    """Expected number of months in work per person over months 1 … *horizon* (default: all)."""
    horizon = params.months if horizon is None else horizon
    if not 1 <= horizon <= params.months:
        raise ValueError(f"horizon must be between 1 and {params.months}, got {horizon}")
    shares = expected(params, arm)["share_work"].to_numpy()
    return float(shares[1 : horizon + 1].sum())


# ---------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Target:
    """A published figure the model is fitted to."""

    key: str
    value: float  # as a proportion (0,25) or a difference of proportions (0,12)
    what: str  # Norwegian: what the figure is
    source: str  # Norwegian: the source's own words and the reference


TARGETS = (
    Target("work_60", 0.25, "Andel i arbeid etter 60 måneder, tiltakskjeden",
           "«1 av 4» i jobb og ikke registrert hos Nav etter fem år (Nossen 2023); en nedre grense for andelen i arbeid"),
    Target("disability_60", 0.38, "Andel uføretrygdet etter 60 måneder, tiltakskjeden",
           "«Nesten 4 av 10» ble uføretrygdet i løpet av fem år (Nossen 2023); modellen bruker 38 %"),
    Target("gap_24", 0.12, "Forsprang for plassering først etter 24 måneder",
           "12 prosentpoeng flere i arbeid med Supported Employment (Dahl & Lima 2021)"),
    Target("gap_36", 0.0, "Forsprang for plassering først etter 36 måneder",
           "Ingen signifikant forskjell etter tre år (Dahl & Lima 2021); modellen bruker 0"),
)


def model_values(params: ChainParams) -> dict[str, float]:
    """The model's value for each of :data:`TARGETS`."""
    ttp, ptt = expected(params, "ttp"), expected(params, "ptt")
    return {
        "work_60": share_at(ttp, "ttp", 60),
        "disability_60": share_at(ttp, "ttp", 60, "share_disability"),
        "gap_24": share_at(ptt, "ptt", 24) - share_at(ttp, "ttp", 24),
        "gap_36": share_at(ptt, "ptt", 36) - share_at(ttp, "ttp", 36),
    }


def calibrate(params: ChainParams | None = None, targets=TARGETS) -> ChainParams:
    """Set the four :data:`CALIBRATED` parameters so that the model reproduces *targets*
    (least squares; the other assumptions are taken from *params*). Needs ``months ≥ 60``."""
    from scipy.optimize import least_squares

    params = ChainParams() if params is None else params
    if params.months < 60:
        raise ValueError("calibrate: the targets need at least 60 months of follow-up")
    wanted = {t.key: t.value for t in targets}

    def residuals(x):
        try:
            trial = replace(params, **dict(zip(CALIBRATED, map(float, x))))
        except ValueError:  # outside the valid region: push the solver back
            return np.full(len(wanted), 10.0)
        got = model_values(trial)
        return np.array([got[k] - v for k, v in wanted.items()])

    start = [getattr(params, name) for name in CALIBRATED]
    fit = least_squares(residuals, start, bounds=([0, 0, 0, 0], [0.5, 2.0, 0.5, 0.2]), xtol=1e-12, ftol=1e-12)
    return replace(params, **dict(zip(CALIBRATED, map(float, fit.x))))


def calibration_table(params: ChainParams):
    """The published figures next to what the model gives with *params*."""
    got = model_values(params)
    rows = [{"what": t.what, "source": t.source,
             "value": fmt.pp(100 * t.value, 0) if t.key.startswith("gap") else fmt.share(t.value, 0),
             "model": fmt.pp(100 * got[t.key], 1) if t.key.startswith("gap") else fmt.share(got[t.key], 1)}
            for t in TARGETS]
    return figures.data_table(
        pd.DataFrame(rows), caption="Kalibrering: de publiserte tallene modellen er tilpasset, og hva den gir",
        columns={"what": "Tall", "source": "Kilde og kildens ord", "value": "Mål i modellen", "model": "Modellen gir"},
    )


# ---------------------------------------------------------------- when does the chain win?


def max_training_gain(params: ChainParams) -> float:
    """The largest ``training_gain`` that keeps the monthly chances valid after the chain
    (job chance + dropout + disability ≤ 1); infinite when there are no steps or no job chance."""
    if params.steps == 0 or params.job_supported == 0:
        return float("inf")
    room = (1 - params.dropout - params.disability) / params.job_supported
    return float(room ** (1 / params.steps) - 1)


def break_even_gain(params: ChainParams, month: int | None = None, measure: str = "share",
                    upper: float = 1.5) -> float:
    """The ``training_gain`` at which the chain and placement first are equal.

    ``measure="share"``: equal share in work at *month* (default: the last month).
    ``measure="months"``: equal expected months in work over the whole follow-up.
    Raises ``ValueError`` if the two are not equal for any gain between 0 and *upper*.
    """
    from scipy.optimize import brentq

    month = params.months if month is None else month
    upper = min(upper, max_training_gain(params) - 1e-9)

    def diff(g: float) -> float:
        p = replace(params, training_gain=g)
        if measure == "share":
            return gap(p, month)
        if measure == "months":
            return work_months(p, "ptt") - work_months(p, "ttp")
        raise ValueError(f"measure must be 'share' or 'months', got {measure!r}")

    lo, hi = diff(0.0), diff(upper)
    if lo * hi > 0:
        raise ValueError(f"the chain does not catch up for any training_gain in [0, {upper}] ({measure})")
    return float(brentq(diff, 0.0, upper, xtol=1e-10))


def sensitivity(params: ChainParams, gains=None, months=(24, 60)) -> pd.DataFrame:
    """The lead of placement first (percentage points) at each of *months*, and the difference in
    expected months in work, for a range of training gains; everything else as in *params*."""
    gains = np.round(np.arange(0.0, 0.41, 0.02), 2) if gains is None else gains
    rows = []
    for g in gains:
        p = replace(params, training_gain=float(g))
        row = {"gain": float(g)}
        for m in months:
            row[f"gap_{m}"] = 100 * gap(p, m)
        row["months_diff"] = work_months(p, "ptt") - work_months(p, "ttp")
        rows.append(row)
    return pd.DataFrame(rows)


RECALIBRATIONS = {
    "dropout": ("Frafall 0,02 per måned i stedet for 0,01", {"dropout": 0.02}),
    "unsupported": ("Dobbel jobbsjanse uten oppfølging og i tiltak", {"job_unsupported": 0.01, "job_in_measure": 0.005}),
    "wait": ("Ventetid én måned i stedet for to", {"wait_months": 1}),
    "follow_along": ("Plassering først: alle som mister jobben, får jobbstøtte igjen", {"follow_along": 1.0}),
}


def recalibrations(params: ChainParams, which=RECALIBRATIONS) -> pd.DataFrame:
    """Change one fixed assumption, calibrate again (:func:`calibrate`) and compare: the
    calibrated gain, how well the targets are met, and what the model then says."""
    rows = []
    for key, (label, change) in which.items():
        fitted = calibrate(params.changed(**change))
        got = model_values(fitted)
        worst = max(abs(got[t.key] - t.value) for t in TARGETS)
        rows.append({"key": key, "label": label, "gain": fitted.training_gain, "job_supported": fitted.job_supported,
                     "worst_pp": 100 * worst, "gap_24": 100 * gap(fitted, 24), "gap_36": 100 * gap(fitted, 36),
                     "gap_60": 100 * gap(fitted, 60),
                     "ttp_months": work_months(fitted, "ttp"), "ptt_months": work_months(fitted, "ptt")})
    return pd.DataFrame(rows)


def recalibration_table(table: pd.DataFrame):
    """:func:`recalibrations` as a reader's table."""
    num = lambda d: (lambda v: fmt.number(v, d))  # noqa: E731
    return figures.data_table(
        table, caption="Kalibrert på nytt med én antakelse endret (simulering)",
        columns={"label": "Endret antakelse", "gain": "Kalibrert gevinst per trinn", "worst_pp": "Største avvik fra målene (prosentpoeng)",
                 "gap_60": "Forsprang for plassering først etter 60 mnd. (prosentpoeng)",
                 "ttp_months": "Kjede, måneder i arbeid", "ptt_months": "Plassering først, måneder i arbeid"},
        formats={"gain": lambda v: fmt.percent(100 * v, 0), "worst_pp": num(1), "gap_60": num(1),
                 "ttp_months": num(1), "ptt_months": num(1)},
        notes=["Negative tall for forspranget betyr at tiltakskjeden ligger foran. Måneder i arbeid: forventet antall per person over fem år."],
    )



# ---------------------------------------------------------------- how uncertain is the trial figure?

#: Participants in the two arms of the Nav trial of Supported Employment (Dahl & Lima 2021, summary):
#: 167 in the intervention group, 101 in the control group.
DAHL_LIMA_ARMS = (167, 101)


def max_standard_error(n1: int, n2: int) -> float:
    """The largest possible standard error of a difference between two proportions with *n1* and
    *n2* participants: sqrt(0.25/n1 + 0.25/n2), since p(1 − p) is at most 0.25 (at p = 0.5)."""
    if n1 < 1 or n2 < 1:
        raise ValueError(f"need at least one participant in each arm, got {n1} and {n2}")
    return float(np.sqrt(0.25 / n1 + 0.25 / n2))


TARGET_VARIANTS = {
    "gap_6": ("Forsprang etter 24 mnd. 6 prosentpoeng", {"gap_24": 0.06}),
    "standard": ("Forsprang etter 24 mnd. 12 prosentpoeng (som i forsøket; standardmodellen)", {}),
    "gap_18": ("Forsprang etter 24 mnd. 18 prosentpoeng", {"gap_24": 0.18}),
    "work_35": ("Andel i arbeid etter fem år 35 % i stedet for 25 %", {"work_60": 0.35}),
    "gap36_6": ("Forsprang etter 36 mnd. 6 prosentpoeng i stedet for 0", {"gap_36": 0.06}),
}


def targets_with(changes: dict[str, float]) -> tuple[Target, ...]:
    """:data:`TARGETS` with some values changed: ``targets_with({"gap_24": 0.06})``."""
    unknown = set(changes) - {t.key for t in TARGETS}
    if unknown:
        raise KeyError(f"unknown target(s): {sorted(unknown)}")
    return tuple(replace(t, value=changes.get(t.key, t.value)) for t in TARGETS)


def target_variants(params: ChainParams, which=TARGET_VARIANTS) -> pd.DataFrame:
    """Calibrate again to other values of the published figures (the assumptions as in *params*)
    and compare: the calibrated gain, the worst miss, and what the model then says."""
    rows = []
    for key, (label, change) in which.items():
        targets = targets_with(change)
        # no change: the defaults as they are (the rounded calibration), so the row matches the text
        fitted = calibrate(params, targets) if change else params
        got = model_values(fitted)
        worst = max(abs(got[t.key] - t.value) for t in targets)
        ttp, ptt = work_months(fitted, "ttp"), work_months(fitted, "ptt")
        rows.append({"key": key, "label": label, "gain": fitted.training_gain, "worst_pp": 100 * worst,
                     "gap_60": 100 * gap(fitted, 60), "ttp_months": ttp, "ptt_months": ptt, "months_diff": ptt - ttp})
    return pd.DataFrame(rows)


def target_variant_table(table: pd.DataFrame):
    """:func:`target_variants` as a reader's table."""
    num = lambda d: (lambda v: fmt.number(v, d))  # noqa: E731
    return figures.data_table(
        table, caption="Kalibrert mot andre mål (simulering)",
        columns={"label": "Mål i kalibreringen", "gain": "Kalibrert gevinst per trinn",
                 "worst_pp": "Største avvik fra målene (prosentpoeng)",
                 "gap_60": "Forsprang for plassering først etter 60 mnd. (prosentpoeng)",
                 "months_diff": "Flere måneder i arbeid med plassering først"},
        formats={"gain": lambda v: fmt.percent(100 * v, 0), "worst_pp": num(1), "gap_60": num(1), "months_diff": num(1)},
        notes=["De andre målene er som i kalibreringstabellen. Negative tall for forspranget betyr at tiltakskjeden "
               "ligger foran. Måneder i arbeid: forventet antall per person over fem år."],
    )


def robustness(params: ChainParams) -> pd.DataFrame:
    """:func:`target_variants` and :func:`recalibrations` in one table: each row calibrated again with
    one target or one fixed assumption changed (column ``kind``: ``"target"`` or ``"assumption"``)."""
    targets = target_variants(params).assign(kind="target")
    recal = recalibrations(params).assign(kind="assumption")
    recal = recal.assign(months_diff=recal["ptt_months"] - recal["ttp_months"]).drop(columns="job_supported")
    return pd.concat([targets, recal], ignore_index=True)


def robustness_table(table: pd.DataFrame):
    """:func:`robustness` as a reader's table."""
    num = lambda d: (lambda v: fmt.number(v, d))  # noqa: E731
    return figures.data_table(
        table, caption="Kalibrert på nytt med ett mål eller én antakelse endret (simulering)",
        columns={"label": "Hva er endret", "gain": "Kalibrert gevinst per trinn",
                 "worst_pp": "Største avvik fra målene (prosentpoeng)",
                 "gap_60": "Forsprang for plassering først etter 60 mnd. (prosentpoeng)",
                 "months_diff": "Flere måneder i arbeid med plassering først"},
        formats={"gain": lambda v: fmt.percent(100 * v, 0), "worst_pp": num(1), "gap_60": num(1), "months_diff": num(1)},
        notes=["De fem første radene endrer ett av målene, de fire siste én antakelse; alt annet som i standardmodellen. "
               "Negative tall for forspranget betyr at tiltakskjeden ligger foran. Måneder i arbeid: forventet antall per "
               "person over fem år."],
    )

#: The short chain of the best-case scenario: two steps and no waiting between them.
SHORT_CHAIN = {"wait_months": 0, "steps": 2}

#: Amir's plan in 3.6: the school subjects he lacks (about one school year), then an apprenticeship.
#: An apprentice has a learning contract and an employment contract with pay, so the model counts
#: the apprenticeship as work: the chain is one step of 12 months followed by a job that is waiting.
APPRENTICESHIP = {"steps": 1, "step_months": 12}

SCENARIOS = {
    "standard": ("Standardforutsetningene (kalibrert)", {}),
    "no_gain": ("Trinnene gir ingen økt jobbsjanse", {"training_gain": 0.0}),
    "no_wait": ("Ingen ventetid før eller mellom trinnene", {"wait_months": 0}),
    "best_case": ("Kort kjede uten ventetid og med stor gevinst (40 % per trinn)", {**SHORT_CHAIN, "training_gain": 0.40}),
    "education": ("Et skolebasert utdanningsløp på 24 måneder som dobler jobbsjansen",
                  {"steps": 1, "step_months": 24, "training_gain": 1.0}),
    "apprenticeship": ("Amirs plan: ett skoleår, så en læreplass som venter (læretiden er arbeid)",
                       {**APPRENTICESHIP, "training_gain": "max"}),
}


def scenario_params(params: ChainParams, change: dict) -> ChainParams:
    """*params* with a scenario's changes. ``training_gain="max"`` means a job is all but certain
    once the chain is done (an apprenticeship that is waiting): the largest valid gain, see
    :func:`max_training_gain`, times 0,999."""
    change = dict(change)
    if change.get("training_gain") == "max":
        other = params.changed(**{k: v for k, v in change.items() if k != "training_gain"})
        change["training_gain"] = max_training_gain(other) * 0.999
    return params.changed(**change)


def scenarios(params: ChainParams, which=SCENARIOS) -> pd.DataFrame:
    """Share in work after 24 and 60 months and months in work over five years, per scenario."""
    rows = []
    for key, (label, change) in which.items():
        p = scenario_params(params, change)
        ttp, ptt = expected(p, "ttp"), expected(p, "ptt")
        rows.append({"key": key, "label": label,
                     "ttp_24": share_at(ttp, "ttp", 24), "ptt_24": share_at(ptt, "ptt", 24),
                     "ttp_60": share_at(ttp, "ttp", 60), "ptt_60": share_at(ptt, "ptt", 60),
                     "ttp_months": work_months(p, "ttp"), "ptt_months": work_months(p, "ptt")})
    return pd.DataFrame(rows)


def scenario_table(table: pd.DataFrame):
    """:func:`scenarios` as a reader's table."""
    pct = lambda v: fmt.share(v, 0)  # noqa: E731
    mon = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        table, caption="Scenarioer: forventet andel i arbeid og forventede måneder i arbeid (simulering)",
        columns={"label": "Scenario", "ttp_24": "Kjede, 24 mnd.", "ptt_24": "Plassering først, 24 mnd.",
                 "ttp_60": "Kjede, 60 mnd.", "ptt_60": "Plassering først, 60 mnd.",
                 "ttp_months": "Kjede, måneder i arbeid", "ptt_months": "Plassering først, måneder i arbeid"},
        formats={"ttp_24": pct, "ptt_24": pct, "ttp_60": pct, "ptt_60": pct, "ttp_months": mon, "ptt_months": mon},
        notes=["Måneder i arbeid: forventet antall måneder i jobb per person i løpet av de fem årene."],
    )



def steps_table(params: ChainParams, steps=(1, 2, 3, 4, 5)) -> pd.DataFrame:
    """Chains with 1 … 5 steps, everything else as in *params* (no new calibration)."""
    rows = []
    for k in steps:
        p = params.changed(steps=int(k))
        ttp, ptt = expected(p, "ttp"), expected(p, "ptt")
        rows.append({"steps": int(k), "chain_months": p.chain_months,
                     "ttp_24": share_at(ttp, "ttp", 24), "ptt_24": share_at(ptt, "ptt", 24),
                     "ttp_60": share_at(ttp, "ttp", 60), "ptt_60": share_at(ptt, "ptt", 60),
                     "ttp_months": work_months(p, "ttp"), "ptt_months": work_months(p, "ptt")})
    return pd.DataFrame(rows)


def steps_display(table: pd.DataFrame):
    """:func:`steps_table` as a reader's table."""
    pct = lambda v: fmt.share(v, 0)  # noqa: E731
    mon = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        table, caption="Tiltakskjeder med ett til fem trinn (simulering)",
        columns={"steps": "Antall trinn", "chain_months": "Måneder før kjeden er ferdig",
                 "ttp_24": "Kjede, i arbeid etter 24 mnd.", "ttp_60": "Kjede, i arbeid etter 60 mnd.",
                 "ttp_months": "Kjede, måneder i arbeid"},
        formats={"steps": lambda v: fmt.number(v), "chain_months": lambda v: fmt.number(v),
                 "ttp_24": pct, "ttp_60": pct, "ttp_months": mon},
        notes=[f"Alle andre forutsetninger som i tabellen over, uten ny kalibrering. Plassering først er lik i alle "
               f"radene: {pct(table['ptt_24'].iloc[0])} i arbeid etter 24 måneder, {pct(table['ptt_60'].iloc[0])} etter 60 "
               f"måneder og {mon(table['ptt_months'].iloc[0])} måneder i arbeid."],
    )

PARAMETER_LABELS = {
    "months": ("Oppfølgingstid (måneder)", "Nossen (2023): fem års oppfølging"),
    "steps": ("Antall trinn i tiltakskjeden", "antakelse (som Amirs første plan)"),
    "wait_months": ("Ventetid før hvert trinn (måneder)", "antakelse"),
    "step_months": ("Varighet av hvert trinn (måneder)", "antakelse"),
    "ptt_wait_months": ("Ventetid før støttet jobbsøk, plassering først (måneder)", "antakelse"),
    "dropout": ("Frafall fra oppfølgingen per måned", "antakelse (lik i begge grupper)"),
    "job_unsupported": ("Jobbsjanse per måned uten oppfølging og i ventetid", "antakelse"),
    "job_in_measure": ("Jobbsjanse per måned under et tiltak", "antakelse: halvparten av jobbsjansen uten oppfølging (innelåsing)"),
    "job_supported": ("Jobbsjanse per måned i støttet jobbsøk", "kalibrert mot Nossen (2023) og Dahl & Lima (2021)"),
    "training_gain": ("Økning i jobbsjansen for hvert fullførte trinn (andel)", "kalibrert mot Nossen (2023) og Dahl & Lima (2021)"),
    "job_loss": ("Sjanse per måned for å miste jobben", "kalibrert mot Nossen (2023) og Dahl & Lima (2021)"),
    "disability": ("Overgang til uføretrygd per måned (for dem som ikke er i arbeid)", "kalibrert mot Nossen (2023)"),
    "follow_along": ("Plassering først: andel av dem som mister jobben, som får jobbstøtte igjen",
                     "antakelse (forenkling: ingen får støtte etter et jobbtap)"),
}


def _value_text(value) -> str | int:
    """Probabilities with as many decimals as they have (0,0025 stays 0,0025); whole numbers unchanged."""
    if isinstance(value, float) and not value.is_integer():
        return fmt.number(value, 4).rstrip("0").rstrip(",")
    return value


def parameter_table(params: ChainParams):
    """The assumptions as an accessible table (via :func:`book.simulation.parameter_table`), without
    the column of code names: the chapter's code cell shows them next to Norwegian comments."""
    values = asdict(params)
    table = {name: simulation.Parameter(_value_text(values[name]), label, basis)
             for name, (label, basis) in PARAMETER_LABELS.items()}
    full = simulation.parameter_table(table, caption="Forutsetningene i simuleringen (endre dem i koden)")
    drop = full.headers.index("Navn i koden")
    return figures.DataTable(full.caption, [h for i, h in enumerate(full.headers) if i != drop],
                             [[c for i, c in enumerate(row) if i != drop] for row in full.rows], full.notes)


# ---------------------------------------------------------------- simulation figures


def _percent_axis(ax, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(plt.FuncFormatter(lambda v, _pos: fmt.percent(v * 100, 0)))


STYLES = {"ttp": ("o", "-", figures.PALETTE["vermillion"]), "ptt": ("s", "--", figures.PALETTE["blue"])}


def plot_simulation(shares: pd.DataFrame, params: ChainParams):
    """Expected share in work, month by month, for both arms (the shares on uføretrygd are in
    :func:`simulation_table`)."""
    fig, top = plt.subplots(figsize=(7.2, 4.0))
    for step in range(params.steps):  # shade the months spent in a measure
        start = step * (params.wait_months + params.step_months) + params.wait_months
        top.axvspan(start, start + params.step_months, color="#E8E8E8", lw=0)
    for arm in ARMS:
        rows = shares[shares["arm"] == arm]
        marker, ls, colour = STYLES[arm]
        top.plot(rows["month"], rows["share_work"], ls=ls, color=colour, marker=marker, markevery=12, ms=5)
        last = rows.iloc[-1]
        top.annotate(ARM_LABELS[arm].split(" («")[0], (last["month"], last["share_work"]), xytext=(5, 6 if arm == "ttp" else -6),
                     textcoords="offset points", va="center", fontsize=9, color=colour)
    top.set_ylim(0, 0.6)
    top.set_yticks([0, 0.2, 0.4, 0.6])
    top.set_ylabel("Andel i arbeid")
    top.set_xlabel("Måneder etter start")
    _percent_axis(top)
    top.set_xticks(range(0, params.months + 1, 12))
    top.set_xlim(0, params.months)
    figures.norwegian_axis(top, "x")
    fig.subplots_adjust(left=0.13, right=0.8, bottom=0.18, top=0.95)
    simulation.mark_figure(fig)
    figures.source_line(fig, "simulering med forutsetningene i tabellen over (forventede andeler); ingen data.")
    return fig


def simulation_table(shares: pd.DataFrame, every: int = 6):
    """The shares behind :func:`plot_simulation` (and the share without job or follow-up), every *every* months."""
    wide = shares.pivot(index="month", columns="arm", values=["share_work", "share_disability", "share_out"])
    wide.columns = [f"{col}_{arm}" for col, arm in wide.columns]
    wide = wide.reset_index()
    wide = wide[wide["month"] % every == 0]
    pct = lambda v: fmt.share(v, 1)  # noqa: E731
    return figures.data_table(
        wide, caption="Tallene bak figuren: forventet andel i arbeid, på uføretrygd og uten jobb og oppfølging (simulering)",
        columns={"month": "Måned", "share_work_ttp": "I arbeid, kjede", "share_work_ptt": "I arbeid, plassering først",
                 "share_disability_ttp": "Uføretrygd, kjede", "share_disability_ptt": "Uføretrygd, plassering først",
                 "share_out_ttp": "Uten jobb og oppfølging, kjede", "share_out_ptt": "Uten jobb og oppfølging, plassering først"},
        formats={"month": lambda m: fmt.number(m), **{c: pct for c in wide.columns if c != "month"}},
        notes=["Resten av gruppen er fortsatt i oppfølging hos Nav (venter, er i tiltak eller søker jobb med støtte)."],
    )


def plot_sensitivity(table: pd.DataFrame, params: ChainParams):
    """How the comparison depends on the training gain: the lead of placement first in share in
    work (left) and in expected months in work over the follow-up (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.6, 4.0), sharex=True)
    gains = table["gain"] * 100
    looks = {24: (figures.PALETTE["blue"], "o", "--"), 60: (figures.PALETTE["vermillion"], "^", "-")}
    for m, (colour, marker, ls) in looks.items():
        left.plot(gains, table[f"gap_{m}"], color=colour, marker=marker, ls=ls, ms=4, markevery=2, label=f"Etter {m} måneder")
    right.plot(gains, table["months_diff"], color=figures.PALETTE["green"])
    for ax in (left, right):
        ax.axhline(0, color=figures.PALETTE["black"], lw=0.8)
        ax.axvline(params.training_gain * 100, color=figures.GREY, ls=":", lw=1.2)
        low = min(ax.get_ylim()[0], -0.28 * ax.get_ylim()[1])
        ax.axhspan(low, 0, color="#F2F2F2", lw=0, zorder=0)  # grey below zero: the chain is ahead (see the caption)
        ax.set_ylim(bottom=low)
        ax.set_xlabel("Gevinst per fullført trinn (%)")
        figures.norwegian_axis(ax, "x")
        figures.norwegian_axis(ax, "y")
        ax.set_xticks(range(0, 101, 20))
        ax.yaxis.set_major_locator(MaxNLocator(5))
    left.text(params.training_gain * 100 + 1.5, 0.33, "kalibrert\nverdi", fontsize=8.5, color=figures.GREY, va="center",
              transform=left.get_xaxis_transform())
    left.set_ylabel("Forsprang for plassering først\n(prosentpoeng i arbeid)")
    right.set_ylabel("Flere måneder i arbeid med\nplassering først (per person)")
    left.legend(frameon=False, fontsize=9, loc="upper right")
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.2, top=0.92, wspace=0.42)
    simulation.mark_figure(fig)
    figures.source_line(fig, "simulering; alle andre forutsetninger som i tabellen over. Ingen data.")
    return fig


def sensitivity_table(table: pd.DataFrame):
    """The numbers behind :func:`plot_sensitivity`."""
    return figures.data_table(
        table, caption="Tallene bak figuren: forsprang for plassering først etter gevinst per trinn (simulering)",
        columns={"gain": "Gevinst per trinn", "gap_24": "Forsprang etter 24 mnd. (prosentpoeng)",
                 "gap_60": "Forsprang etter 60 mnd. (prosentpoeng)", "months_diff": "Flere måneder i arbeid over fem år"},
        formats={"gain": lambda v: fmt.percent(v * 100, 0), "gap_24": lambda v: fmt.number(v, 1),
                 "gap_60": lambda v: fmt.number(v, 1), "months_diff": lambda v: fmt.number(v, 1)},
        notes=["Negative tall betyr at tiltakskjeden ligger foran."],
    )


# ---------------------------------------------------------------- published outcomes after measures

STATED = re.compile(r"stated as '([^']+)'")
HEDGES = ("nesten", "mer enn", "nær", "knapt")
OUTCOME_ORDER = ["i arbeid", "tiltakskjeding", "uføretrygd", "langvarige tiltak uten jobb eller falt ut"]
GROUP_TITLES = {
    "nedsatt arbeidsevne": "Personer med nedsatt arbeidsevne (Nossen 2023)",
    "arbeidssøkere": "Arbeidssøkere (Nossen mfl. 2021)",
}
WORK_ROWS = {  # norway_stats indicator → (group, study, the outcome as the source defines it)
    "tiltak_nae_outcome_5yr_in_work_not_nav": ("nedsatt arbeidsevne", "Nossen 2023", "i jobb og ikke registrert hos Nav etter fem år"),
    "tiltak_jobseekers_work_trajectories": ("arbeidssøkere", "Nossen mfl. 2021", "løpebaner som i stor grad består av arbeid"),
}
DEFINITIONS = {  # tiltak_forlop outcome code → the outcome in the source's words
    "uføretrygd": "ble uføretrygdet i løpet av fem år",
    "tiltakskjeding": "hadde en eller annen form for tiltakskjeding",
    "langvarige tiltak uten jobb eller falt ut": "langvarige tiltak uten jobb, eller falt ut av Navs registre",
}


def stated_words(text: str) -> tuple[str, int, int]:
    """``"knapt 6 av 10"`` → ``("knapt", 6, 10)``; the hedge is ``""`` when there is none."""
    m = re.fullmatch(r"(?:(nesten|mer enn|nær|knapt) )?(\d+) av (\d+)", text.strip())
    if not m:
        raise ValueError(f"cannot read {text!r} as '[hedge] N av M' (hedges: {', '.join(HEDGES)})")
    num, den = int(m.group(2)), int(m.group(3))
    if num > den or den == 0:
        raise ValueError(f"{text!r}: not a fraction between 0 and 1")
    return m.group(1) or "", num, den


def reading(hedge: str, num: int, den: int) -> str:
    """What the wording says about the share, no more precisely than the source:
    ``reading("mer enn", 4, 10) == "over 40 %"``."""
    value = 100 * num / den
    text = fmt.percent(value, 0 if round(value, 1).is_integer() else 1)
    words = {"": "omtrent", "mer enn": "over", "nesten": "litt under", "knapt": "litt under", "nær": "nær"}
    if hedge not in words:
        raise ValueError(f"unknown hedge {hedge!r}")
    return f"{words[hedge]} {text}"


def trajectories(norway_stats: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """One row per published statement: the in-work shares from ``norway_stats`` and the other
    outcomes from ``tiltak_forlop``, each with the source's own wording and what it says."""
    rows = []
    for indicator, (group, study, definition) in WORK_ROWS.items():
        match = norway_stats[norway_stats["indicator"] == indicator]
        if len(match) != 1:
            raise ValueError(f"norway_stats: expected exactly one row for {indicator!r}, found {len(match)}")
        row = match.iloc[0]
        unit = STATED.search(str(row["unit"]))
        if not unit:
            raise ValueError(f"norway_stats row {row['row_id']}: unit {row['unit']!r} does not give the stated wording")
        hedge, num, den = stated_words(unit.group(1))
        if abs(num / den - float(row["value"])) > 1e-9:
            raise ValueError(f"norway_stats row {row['row_id']}: value {row['value']} ≠ stated {unit.group(1)!r}")
        rows.append({"group": group, "study": study, "outcome": "i arbeid", "definition": definition,
                     "stated": unit.group(1), "hedge": hedge, "fraction": num / den, "reading": reading(hedge, num, den)})
    for r in statements.itertuples():
        hedge, num, den = stated_words(r.stated)
        source_hedge = r.hedge if isinstance(r.hedge, str) else ""
        if hedge != source_hedge or (num, den) != (int(r.numerator), int(r.denominator)):
            raise ValueError(f"tiltak_forlop row {r.statement_id}: stated {r.stated!r} disagrees with hedge/numerator/denominator")
        rows.append({"group": r.group, "study": r.study, "outcome": r.outcome, "definition": DEFINITIONS[r.outcome],
                     "stated": r.stated, "hedge": hedge, "fraction": num / den, "reading": reading(hedge, num, den)})
    table = pd.DataFrame(rows)
    table["order"] = table["outcome"].map(OUTCOME_ORDER.index)
    return table.sort_values(["group", "order"], ascending=[False, True]).drop(columns="order").reset_index(drop=True)


ARROW = 0.07  # length of the arrow that shows «over» or «under» (a share of the axis), not a size


def plot_trajectories(table: pd.DataFrame):
    """Each statement as a marker at its fraction: filled for «omtrent», open with an arrow for
    «mer enn» (right) and «nesten»/«knapt» (left), a short two-way bar for «nær». No bars: the
    figure shows no more precision than the words."""
    groups = list(GROUP_TITLES)
    sizes = [int((table["group"] == g).sum()) for g in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(7.2, 2.1 + 0.62 * sum(sizes)), sharex=True,
                             gridspec_kw={"height_ratios": sizes})
    colour = figures.PALETTE["blue"]
    for ax, group in zip(axes, groups):
        rows = table[table["group"] == group].iloc[::-1].reset_index(drop=True)
        for y, r in rows.iterrows():
            x, h = r["fraction"], r["hedge"]
            if h in ("mer enn", "nesten", "knapt"):
                end = x + ARROW if h == "mer enn" else x - ARROW
                ax.annotate("", xy=(end, y), xytext=(x, y), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.6})
                ax.plot([x], [y], marker="o", ms=8, mfc="white", mec=colour, mew=1.8, ls="none")
            elif h == "nær":
                ax.plot([x - ARROW / 3, x + ARROW / 3], [y, y], color=colour, lw=1.6)
                ax.plot([x], [y], marker="o", ms=8, color=colour, ls="none")
            else:
                ax.plot([x], [y], marker="o", ms=8, color=colour, ls="none")
            label_x = max(x, x + (ARROW if h == "mer enn" else 0)) + 0.02
            ax.text(label_x, y, f"«{r['stated']}»", va="center", fontsize=9)
        ax.set_yticks(range(len(rows)), [textwrap.fill(d[0].upper() + d[1:], 34) for d in rows["definition"]], fontsize=9)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_title(GROUP_TITLES[group], loc="left", fontsize=10)
        ax.set_xlim(0, 0.8)
        ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8])
        ax.grid(axis="x", color="#E0E0E0", lw=0.6)
        ax.set_axisbelow(True)
    _percent_axis(axes[-1], "x")
    axes[-1].set_xlabel("Andel av dem som begynte i tiltak i 2014, fulgt i fem år", fontsize=10)
    # the key to the markers is in the caption (and the table below the figure)
    fig.subplots_adjust(left=0.36, right=0.97, bottom=0.16, top=0.93, hspace=0.5)
    figures.source_line(fig, "Nossen (2023) og Nossen mfl. (2021).")
    return fig


def trajectories_table(table: pd.DataFrame):
    """The statements behind :func:`plot_trajectories`."""
    return figures.data_table(
        table, caption="Tallene bak figuren: kildenes egne ord og hva de sier om andelen",
        columns={"group": "Gruppe", "study": "Kilde", "definition": "Utfall slik kilden definerer det",
                 "stated": "Kildens ord", "reading": "Hva ordlyden sier"},
        notes=["Andelene overlapper: en person kan både ha hatt tiltakskjeding og være i arbeid. De summerer derfor ikke til 100 %."],
    )


# ---------------------------------------------------------------- Nav: status six months after leaving nedsatt arbeidsevne

EXIT_STATUS = {  # status code in the data → (Norwegian label as in Nav's table, group in the figure)
    "only_employee": ("Kun arbeidstaker", "Bare i arbeid"),
    "employee_disability": ("Arbeidstaker med uføretrygd", "I arbeid og mottar en ytelse"),
    "employee_other": ("Arbeidstaker med annen ytelse eller oppfølging", "I arbeid og mottar en ytelse"),
    "disability": ("Uføretrygd", "Uføretrygd, ikke i arbeid"),
    "other_benefit": ("Annen ytelse", "Annet eller ukjent"),
    "reduced_capacity": ("Nedsatt arbeidsevne", "Annet eller ukjent"),
    "jobseeker": ("Arbeidssøker", "Annet eller ukjent"),
    "unknown": ("Ukjent (blant annet utdanning, selvstendig næringsdrivende)", "Annet eller ukjent"),
}
EXIT_GROUPS = ["Bare i arbeid", "I arbeid og mottar en ytelse", "Uføretrygd, ikke i arbeid", "Annet eller ukjent"]


def exit_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Nav's eight statuses summed into the figure's four groups, per age group (percent).
    A missing cell counts as 0 (Nav's table leaves it empty; the column still sums to 100)."""
    unknown = set(frame["status"]) - set(EXIT_STATUS)
    if unknown:
        raise ValueError(f"unknown status code(s): {sorted(unknown)}")
    work = frame.assign(group=frame["status"].map(lambda s: EXIT_STATUS[s][1]), percent=frame["percent"].fillna(0.0))
    order = list(dict.fromkeys(frame["age_group"]))
    wide = work.pivot_table(index="age_group", columns="group", values="percent", aggfunc="sum").reindex(order)
    totals = wide.sum(axis=1)
    if not np.allclose(totals, 100, atol=0.25):
        raise ValueError(f"percentages do not add up to 100 per age group: {totals.round(1).to_dict()}")
    return wide[EXIT_GROUPS].reset_index()


def plot_exits(frame: pd.DataFrame):
    """Status six months after leaving nedsatt arbeidsevne, by age: stacked bars of the four groups."""
    wide = exit_groups(frame)
    fig, ax = plt.subplots(figsize=(7.4, 4.4))
    colours = [figures.PALETTE["blue"], figures.PALETTE["skyblue"], figures.PALETTE["vermillion"], "#D9D9D9"]
    y = np.arange(len(wide))[::-1]
    left = np.zeros(len(wide))
    for group, colour in zip(EXIT_GROUPS, colours):
        values = wide[group].to_numpy()
        bars = ax.barh(y, values, left=left, color=colour, edgecolor="white", label=group, height=0.65)
        labelled = group in ("Bare i arbeid", "Uføretrygd, ikke i arbeid")  # the two groups the text compares
        for bar, v, l0 in zip(bars, values, left):
            if labelled and v >= 7:
                ax.text(l0 + v / 2, bar.get_y() + bar.get_height() / 2, fmt.number(v, 0), ha="center", va="center",
                        fontsize=8.5, color="white" if colour in (figures.PALETTE["blue"], figures.PALETTE["vermillion"]) else "black")
        left = left + values
    ax.set_yticks(y, wide["age_group"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Prosent av dem som avsluttet perioden med nedsatt arbeidsevne")
    figures.norwegian_axis(ax, "x")
    ax.legend(ncol=2, frameon=False, fontsize=8.5, loc="upper center", bbox_to_anchor=(0.45, -0.16))
    fig.subplots_adjust(left=0.18, right=0.97, bottom=0.32, top=0.97)
    figures.source_line(fig, "Nav, statistikk over personer med avgang fra nedsatt arbeidsevne 3. kvartal 2024, tabell 5.")
    return fig


def exits_table(frame: pd.DataFrame):
    """Nav's table as the reader can use it: one row per status, one column per age group."""
    order = list(dict.fromkeys(frame["age_group"]))
    wide = frame.pivot(index="status", columns="age_group", values="percent").reindex(list(EXIT_STATUS))[order].reset_index()
    wide.insert(0, "label", wide["status"].map(lambda s: EXIT_STATUS[s][0]))
    persons = frame.drop_duplicates("age_group").set_index("age_group")["persons"]
    head = {"status": None, "label": "Antall som avsluttet", **{a: float(persons[a]) for a in order}}
    table = pd.concat([pd.DataFrame([head]), wide], ignore_index=True)
    counts = table.index == 0  # the first row holds the number of persons, the others percent

    def cell(v, row):
        return fmt.number(v, 0) if counts[row] else fmt.number(v, 1)

    table = table.assign(**{a: [cell(v, i) if pd.notna(v) else None for i, v in enumerate(table[a])] for a in order})
    return figures.data_table(
        table, caption="Tallene bak figuren: status i 1. kvartal 2025 for dem som avsluttet perioden med nedsatt arbeidsevne i 3. kvartal 2024 (prosent)",
        columns={"label": "Status seks måneder etter", **{a: a for a in order}},
        notes=["Første rad er antall personer; de andre radene er prosent av dem. «–»: tom celle i Navs tabell.",
               "Hver kolonne summerer til 100 (med avrunding)."],
    )


# ---------------------------------------------------------------- education as a measure (Sohlman & Kann 2021)


def education_growth(frame: pd.DataFrame) -> dict[str, float]:
    """First and last value and their ratio from the education-measure series (Sohlman & Kann)."""
    if len(frame) < 2:
        raise ValueError("education_growth needs at least two periods")
    first, last = frame.iloc[0], frame.iloc[-1]
    if first["persons_per_month"] <= 0:
        raise ValueError("the first period has no participants; a growth ratio is undefined")
    return {"first": float(first["persons_per_month"]), "last": float(last["persons_per_month"]),
            "ratio": float(last["persons_per_month"]) / float(first["persons_per_month"])}


def education_table(frame: pd.DataFrame):
    """The two published figures as a table (two numbers need no chart)."""
    return figures.data_table(
        frame, caption="Arbeidssøkere i utdanningstiltak, gjennomsnitt per måned (Sohlman & Kann, 2021)",
        columns={"period_label": "Periode", "group": "Gruppe", "persons_per_month": "Deltakere per måned (gjennomsnitt)"},
        formats={"persons_per_month": lambda v: fmt.number(v)},
        notes=["Tallene Sohlman og Kann oppgir for 2015 og første kvartal 2021. Tallet for 2015 er et årsgjennomsnitt, tallet for 2021 "
               "gjelder første kvartal; forskriften ble endret i juli 2019."],
    )


def plot_education(frame: pd.DataFrame):
    """The two published figures as two separate bars, with no line joining them (there are only two
    numbers); a dotted vertical line between the bars marks the change in the regulation."""
    if len(frame) != 2:
        raise ValueError(f"plot_education expects the two published figures, got {len(frame)} rows")
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    labels = [f"{p}\n({'årsgjennomsnitt' if i == 0 else 'gjennomsnitt for kvartalet'})"
              for i, p in enumerate(frame["period_label"])]
    values = frame["persons_per_month"].to_numpy(dtype=float)
    colours = [figures.PALETTE["skyblue"], figures.PALETTE["blue"]]
    bars = ax.bar([0, 1], values, width=0.5, color=colours, edgecolor=figures.PALETTE["black"], lw=0.6)
    for bar, v in zip(bars, values):
        ax.text(bar.get_x() + bar.get_width() / 2, v + values.max() * 0.02, fmt.number(v), ha="center", va="bottom", fontsize=10)
    ax.set_xticks([0, 1], labels)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0, values.max() * 1.18)
    ax.axvline(0.5, color=figures.GREY, ls=":", lw=1)
    ax.text(0.5, values.max() * 1.12, "Forskriften endret\njuli 2019", ha="center", va="top", fontsize=8.5, color=figures.GREY,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_ylabel("Arbeidssøkere i utdanningstiltak\n(gjennomsnitt per måned)")
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.22, top=0.95)
    figures.source_line(fig, "Sohlman og Kann (2021).")
    return fig
