"""Prediction intervals from negative-binomial noise around the point forecast.

The dispersion is learned from backtest residuals (method of moments on Var = μ + αμ²), so the
band covers both Poisson noise and the day-to-day level errors the model actually made.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_EXACT_BELOW = 200.0  # above this mean the normal approximation of the count is accurate enough


def estimate_dispersion(actual: FloatArray, forecast: FloatArray) -> float:
    """α in Var(Y) = μ + αμ², from paired backtest actuals and forecasts (0 = Poisson)."""
    keep = np.isfinite(actual) & np.isfinite(forecast) & (forecast > 0)
    mu = forecast[keep]
    y = actual[keep]
    if mu.size == 0:
        return 0.0
    excess = float(np.sum((y - mu) ** 2 - mu))
    return max(0.0, excess / float(np.sum(mu**2)))


def nb_quantile(mu: FloatArray, alpha: float, q: float) -> FloatArray:
    """The q-quantile of a negative binomial with mean `mu` and dispersion `alpha`, per element."""
    mu = np.clip(np.asarray(mu, dtype=float), 0.0, None)
    out = np.zeros_like(mu)
    small = mu <= _EXACT_BELOW
    big = ~small
    if big.any():
        sd = np.sqrt(mu[big] + alpha * mu[big] ** 2)
        z = _normal_ppf(q)
        out[big] = np.maximum(0.0, np.ceil(mu[big] + z * sd - 0.5))
    if small.any():
        m = mu[small]
        if alpha > 1e-9:
            r = 1.0 / alpha
            p = m / (m + r)  # success probability in the pmf recursion below
            pmf = np.power(r / (r + m), r)
        else:
            r = 0.0
            p = np.zeros_like(m)
            pmf = np.exp(-m)
        cdf = pmf.copy()
        result = np.full(m.shape, -1.0)
        result[cdf >= q] = 0.0
        k_max = int(np.ceil(np.max(m + 10 * np.sqrt(m + alpha * m**2) + 10)))
        for k in range(k_max):
            pmf = pmf * (k + r) / (k + 1) * p if alpha > 1e-9 else pmf * m / (k + 1)
            cdf = cdf + pmf
            hit = (result < 0) & (cdf >= q)
            result[hit] = k + 1
            if not (result < 0).any():
                break
        result[result < 0] = k_max
        out[small] = result
    return out


def _normal_ppf(q: float) -> float:
    """Inverse standard normal CDF (Acklam's rational approximation, |error| < 1e-8)."""
    a = (
        -3.969683028665376e01,
        2.209460984245205e02,
        -2.759285104469687e02,
        1.383577518672690e02,
        -3.066479806614716e01,
        2.506628277459239e00,
    )
    b = (
        -5.447609879822406e01,
        1.615858368580409e02,
        -1.556989798598866e02,
        6.680131188771972e01,
        -1.328068155288572e01,
    )
    c = (
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e00,
        -2.549732539343734e00,
        4.374664141464968e00,
        2.938163982698783e00,
    )
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    if q <= 0 or q >= 1:
        raise ValueError("q must lie strictly between 0 and 1")
    lo = 0.02425
    if q < lo:
        t = np.sqrt(-2 * np.log(q))
        return float(
            (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5])
            / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
        )
    if q > 1 - lo:
        return -_normal_ppf(1 - q)
    t = q - 0.5
    u = t * t
    return float(
        (((((a[0] * u + a[1]) * u + a[2]) * u + a[3]) * u + a[4]) * u + a[5])
        * t
        / (((((b[0] * u + b[1]) * u + b[2]) * u + b[3]) * u + b[4]) * u + 1)
    )
