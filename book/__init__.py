"""The small Python package behind the book's analyses: data, formatting, figures, statistics."""

from . import data, figures, fmt, simulation, stats

__all__ = ["data", "figures", "fmt", "simulation", "stats"]
