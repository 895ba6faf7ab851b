#!/usr/bin/python3
"""Regenerates the PyTorch-exported ONNX fixtures of this folder (vgg_tiny, resnet_tiny) and their expected outputs.

Run with Debian bookworm's /usr/bin/python3 (python3-torch 1.13, python3-onnx 1.12):
    /usr/bin/python3 make_onnx_fixtures.py [--out DIR]
Writes <model>_opset13.onnx / <model>_opset17.onnx and <model>.npz ('input' float32 NCHW, 'output' PyTorch float32,
'output_f64' the same model in float64), with the seeds of the project's peer harness (shared/golden/onnx/manifest.json):
weights torch.manual_seed(0); BatchNorm statistics and affine parameters randomised from Generator().manual_seed(1)
(so BN is not the identity); input torch.randn(shape, generator=Generator().manual_seed(1234)). The batch axis is
dynamic ('N'); BN is exported in eval mode (TrainingMode.PRESERVE). Then it re-executes every export with
onnx_numpy_ref.py (an independent float64 interpreter) and prints the largest error against the expected outputs.
With Debian bookworm's torch 1.13 it reproduces the committed vgg_tiny_opset13.onnx, resnet_tiny_opset17.onnx and both .npz
byte for byte (checked); the tests use those two opsets.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))


class VGGTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(inplace=True), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(inplace=True), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(1024, 32), nn.ReLU(inplace=True), nn.Dropout(0.5), nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)) + identity)


class ResNetTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(8, 8, 1)
        self.layer2 = BasicBlock(8, 16, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.layer2(self.layer1(self.stem(x)))), 1))


def randomise_batchnorm(model):
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)


def export(name, make, out):
    torch.manual_seed(0)
    model = make()
    randomise_batchnorm(model)
    model.eval()
    x = torch.randn((4, 3, 32, 32), generator=torch.Generator().manual_seed(1234))
    with torch.no_grad():
        y = model(x).numpy()
        y64 = model.double()(x.double()).numpy()
    model.float()
    np.savez(os.path.join(out, f"{name}.npz"), input=x.numpy(), output=y, output_f64=y64)
    for opset in (13, 17):
        torch.onnx.export(model, x, os.path.join(out, f"{name}_opset{opset}.onnx"), input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "N"}, "output": {0: "N"}}, opset_version=opset, do_constant_folding=True,
                          training=torch.onnx.TrainingMode.PRESERVE)
        check = subprocess.run([sys.executable, os.path.join(here, "onnx_numpy_ref.py"), os.path.join(out, f"{name}_opset{opset}.onnx"),
                                os.path.join(out, f"{name}.npz")], capture_output=True, text=True, check=True)
        print(name, opset, json.loads(check.stdout).get("max_abs_err_vs_output"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=here)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    export("vgg_tiny", VGGTiny, out)
    export("resnet_tiny", ResNetTiny, out)
