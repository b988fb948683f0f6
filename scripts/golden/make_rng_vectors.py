#!/usr/bin/env python3
"""Independent reference for spearsim's random streams (lib/rng.ts, native/rng.hpp).

Re-implements the seed tree (SplitMix64 finaliser), xoshiro256** and the derived draws in plain
Python integers, straight from their definitions, and writes test/fixtures/rng-vectors.json.
The TypeScript and C++ implementations must reproduce these bits exactly.
"""
import json
import os

M = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
ROOT_TAG = 0x5350454152534D31


def mix64(z):
    z &= M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def child(key, label):
    return mix64(key ^ mix64(label + GOLDEN))


def root(seed):
    return child(ROOT_TAG, seed)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


class Xoshiro:
    def __init__(self, key):
        z = key
        self.s = []
        for _ in range(4):
            z = (z + GOLDEN) & M
            self.s.append(mix64(z))
        self.spare = None

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def next32(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        v = self.next()
        self.spare = v & 0xFFFFFFFF
        return v >> 32

    def bounded(self, rng):
        m = self.next32() * rng
        low = m & 0xFFFFFFFF
        if low < rng:
            threshold = (2**32 - rng) % rng
            while low < threshold:
                m = self.next32() * rng
                low = m & 0xFFFFFFFF
        return m >> 32


def resample_indices(key, rng, count):
    """ResampleIndexStream: eight xoshiro256** lanes (lane l keyed child(key, l)) stepped in turn,
    each 64-bit output split into its low then high 32-bit word; a word w maps to w*rng >> 32
    unless (w*rng mod 2^32) < 2^32 mod rng (then it is skipped)."""
    lanes = [Xoshiro(child(key, lane)) for lane in range(8)]
    threshold = (2**32 - rng) % rng
    out = []
    while len(out) < count:
        for lane in lanes:
            v = lane.next()
            for w in (v & 0xFFFFFFFF, v >> 32):
                m = w * rng
                if (m & 0xFFFFFFFF) >= threshold:
                    out.append(m >> 32)
    return out[:count]


def main():
    out = {"_generator": "scripts/golden/make_rng_vectors.py (plain Python integers)", "keys": {}, "streams": []}
    out["keys"]["root(0)"] = str(root(0))
    out["keys"]["root(42)"] = str(root(42))
    out["keys"]["child(root(42),7)"] = str(child(root(42), 7))
    # the published xoshiro256** outputs for state {1, 2, 3, 4}
    x = Xoshiro(0)
    x.s = [1, 2, 3, 4]
    out["xoshiroState1234"] = [str(x.next()) for _ in range(6)]
    for seed, labels in [(0, []), (42, []), (42, [7, 1]), (2**53 - 1, [3])]:
        key = root(seed)
        for label in labels:
            key = child(key, label)
        g = Xoshiro(key)
        u64 = [str(g.next()) for _ in range(8)]
        g = Xoshiro(key)
        uniform = [g.uniform() for _ in range(8)]
        g = Xoshiro(key)
        bounded = {str(r): [g.bounded(r) for _ in range(12)] for r in (1, 2, 3, 73, 2**31 + 1, 2**32 - 1)}
        indices = {str(r): resample_indices(key, r, 40) for r in (1, 3, 73, 1000, 2**31 + 1, 2**32 - 1)}
        out["streams"].append({"seed": seed, "labels": labels, "key": str(key), "u64": u64, "uniform": uniform,
                               "bounded": bounded, "resampleIndices": indices})
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "rng-vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
