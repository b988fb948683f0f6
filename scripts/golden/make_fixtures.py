#!/usr/bin/env python3
"""Golden fixtures for spearsim from independent sources (scipy / numpy / mpmath / closed forms).

Writes JSON files into test/fixtures/. The tests never run python: the fixtures are committed.
Deterministic: every random draw comes from numpy Generators with fixed seeds.

Usage:  python3 scripts/golden/make_fixtures.py [--only name[,name...]] [--out DIR]
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import scipy
import scipy.special
import scipy.stats

try:
    import mpmath

    HAVE_MPMATH = True
except ImportError:  # pragma: no cover
    mpmath = None
    HAVE_MPMATH = False

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
GENERATOR = "scripts/golden/make_fixtures.py (scipy %s, numpy %s%s)" % (
    scipy.__version__,
    np.__version__,
    ", mpmath %s" % mpmath.__version__ if HAVE_MPMATH else "",
)


def dump(out_dir, name, payload):
    payload = dict(payload)
    payload = {"_generator": GENERATOR, **payload}
    path = os.path.join(out_dir, name)
    with open(path, "w") as fh:
        json.dump(payload, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)))


def fl(x):
    """Plain python float (json round-trips doubles exactly via repr)."""
    return float(x)


# --------------------------------------------------------------------------------------------
# ndtri: scipy.special.ndtri and the correctly rounded value from mpmath
# --------------------------------------------------------------------------------------------


def ndtri_true(p):
    """Correctly rounded inverse normal CDF by root finding at 40 digits (p is an exact double)."""
    if p == 0.5:
        return 0.0
    with mpmath.workdps(40):
        pm = mpmath.mpf(p)
        x0 = mpmath.mpf(float(scipy.special.ndtri(p)))
        if pm < 0.5:
            f = lambda x: mpmath.log(mpmath.ncdf(x)) - mpmath.log(pm)
        else:
            f = lambda x: mpmath.log(mpmath.ncdf(-x)) - mpmath.log(1 - pm)
        return float(mpmath.findroot(f, x0))


def make_ndtri(out_dir):
    ps = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-16, 1e-10, 1e-5, 1e-3, 0.01, 0.025, 0.05, 0.075, 0.1,
          0.2, 0.3, 0.4, 0.45, 0.49, 0.5, 5e-324, 2.2250738585072014e-308, 1.3887943864964021e-11]
    ps += [1.0 - p for p in ps if 1e-16 <= p < 0.5]  # 1 - 1e-16 rounds to 1 - 2^-53
    ps += [0.975, 0.95, 0.8, 0.6, 0.9, 0.99, 0.999]
    ps += list(np.logspace(-300, math.log10(0.5), 60))
    ps += list(np.linspace(0.005, 0.995, 67))
    ps = sorted(set(float(p) for p in ps))
    rows = []
    for p in ps:
        row = {"p": p, "scipy": fl(scipy.special.ndtri(p))}
        if HAVE_MPMATH:
            row["exact"] = ndtri_true(p)
        rows.append(row)
    dump(out_dir, "ndtri.json", {
        "description": "inverse standard normal CDF. scipy = scipy.special.ndtri(p); exact = correctly "
                       "rounded value by mpmath root finding at 40 digits (absent without mpmath).",
        "cases": rows,
    })



def load_karwowski():
    for cand in [os.path.join(ROOT, "..", "shared", "data", "karwowski.json"), "/work/shared/data/karwowski.json"]:
        if os.path.exists(cand):
            with open(cand) as fh:
                return json.load(fh)
    raise FileNotFoundError("karwowski.json not found")


def template_from_counts(counts):
    """Integer-coded sorted template: value j repeated counts[j] times."""
    return np.repeat(np.arange(len(counts), dtype=float), counts)


# --------------------------------------------------------------------------------------------
# 1. midranks
# --------------------------------------------------------------------------------------------


def make_midranks(out_dir):
    rng = np.random.default_rng(1001)
    vecs = []

    def add(name, v):
        v = [float(x) for x in v]
        vecs.append({"name": name, "values": v, "midranks": [fl(r) for r in scipy.stats.rankdata(v, method="average")]})

    add("length 1", [3.5])
    add("length 2 distinct", [2.0, 1.0])
    add("length 2 tied", [7.0, 7.0])
    add("all equal (5)", [4.2] * 5)
    add("all equal (200)", [0.0] * 200)
    add("sorted distinct (10)", np.arange(10))
    add("reversed distinct (10)", np.arange(10)[::-1])
    add("sorted with ties", [1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 5])
    add("reversed with ties", [5, 5, 5, 5, 4, 3, 3, 3, 2, 1, 1])
    add("signed zeros tie", [0.0, -0.0, 1.0, -1.0, -0.0])
    add("negative reals", -np.abs(rng.normal(size=12)))
    add("tiny and huge magnitudes", [1e-300, -1e300, 5e-324, 1e300, 0.0, -5e-324, 1e-300])
    add("counts [20,20,20,20] shuffled", rng.permutation(template_from_counts([20, 20, 20, 20])))
    add("counts [12,30,29,9] sorted", template_from_counts([12, 30, 29, 9]))
    add("counts [12,30,29,9] shuffled", rng.permutation(template_from_counts([12, 30, 29, 9])))
    add("counts [11,27,26,9] shuffled (n=73)", rng.permutation(template_from_counts([11, 27, 26, 9])))
    add("k=10 heavy_center n=80 shuffled", rng.permutation(template_from_counts([4, 6, 8, 11, 11, 11, 11, 8, 6, 4])))
    add("karwowski grid values k=4 (1.43..3.55)", rng.permutation(np.repeat(np.linspace(1.43, 3.55, 4), [23, 18, 18, 21])))
    for n in [3, 17, 50, 200]:
        add("real distinct n=%d" % n, rng.normal(size=n))
    for n, hi in [(30, 3), (50, 10), (120, 5), (200, 4), (200, 50)]:
        add("integers 0..%d n=%d" % (hi - 1, n), rng.integers(0, hi, size=n))
    add("real with ties (rounded lognormal) n=80", np.round(rng.lognormal(2.7, 0.5, size=80), 0))
    add("real with ties (rounded 1 dp) n=200", np.round(rng.normal(size=200), 1))
    add("bootstrap-like resample of 0..9 (n=10)", rng.integers(0, 10, size=10))
    add("one tie at ends", [1.0, 9.0, 5.0, 1.0, 9.0, 3.0])
    dump(out_dir, "midranks.json", {
        "description": "scipy.stats.rankdata(values, method='average'): 1-based midranks of tied values.",
        "cases": vecs,
    })


# --------------------------------------------------------------------------------------------
# 2. spearman
# --------------------------------------------------------------------------------------------


def make_spearman(out_dir):
    rng = np.random.default_rng(2002)
    cases = []

    def add(name, x, y):
        x = [float(v) for v in x]
        y = [float(v) for v in y]
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = scipy.stats.spearmanr(x, y).statistic
        is_nan = bool(np.isnan(r))
        cases.append({
            "name": name,
            "n": len(x),
            "x": x,
            "y": y,
            "rho": None if is_nan else fl(r),
            "scipy_nan": is_nan,
            "expected": 0.0 if is_nan else fl(r),
            "n_distinct_x": int(len(set(x))),
            "n_distinct_y": int(len(set(y))),
        })

    def tied_x(n, k):
        # roughly even counts over k grid values (1.43..3.55), shuffled
        counts = np.full(k, n // k)
        counts[: n - counts.sum()] += 1
        return rng.permutation(np.repeat(np.linspace(1.43, 3.55, k), counts))

    def corr_y(x, rho):
        z = (np.asarray(x) - np.mean(x)) / (np.std(x) or 1.0)
        return np.exp(2.7 + 0.5 * (rho * z + math.sqrt(1 - rho * rho) * rng.normal(size=len(x))))

    # n = 3
    add("n=3 distinct", [1, 2, 3], [3, 1, 2])
    add("n=3 x tied k=2", [1, 1, 2], [0.3, 0.1, 0.2])
    add("n=3 x and y tied", [1, 2, 2], [5, 5, 6])
    add("n=3 perfect negative", [1, 2, 3], [9, 8, 7])
    # tied x, n in {10, 73, 80, 200}, k in 4..10
    for n in [10, 73, 80, 200]:
        for k in [4, 7, 10]:
            rho = [0.0, 0.3, -0.5][(n + k) % 3]
            x = tied_x(n, k)
            add("n=%d tied x k=%d (target %.1f)" % (n, k, rho), x, corr_y(x, rho))
    for n, k in [(80, 5), (80, 6), (80, 8), (80, 9), (73, 5), (200, 6)]:
        x = tied_x(n, k)
        add("n=%d tied x k=%d (target -0.13)" % (n, k), x, corr_y(x, -0.13))
    # karwowski heavy-centre counts
    x = rng.permutation(np.repeat(np.linspace(1.43, 3.55, 4), [12, 30, 29, 9]))
    add("n=80 counts [12,30,29,9]", x, corr_y(x, -0.13))
    x = rng.permutation(np.repeat(np.linspace(1.43, 3.55, 4), [11, 27, 26, 9]))
    add("n=73 counts [11,27,26,9]", x, corr_y(x, 0.06))
    # tied y
    for n in [10, 80]:
        x = rng.normal(size=n)
        add("n=%d tied y (rounded)" % n, x, np.round(corr_y(x, 0.4) / 5.0))
    x = tied_x(73, 6)
    add("n=73 tied x and tied y", x, np.round(corr_y(x, 0.3) / 4.0))
    x = tied_x(200, 10)
    add("n=200 tied x and binary y", x, (corr_y(x, 0.2) > 15).astype(float))
    # all distinct
    for n in [10, 73, 80, 200]:
        x = rng.normal(size=n)
        add("n=%d all distinct" % n, x, corr_y(x, 0.3))
    # perfect / degenerate
    add("perfect monotone n=10", np.arange(10), np.exp(np.arange(10)))
    add("perfect reversed with ties n=8", [1, 1, 2, 2, 3, 3, 4, 4], [8, 8, 6, 6, 4, 4, 2, 2])
    add("constant x n=10", [2.0] * 10, rng.normal(size=10))
    add("constant y n=80", rng.normal(size=80), [1.0] * 80)
    add("both constant n=5", [1.0] * 5, [3.0] * 5)
    add("constant x n=3", [1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    dump(out_dir, "spearman.json", {
        "description": "scipy.stats.spearmanr(x, y).statistic. rho = null and scipy_nan = true where scipy "
                       "returns nan (a constant vector); spearsim returns 0 there ('expected').",
        "cases": cases,
    })


# --------------------------------------------------------------------------------------------
# 3. percentile (type 7)
# --------------------------------------------------------------------------------------------


def make_percentile7(out_dir):
    rng = np.random.default_rng(3003)
    qs_std = [0.0, 0.025, 0.5, 0.975, 1.0]
    cases = []

    def add(name, v, qs=None, nan_dropped=False):
        v = np.asarray(v, dtype=float)
        qs = qs_std if qs is None else qs
        if nan_dropped:
            res = [fl(np.nanquantile(v, q, method="linear")) for q in qs]
        else:
            res = [fl(np.quantile(v, q, method="linear")) for q in qs]
        cases.append({"name": name, "values": [None if np.isnan(x) else float(x) for x in v], "q": [float(q) for q in qs],
                      "quantiles": res, "nan_dropped": nan_dropped})

    add("length 1", [0.37])
    add("length 2", [0.5, -0.25])
    add("length 3 unsorted", [3.0, 1.0, 2.0])
    add("length 5 with ties", [1.0, 1.0, 2.0, 2.0, 2.0])
    add("all equal", [0.123] * 17)
    for m in [10, 40, 199, 1000]:
        add("normal m=%d" % m, rng.normal(size=m))
    # bootstrap-rho-like values at n_boot = 1000, 500, 200 (h = 24.975 at 1000)
    for m in [200, 500, 1000, 2000]:
        add("bootstrap-like rho m=%d" % m, np.tanh(rng.normal(-0.13, 0.11, size=m)))
    add("lattice values with massive ties m=1000", np.round(rng.normal(size=1000) * 10) / 10)
    add("integers m=1000", rng.integers(-50, 50, size=1000))
    add("sorted ascending m=1000", np.sort(rng.uniform(size=1000)))
    add("sorted descending m=1000", np.sort(rng.uniform(size=1000))[::-1])
    add("random q grid m=1000", rng.normal(size=1000), qs=sorted(float(q) for q in rng.uniform(size=12)))
    add("fine q grid m=7", rng.normal(size=7), qs=[i / 20 for i in range(21)])
    add("fine q grid m=2", [1.0, 2.0], qs=[i / 8 for i in range(9)])
    add("large magnitudes", [1e300, -1e300, 1e-300, 0.0, 5.0])
    add("negative zero", [-0.0, 0.0, -0.0, 1.0])
    add("spec example m=1000 q=0.025/0.975", np.arange(1000, dtype=float) ** 1.5, qs=[0.025, 0.975])
    add("rho values m=1000 in [-1,1]", np.clip(rng.normal(0.3, 0.4, size=1000), -1, 1))
    for m in [5, 100, 1000]:
        v = rng.normal(size=m)
        v[rng.choice(m, size=max(1, m // 10), replace=False)] = np.nan
        add("with NaNs dropped m=%d" % m, v, nan_dropped=True)
    add("m=999", rng.normal(size=999))
    add("m=1001", rng.normal(size=1001))
    dump(out_dir, "percentile7.json", {
        "description": "numpy.quantile(values, q, method='linear') (Hyndman-Fan type 7, numpy default). "
                       "Cases with nan_dropped use numpy.nanquantile (NaNs, stored as null, are dropped first).",
        "cases": cases,
    })


# --------------------------------------------------------------------------------------------
# 4. non-central t, Student t and normal quantiles
# --------------------------------------------------------------------------------------------


def nct_cdf_mp(t, df, nc):
    """Non-central t CDF by the Poisson-mixture series of regularized incomplete beta functions
    (Guenther 1978 / Lenth AS 243 form), evaluated at 30 digits with mpmath."""
    with mpmath.workdps(30):
        t = mpmath.mpf(t)
        df = mpmath.mpf(df)
        nc = mpmath.mpf(nc)
        if t < 0:
            return 1 - nct_cdf_mp(-t, df, -nc)
        base = mpmath.ncdf(-nc)
        if t == 0:
            return base
        x = t * t / (t * t + df)
        lam = nc * nc / 2
        e = mpmath.exp(-lam)
        total = mpmath.mpf(0)
        half = mpmath.mpf(1) / 2
        j = 0
        while True:
            pj = e * lam ** j / mpmath.factorial(j)
            qj = nc * e * lam ** j / (mpmath.sqrt(2) * mpmath.gamma(j + 3 * half))
            term = pj * mpmath.betainc(j + half, df / 2, 0, x, regularized=True) + \
                qj * mpmath.betainc(j + 1, df / 2, 0, x, regularized=True)
            total += term
            if j > lam and abs(term) < mpmath.mpf(10) ** -36:
                break
            j += 1
        return base + total / 2


def nct_cdf_mp_quad(t, df, nc):
    """Independent check: integrate Phi(t*s - nc) against the density of s = chi_df/sqrt(df)."""
    with mpmath.workdps(30):
        t = mpmath.mpf(t)
        nu = mpmath.mpf(df)
        nc = mpmath.mpf(nc)
        logc = mpmath.log(2) + (nu / 2) * mpmath.log(nu / 2) - mpmath.loggamma(nu / 2)
        f = lambda s: mpmath.exp(logc + (nu - 1) * mpmath.log(s) - nu * s * s / 2) * mpmath.ncdf(t * s - nc)
        sd = 1 / mpmath.sqrt(2 * nu)
        pts = sorted(set([mpmath.mpf(0)] + [1 + k * sd for k in range(-12, 13, 2) if 1 + k * sd > 0] + [mpmath.inf]))
        return mpmath.quad(f, pts)


def t_ppf_mp(p, df):
    """Student t quantile (p > 0.5) at 30 digits by root finding on 1 - I_{df/(df+t^2)}(df/2, 1/2)/2."""
    with mpmath.workdps(30):
        p = mpmath.mpf(p)
        nu = mpmath.mpf(df)
        f = lambda t: 1 - mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2 - p
        return float(mpmath.findroot(f, mpmath.mpf(float(scipy.stats.t.ppf(float(p), df)))))


def make_noncentral_t(out_dir):
    dfs = [70, 71, 78, 79, 80, 1000]
    ncs = [i * 0.5 for i in range(-12, 13)]
    ts = [-1.99, -1.0, 0.0, 1.9908, 1.99, 2.5, 5.0]
    rows = []
    max_diff_scipy = 0.0
    max_diff_quad = 0.0
    scipy_nan = []
    for df in dfs:
        for nc in ncs:
            for t in ts:
                sc = fl(scipy.stats.nct.cdf(t, df, nc))
                row = {"t": t, "df": df, "nc": nc, "scipy": None if math.isnan(sc) else sc}
                if math.isnan(sc):
                    scipy_nan.append([t, df, nc])
                if HAVE_MPMATH:
                    v = nct_cdf_mp(t, df, nc)
                    row["cdf"] = fl(v)
                    row["sf"] = fl(1 - v)
                    if not math.isnan(sc):
                        max_diff_scipy = max(max_diff_scipy, abs(sc - float(v)))
                    if (len(rows) % 9) == 0:  # independent quadrature check on a subset
                        max_diff_quad = max(max_diff_quad, float(abs(nct_cdf_mp_quad(t, df, nc) - v)))
                else:
                    row["cdf"] = sc
                    row["sf"] = fl(scipy.stats.nct.sf(t, df, nc))
                rows.append(row)
    print("  nct: max |scipy - mpmath| = %.3e, max |series - quadrature| (subset) = %.3e" % (max_diff_scipy, max_diff_quad))
    if scipy_nan:
        print("  nct: scipy.stats.nct.cdf returned nan at (t, df, nc) =", scipy_nan)

    t_q = []
    for df in range(1, 201):
        row = {"df": df, "p975": fl(scipy.stats.t.ppf(0.975, df)), "p95": fl(scipy.stats.t.ppf(0.95, df))}
        t_q.append(row)
    t_check = []
    if HAVE_MPMATH:
        for df in [1, 2, 3, 5, 10, 30, 70, 71, 78, 79, 80, 200]:
            t_check.append({"df": df, "p975": t_ppf_mp(0.975, df), "p95": t_ppf_mp(0.95, df)})
        worst = max(max(abs(c["p975"] - t_q[c["df"] - 1]["p975"]) / c["p975"],
                        abs(c["p95"] - t_q[c["df"] - 1]["p95"]) / c["p95"]) for c in t_check)
        print("  t.ppf: max rel |scipy - mpmath| = %.3e" % worst)
    norm_ps = [0.5, 0.6, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9995, 0.025, 0.05, 0.001]
    norm_q = [{"p": p, "scipy": fl(scipy.stats.norm.ppf(p)), **({"exact": ndtri_true(p)} if HAVE_MPMATH else {})}
              for p in norm_ps]
    dump(out_dir, "noncentral_t.json", {
        "description": "Non-central t CDF F(t; df, nc). 'cdf'/'sf' are the reference values, 'scipy' is "
                       "scipy.stats.nct.cdf (Boost) for comparison.",
        "nct_method": ("mpmath %s at 30 digits: Poisson-mixture series of regularized incomplete beta "
                       "functions, cross-checked by quadrature of Phi(t*s - nc) over the scaled chi density "
                       "(max disagreement %.1e); max |scipy - mpmath| = %.2e"
                       % (mpmath.__version__, max_diff_quad, max_diff_scipy)) if HAVE_MPMATH
                      else "scipy.stats.nct (mpmath unavailable)",
        "scipy_nan_points": {"description": "(t, df, nc) where scipy.stats.nct.cdf returned nan (scipy = null)",
                             "points": scipy_nan},
        "nct": rows,
        "t_quantiles": {"description": "scipy.stats.t.ppf(0.975, df) and ppf(0.95, df)", "rows": t_q},
        "t_quantiles_mpmath_check": t_check,
        "normal_quantiles": {"description": "scipy.stats.norm.ppf(p); exact = correctly rounded (mpmath)",
                             "rows": norm_q},
    })


# --------------------------------------------------------------------------------------------
# 5. asymptotic (docs/methods.md, 'Asymptotic methods')
# --------------------------------------------------------------------------------------------


def var_ties(n, counts, tie_correction=True):
    base = 1.0 / (n - 1)
    if not tie_correction or counts is None:
        return base
    tx = sum(c ** 3 - c for c in counts)
    n3 = n ** 3 - n
    dx = (n3 - tx) / 12.0
    dy = n3 / 12.0
    if dx <= 0 or dy <= 0:
        return base
    return (1.0 / (n - 1)) * (n3 / 12.0) ** 2 / (dx * dy)


def asym_power(n, rho, counts=None, tie_correction=True, alpha=0.05):
    df = n - 2
    t_crit = scipy.stats.t.ppf(1 - alpha / 2, df)
    nc = rho * math.sqrt(n - 2) / math.sqrt(max(1 - rho * rho, 1e-12))
    if tie_correction and counts is not None:
        nc *= math.sqrt((1.0 / (n - 1)) / var_ties(n, counts))
    pw = 1 - scipy.stats.nct.cdf(t_crit, df, nc) + scipy.stats.nct.cdf(-t_crit, df, nc)
    return min(1.0, max(0.0, float(pw)))


def asym_power_mp(n, rho, counts=None, tie_correction=True, alpha=0.05):
    df = n - 2
    t_crit = t_ppf_mp(1 - alpha / 2, df)
    nc = rho * math.sqrt(n - 2) / math.sqrt(max(1 - rho * rho, 1e-12))
    if tie_correction and counts is not None:
        nc *= math.sqrt((1.0 / (n - 1)) / var_ties(n, counts))
    return float(1 - nct_cdf_mp(t_crit, df, nc) + nct_cdf_mp(-t_crit, df, nc))


def asym_min_rho(n, direction, counts=None, tie_correction=True, target=0.8):
    lo, hi = (0.0, 0.6) if direction == "positive" else (-0.6, 0.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        pw = asym_power(n, mid, counts, tie_correction)
        if direction == "positive":
            if pw < target:
                lo = mid
            else:
                hi = mid
        else:
            if pw < target:
                hi = mid
            else:
                lo = mid
    return (lo + hi) / 2


def fisher_ci(n, rho_obs, counts=None, tie_correction=True, alpha=0.05):
    z = math.atanh(min(max(rho_obs, -0.9999), 0.9999))
    se = math.sqrt(1.06 / max(n - 3, 1))
    if tie_correction and counts is not None:
        se *= math.sqrt(var_ties(n, counts) / (1.0 / (n - 1)))
    za = float(scipy.special.ndtri(1 - alpha / 2))
    return math.tanh(z - za * se), math.tanh(z + za * se), se


SPEC05_MIN_RHO = {  # case: (all-distinct, k=4 heavy_center, k=4 heavy_center no correction)
    1: (-0.305803, -0.321490, -0.305803),
    2: (0.302223, 0.317404, 0.302223),
    3: (-0.319412, -0.334947, -0.319412),
    4: (0.303997, 0.319079, 0.303997),
}
SPEC05_CI_ALL = {1: (-0.345832, 0.098898), 2: (-0.165426, 0.279468), 3: (-0.355675, 0.109999), 4: (-0.166836, 0.280804)}
SPEC05_CI_HC = {1: (-0.357329, 0.111871), 3: (-0.367128, 0.122994)}
SPEC05_INFLATION = [([12, 30, 29, 9], 1.057049, 6), ([20, 20, 20, 20], 1.033, 3), ([8] * 10, 1.005, 3)]


def make_asymptotic(out_dir):
    kw = load_karwowski()
    problems = []

    def check(label, got, want, decimals):
        ok = round(got, decimals) == round(want, decimals) or abs(got - want) <= 0.5 * 10 ** -decimals + 1e-12
        if not ok:
            problems.append("%s: computed %.*f, spec %.*f" % (label, decimals + 3, got, decimals, want))
        return ok

    # FHP
    fhp = []
    for counts, ref, dec in SPEC05_INFLATION:
        n = sum(counts)
        v = var_ties(n, counts)
        infl = math.sqrt(v * (n - 1))
        check("SE inflation %s" % counts, infl, ref, dec)
        fhp.append({"counts": counts, "n": n, "T_x": sum(c ** 3 - c for c in counts), "var_ties": v,
                    "se_inflation": infl, "spec_reference": ref, "spec_decimals": dec})
    for n_key, by_k in kw["freq_table"].items():
        for k_key, by_shape in by_k.items():
            for shape, counts in by_shape.items():
                n = int(n_key)
                v = var_ties(n, counts)
                fhp.append({"counts": counts, "n": n, "k": int(k_key), "shape": shape,
                            "T_x": sum(c ** 3 - c for c in counts), "var_ties": v, "se_inflation": math.sqrt(v * (n - 1))})
    for n in [73, 80, 81, 82]:
        fhp.append({"counts": [1] * n, "n": n, "T_x": 0, "var_ties": var_ties(n, [1] * n),
                    "se_inflation": math.sqrt(var_ties(n, [1] * n) * (n - 1)), "all_distinct": True})

    # power check
    pw = asym_power(80, 0.30, [1] * 80)
    pw_mp = asym_power_mp(80, 0.30, [1] * 80) if HAVE_MPMATH else None
    check("power(n=80, rho=0.30)", pw, 0.783232, 6)
    power_checks = [{"n": 80, "rho": 0.30, "counts": "all_distinct", "power": pw, "power_mpmath": pw_mp,
                     "spec_reference": 0.783232}]
    for n, rho, counts in [(80, 0.30, [12, 30, 29, 9]), (73, -0.25, [11, 27, 26, 9]), (82, 0.1, None), (81, 0.5, None),
                           (80, 0.0, None), (80, -0.30, None)]:
        power_checks.append({"n": n, "rho": rho, "counts": counts if counts else "all_distinct",
                             "power": asym_power(n, rho, counts),
                             "power_mpmath": asym_power_mp(n, rho, counts) if HAVE_MPMATH else None})

    # min detectable rho
    min_rho = []
    for case in kw["cases"]:
        cid, n, direction = case["id"], case["n"], case["search_direction"]
        hc = kw["freq_table"][str(n)]["4"]["heavy_center"]
        ad = asym_min_rho(n, direction, [1] * n)
        tc = asym_min_rho(n, direction, hc, True)
        notc = asym_min_rho(n, direction, hc, False)
        ref = SPEC05_MIN_RHO[cid]
        check("min rho case %d all-distinct" % cid, ad, ref[0], 6)
        check("min rho case %d k=4 heavy_center" % cid, tc, ref[1], 6)
        check("min rho case %d k=4 heavy_center no correction" % cid, notc, ref[2], 6)
        row = {"case": cid, "n": n, "direction": direction, "heavy_center_counts": hc,
               "all_distinct": ad, "k4_heavy_center": tc, "k4_heavy_center_no_correction": notc,
               "spec_reference": {"all_distinct": ref[0], "k4_heavy_center": ref[1], "k4_heavy_center_no_correction": ref[2]},
               "negated_other_direction_all_distinct": asym_min_rho(n, "positive" if direction == "negative" else "negative", [1] * n)}
        if HAVE_MPMATH:
            row["power_at_result_mpmath"] = {"all_distinct": asym_power_mp(n, ad, [1] * n),
                                             "k4_heavy_center": asym_power_mp(n, tc, hc)}
        min_rho.append(row)

    # Fisher-z CI
    cis = []
    for case in kw["cases"]:
        cid, n, r = case["id"], case["n"], case["observed_rho"]
        hc = kw["freq_table"][str(n)]["4"]["heavy_center"]
        lo, hi, se = fisher_ci(n, r, [1] * n)
        lo_nc, hi_nc, se_nc = fisher_ci(n, r, None, False)
        lo_h, hi_h, se_h = fisher_ci(n, r, hc, True)
        lo_hn, hi_hn, se_hn = fisher_ci(n, r, hc, False)
        check("CI case %d all-distinct lower" % cid, lo, SPEC05_CI_ALL[cid][0], 6)
        check("CI case %d all-distinct upper" % cid, hi, SPEC05_CI_ALL[cid][1], 6)
        if cid in SPEC05_CI_HC:
            check("CI case %d k=4 heavy_center lower" % cid, lo_h, SPEC05_CI_HC[cid][0], 6)
            check("CI case %d k=4 heavy_center upper" % cid, hi_h, SPEC05_CI_HC[cid][1], 6)
        cis.append({"case": cid, "n": n, "observed_rho": r, "heavy_center_counts": hc,
                    "all_distinct": {"lower": lo, "upper": hi, "se": se},
                    "all_distinct_no_correction": {"lower": lo_nc, "upper": hi_nc, "se": se_nc},
                    "k4_heavy_center": {"lower": lo_h, "upper": hi_h, "se": se_h},
                    "k4_heavy_center_no_correction": {"lower": lo_hn, "upper": hi_hn, "se": se_hn},
                    "spec_reference": {"all_distinct": SPEC05_CI_ALL[cid], "k4_heavy_center": SPEC05_CI_HC.get(cid)}})

    for p in problems:
        print("  DISAGREEMENT with docs/methods.md, 'Asymptotic methods':", p)
    if not problems:
        print("  asymptotic: all docs/methods.md, 'Asymptotic methods' reference values reproduced")
    dump(out_dir, "asymptotic.json", {
        "description": "docs/methods.md, 'Asymptotic methods': re-derived with scipy (t.ppf, nct.cdf; power = 1 - F(t_crit) + F(-t_crit)); "
                       "power_mpmath uses the 30-digit series. alpha = 0.05, target power 0.8.",
        "z_975": fl(scipy.special.ndtri(0.975)),
        "fhp": fhp,
        "power_checks": power_checks,
        "min_detectable_rho": min_rho,
        "fisher_ci": cis,
        "disagreements_with_spec": problems,
    })


# --------------------------------------------------------------------------------------------
# 6. real-data style datasets
# --------------------------------------------------------------------------------------------


def spearman_np(x, y):
    rx = scipy.stats.rankdata(x)
    ry = scipy.stats.rankdata(y)
    a = rx - rx.mean()
    b = ry - ry.mean()
    den = math.sqrt(float(np.sum(a * a) * np.sum(b * b)))
    if den < 1e-15:
        return 0.0
    return float(min(1.0, max(-1.0, float(np.sum(a * b)) / den)))


def make_realdata(out_dir):
    import itertools
    import warnings

    rng = np.random.default_rng(6006)
    specs = [  # (name, n, k or None, rho, y rounding)
        ("n=10 k=3 rounded y", 10, 3, 0.4, 0),
        ("n=15 k=4", 15, 4, -0.3, None),
        ("n=20 k=5 rounded y", 20, 5, 0.2, 0),
        ("n=25 k=4 heavy centre", 25, [4, 9, 8, 4], -0.13, None),
        ("n=30 k=6", 30, 6, 0.5, 1),
        ("n=40 k=7 rounded y", 40, 7, -0.25, 0),
        ("n=50 k=8", 50, 8, 0.06, None),
        ("n=60 k=10 rounded y", 60, 10, 0.35, 0),
        ("n=6 exact permutation", 6, 3, 0.5, None),
        ("n=8 exact permutation", 8, 4, -0.4, 0),
        ("n=9 exact permutation", 9, 3, 0.3, None),
    ]
    out = []
    for name, n, k, rho, rnd in specs:
        if isinstance(k, list):
            counts = np.array(k)
        else:
            counts = np.full(k, n // k)
            counts[: n - counts.sum()] += 1
        x = rng.permutation(np.repeat(np.round(np.linspace(1.43, 3.55, len(counts)), 4), counts))
        z = (x - x.mean()) / x.std()
        y = np.exp(2.7 + 0.5 * (rho * z + math.sqrt(1 - rho * rho) * rng.normal(size=n)))
        if rnd is not None:
            y = np.round(y, rnd)
        x = [float(v) for v in x]
        y = [float(v) for v in y]
        res = scipy.stats.spearmanr(x, y)
        jack = [spearman_np(np.delete(x, i), np.delete(y, i)) for i in range(n)]
        jack_scipy = [float(scipy.stats.spearmanr(np.delete(x, i), np.delete(y, i)).statistic) for i in range(n)]
        assert max(abs(a - b) for a, b in zip(jack, jack_scipy)) < 1e-12
        jm = float(np.mean(jack))
        d = jm - np.asarray(jack)
        accel = float(np.sum(d ** 3) / (6.0 * np.sum(d ** 2) ** 1.5))
        row = {"name": name, "n": n, "x": x, "y": y, "rho": fl(res.statistic), "p_asymptotic_t": fl(res.pvalue),
               "n_distinct_x": len(set(x)), "n_distinct_y": len(set(y)),
               "jackknife_rho": jack, "jackknife_mean": jm, "bca_acceleration": accel}
        if n <= 9:
            def stat(yy, axis=-1):
                return np.apply_along_axis(lambda v: spearman_np(x, v), axis, yy)

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pt = scipy.stats.permutation_test((np.asarray(y),), lambda yy, axis=-1: stat(yy, axis),
                                                  permutation_type="pairings", n_resamples=np.inf,
                                                  alternative="two-sided", vectorized=True)
            # own enumeration: p = #{|rho_perm| >= |rho_obs| - 1e-12} / n!
            obs = spearman_np(x, y)
            perms = np.array(list(itertools.permutations(range(n))))
            ys = np.asarray(y)[perms]
            rx = scipy.stats.rankdata(x)
            ry = scipy.stats.rankdata(ys, axis=1)
            a = rx - rx.mean()
            b = ry - ry.mean(axis=1, keepdims=True)
            rp = (b @ a) / np.sqrt(np.sum(a * a) * np.sum(b * b, axis=1))
            count = int(np.sum(np.abs(rp) >= abs(obs) - 1e-12))
            row["permutation_exact"] = {
                "n_permutations": int(len(perms)),
                "scipy_two_sided_p": fl(pt.pvalue),
                "scipy_rule": "scipy.stats.permutation_test(pairings, n_resamples=inf): 2*min(P(<=), P(>=))",
                "abs_count": count,
                "abs_p": count / len(perms),
                "abs_rule": "#{|rho_perm| >= |rho_obs| - 1e-12} / n! (all n! permutations of y, identity included)",
            }
        out.append(row)
    dump(out_dir, "realdata.json", {
        "description": "Small tied datasets: scipy.stats.spearmanr rho and its asymptotic t-based two-sided p; "
                       "jackknife leave-one-out Spearman values; BCa acceleration a = sum(d^3)/(6 (sum d^2)^1.5), "
                       "d = mean(jack) - jack_i; exact permutation p-values for n <= 9.",
        "datasets": out,
    })


# --------------------------------------------------------------------------------------------
# 7. permutation null quantiles
# --------------------------------------------------------------------------------------------


def make_null_quantiles(out_dir):
    n_perm = 200_000
    prob = 0.95
    configs = [
        ("n=80 k=4 heavy_center", [12, 30, 29, 9], 0.2198),
        ("n=80 all distinct", [1] * 80, 0.2193),
        ("n=73 all distinct", [1] * 73, 0.2295),
        ("n=73 k=4 even [19,18,18,18] (listed in the brief against 0.2293)", [19, 18, 18, 18], 0.2293),
        ("n=73 k=4 heavy_center [11,27,26,9] (the reference's 0.2293 scenario)", [11, 27, 26, 9], 0.2293),
    ]
    rows = []
    for i, (name, counts, ref) in enumerate(configs):
        n = sum(counts)
        rng = np.random.default_rng(7007 + i)
        # x midranks from counts in list order, standardised with the population sd
        pre = np.concatenate([[0], np.cumsum(counts)[:-1]])
        mr = np.repeat(pre + (np.asarray(counts) + 1) / 2.0, counts)
        xs = (mr - mr.mean()) / mr.std()
        denom = n * math.sqrt((n * n - 1) / 12.0)
        vals = []
        for start in range(0, n_perm, 50_000):
            m = min(50_000, n_perm - start)
            perms = rng.permuted(np.tile(np.arange(1, n + 1, dtype=float), (m, 1)), axis=1)
            vals.append(perms @ xs / denom)
        rho = np.concatenate(vals)
        a = np.sort(np.abs(rho))
        q7 = float(np.quantile(a, prob, method="linear"))
        # distribution-free 95% CI for the quantile from order statistics (binomial argument)
        half = 1.959964 * math.sqrt(n_perm * prob * (1 - prob))
        lo_i = int(math.floor(n_perm * prob - half)) - 1
        hi_i = int(math.ceil(n_perm * prob + half)) - 1
        ci = (float(a[lo_i]), float(a[hi_i]))
        se = (ci[1] - ci[0]) / (2 * 1.959964)
        e_rho2 = 1.0 / (n - 1)
        mc_e_rho2 = float(np.mean(rho ** 2))
        rows.append({
            "name": name, "n": n, "counts": counts,
            "exact_E_rho2": e_rho2,
            "mc_E_rho2": mc_e_rho2,
            "mc_E_rho2_se": float(np.std(rho ** 2, ddof=1) / math.sqrt(n_perm)),
            "n_perm": n_perm, "seed": 7007 + i,
            "q95_abs_rho": q7,
            "q95_order_stat_ci95": ci,
            "q95_mc_se": se,
            "n_distinct_abs_rho": int(len(np.unique(np.round(a, 12)))),
            "spec04_reference_q95": ref,
            "reference_minus_mc_in_se": (ref - q7) / se if se > 0 else None,
            "asymptotic_1.96_over_sqrt_n_minus_1": 1.959964 / math.sqrt(n - 1),
        })
        print("  null %-60s q95=%.4f  CI=(%.4f, %.4f)  ref=%.4f  E[rho^2] exact %.6f mc %.6f"
              % (name, q7, ci[0], ci[1], ref, e_rho2, mc_e_rho2))
    dump(out_dir, "null_quantiles.json", {
        "description": "Permutation null of Spearman rho for tied x (midranks from counts, standardised) vs an "
                       "untied uniformly permuted y: rho_b = sum x_std*pi / (n sqrt((n^2-1)/12)). Exact "
                       "E[rho^2] = 1/(n-1) for any tie structure; 95th percentile of |rho| from 200 000 "
                       "permutations (numpy default_rng, fixed seeds), numpy type-7 quantile; MC SE from the "
                       "distribution-free order-statistic 95% CI (ranks N p +- 1.96 sqrt(N p (1-p))) / 3.92.",
        "cases": rows,
    })


FIXTURES = {
    "ndtri": make_ndtri,
    "midranks": make_midranks,
    "spearman": make_spearman,
    "percentile7": make_percentile7,
    "noncentral_t": make_noncentral_t,
    "asymptotic": make_asymptotic,
    "realdata": make_realdata,
    "null_quantiles": make_null_quantiles,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "test", "fixtures"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    names = [n for n in args.only.split(",") if n] or list(FIXTURES)
    for n in names:
        FIXTURES[n](args.out)


if __name__ == "__main__":
    main()
