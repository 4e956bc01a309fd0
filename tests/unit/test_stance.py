import datetime as dt

import numpy as np
from numpy.testing import assert_allclose

from forecasts.engine.interpret import interpret
from forecasts.engine.stance import biggest_movers, shifts, stance_points

from .test_interpret import claim


def test_lecun_lower_bound_moves_three_years_sooner():
    it = interpret(
        [
            claim(1, "lower_bound", dt.date(2023, 12, 15), speaker="lecun", year_low=2029),
            claim(2, "lower_bound", dt.date(2024, 4, 15), speaker="lecun", year_low=2026),
        ]
    )
    (s,) = shifts(it)
    assert_allclose(s.lower_bound_shift, -3.0)
    assert s.direction == "sooner"
    assert s.text == "lower bound moved 3 years sooner, Dec 2023 -> Apr 2024"


def test_signed_shift_of_a_pure_translation_is_the_translation():
    it = interpret(
        [
            claim(1, "point", dt.date(2020, 1, 1), year_low=2040, year_high=2040),
            claim(2, "point", dt.date(2020, 1, 1), year_low=2040, year_high=2040),
        ]
    )
    (s,) = shifts(it)
    assert s.total_shift < 1e-9 and s.direction == "unchanged"


def test_kind_change_and_movers():
    it = interpret(
        [
            claim(1, "never", dt.date(2020, 1, 1), speaker="a"),
            claim(2, "point", dt.date(2021, 1, 1), speaker="a", year_low=2035, year_high=2035),
            claim(3, "point", dt.date(2020, 1, 1), speaker="b", year_low=2035, year_high=2035),
            claim(4, "point", dt.date(2021, 1, 1), speaker="b", year_low=2036, year_high=2036),
        ]
    )
    moves = shifts(it)
    assert moves[0].kind_change == "sceptic to finite date"
    assert [m[0] for m in biggest_movers(moves, start=2020.0, end=2022.0)] == ["a", "b"]
    sp = stance_points(it)
    assert np.isinf(sp.median[0]) and sp.p_never[0] == 1
