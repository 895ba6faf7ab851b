"""ONNX fixtures for the TorchSharp import (OnnxTorchModule): small torchvision architectures and an operator zoo,
exported by PyTorch with BatchNormalization kept (TrainingMode.PRESERVE in eval mode), opsets 13 and 17.

Run with Debian's python3-torch / python3-torchvision / python3-onnx:
    /usr/bin/python3 tests/golden/onnx_import/make_import_fixtures.py
Weights are random (seeded; nothing is downloaded) and widths reduced to keep files small; the architectures
(operators, padding, ceil-mode pooling, grouped convolutions, concatenations, reshape chains) are torchvision's own.
The tests compare the imported module with ONNX Runtime on the same file, so no expected outputs are stored; the
manifest records the operators each file uses.
"""
import json
import os

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.inception import InceptionA

OUT = os.path.dirname(os.path.abspath(__file__))


class InceptionMini(nn.Module):
    """torchvision's InceptionA block (1x1, 5x5, double 3x3 and average-pool branches, concatenated)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, bias=False), nn.BatchNorm2d(16, eps=0.001), nn.ReLU())
        self.block = InceptionA(16, pool_features=8)
        self.fc = nn.Linear(64 + 64 + 96 + 8, 10)

    def forward(self, x):
        x = self.block(self.stem(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(x.view(x.size(0), -1))  # Shape/Gather/Unsqueeze/Concat/Reshape chain


class XceptionBlock(nn.Module):
    """Xception's residual block: separable convolutions (depthwise + pointwise), BN, max pooling with padding."""

    def __init__(self, cin=8, cout=16):
        super().__init__()
        self.entry = nn.Sequential(nn.Conv2d(3, cin, 3, stride=2, bias=False), nn.BatchNorm2d(cin), nn.ReLU())
        self.sep1 = nn.Sequential(nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False), nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.sep2 = nn.Sequential(nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1, groups=cout, bias=False), nn.Conv2d(cout, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=2, bias=False), nn.BatchNorm2d(cout))
        self.fc = nn.Linear(cout, 10)

    def forward(self, x):
        x = self.entry(x)
        y = self.pool(self.sep2(self.sep1(x))) + self.skip(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


class OperatorZoo(nn.Module):
    """The remaining listed operators: reflect and uneven constant Pad, Sub/Div by constants, LeakyRelu, Sigmoid, Tanh,
    Mul, AveragePool without the padding counted, Clip (ReLU6), Softmax, Transpose + MatMul, Gemm without transB."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 3)
        self.weight = nn.Parameter(torch.randn(6 * 6 * 6, 5) * 0.1)
        self.bias = nn.Parameter(torch.randn(5))

    def forward(self, x):
        x = F.pad(x, (1, 2, 2, 1), mode="reflect")
        x = (x - 0.5) / 0.25
        x = F.leaky_relu(self.conv(x), 0.1)
        x = F.pad(x, (0, 1, 1, 0))
        x = torch.sigmoid(x) * torch.tanh(x) + x
        x = F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False)
        x = F.relu6(x * 4)
        x = torch.softmax(x, dim=1)
        x = torch.matmul(x, x.transpose(2, 3))
        return torch.addmm(self.bias, torch.flatten(x, 1), self.weight)


def densenet_mini():
    return torchvision.models.DenseNet(growth_rate=8, block_config=(2, 2), num_init_features=16, bn_size=2, num_classes=10)


MODELS = {
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10), (2, 3, 64, 64)),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(num_classes=10), (2, 3, 64, 64)),
    "densenet_mini": (densenet_mini, (2, 3, 64, 64)),
    "inception_mini": (InceptionMini, (2, 3, 35, 35)),
    "xception_block": (XceptionBlock, (2, 3, 33, 33)),
    "operator_zoo": (OperatorZoo, (2, 3, 10, 10)),
}
# One opset is enough for the largest file (its operators are the same in both).
SINGLE_OPSET = {"squeezenet1_1"}


def randomise_batch_norm(model, generator):
    # Fresh BN layers have mean 0 / variance 1: give them real statistics so a wrong formula shows.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=generator) * 0.1)


def main():
    manifest = {"tool": "make_import_fixtures.py", "torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__, "models": {}}
    for name, (make, shape) in MODELS.items():
        torch.manual_seed(0)
        model = make().eval()
        with torch.no_grad():
            randomise_batch_norm(model, torch.Generator().manual_seed(1))
        x = torch.randn(shape, generator=torch.Generator().manual_seed(1234))
        entry = {"input_shape": list(shape), "files": {}}
        for opset in ((13,) if name in SINGLE_OPSET else (13, 17)):
            path = os.path.join(OUT, f"{name}_opset{opset}.onnx")
            torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": {0: "N"}, "output": {0: "N"}}, opset_version=opset,
                              do_constant_folding=True, training=torch.onnx.TrainingMode.PRESERVE)
            proto = onnx.load(path)
            entry["files"][f"opset{opset}"] = {"file": os.path.basename(path), "bytes": os.path.getsize(path),
                                                "op_types": sorted({n.op_type for n in proto.graph.node})}
        manifest["models"][name] = entry
        print(name, entry["files"]["opset13"]["bytes"], entry["files"]["opset13"]["op_types"])
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
