import datetime as dt

import numpy as np
from numpy.testing import assert_allclose
from scipy import integrate, stats

from forecasts.engine.interpret import interpret
from forecasts.engine.scoring import score_claims

from .test_interpret import claim


def test_amodei_asl3_window_is_a_hit():
    it = interpret([claim(1, "window", dt.date(2024, 4, 12), speaker="amodei", year_low=2024, year_high=2025)])
    s = score_claims(it, resolved_on=dt.date(2025, 5, 22), as_of=dt.date(2026, 1, 1))
    (c,) = s.claims
    assert c.held is True and s.speakers[0].hits == 1
    # Events: No by end-2024, Yes by end-2025.
    f = stats.lognorm(s=it.param2[0], scale=np.exp(it.param1[0])).cdf(np.array([2025.0, 2026.0]) - it.origin[0])
    assert_allclose(c.brier, (f[0] ** 2 + (1 - f[1]) ** 2) / 2)


def test_crps_matches_quadrature():
    it = interpret([claim(1, "point", dt.date(2020, 1, 1), year_low=2024, year_high=2024)])
    s = score_claims(it, resolved_on=dt.date(2025, 1, 1), as_of=dt.date(2025, 6, 1), horizon=2100.0)
    d = stats.lognorm(s=it.param2[0], scale=np.exp(it.param1[0]))
    r, o = 2025.0, it.origin[0]
    ref = (
        integrate.quad(lambda t: d.cdf(t - o) ** 2, o, r)[0]
        + integrate.quad(lambda t: (1 - d.cdf(t - o)) ** 2, r, 2100.0, limit=200)[0]
    )
    assert_allclose(s.claims[0].crps, ref, rtol=2e-3)


def test_unresolved_window_past_its_end_missed():
    it = interpret([claim(1, "window", dt.date(2020, 1, 1), year_low=2021, year_high=2022)])
    s = score_claims(it, resolved_on=None, as_of=dt.date(2024, 1, 1))
    assert s.claims[0].held is False and s.claims[0].crps is None and s.claims[0].n_events == 4
