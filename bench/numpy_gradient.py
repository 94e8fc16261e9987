#!/usr/bin/env python3
"""Reference timing: the book's TwoLayerNet.gradient (784-50-10, ReLU) in numpy.

Reads the first BATCH training images of an MNIST-layout IDX folder, then times one full
backpropagation gradient (forward and backward) REPEAT times and prints one JSON object with the
median in milliseconds. Same arithmetic as the book's layers: dense products, float64.
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np


def read_idx(folder, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                return f.read()
    sys.exit("%s: no %s in %s" % (os.path.basename(sys.argv[0]), name, folder))


def load(folder, batch):
    images = read_idx(folder, "train-images-idx3-ubyte")
    labels = read_idx(folder, "train-labels-idx1-ubyte")
    x = np.frombuffer(images, dtype=np.uint8, offset=16)[: batch * 784]
    t = np.frombuffer(labels, dtype=np.uint8, offset=8)[:batch]
    return x.reshape(batch, 784).astype(np.float64) / 255.0, t.astype(np.int64)


def gradient(params, x, t):
    w1, b1, w2, b2 = params
    a1 = x.dot(w1) + b1
    mask = a1 <= 0
    z1 = np.where(mask, 0.0, a1)
    a2 = z1.dot(w2) + b2
    a2 = a2 - a2.max(axis=1, keepdims=True)
    y = np.exp(a2)
    y /= y.sum(axis=1, keepdims=True)
    n = x.shape[0]
    dy = y.copy()
    dy[np.arange(n), t] -= 1
    dy /= n
    dw2 = z1.T.dot(dy)
    db2 = dy.sum(axis=0)
    dz1 = dy.dot(w2.T)
    dz1[mask] = 0
    dw1 = x.T.dot(dz1)
    db1 = dz1.sum(axis=0)
    return dw1, db1, dw2, db2


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args()
    x, t = load(args.data, args.batch)
    rng = np.random.default_rng(0)
    params = (0.01 * rng.standard_normal((784, 50)), np.zeros(50),
              0.01 * rng.standard_normal((50, 10)), np.zeros(10))
    for _ in range(args.warmup):
        gradient(params, x, t)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        gradient(params, x, t)
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    print(json.dumps({"medianMs": times[len(times) // 2], "numpy": np.__version__,
                      "repeat": args.repeat, "batch": args.batch}))


if __name__ == "__main__":
    main()
