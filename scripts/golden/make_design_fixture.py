#!/usr/bin/env python3
"""Independent check of `spearsim design --solve n`: simulates, with numpy/scipy only, the power at
the reported n and at n - 1 for two designs (continuous y; ordinal y with fixed level proportions).

The data model is the one docs/methods.md describes ("Generators", "Planning your own study"),
written here from that description: x is the design's tie structure at n (largest-remainder counts)
in random order; the signal is c * standardised x midranks + sqrt(1 - c^2) * standardised noise
ranks (a random permutation of 1..n, jittered by U(-0.49, 0.49)); y is the signal's ranks
(continuous) or the ordinal levels given to the signal's order with the fixed level counts. c is
calibrated so that the mean Spearman rho over the sims equals the target. Each dataset is tested
two-sided against a permutation null of the two margins built here (permuting y's midranks).

Writes test/fixtures/design_n.json (committed; the tests never run python).
Usage: python3 scripts/golden/make_design_fixture.py --n-a 82 --n-b 81
"""
import argparse
import json
import os

import numpy as np
import scipy
import scipy.stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SIMS = 40000
NULL_PERMS = 100000
ALPHA = 0.05
TARGET_POWER = 0.8
RHO = 0.3


def largest_remainder(props, n):
    q = np.asarray(props, float) * n
    c = np.floor(q).astype(int)
    left = n - c.sum()
    order = sorted(range(len(q)), key=lambda j: (-(q[j] - c[j]), j))
    for j in order[:left]:
        c[j] += 1
    return c


def midranks(a):
    return scipy.stats.rankdata(a, method="average", axis=1)


def spearman_rows(xr, yr):
    xc = xr - xr.mean(axis=1, keepdims=True)
    yc = yr - yr.mean(axis=1, keepdims=True)
    return (xc * yc).sum(axis=1) / np.sqrt((xc * xc).sum(axis=1) * (yc * yc).sum(axis=1))


def draw(rng, x_counts, sims):
    """x midranks (shuffled) and standardised noise of `sims` datasets."""
    n = int(sum(x_counts))
    template = np.repeat(np.arange(len(x_counts)), x_counts).astype(float)
    x = np.array([rng.permutation(template) for _ in range(sims)])
    xr = midranks(x)
    ties = sum(c ** 3 - c for c in x_counts)
    a = (xr - (n + 1) / 2) / np.sqrt((n ** 3 - n - ties) / (12.0 * n))
    noise = np.array([rng.permutation(n) + 1.0 for _ in range(sims)]) + rng.uniform(-0.49, 0.49, (sims, n))
    b = (noise - (n + 1) / 2) / np.sqrt((n * n - 1) / 12.0)
    return xr, a, b


def y_ranks(signal, y_counts):
    order_ranks = np.argsort(np.argsort(signal, axis=1, kind="stable"), axis=1, kind="stable")
    if y_counts is None:
        return order_ranks + 1.0
    levels = np.repeat(np.arange(len(y_counts)), y_counts).astype(float)
    return midranks(levels[order_ranks])


def calibrate(xr, a, b, y_counts, target):
    lo, hi = 0.0, 0.999
    for _ in range(30):
        c = (lo + hi) / 2
        m = spearman_rows(xr, y_ranks(c * a + np.sqrt(1 - c * c) * b, y_counts)).mean()
        if m < target:
            lo = c
        else:
            hi = c
    return (lo + hi) / 2


def null_abs(rng, x_counts, y_counts, perms):
    n = int(sum(x_counts))
    xr = midranks(np.repeat(np.arange(len(x_counts)), x_counts)[None, :].astype(float))[0]
    yr = (np.arange(1.0, n + 1) if y_counts is None else midranks(np.repeat(np.arange(len(y_counts)), y_counts)[None, :].astype(float))[0])
    out = np.empty(perms)
    for start in range(0, perms, 5000):
        m = min(5000, perms - start)
        ys = np.array([rng.permutation(yr) for _ in range(m)])
        out[start:start + m] = np.abs(spearman_rows(np.broadcast_to(xr, ys.shape), ys))
    return np.sort(out)


def power_at(seed, x_props, y_props, n):
    rng = np.random.default_rng(seed)
    x_counts = largest_remainder(x_props, n)
    y_counts = None if y_props is None else largest_remainder(y_props, n)
    xr, a, b = draw(rng, x_counts, SIMS)
    c = calibrate(xr, a, b, y_counts, RHO)
    rho_hat = spearman_rows(xr, y_ranks(c * a + np.sqrt(1 - c * c) * b, y_counts))
    nul = null_abs(rng, x_counts, y_counts, NULL_PERMS)
    count = NULL_PERMS - np.searchsorted(nul, np.abs(rho_hat) - 1e-12, side="left")
    p = (1 + count) / (1 + NULL_PERMS)
    power = float((p < ALPHA).mean())
    return {
        "n": n,
        "xCounts": [int(v) for v in x_counts],
        "yCounts": None if y_counts is None else [int(v) for v in y_counts],
        "power": power,
        "powerSe": float(np.sqrt(power * (1 - power) / SIMS)),
        "meanRho": float(rho_hat.mean()),
        "generatorInput": float(c),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-a", type=int, required=True, help="spearsim's n for design A (continuous y)")
    ap.add_argument("--n-b", type=int, required=True, help="spearsim's n for design B (ordinal y)")
    ap.add_argument("--out", default=os.path.join(ROOT, "test", "fixtures", "design_n.json"))
    args = ap.parse_args()
    designs = []
    for seed, name, x_props, y_props, n in [
        (101, "A", [0.4, 0.3, 0.2, 0.1], None, args.n_a),
        (202, "B", [0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.4, 0.2, 0.1], args.n_b),
    ]:
        designs.append({
            "name": name,
            "xProportions": x_props,
            "yLevels": y_props,
            "spearsimN": n,
            "atN": power_at(seed, x_props, y_props, n),
            "atNMinus1": power_at(seed + 1, x_props, y_props, n - 1),
        })
    fixture = {
        "generator": "scripts/golden/make_design_fixture.py (numpy %s, scipy %s)" % (np.__version__, scipy.__version__),
        "rho": RHO,
        "alpha": ALPHA,
        "targetPower": TARGET_POWER,
        "alternative": "two-sided",
        "sims": SIMS,
        "nullPermutations": NULL_PERMS,
        "designs": designs,
    }
    with open(args.out, "w") as f:
        json.dump(fixture, f, indent=2)
        f.write("\n")
    print(json.dumps(fixture, indent=2))


if __name__ == "__main__":
    main()
