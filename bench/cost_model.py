#!/usr/bin/env python3
"""The step-time cost model of DESIGN.md ("Cost model"), fitted to points measured on this machine.

A synchronous step of W worker processes, global batch B in S shards, P bytes of parameters:

    T = hop(P + 4B) + (W - 1) * (P + 4B) * b     # the step frame out, fetched once per process
      + c * B / W                                # the kernel: one process's share of the batch
      + hop(G) + n * (G * b / F + d)             # gradients back: the coordinator takes n frames
      + t0                                       # the coordinator's own work (reduce, SGD, the
                                                 # next batch, encode) and the broker's per step

with n = W, or with R reducers n = R and one hop more: hop(G) + (W / R) * (G * b / F + d) at
each reducer. hop(x) = a + b * x is one Kafka hop of x bytes, and b also prices every further
copy of a frame through the broker (one more consumer of the steps, one more gradient in);
F is the number of brokers the gradients spread over (their R + 1 partitions; the steps topic
has one partition, so its fan-out stays on one broker). G is a gradient frame: a node of many
samples is dense (P); at the book's 25 samples a leaf it is about 0.6 P.

Fitted, not guessed: a and b by least squares to the warm ping-pong round trips (two hops each);
c for the book's shards of 25 is `bench compute`; d the decode and tree add of one frame; t0 and
c for shards of 1,024 solve the two 1-worker `bench scale` rows (the book's batch and the
compute-bound one), and that c is checked against a worker's CPU time per sample. The 2-worker rows are then
predictions to hold against their measurements. The model gives every process its own cores;
this machine has 2 for the broker, the coordinator and the workers, which is where the
2-worker measurements fall short of it.

Usage: cost_model.py [--csv FILE]
"""
import argparse
import csv
import sys

import numpy as np

# --- measured (where from) ---------------------------------------------------------------------
# warm ping-pong, two hops, separate broker JVM, 1,500 round trips after warm-up (KAFKA-HERE.md)
PING_PONG_BYTES = np.array([1_000, 40_000, 160_000, 320_000], dtype=float)
PING_PONG_MS = np.array([0.58, 0.72, 1.28, 1.83])
# ms per sample in shards of 25: `bench compute` (a cache-warm batch of 100)
C_SMALL = {"float64": 0.0031, "float32": 0.0031}
# a worker process's CPU time per sample at batch 16,384 (/proc, random batches): the fit's check
C_LARGE_CPU = 0.00446
# decode of a 190 KB gradient frame (0.046 ms) and its add into the tree (~0.02 ms)
D_FRAME = 0.07
P_BYTES = {"float64": 318_080, "float32": 159_040}
LEAF_FRACTION = 0.6   # a frame of a node of 25 to 100 samples without its zero blocks
# bench scale, 1 worker process of 1 actor, steady medians in ms (the fit's two equations)
MEASURED_1 = {100: 4.52, 16_384: 70.3}
# bench scale, 2 worker processes: what the model predicts
MEASURED_2 = {100: 5.28, 16_384: 47.6}
SHARD_SAMPLES = {100: 25, 16_384: 1_024}


def fit_hop():
    """a (ms) and b (ms per byte) of one hop, from round trips of two hops."""
    A = np.vstack([np.full_like(PING_PONG_BYTES, 2.0), 2.0 * PING_PONG_BYTES]).T
    (a, b), *_ = np.linalg.lstsq(A, PING_PONG_MS, rcond=None)
    return a, b


def per_sample(dtype, shard_samples, c_large):
    return C_SMALL[dtype] if shard_samples <= 128 else c_large


def transport(workers, batch, dtype, shard_samples, reducers=0, brokers=1, hop=None,
              indices=True, c_large=0.0):
    """Everything of a step but the coordinator's own work, ms; {@code indices}: the step frame
    carries the global batch's indices (as built), else each worker draws its shards' own."""
    a, b = hop
    p = P_BYTES[dtype]
    # a worker's node of many samples lights nearly every pixel: its frame is dense
    g = p if batch / workers >= 500 else LEAF_FRACTION * p
    step = p + 4 * batch if indices else p
    out = a + b * step + (workers - 1) * step * b
    compute = per_sample(dtype, shard_samples, c_large) * batch / workers
    if reducers:
        spread = min(brokers, reducers + 1)
        fan_in = (a + b * g + -(-workers // reducers) * (g * b / spread + D_FRAME)
                  + a + b * p + reducers * (p * b / spread + D_FRAME))
    else:
        fan_in = a + b * g + workers * (g * b + D_FRAME)
    return out + compute + fan_in


def fit(hop):
    """t0 (ms) and c for shards of 1,024 (ms per sample) from the two measured 1-worker rows."""
    small, large = sorted(MEASURED_1)
    t0 = MEASURED_1[small] - transport(1, small, "float64", SHARD_SAMPLES[small], hop=hop)
    rest = MEASURED_1[large] - t0 - transport(1, large, "float64", SHARD_SAMPLES[large], hop=hop)
    return t0, rest / large


def step_ms(workers, batch, dtype, shard_samples, reducers=0, brokers=1, hop=None, coord=None,
            indices=True):
    t0, c_large = coord
    return transport(workers, batch, dtype, shard_samples, reducers, brokers, hop, indices,
                     c_large) + t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", help="also write the prediction table as CSV")
    args = parser.parse_args()
    hop = fit_hop()
    a, b = hop
    coord = fit(hop)
    print(f"fitted: hop {a:.3f} ms + {b * 1e6:.2f} ms/MB ({1 / (b * 1e3):.0f} MB/s), residuals "
          + ", ".join(f"{r:+.3f}" for r in PING_PONG_MS - 2 * (a + b * PING_PONG_BYTES))
          + f" ms; t0 {coord[0]:.2f} ms; c {coord[1] * 1e3:.2f} us a sample in shards of 1,024"
          + f" (a worker's CPU time: {C_LARGE_CPU * 1e3:.2f})")
    print("\nmeasured against predicted (float64, 1 broker, no reducers):")
    print(f"{'batch':>7} {'workers':>7} {'measured ms':>12} {'model ms':>9}")
    for B in sorted(MEASURED_1):
        for w, measured in ((1, MEASURED_1[B]), (2, MEASURED_2[B])):
            model = step_ms(w, B, "float64", SHARD_SAMPLES[B], hop=hop, coord=coord)
            kind = "fitted" if w == 1 else "predicted"
            print(f"{B:>7,} {w:>7} {measured:>12.1f} {model:>9.1f}  ({kind})")
    header = ("indices", "dtype", "brokers", "reducers", "workers", "global batch", "step ms",
              "samples/s")
    rows = []
    for indices in (True, False):
        for dtype in ("float64", "float32"):
            for brokers in (1, 3):
                for workers in (10, 100, 1000):
                    for r in (0, round(workers ** 0.5)):
                        if indices and (brokers, dtype) != (1, "float64"):
                            continue
                        batch = 2_048 * workers
                        ms = step_ms(workers, batch, dtype, 1_024, r, brokers, hop, coord, indices)
                        rows.append(("in frame" if indices else "drawn", dtype, brokers, r,
                                     workers, batch, ms, 1000 * batch / ms))
    print("\npredicted, 2,048 samples per worker (shards of 1,024), every process on its own cores;"
          "\nindices 'in frame' as built, 'drawn' if each worker drew its shards from (seed, step):")
    print("{:>8} {:>8} {:>7} {:>8} {:>7} {:>12} {:>9} {:>11}".format(*header))
    for row in rows:
        print("{:>8} {:>8} {:>7} {:>8} {:>7} {:>12,} {:>9.1f} {:>11,.0f}".format(*row))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
