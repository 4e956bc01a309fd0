"""The engine: claims as probability distributions over the arrival year, pooled, tracked and scored.

Pure NumPy/SciPy maths on plain values: it imports nothing from the other layers (no database, no
web, no reading of words), only :mod:`forecasts.errors`.
"""
