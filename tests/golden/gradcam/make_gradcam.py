"""Grad-CAM reference (Selvaraju et al.; the book's 9.4.3 recipe) for the Mlx import of an ONNX backbone.

Rebuilds ResNetTiny exactly as tests/golden/onnx/make_onnx_fixtures.py exported it (same seeds; checked against the
output stored in resnet_tiny.npz), then for each of the 4 stored inputs and two layers computes, in float64:
    A = the layer's activation (C, h, w); g = d(output[class]) / dA (the class's logit, as in the paper);
    weights = mean of g over (h, w); heatmap = ReLU(sum_c weights_c * A_c); heatmap /= max(heatmap) (zeros if max is 0).
Classes: the predicted one and class 3. Run: /usr/bin/python3 tests/golden/gradcam/make_gradcam.py
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "onnx"))
from make_onnx_fixtures import ResNetTiny, randomise_batchnorm  # noqa: E402

LAYERS = {"layer1": "/layer1/relu_1/Relu_output_0", "layer2": "/layer2/relu_1/Relu_output_0"}


def main():
    torch.manual_seed(0)
    model = ResNetTiny().eval()
    randomise_batchnorm(model)
    stored = np.load(os.path.join(HERE, "..", "onnx", "resnet_tiny.npz"))
    x = torch.from_numpy(stored["input"])
    with torch.no_grad():
        assert np.allclose(model(x).numpy(), stored["output"], atol=1e-5), "the rebuilt model differs from the exported one"
    model = model.double()
    cases = []
    for layer, onnx_name in LAYERS.items():
        for mode in ("predicted", 3):
            activations = {}
            handle = getattr(model, layer).register_forward_hook(lambda m, i, o: activations.__setitem__("a", o))
            out = model(x.double())
            handle.remove()
            a = activations["a"]
            classes = out.argmax(1) if mode == "predicted" else torch.full((x.shape[0],), mode)
            score = out.gather(1, classes[:, None]).sum()
            (g,) = torch.autograd.grad(score, a)
            weights = g.mean(dim=(2, 3), keepdim=True)
            cam = torch.relu((weights * a).sum(1))
            peak = cam.amax(dim=(1, 2), keepdim=True)
            cam = torch.where(peak > 0, cam / peak.clamp_min(1e-30), torch.zeros_like(cam))
            cases.append({"layer": onnx_name, "class": None if mode == "predicted" else mode, "classes": classes.tolist(),
                          "shape": list(cam.shape), "heatmaps": cam.detach().numpy().ravel().tolist()})
    with open(os.path.join(HERE, "gradcam_resnet_tiny.json"), "w") as f:
        json.dump({"tool": "make_gradcam.py", "torch": torch.__version__, "model": "resnet_tiny_opset13.onnx", "cases": cases}, f)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
