#!/usr/bin/env python3
"""Golden values for the far tails of lib/noncentral-t.ts: Student-t and non-central t upper tails
down to the smallest normal double (2.2e-308), log Phi where Phi underflows, and the t-approximation
p-value of Spearman's rho on R's Loblolly data (age vs height).

- Central t: sf(t; df) = I_y(df/2, 1/2) / 2, y = df / (df + t^2), at 60 digits (mpmath betainc of
  y directly, so no 1 - x cancellation).
- Non-central t: sf = 1/2 sum_j [p_j I_y(df/2, j + 1/2) + q_j I_y(df/2, j + 1)], the Poisson-mixture
  series written for the upper tail (t > 0), at 80 digits; each point is cross-checked against
  40-digit quadrature of E[Phi(nc - t S)], S = sqrt(chi2_df / df), on a grid around the mode of the
  integrand in log S.
- log Phi(x) at 40 digits.
- Loblolly: scipy.stats.spearmanr (t approximation, two-sided), and the same p from mpmath.

Writes test/fixtures/t_tails_extreme.json. Deterministic, no random draws.
Usage: python3 scripts/golden/make_t_tail_fixtures.py
"""
import csv
import json
import math
import os

import mpmath
import scipy
import scipy.stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SMALLEST_NORMAL = 2.2250738585072014e-308


def central_sf(t, df):
    y = df / (df + t * t)
    return mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, y, regularized=True) / 2


def noncentral_sf(t, df, nc):
    """Upper tail for t > 0 from the Poisson mixture, each term an incomplete beta of y = 1 - x."""
    y = df / (df + t * t)
    lam = nc * nc / 2
    e = mpmath.exp(-lam)
    half = mpmath.mpf(1) / 2
    total = mpmath.mpf(0)
    j = 0
    while True:
        pj = e * lam ** j / mpmath.factorial(j)
        qj = nc * e * lam ** j / (mpmath.sqrt(2) * mpmath.gamma(j + 3 * half))
        term = pj * mpmath.betainc(df / 2, j + half, 0, y, regularized=True) + \
            qj * mpmath.betainc(df / 2, j + 1, 0, y, regularized=True)
        total += term
        if j > lam + 5 and abs(term) < abs(total) * mpmath.mpf(10) ** -50:
            break
        j += 1
    return total / 2


def quad_sf(t, df, nc):
    """E[Phi(nc - t S)] by quadrature in u = log S around the integrand's mode."""
    logc = mpmath.log(2) + (df / 2) * mpmath.log(df / 2) - mpmath.loggamma(df / 2)
    g = lambda u: logc + df * u - df * mpmath.exp(2 * u) / 2 + mpmath.log(mpmath.ncdf(nc - t * mpmath.exp(u)))
    mode = mpmath.findroot(lambda u: mpmath.diff(g, u), mpmath.log(mpmath.sqrt(df) / t) if t > 1 else 0)
    width = 1 / mpmath.sqrt(-mpmath.diff(g, mode, 2))
    # beyond 40 widths right (Gaussian decay) and 120/df + 40 widths left (decay e^{df u}) the
    # integrand is below 1e-40 of its peak
    left = mode - 120 / df - 40 * width
    pts = [left + k * (mode - 40 * width - left) / 20 for k in range(20)] + [mode + k * width for k in range(-40, 41)]
    return mpmath.quad(lambda u: mpmath.exp(g(u)), pts)


def main():
    central = []
    with mpmath.workdps(60):
        # for each df, the t where sf = 10^-k, k = 8, 20, 40, ..., 300, and 1.01 x the smallest normal
        targets = [mpmath.mpf(10) ** -k for k in [8, 20, 40, 65, 100, 150, 200, 250, 300]] + [mpmath.mpf(SMALLEST_NORMAL) * 1.01]
        for df in [1, 2, 3, 5, 6, 10, 30, 82, 100, 1000, 100000]:
            dm = mpmath.mpf(df)
            for target in targets:
                lo, hi = 0.0, 700.0  # bisection in log t (sf decreases in t)
                for _ in range(60):
                    mid = (lo + hi) / 2
                    lo, hi = (mid, hi) if central_sf(mpmath.exp(mid), dm) > target else (lo, mid)
                t = float(mpmath.exp(lo))
                central.append({"t": t, "df": df, "sf": float(central_sf(mpmath.mpf(t), dm))})
    noncentral = []
    worst = 0.0
    for (t, df, nc) in [(40.0, 6, 0.0), (40.0, 6, 1.5), (40.0, 6, -2.0), (60.0, 10, 5.0), (200.0, 30, 3.0),
                        (1e4, 3, 2.0), (1e6, 2, -1.0), (45.0, 82, 4.0), (25.0, 200, 7.0), (1e20, 20, 1.0)]:
        with mpmath.workdps(80):
            sf = noncentral_sf(mpmath.mpf(t), mpmath.mpf(df), mpmath.mpf(nc))
        with mpmath.workdps(40):
            q = quad_sf(mpmath.mpf(t), mpmath.mpf(df), mpmath.mpf(nc))
        worst = max(worst, float(abs(q - sf) / sf))
        if sf >= SMALLEST_NORMAL:
            noncentral.append({"t": t, "df": df, "nc": nc, "sf": float(sf)})
    log_normal = []
    with mpmath.workdps(40):
        for x in [-20.5, -25.0, -30.0, -37.0, -38.5, -39.0, -40.0, -50.0, -100.0, -1e3, -1e5, -1e8]:
            log_normal.append({"x": x, "logCdf": float(mpmath.log(mpmath.ncdf(mpmath.mpf(x))))})
    rows = list(csv.DictReader(open(os.path.join(ROOT, "test", "fixtures", "data", "loblolly.csv"))))
    age = [float(r["age"]) for r in rows]
    height = [float(r["height"]) for r in rows]
    res = scipy.stats.spearmanr(age, height)
    n = len(age)
    with mpmath.workdps(60):
        rho = mpmath.mpf(float(res.statistic))
        tstat = rho * mpmath.sqrt((n - 2) / (1 - rho * rho))
        p_mp = 2 * central_sf(tstat, mpmath.mpf(n - 2))
    payload = {
        "_generator": "scripts/golden/make_t_tail_fixtures.py (mpmath %s, scipy %s)" % (mpmath.__version__, scipy.__version__),
        "description": "Far upper tails of Student t (60 digits) and non-central t (80-digit series, cross-checked "
                       "by quadrature: max relative disagreement %.1e), log Phi at 40 digits, and the two-sided "
                       "t-approximation p-value of Spearman's rho for R's Loblolly (age vs height)." % worst,
        "central": central,
        "noncentral": noncentral,
        "logNormal": log_normal,
        "loblolly": {"n": n, "rho": float(res.statistic), "pScipy": float(res.pvalue), "pMpmath": float(p_mp)},
    }
    print("central %d, noncentral %d (series vs quadrature %.1e), Loblolly p = %.6e (scipy %.6e)"
          % (len(central), len(noncentral), worst, float(p_mp), float(res.pvalue)))
    path = os.path.join(ROOT, "test", "fixtures", "t_tails_extreme.json")
    with open(path, "w") as fh:
        json.dump(payload, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
