from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aspa.engine.forecasting import bias, mase, rmse, seasonal_naive_scale, wape


def test_wape_bias_rmse_by_hand():
    actual = [10.0, 20.0, 30.0]
    forecast = [12.0, 18.0, 33.0]
    assert wape(actual, forecast) == pytest.approx((2 + 2 + 3) / 60)
    assert bias(actual, forecast) == pytest.approx((2 - 2 + 3) / 60)
    assert rmse(actual, forecast) == pytest.approx(math.sqrt((4 + 4 + 9) / 3))


def test_nan_actuals_are_not_scored():
    assert wape([10.0, np.nan, 30.0], [11.0, 99.0, 30.0]) == pytest.approx(1 / 40)


def test_mase_uses_seasonal_naive_in_sample_mae():
    history = [1.0, 2.0, 3.0, 2.0, 4.0, 3.0]  # lag-3 differences: 1, 2, 0
    scale = seasonal_naive_scale(history, 3)
    assert scale == pytest.approx(1.0)
    assert mase([5.0, 5.0], [6.0, 3.0], scale) == pytest.approx(1.5)


def test_seasonal_naive_scale_skips_gaps():
    assert seasonal_naive_scale([1.0, np.nan, 3.0, 4.0], 2) == pytest.approx(2.0)


def test_zero_actuals_give_nan_not_an_error():
    assert math.isnan(wape([0.0, 0.0], [1.0, 1.0]))


@given(
    st.lists(st.floats(0.5, 1e4), min_size=1, max_size=40),
    st.floats(0.01, 100.0),
)
def test_wape_is_zero_for_perfect_forecasts_and_scale_free(values, factor):
    y = np.array(values)
    assert wape(y, y) == 0.0
    f = y * 1.1
    assert wape(y * factor, f * factor) == pytest.approx(wape(y, f), rel=1e-9)
    assert bias(y, f) == pytest.approx(0.1, rel=1e-9)
