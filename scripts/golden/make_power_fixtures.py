#!/usr/bin/env python3
"""Golden values for lib/noncentral-t.ts that need more digits than make_fixtures.py keeps.

make_fixtures.py computes sf = 1 - cdf at 30 digits, so upper tails below ~1e-20 keep only a few
correct digits. Here both tails are computed at 80 digits with the Poisson-mixture series
(Lenth AS 243 form), so 1 - cdf keeps > 50 digits, and a subset is cross-checked by mpmath
quadrature of the positive integrand E[Phi(+-(t S - nc))] over S = sqrt(chi2_df / df).
Also: the normal CDF at 40 digits (checks the erfc port).

Writes test/fixtures/nct_tails.json. Deterministic, no random draws.
Usage: python3 scripts/golden/make_power_fixtures.py
"""
import json
import math
import os

import mpmath
import scipy
import scipy.stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DPS = 80


def nct_cdf(t, df, nc):
    """F(t; df, nc) at DPS digits (t, df, nc as mpf)."""
    if t < 0:
        return 1 - nct_cdf(-t, df, -nc)
    base = mpmath.ncdf(-nc)
    if t == 0:
        return base
    x = t * t / (t * t + df)
    lam = nc * nc / 2
    e = mpmath.exp(-lam)
    half = mpmath.mpf(1) / 2
    total = mpmath.mpf(0)
    j = 0
    while True:
        pj = e * lam ** j / mpmath.factorial(j)
        qj = nc * e * lam ** j / (mpmath.sqrt(2) * mpmath.gamma(j + 3 * half))
        term = pj * mpmath.betainc(j + half, df / 2, 0, x, regularized=True) + \
            qj * mpmath.betainc(j + 1, df / 2, 0, x, regularized=True)
        total += term
        if j > lam and abs(term) < mpmath.mpf(10) ** -(DPS + 5):
            break
        j += 1
    return base + total / 2


def tail_quad(t, df, nc, sign):
    """E[Phi(sign (t S - nc))] by quadrature (independent check)."""
    logc = mpmath.log(2) + (df / 2) * mpmath.log(df / 2) - mpmath.loggamma(df / 2)
    f = lambda s: mpmath.exp(logc + (df - 1) * mpmath.log(s) - df * s * s / 2) * mpmath.ncdf(sign * (t * s - nc))
    sd = 1 / mpmath.sqrt(2 * df)
    pts = sorted(set([mpmath.mpf(0)] + [1 + k * sd for k in range(-16, 17, 2) if 1 + k * sd > 0] + [mpmath.inf]))
    return mpmath.quad(f, pts)


def main():
    rows = []
    worst_quad = 0.0
    with mpmath.workdps(DPS):
        points = []
        # the range the asymptotic methods use: t = +-t_crit(df), |nc| up to ~7 (rho in [0, 0.6])
        for df in [71, 78, 79, 80]:
            tc = float(scipy.stats.t.ppf(0.975, df))
            for i in range(-28, 29):
                nc = i * 0.25
                points += [(tc, df, nc), (-tc, df, nc)]
        # wider coverage: other df, t and nc
        for df in [1, 2, 5, 10, 30, 200, 1000, 5000]:
            for t in [-8.0, -3.0, -1.0, 0.5, 2.0, 4.0, 10.0]:
                for nc in [-6.0, -2.0, 0.0, 1.0, 3.0, 7.0]:
                    points.append((t, df, nc))
        for k, (t, df, nc) in enumerate(points):
            tm, dm, nm = mpmath.mpf(t), mpmath.mpf(df), mpmath.mpf(nc)
            cdf = nct_cdf(tm, dm, nm)
            sf = 1 - cdf
            row = {"t": t, "df": df, "nc": nc, "cdf": float(cdf), "sf": float(sf)}
            if k % 7 == 0:
                with mpmath.workdps(40):
                    qs = tail_quad(tm, dm, nm, -1)
                    qc = tail_quad(tm, dm, nm, 1)
                worst_quad = max(worst_quad, float(abs(qs - sf) / sf), float(abs(qc - cdf) / cdf))
            rows.append(row)
        normal = []
        for x in [-38.0, -30.0, -20.0, -12.5, -10.0, -8.0, -6.0, -5.0, -4.0, -3.0, -2.5, -2.0, -1.5, -1.2,
                  -1.0, -0.8, -0.6, -0.3, -0.1, -1e-5, 0.0, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0]:
            normal.append({"x": x, "cdf": float(mpmath.ncdf(mpmath.mpf(x)))})
    print("nct_tails: %d points, max relative |series - quadrature| on the subset = %.2e" % (len(rows), worst_quad))
    payload = {
        "_generator": "scripts/golden/make_power_fixtures.py (mpmath %s, scipy %s)" % (mpmath.__version__, scipy.__version__),
        "description": "Non-central t CDF and upper tail at %d digits (Poisson-mixture series; sf = 1 - cdf keeps "
                       "> 50 digits), every 7th point cross-checked by 40-digit quadrature of the positive "
                       "integrand (max relative disagreement %.1e). 'normal': Phi(x) at 40 digits." % (DPS, worst_quad),
        "nct": rows,
        "normal": normal,
    }
    path = os.path.join(ROOT, "test", "fixtures", "nct_tails.json")
    with open(path, "w") as fh:
        json.dump(payload, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
