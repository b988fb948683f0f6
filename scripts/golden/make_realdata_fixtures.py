#!/usr/bin/env python3
"""Reference values for the real-data API (spearman, spearmanTest, bootstrapCI) from scipy.

Reads the datasets of test/fixtures/realdata.json (written by make_fixtures.py) and writes
test/fixtures/realdata-methods.json with, per dataset:

- t and normal-approximation p-values for the three alternatives
  (scipy.stats.spearmanr(alternative=...), scipy.stats.norm with z = rho sqrt(n - 1));
- exact permutation p-values for n <= 9 (scipy.stats.permutation_test, all n! pairings);
- Monte Carlo permutation references for larger n (scipy.stats.permutation_test with many
  resamples, with their binomial standard error);
- scipy.stats.bootstrap CIs (percentile, basic, BCa; paired) at a large n_resamples, with the
  Monte Carlo SD of each endpoint over independent scipy runs (tests compare within a multiple);
- a deterministic interval check: a stored bootstrap distribution and the percentile, basic and
  BCa endpoints scipy computes from it (BCa via scipy's own _bca_interval when importable, else
  the textbook formula, which is cross-checked against it when both exist).

The tests never run python: the output is committed. Deterministic (fixed numpy seeds).

Usage:  python3 scripts/golden/make_realdata_fixtures.py
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.special
import scipy.stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")
GENERATOR = "scripts/golden/make_realdata_fixtures.py (scipy %s, numpy %s)" % (scipy.__version__, np.__version__)

ALTERNATIVES = ["two-sided", "greater", "less"]
N_PERM_REF = 400_000      # resamples of the Monte Carlo permutation references
N_BOOT_REF = 20_000       # resamples of the scipy.stats.bootstrap references
N_BOOT_RUNS = 8           # independent scipy runs to estimate each endpoint's Monte Carlo SD
N_DIST = 1999             # size of the stored bootstrap distribution of the deterministic check
CONFIDENCE = 0.95


def spearman_rows(x, y, axis=-1):
    """Spearman of each row pair (x, y broadcast along `axis`); NaN for a constant row."""
    rx = scipy.stats.rankdata(x, axis=axis)
    ry = scipy.stats.rankdata(y, axis=axis)
    a = rx - rx.mean(axis=axis, keepdims=True)
    b = ry - ry.mean(axis=axis, keepdims=True)
    den = np.sqrt(np.sum(a * a, axis=axis) * np.sum(b * b, axis=axis))
    with np.errstate(all="ignore"):
        r = np.sum(a * b, axis=axis) / den
    return np.where(den < 1e-15, np.nan, np.clip(r, -1.0, 1.0))


def pvalues_closed_form(x, y, rho, n):
    out = {"t": {}, "normal": {}}
    for alt in ALTERNATIVES:
        out["t"][alt] = float(scipy.stats.spearmanr(x, y, alternative=alt).pvalue)
    z = rho * math.sqrt(n - 1)
    out["normal"] = {
        "z": z,
        "two-sided": float(2 * scipy.stats.norm.sf(abs(z))),
        "greater": float(scipy.stats.norm.sf(z)),
        "less": float(scipy.stats.norm.cdf(z)),
    }
    t = rho * math.sqrt((n - 2) / max(1 - rho * rho, 1e-15))
    out["t"]["statistic"] = t
    out["t"]["df"] = n - 2
    return out


def permutation_refs(x, y, n, seed):
    x = np.asarray(x)
    y = np.asarray(y)

    def stat(yy, axis=-1):
        return spearman_rows(np.broadcast_to(x, yy.shape), yy, axis=axis)

    out = {}
    exact = n <= 9
    for alt in ALTERNATIVES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = scipy.stats.permutation_test(
                (y,), stat, permutation_type="pairings", vectorized=True,
                n_resamples=np.inf if exact else N_PERM_REF, alternative=alt,
                random_state=np.random.default_rng(seed), batch=20_000)
        p = float(res.pvalue)
        row = {"p": p}
        if not exact:
            row["se"] = math.sqrt(max(p * (1 - p), 1.0 / N_PERM_REF) / N_PERM_REF)
        out[alt] = row
    if not exact:
        # the two-sided rule spearsim uses: #{|rho_b| >= |rho| - 1e-12}, (1 + #)/(1 + m)
        rng = np.random.default_rng(seed + 1)
        obs = float(spearman_rows(x, y))
        count = 0
        for start in range(0, N_PERM_REF, 20_000):
            m = min(20_000, N_PERM_REF - start)
            yy = rng.permuted(np.tile(y, (m, 1)), axis=1)
            count += int(np.sum(np.abs(stat(yy)) >= abs(obs) - 1e-12))
        p = (1 + count) / (1 + N_PERM_REF)
        out["abs"] = {"p": p, "se": math.sqrt(max(p * (1 - p), 1.0 / N_PERM_REF) / N_PERM_REF)}
    out["kind"] = "exact" if exact else "monte-carlo"
    out["n_resamples"] = math.factorial(n) if exact else N_PERM_REF
    out["rule"] = ("scipy.stats.permutation_test(pairings): greater = #{rho_b >= rho}/m, less = #{rho_b <= rho}/m, "
                   "two-sided = 2 min(greater, less) (clipped at 1); exact: m = n!, identity included; "
                   "Monte Carlo: (1 + #)/(1 + m). abs (Monte Carlo only, numpy permutations): spearsim's "
                   "two-sided rule (1 + #{|rho_b| >= |rho| - 1e-12})/(1 + m)")
    return out


def scipy_bootstrap(x, y, method, seed, n_resamples):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scipy.stats.bootstrap(
            (np.asarray(x), np.asarray(y)), spearman_rows, paired=True, vectorized=True,
            n_resamples=n_resamples, confidence_level=CONFIDENCE, method=method,
            random_state=np.random.default_rng(seed), batch=5000)
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def bootstrap_refs(x, y, seed):
    out = {"n_resamples": N_BOOT_REF, "confidence_level": CONFIDENCE, "runs": N_BOOT_RUNS}
    for method in ["percentile", "basic", "BCa"]:
        runs = np.array([scipy_bootstrap(x, y, method, seed + 1000 * r, N_BOOT_REF) for r in range(N_BOOT_RUNS)])
        out[method.lower()] = {
            "lower": float(runs[0, 0]), "upper": float(runs[0, 1]),
            "lower_mc_sd": float(np.std(runs[:, 0], ddof=1)), "upper_mc_sd": float(np.std(runs[:, 1], ddof=1)),
        }
    return out


def bca_textbook(theta_hat, theta_b, jack, alpha):
    """Efron & Tibshirani (1993) 14.3: z0 from the share below theta_hat (ties count half)."""
    B = len(theta_b)
    share = (np.count_nonzero(theta_b < theta_hat) + np.count_nonzero(theta_b <= theta_hat)) / (2 * B)
    z0 = float(scipy.special.ndtri(share))
    d = np.mean(jack) - np.asarray(jack)
    a = float(np.sum(d ** 3) / (6.0 * np.sum(d ** 2) ** 1.5))
    za = float(scipy.special.ndtri(alpha))
    q = []
    for z in (za, -za):
        num = z0 + z
        q.append(float(scipy.special.ndtr(z0 + num / (1 - a * num))))
    return z0, a, q


def bca_scipy(x, y, theta_b, alpha):
    """scipy's private _bca_interval on the paired data (as scipy.stats.bootstrap calls it)."""
    try:
        from scipy.stats._resampling import _bca_interval
        from scipy._lib._array_api import array_namespace
    except ImportError:  # pragma: no cover - private API moved
        return None
    xp = array_namespace(np.asarray(theta_b))
    n = len(x)
    xa = np.asarray(x)
    ya = np.asarray(y)

    def stat(i, axis=-1):
        i = np.asarray(i).astype(int)
        return spearman_rows(xa[i], ya[i], axis=axis)

    a1, a2, a_hat = _bca_interval((np.arange(n),), stat, -1, alpha, np.asarray(theta_b)[None, :], None, xp)
    return [float(np.squeeze(a1)), float(np.squeeze(a2))], float(np.squeeze(a_hat))


def interval_check(x, y, rho, jack, seed, synthetic_ties=0):
    rng = np.random.default_rng(seed)
    n = len(x)
    # the statistic exactly as scipy's _bca_interval recomputes it (ties must be bit-exact)
    rho = float(spearman_rows(np.asarray(x), np.asarray(y)))
    idx = rng.integers(0, n, size=(N_DIST, n))
    xa = np.asarray(x)[idx]
    ya = np.asarray(y)[idx]
    theta_b = spearman_rows(xa, ya)
    theta_b = theta_b[~np.isnan(theta_b)]
    if synthetic_ties:
        # put exact ties at rho-hat into the distribution: z0 must count them half
        theta_b = theta_b.copy()
        theta_b[:synthetic_ties] = rho
    alpha = (1 - CONFIDENCE) / 2
    lo, hi = np.percentile(theta_b, [100 * alpha, 100 * (1 - alpha)])
    z0, a, q = bca_textbook(rho, theta_b, jack, alpha)
    scipy_q = bca_scipy(x, y, theta_b, alpha)
    if scipy_q is not None:
        assert max(abs(q[0] - scipy_q[0][0]), abs(q[1] - scipy_q[0][1])) < 1e-12, (q, scipy_q)
        assert abs(a - scipy_q[1]) < 1e-12
    b_lo, b_hi = np.percentile(theta_b, [100 * q[0], 100 * q[1]])
    return {
        "rho": rho,
        "alpha": 1 - CONFIDENCE,
        "distribution": [float(v) for v in theta_b],
        "synthetic_ties_at_rho": synthetic_ties,
        "percentile": [float(lo), float(hi)],
        "basic": [float(2 * rho - hi), float(2 * rho - lo)],
        "bca": [float(b_lo), float(b_hi)],
        "bca_z0": z0,
        "bca_acceleration": a,
        "bca_quantile_levels": q,
        "bca_source": "scipy.stats._resampling._bca_interval (checked against the textbook formula)"
        if scipy_q is not None else "textbook formula (scipy private API not importable)",
    }


def main():
    with open(os.path.join(FIXTURES, "realdata.json")) as fh:
        base = json.load(fh)
    rows = []
    for i, d in enumerate(base["datasets"]):
        x, y, n = d["x"], d["y"], d["n"]
        rho = float(scipy.stats.spearmanr(x, y).statistic)
        row = {"name": d["name"], "n": n, "rho": rho}
        row["pvalues"] = pvalues_closed_form(x, y, rho, n)
        row["permutation"] = permutation_refs(x, y, n, 8000 + i)
        if n >= 15:
            row["bootstrap"] = bootstrap_refs(x, y, 9000 + i)
        if n in (25, 50):
            row["interval_check"] = interval_check(x, y, rho, d["jackknife_rho"], 10000 + i)
        if n == 30:
            row["interval_check"] = interval_check(x, y, rho, d["jackknife_rho"], 10000 + i, synthetic_ties=37)
        rows.append(row)
        print("  %-28s rho=%+.4f  p_t=%.4f  perm(%s)=%.4f%s" % (
            d["name"], rho, row["pvalues"]["t"]["two-sided"], row["permutation"]["kind"],
            row["permutation"]["two-sided"]["p"],
            "  bca=(%.4f, %.4f)" % (row["bootstrap"]["bca"]["lower"], row["bootstrap"]["bca"]["upper"]) if "bootstrap" in row else ""))
    payload = {
        "_generator": GENERATOR,
        "description": "Reference values for spearmanTest and bootstrapCI on the datasets of realdata.json "
                       "(matched by name). See the docstring of the generator script.",
        "datasets": rows,
    }
    path = os.path.join(FIXTURES, "realdata-methods.json")
    with open(path, "w") as fh:
        json.dump(payload, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)))


if __name__ == "__main__":
    main()
