#!/usr/bin/env python3
"""The step-time cost model of DESIGN.md ("Cost model"), fitted to measured points.

A synchronous step of W workers, global batch B, parameter frame P bytes, gradient frame G bytes:

    T = hop(P) + (W - 1) * P * beta / F      # the step frame out, fetched once per worker process
      + c * B / W                            # the kernel, one worker's share of the batch
      + hop(G) + n_in * (G * beta + d)       # gradients back; the coordinator takes n_in frames
      + [hop(P) + (W / R) * (G * beta + d)]  # with R reducers: one hop more, W / R frames each
      + t_c                                  # reduction's last add, SGD, encode

hop(x) = a + b * x is one Kafka hop of x bytes (produce, broker, consume), fitted by least squares
to the warm ping-pong points (two hops each); beta is the broker's cost per byte of one more
consumer or producer (its network threads and copies), taken as b: a 2-core loopback measure
that a real network does not improve on by much (10 Gbit/s is 0.8 ns/B). F is the number of
brokers the traffic spreads over (the steps topic has one partition, so fan-out is F = 1 unless
workers fetch from followers; gradients spread over the partitions of the reducer tier). c is the
kernel's cost per sample, d the coordinator's per-frame decode and add, t_c its fixed work.

Every input below is a measured figure (say where from); every output is a prediction. Run it
to print the table DESIGN.md carries.

Usage: cost_model.py [--csv FILE]
"""
import argparse
import csv
import sys

import numpy as np

# Measured: warm ping-pong round trips (2 hops) between two threads of one JVM and a broker JVM,
# 1,500 round trips after warm-up (shared/KAFKA-HERE.md "Warm latency, measured again").
PING_PONG_BYTES = np.array([1_000, 40_000, 160_000, 320_000], dtype=float)
PING_PONG_MS = np.array([0.58, 0.72, 1.28, 1.83])

# Measured: one gradient of a batch of 100, one thread (bench compute), per sample, ms.
C_F64 = 0.0055
C_F32 = 0.0050
# Measured: coordinator decode of a 190 KB gradient frame and its add into the tree, ms.
D_FRAME = 0.05 + 0.02
# Measured: SGD and encoding the next step frame, ms (DESIGN "Measurements").
T_C = 0.3

P_F64 = 318_567  # step frame bytes, float64 (measured: the encoder's output)
P_F32 = 159_527
G_F64 = 199_500  # a 2-shard gradient frame without its zero blocks, mean of 200 batches
G_F32 = 95_350


def fit_hop():
    """a (ms) and b (ms per byte) of one hop, from round trips of two hops."""
    A = np.vstack([np.full_like(PING_PONG_BYTES, 2.0), 2.0 * PING_PONG_BYTES]).T
    (a, b), *_ = np.linalg.lstsq(A, PING_PONG_MS, rcond=None)
    return a, b


def step_ms(workers, batch, dtype, reducers=0, brokers=1, hop=None):
    """Predicted ms of one step."""
    a, b = hop or fit_hop()
    c, p, g = (C_F64, P_F64, G_F64) if dtype == "float64" else (C_F32, P_F32, G_F32)
    # a worker's gradient is nearly dense once it sums many samples
    g = p if batch / workers >= 500 else g
    out = a + b * p + (workers - 1) * p * b
    compute = c * batch / workers
    if reducers:
        per_reducer = -(-workers // reducers)
        fan_in = (a + b * g + per_reducer * (g * b / min(brokers, reducers) + D_FRAME)
                  + a + b * p + reducers * (p * b + D_FRAME))
    else:
        fan_in = a + b * g + workers * (g * b + D_FRAME)
    return out + compute + fan_in + T_C


def table():
    rows = []
    for dtype in ("float64", "float32"):
        for brokers in (1, 3):
            for reducers_of in (lambda w: 0, lambda w: max(1, round(w ** 0.5))):
                for workers in (1, 2, 10, 100, 1000):
                    for per_worker in (None, 2_000):
                        batch = 100 if per_worker is None else per_worker * workers
                        if per_worker is None and workers > 100:
                            continue
                        r = reducers_of(workers) if workers >= 10 else 0
                        if r == 0 and reducers_of(4) != 0 and workers >= 10:
                            continue
                        ms = step_ms(workers, batch, dtype, r, brokers)
                        rows.append((dtype, brokers, r, workers, batch, ms, 1000 * batch / ms))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", help="also write the table as CSV")
    args = parser.parse_args()
    a, b = fit_hop()
    print(f"fitted hop: {a:.3f} ms + {b * 1e6:.3f} ms per MB "
          f"({1 / (b * 1e3):.0f} MB/s); residuals "
          + ", ".join(f"{r:+.3f}" for r in PING_PONG_MS - 2 * (a + b * PING_PONG_BYTES)) + " ms")
    rows = sorted(set(table()))
    header = ("dtype", "brokers", "reducers", "workers", "global batch", "step ms (pred.)",
              "samples/s (pred.)")
    print("{:>8} {:>7} {:>8} {:>7} {:>12} {:>15} {:>17}".format(*header))
    for row in rows:
        print("{:>8} {:>7} {:>8} {:>7} {:>12,} {:>15.1f} {:>17,.0f}".format(*row))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
