#!/usr/bin/python3
"""finetune_bench.py -- PyTorch + torchvision reference of Mlx's `backbone` benchmark suite (Debian's python3-torch
1.13 and python3-torchvision; run with /usr/bin/python3).

1. One fine-tuning step of ResNet18 (torchvision architecture, random weights: nothing is downloaded): 224x224 images,
   batch 16, everything frozen but the top residual block (layer4[1]) and a new Linear(512, 5) head; frozen batch-norm
   layers in inference mode (Keras' rule); cross-entropy, RMSprop(lr=1e-5). Median seconds of --steps steps after 2
   warm-up steps.
2. Grad-CAM of the same network's last residual stage for a batch of 16 (forward hook, gradient of the predicted
   class's logit, channel weights = mean gradient, ReLU of the weighted sum, scaled to max 1). Median of --steps.
Prints JSON {"finetune_step_seconds": ..., "gradcam_seconds": ...}. Threads and BLAS as dl_bench.py (2 threads).
Usage: /usr/bin/python3 finetune_bench.py [--steps 5] [--batch 16]
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
import torchvision  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=16)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=1000)
    model.fc = nn.Linear(512, 5)
    for p in model.parameters():
        p.requires_grad = False
    trainable = list(model.layer4[1].parameters()) + list(model.fc.parameters())
    for p in trainable:
        p.requires_grad = True
    model.train()
    for name, m in model.named_modules():
        if isinstance(m, nn.BatchNorm2d) and not name.startswith("layer4.1"):
            m.eval()
    optimizer = torch.optim.RMSprop(trainable, lr=1e-5, alpha=0.9, eps=1e-7)
    x = torch.rand(args.batch, 3, 224, 224, generator=torch.Generator().manual_seed(3))
    y = torch.randint(0, 5, (args.batch,), generator=torch.Generator().manual_seed(4))
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for step in range(args.steps + 2):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()
        if step >= 2:
            times.append(time.perf_counter() - start)

    model.eval()
    for p in model.parameters():
        p.requires_grad = True      # a trained network as users have it; autograd.grad computes only d score / d a
    cams = []
    for step in range(args.steps + 1):
        start = time.perf_counter()
        store = {}
        handle = model.layer4.register_forward_hook(lambda m, i, o: store.__setitem__("a", o))
        with torch.enable_grad():
            out = model(x)
            a = store["a"]
            handle.remove()
            score = out.gather(1, out.argmax(1, keepdim=True)).sum()
            (g,) = torch.autograd.grad(score, a)
        with torch.no_grad():
            cam = torch.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1))
            peak = cam.amax(dim=(1, 2), keepdim=True)
            cam = torch.where(peak > 0, cam / peak.clamp_min(1e-30), torch.zeros_like(cam))
        if step >= 1:
            cams.append(time.perf_counter() - start)
    print(json.dumps({"finetune_step_seconds": statistics.median(times), "gradcam_seconds": statistics.median(cams)}))


if __name__ == "__main__":
    main()
