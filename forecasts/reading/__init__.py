"""Reading words into forecasts: quotes, transcripts, names and the pages behind links.

Rules over text that produce the engine's values (:mod:`forecasts.engine.model`); no database.
"""
