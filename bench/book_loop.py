#!/usr/bin/env python3
"""The book's training loop (ch05 train_neuralnet.py) in numpy, to compare accuracies with.

Trains the book's TwoLayerNet (784-50-10, ReLU, weight_init_std 0.01) on an MNIST-layout IDX
folder the way the book does: np.random.seed(SEED), then ITERS steps of SGD (lr 0.1) on batches
of 100 drawn with np.random.choice (with replacement), inputs normalised to float32 as the book's
load_mnist does. Prints one JSON object per seed: the test accuracy where the book prints its last
epoch line (step 9,601 of 10,000) and after the last step. Nothing of backstream's code, and
backstream's RNG is not numpy's: the point is the spread over seeds, not one run's bits.

Usage: book_loop.py --data DIR [--seeds 0-9] [--iters 10000]
"""
import argparse
import json

import numpy as np

from numpy_gradient import gradient, read_idx


def load(folder, prefix):
    images = read_idx(folder, prefix + "-images-idx3-ubyte")
    labels = read_idx(folder, prefix + "-labels-idx1-ubyte")
    t = np.frombuffer(labels, dtype=np.uint8, offset=8).astype(np.int64)
    x = np.frombuffer(images, dtype=np.uint8, offset=16).reshape(len(t), -1)
    return x.astype(np.float32) / 255.0, t


def accuracy(params, x, t):
    w1, b1, w2, b2 = params
    scores = np.maximum(x.dot(w1) + b1, 0).dot(w2) + b2
    return float((scores.argmax(axis=1) == t).mean())


def train(seed, iters, train_set, test_set):
    x_train, t_train = train_set
    np.random.seed(seed)
    params = [0.01 * np.random.randn(784, 50), np.zeros(50),
              0.01 * np.random.randn(50, 10), np.zeros(10)]
    per_epoch = max(len(t_train) // 100, 1)
    last_epoch_line = None
    for i in range(iters):
        mask = np.random.choice(len(t_train), 100)
        grads = gradient(params, x_train[mask], t_train[mask])
        for p, g in zip(params, grads):
            p -= 0.1 * g
        if i % per_epoch == 0:
            last_epoch_line = accuracy(params, *test_set)
    return {"seed": seed, "iters": iters, "testAccuracyLastEpochLine": last_epoch_line,
            "testAccuracy": accuracy(params, *test_set)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--seeds", default="0-9", help="FIRST-LAST, inclusive (default 0-9)")
    parser.add_argument("--iters", type=int, default=10000)
    args = parser.parse_args()
    first, _, last = args.seeds.partition("-")
    train_set, test_set = load(args.data, "train"), load(args.data, "t10k")
    for seed in range(int(first), int(last or first) + 1):
        print(json.dumps(train(seed, args.iters, train_set, test_set)), flush=True)


if __name__ == "__main__":
    main()
