# Peer of the `peers` bench group (bench/peers.js): reads one command per line on stdin and answers
# one line on stdout, so the group times scipy's work without Python's start-up.
#   load NAME PATH   dataset NAME: a CSV with columns x and y
#   perm NAME        scipy.stats.permutation_test, pairings, 1e5 resamples, vectorized in batches of
#                    1e4 (all at once takes gigabytes at n = 1000) -> "ok <p-value>"
#   bca NAME         scipy.stats.bootstrap, paired, 1e4 resamples, vectorized, BCa -> "ok <lower> <upper>"
import sys

import numpy as np
from scipy import stats


def pearson(a, b, axis=-1):
    a = a - a.mean(axis=axis, keepdims=True)
    b = b - b.mean(axis=axis, keepdims=True)
    return (a * b).sum(axis=axis) / np.sqrt((a * a).sum(axis=axis) * (b * b).sum(axis=axis))


def spearman(x, y, axis=-1):
    return pearson(stats.rankdata(x, axis=axis), stats.rankdata(y, axis=axis), axis=axis)


datasets = {}
for line in sys.stdin:
    words = line.split()
    try:
        if words[0] == "load":
            data = np.genfromtxt(words[2], delimiter=",", names=True)
            datasets[words[1]] = (data["x"], data["y"])
            answer = "ok"
        elif words[0] == "perm":
            x, y = datasets[words[1]]
            rx, ry = stats.rankdata(x), stats.rankdata(y)  # ranks move with the values they rank
            res = stats.permutation_test((rx,), lambda a, axis=-1: pearson(a, ry, axis=axis), permutation_type="pairings",
                                         n_resamples=100000, vectorized=True, batch=10000, random_state=1)
            answer = f"ok {res.pvalue:.6g}"
        elif words[0] == "bca":
            x, y = datasets[words[1]]
            res = stats.bootstrap((x, y), spearman, paired=True, vectorized=True, n_resamples=10000, method="BCa", random_state=1)
            answer = f"ok {res.confidence_interval.low:.6g} {res.confidence_interval.high:.6g}"
        else:
            answer = f"error unknown command {words[0]}"
    except Exception as e:  # reported to the bench, which marks the variant as failed
        answer = "error " + str(e).replace("\n", " ")
    print(answer, flush=True)
