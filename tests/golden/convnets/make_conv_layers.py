#!/usr/bin/python3
"""Reference outputs and gradients of Keras-semantics convolution and pooling layers (run with /usr/bin/python3, Debian
bookworm's python3-torch 1.13 and numpy):  /usr/bin/python3 make_conv_layers.py [--out DIR]  -> conv_layers.json

Conv2D, Conv1D, SeparableConv2D, 1-D and 2-D pooling and BatchNormalization (training and inference modes).
Keras "same" padding (TensorFlow): total = max((ceil(n / s) - 1) * s + k - n, 0), floor(total / 2) before and the rest
after, so for even kernels or strides the extra row/column is at the bottom/right (PyTorch's padding= is symmetric).
Convolutions: PyTorch conv2d (float64) on the input padded explicitly that way. Pooling: plain numpy loops over each
window of real pixels (max; average over the real pixels only, as TensorFlow), an independent computation. Gradients:
of sum(output * cotangent) with respect to the input, kernel and bias (autograd in float64; pooling gradients through
torch's max/avg of the explicitly padded input, -inf padding for max). Values are float32-representable (the inputs and
weights are float32 draws); outputs are float64.
"""
import argparse
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
out = parser.parse_args().out
rng = np.random.RandomState(7)


def same(n, k, s):
    o = math.ceil(n / s)
    total = max((o - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def f32(shape):
    return rng.randn(*shape).astype(np.float32).astype(np.float64)


def conv_case(n, c, h, w, filters, kh, kw, stride, padding, bias=True):
    x, wt = f32((n, c, h, w)), f32((filters, c, kh, kw)) * 0.3
    b = f32((filters,)) * 0.1 if bias else None
    xt = torch.tensor(x, requires_grad=True)
    wtt = torch.tensor(wt, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True) if bias else None
    if padding == "same":
        (t, bo), (l, r) = same(h, kh, stride), same(w, kw, stride)
        xp = F.pad(xt, (l, r, t, bo))
    else:
        xp = xt
    y = F.conv2d(xp, wtt, bt, stride=stride)
    g = f32(tuple(y.shape))
    (y * torch.tensor(g)).sum().backward()
    params = [wtt] + ([bt] if bias else [])
    return {"layer": {"type": "Conv2D", "filters": filters, "kernel": [kh, kw], "stride": stride, "padding": padding, "bias": bias},
            "input_shape": [n, c, h, w], "x": x.ravel().tolist(), "params": [q.detach().numpy().ravel().tolist() for q in params],
            "y_shape": list(y.shape), "y": y.detach().numpy().ravel().tolist(), "g": g.ravel().tolist(),
            "dx": xt.grad.numpy().ravel().tolist(), "dparams": [q.grad.numpy().ravel().tolist() for q in params]}


def pool_numpy(x, kind, k, s, padding):
    n, c, h, w = x.shape
    if padding == "same":
        oh, ow = math.ceil(h / s), math.ceil(w / s)
        top, left = same(h, k, s)[0], same(w, k, s)[0]
    else:
        oh, ow, top, left = (h - k) // s + 1, (w - k) // s + 1, 0, 0
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s - top, j * s - left
            window = x[:, :, max(r0, 0):min(r0 + k, h), max(c0, 0):min(c0 + k, w)]
            y[:, :, i, j] = window.max(axis=(2, 3)) if kind == "max" else window.mean(axis=(2, 3))
    return y


def pool_case(n, c, h, w, kind, k, s, padding):
    x = f32((n, c, h, w))
    y = pool_numpy(x, kind, k, s, padding)
    xt = torch.tensor(x, requires_grad=True)
    if padding == "same":
        (t, bo), (l, r) = same(h, k, s), same(w, k, s)
        if kind == "max":
            yt = F.max_pool2d(F.pad(xt, (l, r, t, bo), value=-math.inf), k, s)
        else:
            ones = torch.ones(1, 1, h, w, dtype=torch.float64)
            yt = F.avg_pool2d(F.pad(xt, (l, r, t, bo)), k, s) / F.avg_pool2d(F.pad(ones, (l, r, t, bo)), k, s)
    else:
        yt = F.max_pool2d(xt, k, s) if kind == "max" else F.avg_pool2d(xt, k, s)
    assert np.allclose(yt.detach().numpy(), y, atol=1e-12), "torch and numpy pooling disagree"
    g = f32(y.shape)
    (yt * torch.tensor(g)).sum().backward()
    return {"layer": {"type": "MaxPool2D" if kind == "max" else "AveragePool2D", "pool": k, "stride": s, "padding": padding},
            "input_shape": [n, c, h, w], "x": x.ravel().tolist(), "y_shape": list(y.shape), "y": y.ravel().tolist(),
            "g": g.ravel().tolist(), "dx": xt.grad.numpy().ravel().tolist()}


def global_case(n, c, h, w, kind):
    x = f32((n, c, h, w))
    y = x.max(axis=(2, 3)) if kind == "max" else x.mean(axis=(2, 3))
    return {"layer": {"type": "GlobalMaxPool2D" if kind == "max" else "GlobalAveragePool2D"}, "input_shape": [n, c, h, w],
            "x": x.ravel().tolist(), "y_shape": list(y.shape), "y": y.ravel().tolist()}


def conv1d_case(n, c, length, filters, k, stride, padding):
    x, wt, b = f32((n, c, length)), f32((filters, c, k)) * 0.3, f32((filters,)) * 0.1
    xt, wtt, bt = (torch.tensor(v, requires_grad=True) for v in (x, wt, b))
    xp = F.pad(xt, same(length, k, stride)) if padding == "same" else xt
    y = F.conv1d(xp, wtt, bt, stride=stride)
    g = f32(tuple(y.shape))
    (y * torch.tensor(g)).sum().backward()
    return {"layer": {"type": "Conv1D", "filters": filters, "kernel": k, "stride": stride, "padding": padding}, "input_shape": [n, c, length],
            "x": x.ravel().tolist(), "params": [wt.ravel().tolist(), b.tolist()], "y_shape": list(y.shape), "y": y.detach().numpy().ravel().tolist(),
            "g": g.ravel().tolist(), "dx": xt.grad.numpy().ravel().tolist(), "dparams": [wtt.grad.numpy().ravel().tolist(), bt.grad.numpy().tolist()]}


def pool1d_case(n, c, length, kind, k, s, padding):
    x = f32((n, c, length))
    # 1-D windows: pool each row of length alone (numpy loops).
    if padding == "same":
        ol, left = math.ceil(length / s), same(length, k, s)[0]
    else:
        ol, left = (length - k) // s + 1, 0
    y = np.zeros((n, c, ol))
    for j in range(ol):
        c0 = j * s - left
        window = x[:, :, max(c0, 0):min(c0 + k, length)]
        y[:, :, j] = window.max(axis=2) if kind == "max" else window.mean(axis=2)
    return {"layer": {"type": "MaxPool1D" if kind == "max" else "AveragePool1D", "pool": k, "stride": s, "padding": padding},
            "input_shape": [n, c, length], "x": x.ravel().tolist(), "y_shape": list(y.shape), "y": y.ravel().tolist()}


def global1d_case(n, c, length, kind):
    x = f32((n, c, length))
    y = x.max(axis=2) if kind == "max" else x.mean(axis=2)
    return {"layer": {"type": "GlobalMaxPool1D" if kind == "max" else "GlobalAveragePool1D"}, "input_shape": [n, c, length],
            "x": x.ravel().tolist(), "y_shape": list(y.shape), "y": y.ravel().tolist()}


def separable_case(n, c, h, w, filters, k, stride, padding):
    x, dw, pw, b = f32((n, c, h, w)), f32((c, 1, k, k)) * 0.3, f32((filters, c, 1, 1)) * 0.3, f32((filters,)) * 0.1
    xt, dwt, pwt, bt = (torch.tensor(v, requires_grad=True) for v in (x, dw, pw, b))
    xp = F.pad(xt, same(w, k, stride) + same(h, k, stride)) if padding == "same" else xt
    y = F.conv2d(F.conv2d(xp, dwt, None, stride=stride, groups=c), pwt, bt)
    g = f32(tuple(y.shape))
    (y * torch.tensor(g)).sum().backward()
    params = [dwt, pwt, bt]
    return {"layer": {"type": "SeparableConv2D", "filters": filters, "kernel": k, "stride": stride, "padding": padding}, "input_shape": [n, c, h, w],
            "x": x.ravel().tolist(), "params": [q.detach().numpy().ravel().tolist() for q in params], "y_shape": list(y.shape),
            "y": y.detach().numpy().ravel().tolist(), "g": g.ravel().tolist(), "dx": xt.grad.numpy().ravel().tolist(),
            "dparams": [q.grad.numpy().ravel().tolist() for q in params]}


def batchnorm_case(shape, mode, momentum=0.99, eps=1e-3):
    """Training mode: batch mean and biased variance; moving stats updated with the unbiased variance (PyTorch's rule).
    Inference mode: the moving statistics. Numpy formula for the forward pass, autograd for the gradients."""
    x = f32(shape)
    c = shape[1]
    axes = tuple(i for i in range(len(shape)) if i != 1)
    gamma, beta = 1 + 0.2 * f32((c,)), 0.1 * f32((c,))
    rm, rv = 0.1 * f32((c,)), 1 + 0.2 * np.abs(f32((c,)))
    bshape = [1, c] + [1] * (len(shape) - 2)
    if mode == "train":
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        m = x.size // c
        rm_after, rv_after = momentum * rm + (1 - momentum) * mean, momentum * rv + (1 - momentum) * var * m / (m - 1)
    else:
        mean, var, rm_after, rv_after = rm, rv, rm, rv
    y = (x - mean.reshape(bshape)) / np.sqrt(var.reshape(bshape) + eps) * gamma.reshape(bshape) + beta.reshape(bshape)
    xt, gt, bt = (torch.tensor(v, requires_grad=True) for v in (x, gamma, beta))
    yt = F.batch_norm(xt, torch.tensor(rm), torch.tensor(rv), gt, bt, training=(mode == "train"), momentum=1 - momentum, eps=eps)
    assert np.allclose(yt.detach().numpy(), y, atol=1e-10), "torch and numpy batch norm disagree"
    g = f32(shape)
    (yt * torch.tensor(g)).sum().backward()
    return {"layer": {"type": "BatchNormalization", "momentum": momentum, "epsilon": eps, "mode": mode}, "input_shape": list(shape),
            "x": x.ravel().tolist(), "params": [gamma.tolist(), beta.tolist()], "buffers": {"running_mean": rm.tolist(), "running_var": rv.tolist()},
            "buffers_after": {"running_mean": rm_after.tolist(), "running_var": rv_after.tolist()},
            "y_shape": list(y.shape), "y": y.ravel().tolist(), "g": g.ravel().tolist(), "dx": xt.grad.numpy().ravel().tolist(),
            "dparams": [gt.grad.numpy().tolist(), bt.grad.numpy().tolist()]}


cases = {
    "conv_valid_k3": conv_case(2, 3, 9, 8, 4, 3, 3, 1, "valid"),
    "conv_same_k3": conv_case(2, 3, 9, 8, 4, 3, 3, 1, "same"),
    "conv_same_k4_stride2": conv_case(2, 3, 9, 8, 5, 4, 4, 2, "same"),
    "conv_same_k2_stride1": conv_case(1, 2, 6, 7, 3, 2, 2, 1, "same"),
    "conv_valid_k2x3_stride2_nobias": conv_case(2, 2, 9, 10, 3, 2, 3, 2, "valid", bias=False),
    "maxpool_valid_2": pool_case(2, 3, 8, 9, "max", 2, 2, "valid"),
    "maxpool_same_3_stride2": pool_case(2, 3, 9, 8, "max", 3, 2, "same"),
    "avgpool_valid_3_stride2": pool_case(2, 3, 9, 8, "avg", 3, 2, "valid"),
    "avgpool_same_3_stride2": pool_case(2, 3, 9, 8, "avg", 3, 2, "same"),
    "avgpool_same_2": pool_case(1, 2, 5, 7, "avg", 2, 2, "same"),
    "global_max": global_case(2, 3, 5, 4, "max"),
    "global_average": global_case(2, 3, 5, 4, "avg"),
    "conv1d_valid_k3": conv1d_case(2, 3, 11, 4, 3, 1, "valid"),
    "conv1d_same_k4_stride2": conv1d_case(2, 3, 11, 4, 4, 2, "same"),
    "maxpool1d_same_3_stride2": pool1d_case(2, 3, 11, "max", 3, 2, "same"),
    "avgpool1d_same_2": pool1d_case(2, 3, 9, "avg", 2, 2, "same"),
    "global_max_1d": global1d_case(2, 3, 7, "max"),
    "global_average_1d": global1d_case(2, 3, 7, "avg"),
    "separable_same_k3": separable_case(2, 3, 7, 6, 5, 3, 1, "same"),
    "separable_same_k4_stride2": separable_case(2, 3, 9, 8, 4, 4, 2, "same"),
    "batchnorm2d_train": batchnorm_case((4, 3, 5, 6), "train"),
    "batchnorm2d_inference": batchnorm_case((4, 3, 5, 6), "eval"),
    "batchnorm1d_train": batchnorm_case((16, 5), "train"),
}
with open(os.path.join(out, "conv_layers.json"), "w") as f:
    json.dump({"source": "make_conv_layers.py (PyTorch 1.13 float64 on Keras-padded inputs; numpy pooling loops)", "cases": cases}, f)
print("wrote", len(cases), "cases")
