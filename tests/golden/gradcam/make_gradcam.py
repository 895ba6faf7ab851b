"""Grad-CAM reference (Selvaraju et al.; the book's 9.4.3 recipe) for the Mlx import of an ONNX backbone.

Rebuilds ResNetTiny exactly as tests/golden/onnx/make_onnx_fixtures.py exported it (same seeds; checked against the
output stored in resnet_tiny.npz), then for each of the 4 stored inputs and two layers computes, in float64:
    A = the layer's activation (C, h, w); g = d(output[class]) / dA (the class's logit, as in the paper);
    weights = mean of g over (h, w); heatmap = ReLU(sum_c weights_c * A_c); heatmap /= max(heatmap) (zeros if max is 0).
Classes: the predicted one and class 3.

Also filter patterns (the book's 9.4.2): from a stored start image uniform in [0.4, 0.6] (numpy seed 5), 30 steps of
    image += 10 * g / ||g||,   g = d mean(activation[0, filter, 2:-2, 2:-2]) / d image
for the most active channel of each of the two layers, in float64 -> filters_resnet_tiny.json. The model is in eval mode (running BN statistics).
Run: /usr/bin/python3 tests/golden/gradcam/make_gradcam.py
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

    start = np.random.default_rng(5).uniform(0.4, 0.6, size=(1, 3, 32, 32))
    patterns = []
    for layer in ("layer1", "layer2"):
        # The channel most active on the start image (a dead channel would have no gradient to ascend).
        activations = {}
        handle = getattr(model, layer).register_forward_hook(lambda m, i, o: activations.__setitem__("a", o))
        with torch.no_grad():
            model(torch.from_numpy(start))
        handle.remove()
        channel = int(activations["a"][0, :, 2:-2, 2:-2].mean(dim=(1, 2)).argmax())
        image = torch.from_numpy(start.copy())
        for _ in range(30):
            image = image.detach().requires_grad_(True)
            activations = {}
            handle = getattr(model, layer).register_forward_hook(lambda m, i, o: activations.__setitem__("a", o))
            model(image)
            handle.remove()
            loss = activations["a"][0, channel, 2:-2, 2:-2].mean()
            (g,) = torch.autograd.grad(loss, image)
            image = image + 10 * g / g.norm().clamp_min(1e-12)
        patterns.append({"layer": LAYERS[layer], "filter": channel, "iterations": 30, "learning_rate": 10, "image": image.detach().numpy().ravel().tolist()})
    with open(os.path.join(HERE, "filters_resnet_tiny.json"), "w") as f:
        json.dump({"tool": "make_gradcam.py", "start": start.ravel().tolist(), "shape": [1, 3, 32, 32], "patterns": patterns}, f)


if __name__ == "__main__":
    main()
