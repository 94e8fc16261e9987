#!/usr/bin/env python3
"""The book's run in PyTorch DistributedDataParallel, the reference speed of `bench compare`.

Same model and run as backstream's: 784-50-10, ReLU, weights N(0, 0.01^2), biases 0, plain SGD
(lr 0.1), batches of 100 drawn with replacement from the training images of an MNIST-layout IDX
folder, STEPS steps, full train and test evaluations every epoch (training images / batch steps)
and after the last step. PROCS processes of one thread each on gloo over 127.0.0.1, float32; each
rank computes the gradient of its part of the batch and DDP all-reduces (averages) them, so every
rank applies the gradient of the whole batch. Rank 0 evaluates, the others wait at a barrier: one
evaluation costs the same as in backstream, where the coordinator evaluates while workers idle.

The clock runs from the first step to the end of the last evaluation (data loading and process
start-up excluded, as backstream's wallSeconds excludes them). The last line printed is one JSON
object: {"ddp": {...}} with wallSeconds, msPerStep, testAccuracy, epochWalls (the step and the
seconds since the first step at the end of each evaluation) and the settings.

Usage: ddp_reference.py --data DIR [--steps 10000] [--procs 2] [--seed 0]
Needs torch (Debian: apt-get install python3-torch libopenblas0-openmp).
"""
import argparse
import json
import os
import socket
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

# the IDX reader of `bench compute`'s numpy reference, shipped beside this script
from numpy_gradient import read_idx


def load(folder, prefix):
    labels = read_idx(folder, prefix + "-labels-idx1-ubyte")
    images = read_idx(folder, prefix + "-images-idx3-ubyte")
    t = np.frombuffer(labels, dtype=np.uint8, offset=8).astype(np.int64)
    x = np.frombuffer(images, dtype=np.uint8, offset=16).reshape(len(t), -1)
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(t)


def model(seed, hidden):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(784, hidden), torch.nn.ReLU(),
                              torch.nn.Linear(hidden, 10))
    with torch.no_grad():
        for layer in (net[0], net[2]):
            layer.weight.normal_(0.0, 0.01)
            layer.bias.zero_()
    return net


def accuracy(net, x, t):
    with torch.no_grad():
        return float((net(x).argmax(dim=1) == t).float().mean())


def worker(rank, args, port, results):
    torch.set_num_threads(1)
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=args.procs)
    x_train, t_train = load(args.data, "train")
    x_test, t_test = load(args.data, "t10k")
    net = DistributedDataParallel(model(args.seed, args.hidden))
    sgd = torch.optim.SGD(net.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    # every rank draws the same batch (same generator) and keeps its slice of it
    batches = torch.Generator().manual_seed(args.seed)
    part = args.batch // args.procs
    lo, hi = rank * part, (rank + 1) * part if rank < args.procs - 1 else args.batch
    per_epoch = max(len(t_train) // args.batch, 1)
    evaluations = 0
    epoch_walls = []  # [step, seconds since the first step] at the end of each evaluation
    test_acc = float("nan")
    dist.barrier()
    start = time.perf_counter()
    for step in range(1, args.steps + 1):
        idx = torch.randint(len(t_train), (args.batch,), generator=batches)[lo:hi]
        sgd.zero_grad(set_to_none=True)
        # mean over the rank's slice; DDP averages over ranks: the whole batch's mean for equal slices
        loss_fn(net(x_train[idx]), t_train[idx]).backward()
        sgd.step()
        if step % per_epoch == 0 or step == args.steps:
            if rank == 0:
                accuracy(net.module, x_train, t_train)
                test_acc = accuracy(net.module, x_test, t_test)
            evaluations += 1
            dist.barrier()
            epoch_walls.append([step, time.perf_counter() - start])
    wall = time.perf_counter() - start
    if rank == 0:
        results.put({"wallSeconds": wall, "msPerStep": 1000.0 * wall / args.steps,
                     "testAccuracy": test_acc, "steps": args.steps, "evaluations": evaluations,
                     "epochWalls": epoch_walls,
                     "procs": args.procs, "threadsPerProc": torch.get_num_threads(),
                     "batch": args.batch, "lr": args.lr, "backend": "gloo",
                     "torch": torch.__version__})
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--hidden", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.steps < 1 or args.procs < 1 or args.batch < args.procs:
        sys.exit("ddp_reference.py: need --steps >= 1, --procs >= 1 and --batch >= --procs")
    ctx = mp.get_context("spawn")
    results = ctx.SimpleQueue()
    mp.start_processes(worker, args=(args, free_port(), results), nprocs=args.procs,
                       start_method="spawn")
    print(json.dumps({"ddp": results.get()}))


if __name__ == "__main__":
    main()
