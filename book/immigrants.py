"""Immigrants and refugees in work: SSB's register-based employment rates by world region and the
introduction programme's participants and outcomes (chapter 9).

* **Codes stay in the data.** The CSV files keep SSB's groups as English codes; :data:`GROUPS`,
  :data:`CATEGORIES` and :data:`SEXES` translate them at display time.
* **Gaps in percentage points.** :func:`gaps` compares each group with a reference group in the
  same year, so a difference is never computed across years or definitions.
* **Composition.** :func:`participants` gives the number of participants, the share born in
  Ukraine and the share of women by year, because a change in who takes part can move an
  average without anyone's chances changing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from . import figures, fmt

#: SSB's groups in the order the chapter shows them, with Norwegian labels.
GROUPS = {
    "all": "Hele befolkningen",
    "non_immigrants": "Befolkningen uten innvandrere",
    "immigrants": "Innvandrere i alt",
    "nordic": "Norden",
    "western_europe": "Vest-Europa ellers",
    "eu_eastern": "EU-land i Øst-Europa",
    "eastern_europe_other": "Øst-Europa utenfor EU",
    "north_america_oceania": "Nord-Amerika og Oseania",
    "latin_america": "Sør- og Mellom-Amerika",
    "asia": "Asia",
    "africa": "Afrika",
}
REGIONS = [g for g in GROUPS if g not in ("all", "non_immigrants", "immigrants")]

CATEGORIES = {
    "all": "Alle deltakere",
    "ukraine": "Født i Ukraina",
    "syria": "Født i Syria",
    "eritrea": "Født i Eritrea",
    "total": "I alt",
    "work_or_education": "I arbeid og/eller utdanning",
    "unemployed_or_measures": "Registrert ledig og/eller på tiltak",
    "other_unknown": "Annen eller ukjent status",
}
SEXES = {"both": "Begge kjønn", "men": "Menn", "women": "Kvinner"}
STATUS = ["work_or_education", "unemployed_or_measures", "other_unknown"]


# --------------------------------------------------------------------------------------------
# Employment by world region
# --------------------------------------------------------------------------------------------


def employment_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Employment rate (percent) with one row per group (in :data:`GROUPS` order) and one column
    per year. Groups a year lacks are missing values, never filled in."""
    wide = frame.pivot(index="group", columns="year", values="percent")
    wide = wide.reindex([g for g in GROUPS if g in wide.index])
    wide.columns = [int(c) for c in wide.columns]
    return wide.astype(float)


def changes(frame: pd.DataFrame) -> pd.DataFrame:
    """SSB's own change from the year before (percentage points), one row per group and one column
    per year, as printed on the same page as that year's level. Use these for year-on-year
    comparisons: SSB revises the earlier year, so the difference between two pages can differ."""
    wide = frame.pivot(index="group", columns="year", values="change_pp")
    wide = wide.reindex([g for g in GROUPS if g in wide.index])
    wide.columns = [int(c) for c in wide.columns]
    return wide.astype(float).dropna(axis="columns", how="all")


def gaps(table: pd.DataFrame, reference: str = "non_immigrants") -> pd.DataFrame:
    """Each group's employment rate minus the reference group's, in percentage points, year by
    year (negative = lower than the reference)."""
    if reference not in table.index:
        raise KeyError(f"gaps: no reference group {reference!r}")
    return table.sub(table.loc[reference], axis="columns")


def spread(table: pd.DataFrame, year: int, groups=REGIONS) -> tuple[str, str, float]:
    """The regions with the highest and lowest rate in *year* and the distance between them
    (percentage points)."""
    col = table.loc[list(groups), year].dropna()
    return str(col.idxmax()), str(col.idxmin()), float(col.max() - col.min())


def plot_employment(table: pd.DataFrame, years: list[int], source: str,
                    reference: str = "non_immigrants"):
    """Dot plot: one row per world region (and all immigrants), one marker per year; the
    reference group's rate in the latest year is a dashed vertical line. Markers differ in shape
    as well as colour."""
    rows = ["immigrants"] + [g for g in REGIONS if g in table.index]
    rows = sorted(rows, key=lambda g: table.loc[g, years[-1]])
    fig, ax = plt.subplots(figsize=(7.4, 4.8))
    styles = [("o", figures.PALETTE["skyblue"], "white"), ("s", figures.PALETTE["orange"], None),
              ("D", figures.PALETTE["blue"], None)]
    for (year, (marker, colour, face)) in zip(years, styles[-len(years):]):
        ax.plot(table.loc[rows, year], range(len(rows)), ls="none", marker=marker, ms=6.5,
                color=colour, mfc=face or colour, label=f"{year}")
    ref = float(table.loc[reference, years[-1]])
    ax.axvline(ref, color=figures.GREY, ls="--", lw=1)
    ax.annotate(f"{GROUPS[reference]}, {years[-1]}", (ref, 1.0), xycoords=("data", "axes fraction"),
                xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", fontsize=8.5,
                color=figures.GREY, annotation_clip=False)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([GROUPS[g] for g in rows])
    for label, g in zip(ax.get_yticklabels(), rows):
        if g == "immigrants":
            label.set_fontweight("bold")
    ax.set_xlabel("Sysselsatte i prosent av bosatte 20–66 år, 4. kvartal")
    ax.set_xlim(40, 85)
    figures.norwegian_axis(ax, "x", 0)
    ax.legend(title="År", loc="upper left", frameon=False)
    fig.subplots_adjust(left=0.3, right=0.97, bottom=0.18, top=0.93)
    figures.source_line(fig, source)
    return fig


def plot_totals(table: pd.DataFrame, source: str):
    """Line chart: immigrants and the population without immigrants, every year the file has a
    figure for both. Each point is labelled, so the chart can be read without the table."""
    years = [y for y in table.columns if table[y][["immigrants", "non_immigrants"]].notna().all()]
    fig, ax = plt.subplots(figsize=(7.4, 3.6))
    for group, colour, marker in (("non_immigrants", figures.PALETTE["blue"], "s"),
                                  ("immigrants", figures.PALETTE["orange"], "o")):
        values = table.loc[group, years]
        ax.plot(years, values, color=colour, marker=marker, ms=5.5, lw=1.6, label=GROUPS[group])
        for y, v in zip(years, values):
            ax.annotate(fmt.number(v, 1), (y, v), xytext=(0, 6 if group == "non_immigrants" else -13),
                        textcoords="offset points", ha="center", fontsize=8, color=colour)
    ax.set_ylim(60, 85)
    ax.set_xticks(years)
    ax.set_ylabel("Prosent av bosatte 20–66 år")
    figures.norwegian_axis(ax, "y", 0)
    ax.legend(loc="center right", frameon=False, fontsize=8.5)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.2, top=0.95)
    figures.source_line(fig, source)
    return fig


def employment_data_table(table: pd.DataFrame, caption: str, reference: str = "non_immigrants",
                          gap_year: int | None = None):
    """The rates behind the dot plot, with the gap to the reference group in *gap_year* (the
    latest year by default)."""
    frame = table.copy()
    last = gap_year or frame.columns[-1]
    frame["gap"] = frame[last] - frame.loc[reference, last]
    frame.insert(0, "label", [GROUPS[g] for g in frame.index])
    one = lambda v: fmt.number(v, 1)  # noqa: E731
    columns = {"label": "Gruppe", **{y: f"{y} (%)" for y in table.columns},
               "gap": f"Forskjell fra {GROUPS[reference].lower()} i {last} (prosentpoeng)"}
    return figures.data_table(
        frame, caption, columns=columns, formats={**{y: one for y in table.columns}, "gap": one},
        notes=["«–» betyr at SSB-kilden for det året ikke oppgir tallet. I 2017 er sammenligningsgruppen "
               "uten norskfødte med innvandrerforeldre; fra 2018 er de med. Tallene er hentet fra SSBs "
               "årlige publikasjoner; tallene for 2021 er de reviderte fra publikasjonen om 2022."])


# --------------------------------------------------------------------------------------------
# The introduction programme
# --------------------------------------------------------------------------------------------


def participants(frame: pd.DataFrame) -> pd.DataFrame:
    """Participants by year: total, men, women, born in Ukraine, Syria and Eritrea, and the
    shares of women and of those born in Ukraine (percent). Years without a Ukraine figure get a
    missing value, not zero."""
    part = frame[frame["table"] == "participants"]
    wide = part.pivot_table(index="year", columns=["category", "sex"], values="persons", aggfunc="first")
    out = pd.DataFrame(index=[int(y) for y in wide.index])
    out["total"] = wide[("all", "both")].to_numpy(dtype=float)
    out["men"] = wide[("all", "men")].to_numpy(dtype=float)
    out["women"] = wide[("all", "women")].to_numpy(dtype=float)
    for country in ("ukraine", "syria", "eritrea"):
        col = (country, "both")
        out[country] = wide[col].to_numpy(dtype=float) if col in wide.columns else float("nan")
    out["women_pct"] = 100 * out["women"] / out["total"]
    out["ukraine_pct"] = 100 * out["ukraine"] / out["total"]
    return out


def status(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Status one year after the programme in SSB's table for *year*: persons and percent, one
    row per status category (:data:`STATUS`), columns per sex."""
    part = frame[(frame["table"] == "status") & (frame["year"] == year)]
    persons = part.pivot(index="category", columns="sex", values="persons").reindex(STATUS + ["total"])
    percent = part.pivot(index="category", columns="sex", values="percent").reindex(STATUS + ["total"])
    persons.columns = [f"{c}_n" for c in persons.columns]
    percent.columns = [f"{c}_pct" for c in percent.columns]
    return pd.concat([persons, percent], axis=1).astype(float)


def computed_share(table: pd.DataFrame, category: str, sex: str) -> float:
    """A status share recomputed from the counts (percent, one decimal's worth of precision),
    to compare with SSB's rounded percentage."""
    return 100 * table.loc[category, f"{sex}_n"] / table.loc["total", f"{sex}_n"]


def plot_programme(parts: pd.DataFrame, statuses: dict[int, pd.DataFrame], source: str):
    """Two panels. Left: participants by year, bars split into born in Ukraine (hatched) and
    others. Right: status one year after, by sex, stacked to 100 per cent, for each status
    table."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.2, 4.6), gridspec_kw={"width_ratios": [1, 1.25]})
    years = list(parts.index)
    xs = range(len(years))
    ukr = parts["ukraine"].fillna(0)
    others = parts["total"] - ukr
    left.bar(xs, others / 1000, color=figures.PALETTE["blue"], label="Andre")
    left.bar(xs, ukr / 1000, bottom=others / 1000, color="white", edgecolor=figures.PALETTE["vermillion"],
             hatch="///", label="Født i Ukraina")
    left.set_xticks(list(xs))
    left.set_xticklabels([str(y) for y in years])
    left.set_ylabel("Deltakere (1 000 personer)")
    figures.norwegian_axis(left, "y", 0)
    left.set_ylim(0, 1.3 * float(parts["total"].max()) / 1000)
    left.legend(loc="upper left", frameon=False, fontsize=9)
    left.set_title("Deltakere i november", loc="left", fontsize=11)

    colours = {"work_or_education": figures.PALETTE["green"], "unemployed_or_measures": figures.PALETTE["orange"],
               "other_unknown": "#BBBBBB"}
    hatches = {"work_or_education": "", "unemployed_or_measures": "--", "other_unknown": "\\\\"}
    labels, pos = [], 0
    for year, table in statuses.items():
        for sex in ("men", "women"):
            bottom = 0.0
            for cat in STATUS:
                value = float(table.loc[cat, f"{sex}_pct"])
                right.barh(pos, value, left=bottom, color=colours[cat], hatch=hatches[cat], edgecolor="white",
                           label=CATEGORIES[cat] if pos == 0 else None)
                if cat == "work_or_education":
                    right.text(bottom + value / 2, pos, fmt.number(value, 0), ha="center", va="center",
                               fontsize=9, color="white", fontweight="bold")
                bottom += value
            labels.append(f"{SEXES[sex]}, {year}")
            pos += 1
        pos += 0.5
    ticks = [i + (0.5 * (i // 2)) for i in range(len(labels))]
    right.set_yticks(ticks)
    right.set_yticklabels(labels)
    right.invert_yaxis()
    right.set_xlim(0, 100)
    right.set_xlabel("Prosent")
    figures.norwegian_axis(right, "x", 0)
    right.set_title("Status ett år etter", loc="left", fontsize=11)
    right.legend(loc="upper center", bbox_to_anchor=(0.45, -0.16), ncol=1, frameon=False, fontsize=8.5)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.33, top=0.92, wspace=0.55)
    figures.source_line(fig, source)
    return fig


def participants_data_table(parts: pd.DataFrame, caption: str):
    frame = parts.reset_index(names="year")
    whole = lambda v: fmt.number(v, 0)  # noqa: E731
    one = lambda v: fmt.number(v, 1)  # noqa: E731
    return figures.data_table(
        frame, caption,
        columns={"year": "År", "total": "Deltakere", "men": "Menn", "women": "Kvinner",
                 "women_pct": "Kvinner (%)", "ukraine": "Født i Ukraina", "ukraine_pct": "Født i Ukraina (%)",
                 "syria": "Født i Syria", "eritrea": "Født i Eritrea"},
        formats={"year": lambda v: str(int(v)), "total": whole, "men": whole, "women": whole,
                 "ukraine": whole, "syria": whole, "eritrea": whole, "women_pct": one, "ukraine_pct": one},
        notes=["Andelene er regnet ut fra antallene. «–»: SSBs tabell for året skiller ikke ut Ukraina."])


def status_data_table(statuses: dict[int, pd.DataFrame], caption: str):
    rows = []
    for year, table in statuses.items():
        for cat in STATUS + ["total"]:
            row = {"year": year, "label": CATEGORIES[cat]}
            for sex in ("both", "men", "women"):
                row[f"{sex}_n"] = table.loc[cat, f"{sex}_n"]
                row[f"{sex}_pct"] = table.loc[cat, f"{sex}_pct"]
            rows.append(row)
    frame = pd.DataFrame(rows)
    whole = lambda v: fmt.number(v, 0)  # noqa: E731
    return figures.data_table(
        frame, caption,
        columns={"year": "Statusår", "label": "Status", "both_n": "Begge kjønn", "men_n": "Menn",
                 "women_n": "Kvinner", "both_pct": "Begge kjønn (%)", "men_pct": "Menn (%)", "women_pct": "Kvinner (%)"},
        formats={"year": lambda v: str(int(v)), **{c: whole for c in
                 ("both_n", "men_n", "women_n", "both_pct", "men_pct", "women_pct")}},
        notes=["Status i november i statusåret for dem som avsluttet eller avbrøt programmet året før "
               "(statusår 2017: avsluttet i 2016; statusår 2023: avsluttet i 2022). Prosentene er SSBs "
               "egne, avrundet til hele tall."])


def reweighted_share(table: pd.DataFrame, weights: pd.DataFrame, category: str = "work_or_education") -> float:
    """The share (percent) in *category* for both sexes if men and women had the same shares as in
    *table* but the sex mix of *weights* (another status table). Shares are recomputed from the
    counts, so the answer does not inherit SSB's rounding."""
    share = {s: table.loc[category, f"{s}_n"] / table.loc["total", f"{s}_n"] for s in ("men", "women")}
    total = weights.loc["total", "men_n"] + weights.loc["total", "women_n"]
    return float(100 * sum(share[s] * weights.loc["total", f"{s}_n"] / total for s in ("men", "women")))


# --------------------------------------------------------------------------------------------
# The numbers the chapter's prose uses, formatted the Norwegian way
# --------------------------------------------------------------------------------------------


def employment_facts(table: pd.DataFrame, change: pd.DataFrame) -> dict[str, str]:
    """The figures analysis 1 quotes, as Norwegian text for :func:`book.fmt.glue_all`. Levels and
    gaps come from one year's page; year-on-year changes are SSB's own (*change*)."""
    gap = gaps(table)
    top, bottom, distance = spread(table, 2020)
    t = table
    facts = {f"imm_{y}": fmt.percent(t.loc["immigrants", y]) for y in t.columns}
    facts.update({f"non_{y}": fmt.percent(t.loc["non_immigrants", y]) for y in t.columns})
    facts.update({
        "gap_2020": fmt.pp(-gap.loc["immigrants", 2020]), "gap_2022": fmt.pp(-gap.loc["immigrants", 2022]),
        "gap_2023": fmt.pp(-gap.loc["immigrants", 2023]),
        "top_label": GROUPS[top], "bottom_label": GROUPS[bottom],
        "top_2020": fmt.percent(t.loc[top, 2020]), "bottom_2020": fmt.percent(t.loc[bottom, 2020]),
        "spread_2020": fmt.pp(distance), "asia_2020": fmt.percent(t.loc["asia", 2020]),
        "africa_2017": fmt.percent(t.loc["africa", 2017]), "asia_2017": fmt.percent(t.loc["asia", 2017]),
        "africa_ch_2018": fmt.pp(change.loc["africa", 2018]), "africa_ch_2019": fmt.pp(change.loc["africa", 2019]),
        "africa_ch_2020": fmt.pp(-change.loc["africa", 2020]),
        "asia_ch_2018": fmt.pp(change.loc["asia", 2018]), "asia_ch_2019": fmt.pp(change.loc["asia", 2019]),
        "asia_ch_2020": fmt.pp(-change.loc["asia", 2020]),
        "euo_2019": fmt.percent(t.loc["eu_eastern", 2019]), "euo_2020": fmt.percent(t.loc["eu_eastern", 2020]),
        "euo_2022": fmt.percent(t.loc["eu_eastern", 2022]),
        "euo_drop": fmt.pp(-change.loc["eu_eastern", 2020]),
        "imm_drop_2020": fmt.pp(-change.loc["immigrants", 2020]),
        "non_drop_2020": fmt.pp(-change.loc["non_immigrants", 2020]),
        "africa_gap_2020": fmt.pp(-gap.loc["africa", 2020]),
    })
    return facts


def programme_facts(parts: pd.DataFrame, statuses: dict[int, pd.DataFrame]) -> dict[str, str]:
    """The figures analysis 2 quotes (participants 2016–2024, status tables 2017 and 2023)."""
    s17, s23 = statuses[2017], statuses[2023]
    facts = {f"part_{y}": fmt.count(parts.loc[y, "total"]) for y in parts.index}
    facts.update({f"women_{y}": fmt.percent(parts.loc[y, "women_pct"]) for y in parts.index})
    facts.update({
        "ukr_2023_pct": fmt.percent(parts.loc[2023, "ukraine_pct"]), "ukr_2024_pct": fmt.percent(parts.loc[2024, "ukraine_pct"]),
        "ukr_2024": fmt.count(parts.loc[2024, "ukraine"]), "syr_2018": fmt.count(parts.loc[2018, "syria"]),
        "syr_2024": fmt.count(parts.loc[2024, "syria"]),
        "st23_other_w": fmt.percent(s23.loc["other_unknown", "women_pct"], 0),
        "st23_other_m": fmt.percent(s23.loc["other_unknown", "men_pct"], 0),
        "st23_exact": fmt.percent(computed_share(s23, "work_or_education", "both")),
        "st23_reweighted": fmt.percent(reweighted_share(s23, s17)),
    })
    for year, s in ((2017, s17), (2023, s23)):
        for sex in ("both", "men", "women"):
            facts[f"st{year % 100}_{sex}"] = fmt.percent(s.loc["work_or_education", f"{sex}_pct"], 0)
        facts[f"st{year % 100}_gap"] = fmt.pp(s.loc["work_or_education", "men_pct"] - s.loc["work_or_education", "women_pct"], 0)
        facts[f"st{year % 100}_n"] = fmt.count(s.loc["total", "both_n"])
        facts[f"st{year % 100}_wshare"] = fmt.percent(100 * s.loc["total", "women_n"] / s.loc["total", "both_n"])
    return facts
