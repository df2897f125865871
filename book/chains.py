"""Chapter 3 (the supply perspective): chains of measures as a teaching simulation, and
published outcomes after labour-market measures.

The simulation compares two ways of organising help for a cohort of job seekers:

* **train-then-place** (``"ttp"``): a chain of ``steps`` measures; each step starts with a
  wait of ``wait_months`` and lasts ``step_months``; only after the last step does supported
  job search begin, with a job chance raised by ``training_gain`` for every completed step;
* **place-then-train** (``"ptt"``): supported job search starts after ``ptt_wait_months``;
  the training happens on the job, after the first job, which the model does not follow.

Every month a person who is still being followed up may get a job (a monthly probability
that depends on the phase) or drop out of the follow-up (``dropout``). A person who drops out
keeps looking for work on their own (``job_unsupported``). A first job ends the person's
story: the model counts *first entries into work*, not lasting jobs.

Two implementations share the same rules, so each checks the other:

* :func:`simulate` follows ``n`` individuals with seeded random numbers
  (:func:`book.simulation.rng`): the figure shows the spread a real cohort would have;
* :func:`expected` computes the same model's expected shares exactly, month by month (a
  cohort or Markov-chain calculation without random numbers).

The real-data part reads the published summary statements on what happened to people who
started a measure in 2014 (Nossen 2023; Nossen mfl. 2021) and the number of job seekers in
education measures (Sohlman & Kann 2021).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import figures, fmt, simulation

ARMS = ("ttp", "ptt")
ARM_LABELS = {"ttp": "Tiltakskjede (train-then-place)", "ptt": "Plassering først (place-then-train)"}
WAIT, MEASURE, SEARCH = 0, 1, 2
IN_PROGRAMME, OUT, WORK = 0, 1, 2


@dataclass(frozen=True)
class ChainParams:
    """The assumptions of the chain model. Probabilities are per month; durations in months."""

    n: int = 10_000
    months: int = 60
    steps: int = 3
    wait_months: int = 2
    step_months: int = 4
    dropout: float = 0.03
    job_unsupported: float = 0.01
    job_in_measure: float = 0.005
    job_supported: float = 0.04
    training_gain: float = 0.08
    ptt_wait_months: int = 1

    def __post_init__(self) -> None:
        for name in ("n", "months", "steps", "wait_months", "step_months", "ptt_wait_months"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"ChainParams.{name} must be a whole number, got {value!r}")
            if value < 0:
                raise ValueError(f"ChainParams.{name} must be ≥ 0, got {value}")
        if self.n < 1 or self.months < 1:
            raise ValueError("ChainParams: n and months must be at least 1")
        if self.step_months < 1 and self.steps > 0:
            raise ValueError("ChainParams.step_months must be at least 1 when there are steps")
        for name in ("dropout", "job_unsupported", "job_in_measure", "job_supported"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 <= value <= 1:
                raise ValueError(f"ChainParams.{name} must be a probability between 0 and 1, got {value!r}")
        if isinstance(self.training_gain, bool) or not isinstance(self.training_gain, (int, float, np.floating)) \
                or self.training_gain < 0:
            raise ValueError(f"ChainParams.training_gain must be ≥ 0, got {self.training_gain!r}")
        for name in ("job_unsupported", "job_in_measure", "job_supported", "job_after_chain"):
            if getattr(self, name) + self.dropout > 1:
                raise ValueError(f"ChainParams: {name} + dropout must not exceed 1 (two events in one month)")

    def changed(self, **changes) -> "ChainParams":
        """A copy with some assumptions changed (and checked again): ``params.changed(dropout=0.01)``."""
        return replace(self, **changes)

    @property
    def job_after_chain(self) -> float:
        """Monthly job chance after the whole chain: supported search, raised by each completed step."""
        return self.job_supported * (1 + self.training_gain) ** self.steps

    @property
    def chain_months(self) -> int:
        """Months from the start until the last step of the chain is finished."""
        return self.steps * (self.wait_months + self.step_months)


def phases(params: ChainParams, arm: str) -> np.ndarray:
    """The phase (WAIT, MEASURE or SEARCH) of month 1, 2, … for someone still followed up."""
    if arm == "ttp":
        one_step = [WAIT] * params.wait_months + [MEASURE] * params.step_months
        head = one_step * params.steps
    elif arm == "ptt":
        head = [WAIT] * params.ptt_wait_months
    else:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    tail = [SEARCH] * max(params.months - len(head), 0)
    return np.array((head + tail)[: params.months], dtype=int)


def hazards(params: ChainParams, arm: str) -> np.ndarray:
    """Monthly chance of a job for someone still followed up, month 1 … ``months``."""
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    search = params.job_after_chain if arm == "ttp" else params.job_supported
    by_phase = np.array([params.job_unsupported, params.job_in_measure, search])
    return by_phase[phases(params, arm)]


def chain_completion(params: ChainParams) -> float:
    """Probability of getting through the whole chain still in it (no job, no drop-out)."""
    h = hazards(params, "ttp")[: params.chain_months]
    return float(np.prod(1 - h - params.dropout))


def expected(params: ChainParams, arm: str) -> pd.DataFrame:
    """Exact expected shares in work, dropped out and still followed up, month 0 … ``months``."""
    h = hazards(params, arm)
    prog, out, work = 1.0, 0.0, 0.0
    rows = [(0, prog, out, work)]
    for month, h_t in enumerate(h, start=1):
        new_work = prog * h_t + out * params.job_unsupported
        new_out = prog * params.dropout
        prog, out, work = prog - prog * h_t - new_out, out + new_out - out * params.job_unsupported, work + new_work
        rows.append((month, prog, out, work))
    frame = pd.DataFrame(rows, columns=["month", "share_programme", "share_out", "share_work"])
    return frame.assign(arm=arm)


@dataclass(frozen=True)
class SimResult:
    """What :func:`simulate` returns: shares per arm and month, and each person's first-job month."""

    shares: pd.DataFrame
    job_month: dict[str, np.ndarray]  # month of the first job, 0 = no job within the follow-up


def simulate(params: ChainParams, seed: int = simulation.DEFAULT_SEED) -> SimResult:
    """Follow ``n`` people per arm month by month with seeded random numbers.

    Each month one uniform number per person decides what happens: a job if it is below the
    phase's job chance, a drop-out if it falls in the next ``dropout`` of the interval.
    """
    gen = simulation.rng(seed)
    frames, job_month = [], {}
    for arm in ARMS:
        h = hazards(params, arm)
        state = np.full(params.n, IN_PROGRAMME)
        first_job = np.zeros(params.n, dtype=int)
        rows = [(0, 1.0, 0.0, 0.0)]
        for month, h_t in enumerate(h, start=1):
            u = gen.random(params.n)
            in_prog, out = state == IN_PROGRAMME, state == OUT
            to_work = (in_prog & (u < h_t)) | (out & (u < params.job_unsupported))
            to_out = in_prog & (u >= h_t) & (u < h_t + params.dropout)
            state[to_work], state[to_out] = WORK, OUT
            first_job[to_work] = month
            rows.append((month, *(float(np.mean(state == s)) for s in (IN_PROGRAMME, OUT, WORK))))
        frame = pd.DataFrame(rows, columns=["month", "share_programme", "share_out", "share_work"])
        frames.append(frame.assign(arm=arm))
        job_month[arm] = first_job
    return SimResult(pd.concat(frames, ignore_index=True), job_month)


def time_to_job(sim: SimResult, arm: str) -> float:
    """Median month of the first job among those in work by the end of the follow-up."""
    months = sim.job_month[arm]
    employed = months[months > 0]
    if employed.size == 0:
        raise ValueError(f"no one in arm {arm!r} got a job: the median time to a job is undefined")
    return float(np.median(employed))


def share_at(table: pd.DataFrame, arm: str, month: int, column: str = "share_work") -> float:
    """The share in *column* for *arm* at *month* (from :func:`simulate` or :func:`expected`)."""
    row = table[(table["arm"] == arm) & (table["month"] == month)]
    if row.empty:
        raise KeyError(f"no row for arm {arm!r} at month {month}")
    return float(row[column].iloc[0])


def by_steps(params: ChainParams, steps=range(0, 7), months=(24, 60)) -> pd.DataFrame:
    """Expected share in work after each of *months* for chains of 0, 1, … steps, and for
    place-then-train (which does not depend on the number of steps)."""
    ptt = expected(params, "ptt")
    rows = []
    for k in steps:
        ttp = expected(replace(params, steps=int(k)), "ttp")
        row = {"steps": int(k), "chain_months": replace(params, steps=int(k)).chain_months}
        for m in months:
            row[f"ttp_{m}"] = share_at(ttp, "ttp", m)
            row[f"ptt_{m}"] = share_at(ptt, "ptt", m)
        rows.append(row)
    return pd.DataFrame(rows)


PARAMETER_LABELS = {
    "n": ("Antall personer i hver gruppe", "antakelse (stort nok til at tilfeldig variasjon blir liten)"),
    "months": ("Oppfølgingstid (måneder)", "antakelse; samme lengde som oppfølgingen hos Nossen (2023)"),
    "steps": ("Antall trinn i tiltakskjeden", "antakelse; tiltakskjeding er vanlig (Nossen 2023)"),
    "wait_months": ("Ventetid før hvert trinn (måneder)", "antakelse; mange venter på tiltak (Meld. St. 46 (2012–2013))"),
    "step_months": ("Varighet av hvert trinn (måneder)", "antakelse"),
    "dropout": ("Frafall per måned mens personen følges opp", "antakelse (lik i begge grupper)"),
    "job_unsupported": ("Jobbsjanse per måned uten oppfølging (ventetid, etter frafall)", "antakelse"),
    "job_in_measure": ("Jobbsjanse per måned under et tiltak", "antakelse (innelåsing: lavere enn uten tiltak)"),
    "job_supported": ("Jobbsjanse per måned med støttet jobbsøk", "antakelse (lik i begge grupper før gevinsten av trinnene)"),
    "training_gain": ("Økning i jobbsjansen for hvert fullførte trinn (andel)", "antakelse; at opplæring kan lønne seg på sikt, støttes av Card mfl. (2018)"),
    "ptt_wait_months": ("Ventetid før støttet jobbsøk, plassering først (måneder)", "antakelse"),
}


def _value_text(value) -> str | int:
    """Probabilities with as many decimals as they have (0,005 stays 0,005); whole numbers unchanged."""
    if isinstance(value, float) and not value.is_integer():
        return fmt.number(value, 4).rstrip("0").rstrip(",")
    return value


def parameter_table(params: ChainParams):
    """The assumptions as an accessible table (via :func:`book.simulation.parameter_table`)."""
    values = asdict(params)
    table = {name: simulation.Parameter(_value_text(values[name]), label, basis)
             for name, (label, basis) in PARAMETER_LABELS.items()}
    return simulation.parameter_table(table, caption="Forutsetningene i simuleringen (endre dem i koden)")


# ---------------------------------------------------------------- simulation figures


def _percent_axis(ax, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(plt.FuncFormatter(lambda v, _pos: fmt.percent(v * 100, 0)))


def plot_simulation(shares: pd.DataFrame, params: ChainParams):
    """Share in work (top) and share dropped out without work (bottom), month by month."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.2, 5.8), sharex=True, gridspec_kw={"height_ratios": [3, 1.6]})
    styles = {"ttp": ("o", "-", figures.PALETTE["vermillion"]), "ptt": ("s", "--", figures.PALETTE["blue"])}
    for step in range(params.steps):  # shade the months spent in a measure
        start = step * (params.wait_months + params.step_months) + params.wait_months
        for ax in (top, bottom):
            ax.axvspan(start, start + params.step_months, color="#E8E8E8", lw=0)
        top.text(start + params.step_months / 2, 0.97, f"Tiltak {step + 1}", ha="center", va="top", fontsize=8, color=figures.GREY)
    for arm in ARMS:
        rows = shares[shares["arm"] == arm]
        marker, ls, colour = styles[arm]
        for ax, column in ((top, "share_work"), (bottom, "share_out")):
            ax.plot(rows["month"], rows[column], ls=ls, color=colour, marker=marker, markevery=6, ms=5)
        last = rows.iloc[-1]
        top.annotate(ARM_LABELS[arm].split(" (")[0], (last["month"], last["share_work"]), xytext=(5, 0),
                     textcoords="offset points", va="center", fontsize=9, color=colour)
    top.set_ylim(0, 1)
    top.set_ylabel("Andel i arbeid")
    bottom.set_ylabel("Falt ut\nuten arbeid")
    bottom.set_ylim(0, max(0.05, float(shares["share_out"].max()) * 1.15))
    bottom.set_xlabel("Måneder etter start")
    for ax in (top, bottom):
        _percent_axis(ax)
    bottom.set_xlim(0, params.months)
    figures.norwegian_axis(bottom, "x")
    fig.subplots_adjust(left=0.13, right=0.8, bottom=0.13, top=0.95, hspace=0.12)
    simulation.mark_figure(fig)
    figures.source_line(fig, "simulering med forutsetningene i tabellen over; ingen data.")
    return fig


def simulation_table(shares: pd.DataFrame, every: int = 6):
    """The shares behind :func:`plot_simulation`, every *every* months."""
    wide = shares.pivot(index="month", columns="arm", values=["share_work", "share_out"])
    wide.columns = [f"{col}_{arm}" for col, arm in wide.columns]
    wide = wide.reset_index()
    wide = wide[wide["month"] % every == 0]
    pct = lambda v: fmt.share(v, 1)  # noqa: E731
    return figures.data_table(
        wide, caption="Tallene bak figuren: andel i arbeid og andel som har falt ut (simulering)",
        columns={"month": "Måned", "share_work_ttp": "I arbeid, tiltakskjede", "share_work_ptt": "I arbeid, plassering først",
                 "share_out_ttp": "Falt ut, tiltakskjede", "share_out_ptt": "Falt ut, plassering først"},
        formats={"month": lambda m: fmt.number(m), **{c: pct for c in wide.columns if c != "month"}},
    )


def plot_steps(table: pd.DataFrame):
    """Expected share in work after 24 and 60 months by the number of steps in the chain."""
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    horizons = [int(c.split("_")[1]) for c in table.columns if c.startswith("ttp_")]
    looks = [(figures.PALETTE["vermillion"], "o", "--"), (figures.PALETTE["purple"], "^", ":")]
    for i, months in enumerate(horizons):
        colour, marker, ptt_ls = looks[i % len(looks)]
        ls = "-"
        ax.plot(table["steps"], table[f"ttp_{months}"], color=colour, marker=marker, ls=ls, ms=6)
        ax.axhline(table[f"ptt_{months}"].iloc[0], color=figures.PALETTE["blue"], ls=ptt_ls, lw=1.4)
        last = table.iloc[-1]
        ax.annotate(f"Tiltakskjede, {months} mnd.", (last["steps"], last[f"ttp_{months}"]), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=9, color=colour)
        middle = float(table["steps"].iloc[len(table) // 2])
        ax.annotate(f"Plassering først, {months} mnd.", (middle, table[f"ptt_{months}"].iloc[0]), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9, color=figures.PALETTE["blue"])
    ax.set_xlabel("Antall trinn i tiltakskjeden")
    ax.set_ylabel("Forventet andel i arbeid")
    ax.set_ylim(0, 1)
    ax.set_xticks(table["steps"])
    _percent_axis(ax)
    fig.subplots_adjust(left=0.12, right=0.7, bottom=0.16, top=0.95)
    simulation.mark_figure(fig)
    figures.source_line(fig, "simulering (forventede andeler uten tilfeldig variasjon); ingen data.")
    return fig


def steps_table(table: pd.DataFrame):
    """The numbers behind :func:`plot_steps`."""
    pct = lambda v: fmt.share(v, 1)  # noqa: E731
    cols = [c for c in table.columns if c.startswith(("ttp_", "ptt_"))]
    headers = {c: ("Tiltakskjede" if c.startswith("ttp") else "Plassering først") + f", {c.split('_')[1]} mnd." for c in cols}
    return figures.data_table(
        table, caption="Tallene bak figuren: forventet andel i arbeid etter antall trinn (simulering)",
        columns={"steps": "Trinn", "chain_months": "Kjedens lengde (mnd.)", **headers},
        formats={"steps": lambda v: fmt.number(v), "chain_months": lambda v: fmt.number(v), **{c: pct for c in cols}},
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


def stated_words(text: str) -> tuple[str, int, int]:
    """``"knapt 6 av 10"`` → ``("knapt", 6, 10)``; the hedge is ``""`` when there is none."""
    m = re.fullmatch(r"(?:(nesten|mer enn|nær|knapt) )?(\d+) av (\d+)", text.strip())
    if not m:
        raise ValueError(f"cannot read {text!r} as '[hedge] N av M' (hedges: {', '.join(HEDGES)})")
    num, den = int(m.group(2)), int(m.group(3))
    if num > den:
        raise ValueError(f"{text!r}: the numerator is larger than the denominator")
    return m.group(1) or "", num, den


def trajectories(norway_stats: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """One row per published statement: the in-work shares from ``norway_stats`` and the other
    outcomes from ``tiltak_forlop``, each with the source's own wording and the fraction it states."""
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
                     "stated": unit.group(1), "hedge": hedge, "share": num / den, "row": row["row_id"]})
    for r in statements.itertuples():
        hedge, num, den = stated_words(r.stated)
        source_hedge = r.hedge if isinstance(r.hedge, str) else ""
        if hedge != source_hedge or (num, den) != (int(r.numerator), int(r.denominator)):
            raise ValueError(f"tiltak_forlop row {r.statement_id}: stated {r.stated!r} disagrees with hedge/numerator/denominator")
        rows.append({"group": r.group, "study": r.study, "outcome": r.outcome, "definition": r.outcome,
                     "stated": r.stated, "hedge": hedge, "share": num / den, "row": r.statement_id})
    table = pd.DataFrame(rows)
    table["order"] = table["outcome"].map(OUTCOME_ORDER.index)
    return table.sort_values(["group", "order"], ascending=[False, True]).drop(columns="order").reset_index(drop=True)


def plot_trajectories(table: pd.DataFrame):
    """The published shares as bars, one panel per group, labelled with the source's wording."""
    groups = list(GROUP_TITLES)
    sizes = [int((table["group"] == g).sum()) for g in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(7.2, 1.5 + 0.55 * sum(sizes)), sharex=True,
                             gridspec_kw={"height_ratios": sizes})
    for ax, group in zip(axes, groups):
        rows = table[table["group"] == group].iloc[::-1]
        y = np.arange(len(rows))
        hatches = ["//" if h else "" for h in rows["hedge"]]
        bars = ax.barh(y, rows["share"], color=figures.PALETTE["skyblue"], edgecolor=figures.PALETTE["blue"], height=0.6)
        for bar, hatch, stated in zip(bars, hatches, rows["stated"]):
            bar.set_hatch(hatch)
            ax.text(bar.get_width() + 0.01, bar.get_y() + bar.get_height() / 2, f"«{stated}»", va="center", fontsize=9)
        ax.set_yticks(y, [d[0].upper() + d[1:] for d in rows["definition"]], fontsize=9)
        ax.set_title(GROUP_TITLES[group], loc="left", fontsize=10)
        ax.set_xlim(0, 1)
    _percent_axis(axes[-1], "x")
    axes[-1].set_xlabel("Andel av dem som begynte i tiltak i 2014, fulgt i fem år", fontsize=10)
    fig.text(0.01, 0.05, "Skravert: kilden sier «nesten», «knapt», «mer enn» eller «nær». Brøkene er kildens egne avrundinger.",
             fontsize=8.5, color=figures.GREY)
    fig.subplots_adjust(left=0.42, right=0.94, bottom=0.24, top=0.93, hspace=0.45)
    figures.source_line(fig, "Nossen (2023), Nossen mfl. (2021), sammendragene; data/norway_stats.csv og data/tiltak_forlop.csv.")
    return fig


def trajectories_table(table: pd.DataFrame):
    """The statements behind :func:`plot_trajectories`."""
    return figures.data_table(
        table, caption="Tallene bak figuren: utsagnene i kildene og brøken de tilsvarer",
        columns={"group": "Gruppe", "study": "Kilde", "definition": "Utfall slik kilden definerer det",
                 "stated": "Kildens ord", "share": "Tilsvarer omtrent", "row": "Rad i datasettet"},
        formats={"share": lambda v: fmt.share(v, 0)},
        notes=["Andelene overlapper: en person kan både ha hatt tiltakskjeding og være i arbeid. De summerer derfor ikke til 100 %."],
    )


def education_growth(frame: pd.DataFrame) -> dict[str, float]:
    """First and last value and their ratio from the education-measure series (Sohlman & Kann)."""
    if len(frame) < 2:
        raise ValueError("education_growth needs at least two periods")
    first, last = frame.iloc[0], frame.iloc[-1]
    if first["persons_per_month"] <= 0:
        raise ValueError("the first period has no participants; a growth ratio is undefined")
    return {"first": float(first["persons_per_month"]), "last": float(last["persons_per_month"]),
            "ratio": float(last["persons_per_month"]) / float(first["persons_per_month"])}


def plot_education(frame: pd.DataFrame):
    """Job seekers in education measures per month: the two published figures, not a trend line."""
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    x = np.arange(len(frame))
    bars = ax.bar(x, frame["persons_per_month"], width=0.5, color=[figures.PALETTE["skyblue"], figures.PALETTE["blue"]][: len(frame)],
                  edgecolor=figures.PALETTE["black"])
    for bar, value in zip(bars, frame["persons_per_month"]):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 12, fmt.number(value), ha="center", fontsize=10)
    ax.set_xticks(x, [f"{p}\n(gjennomsnitt per måned)" for p in frame["period_label"]])
    ax.axvline(0.5, color=figures.GREY, ls=":", lw=1.2)
    ax.text(0.47, float(frame["persons_per_month"].max()) * 0.92, "Juli 2019:\ntiltaksforskriften\nendret", fontsize=8.5,
            color=figures.GREY, va="top", ha="right")
    ax.set_ylabel("Arbeidssøkere i utdanningstiltak")
    ax.set_ylim(0, float(frame["persons_per_month"].max()) * 1.15)
    figures.norwegian_axis(ax, "y")
    fig.subplots_adjust(left=0.16, right=0.97, bottom=0.2, top=0.95)
    figures.source_line(fig, "Sohlman & Kann (2021); data/utdanningstiltak.csv. Bare de to tallene kilden oppgir i tekst.")
    return fig


def education_table(frame: pd.DataFrame):
    """The numbers behind :func:`plot_education`."""
    return figures.data_table(
        frame, caption="Tallene bak figuren: arbeidssøkere i utdanningstiltak",
        columns={"period_label": "Periode", "group": "Gruppe", "persons_per_month": "Deltakere per måned (gjennomsnitt)"},
        formats={"persons_per_month": lambda v: fmt.number(v)},
    )
