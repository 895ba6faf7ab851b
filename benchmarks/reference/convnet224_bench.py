#!/usr/bin/python3
"""convnet224_bench.py -- PyTorch CPU training throughput of a small-data convnet on 224x224x3 images, the reference of
Mlx's `convnet` benchmark suite (run it with /usr/bin/python3; Debian bookworm's python3-torch 1.13).

Model (the book's cats-vs-dogs convnet, 5 classes as the tuxpaint photos):
  Conv2d(3,32,3) -> ReLU -> MaxPool2d(2) -> Conv2d(32,64,3) -> ReLU -> MaxPool2d(2) -> Conv2d(64,128,3) -> ReLU ->
  MaxPool2d(2) -> Conv2d(128,128,3) -> ReLU -> MaxPool2d(2) -> Flatten (128*12*12) -> Dropout(0.5) -> Linear(18432,512)
  -> ReLU -> Linear(512,5); CrossEntropyLoss; RMSprop(lr=1e-4, alpha=0.9, eps=1e-7) as Keras' RMSprop.
Data: X ~ U[0,1) of shape (N,3,224,224) (torch.manual_seed(104)), y ~ Uniform{0..4}. Protocol as dl_bench.py: a fresh
permutation per epoch, 1 warm-up epoch then --epochs timed ones; prints JSON {"convnet224_train": median samples/s of
the timed epochs, "convnet224_seconds": seconds of all epochs}. BLAS and threads are chosen by importing dl_bench.py
(OpenMP OpenBLAS, 2 threads).
Usage: /usr/bin/python3 convnet224_bench.py [--samples 320] [--batch 32] [--epochs 2] [--warmup 1]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dl_bench  # noqa: E402,F401  (selects the BLAS, 2 threads)

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def build():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(128, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(128 * 12 * 12, 512), nn.ReLU(), nn.Linear(512, 5))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=320)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--blas", default="openmp")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(104)
    x = torch.rand(args.samples, 3, 224, 224)
    y = torch.randint(0, 5, (args.samples,))
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-4, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    rates, total = [], 0.0
    with threadpool_limits(limits=2):
        for epoch in range(args.warmup + args.epochs):
            start = time.perf_counter()
            model.train()
            order = torch.randperm(args.samples)
            for i in range(0, args.samples, args.batch):
                idx = order[i:i + args.batch]
                opt.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                loss.item()
            seconds = time.perf_counter() - start
            total += seconds
            print("# convnet224 epoch %d %s %.2fs %.0f samples/s" % (epoch, "warm-up" if epoch < args.warmup else "timed", seconds, args.samples / seconds),
                  file=sys.stderr, flush=True)
            if epoch >= args.warmup:
                rates.append(args.samples / seconds)
    print(json.dumps({"convnet224_train": statistics.median(rates), "convnet224_seconds": total}))


if __name__ == "__main__":
    main()
