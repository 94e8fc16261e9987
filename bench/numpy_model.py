#!/usr/bin/env python3
"""A backstream model file in numpy: the book's predict, nothing of backstream's code.

Loads MODEL (from `backstream train --save-model`) with numpy.load (allow_pickle=False), checks
the arrays' dtypes and shapes and that the SHA-256 of W1, b1, W2, b2's little-endian bytes is the
file's paramsSha256, then classifies the test images of an MNIST-layout IDX folder (raw or gzip)
with x @ W1 + b1, the activation, @ W2 + b2 and prints one JSON object: the accuracy and counts.
With --resave FILE it also writes the arrays back with numpy.savez_compressed.

Usage: numpy_model.py MODEL --data DIR [--resave FILE]
"""
import argparse
import hashlib
import json

import numpy as np

from numpy_gradient import read_idx


def load_test(folder):
    images = read_idx(folder, "t10k-images-idx3-ubyte")
    labels = read_idx(folder, "t10k-labels-idx1-ubyte")
    t = np.frombuffer(labels, dtype=np.uint8, offset=8).astype(np.int64)
    x = np.frombuffer(images, dtype=np.uint8, offset=16).reshape(len(t), -1)
    return x.astype(np.float64) / 255.0, t


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("--data", required=True)
    parser.add_argument("--resave")
    args = parser.parse_args()
    with np.load(args.model, allow_pickle=False) as z:
        arrays = {name: z[name] for name in z.files}
    w1, b1, w2, b2 = (arrays[n] for n in ("W1", "b1", "W2", "b2"))
    for a in (w1, b1, w2, b2):
        assert a.dtype == np.dtype("<f8"), a.dtype
    assert w1.ndim == 2 and b1.shape == (w1.shape[1],) and w2.shape[0] == w1.shape[1], \
        (w1.shape, b1.shape, w2.shape)
    assert b2.shape == (w2.shape[1],), b2.shape
    sha = hashlib.sha256(b"".join(np.ascontiguousarray(a).tobytes() for a in (w1, b1, w2, b2)))
    activation = str(arrays["activation"])
    settings = json.loads(str(arrays["settings"]))

    x, t = load_test(args.data)
    a1 = x @ w1 + b1
    z1 = np.maximum(a1, 0.0) if activation == "relu" else 1.0 / (1.0 + np.exp(-a1))
    y = z1 @ w2 + b2
    correct = int((np.argmax(y, axis=1) == t).sum())
    if args.resave:
        np.savez_compressed(args.resave, **arrays)
    print(json.dumps({
        "correct": correct, "total": len(t), "accuracy": correct / len(t),
        "paramsSha256": str(arrays["paramsSha256"]), "computedSha256": sha.hexdigest(),
        "activation": activation, "shapes": [list(a.shape) for a in (w1, b1, w2, b2)],
        "settings": settings, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
