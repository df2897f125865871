"""Shared plumbing for the book's teaching simulations.

A simulation in the book is a labelled teaching model, never data. Every simulation

* draws its random numbers from :func:`rng` with a fixed seed, so every build gives the same
  figure and the same glued numbers;
* states its assumptions in a parameter table (:func:`parameter_table`) that the reader can
  change in the notebook;
* marks its figures with :func:`mark_figure` («Simulering – ikke data»), in addition to the
  word «Simulering» in the section heading and the caption.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import figures, fmt

DEFAULT_SEED = 2026


def rng(seed: int = DEFAULT_SEED) -> np.random.Generator:
    """A NumPy random generator with a fixed seed (PCG64)."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    return np.random.default_rng(int(seed))


@dataclass(frozen=True)
class Parameter:
    """One assumption of a simulation: its value, a Norwegian label and why this value."""

    value: Any
    label: str
    basis: str  # where the value comes from: a cited source, or «antakelse» (an assumption)


def parameter_table(params: Mapping[str, Parameter], caption: str, show_names: bool = True):
    """The simulation's assumptions as an accessible table (Norwegian number formatting).

    *show_names* adds a column with each assumption's name in the code; a chapter whose readers
    need not see the code's (English) identifiers passes ``False``."""
    if not params:
        raise ValueError("parameter_table: a simulation must state at least one assumption")
    rows = []
    for name, p in params.items():
        if not isinstance(p, Parameter):
            raise TypeError(f"parameter {name!r} is {type(p).__name__}, not Parameter")
        value = p.value
        if isinstance(value, bool):
            text = "ja" if value else "nei"
        elif isinstance(value, (int, np.integer)):
            text = fmt.number(value)
        elif isinstance(value, (float, np.floating)):
            # as many decimals as the value has (up to 4): 0,271 stays 0,271, 0,005 stays 0,005
            decimals = next(d for d in range(5) if d == 4 or round(float(value), d) == float(value))
            text = fmt.number(value, decimals)
        else:
            text = str(value)
        rows.append({"name": name, "label": p.label, "value": text, "basis": p.basis})
    return figures.data_table(
        pd.DataFrame(rows),
        caption=caption,
        columns=({"label": "Forutsetning", "name": "Navn i koden", "value": "Verdi", "basis": "Grunnlag"}
                 if show_names else {"label": "Forutsetning", "value": "Verdi", "basis": "Grunnlag"}),
    )


def mark_figure(fig, text: str = "Simulering – ikke data") -> None:
    """Write a visible «Simulering» label in the top right corner of *fig*."""
    fig.text(0.99, 0.995, text, ha="right", va="top", fontsize=9, fontweight="bold",
             color=figures.GREY, bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": figures.GREY, "lw": 0.8})
