"""Reference outputs and gradients for Mlx's recurrent layers (SimpleRNN, LSTM, GRU, Bidirectional), written to
recurrent.json. Run with Debian's python3-torch: /usr/bin/python3 make_recurrent_golden.py

Every case is computed in float64 with PyTorch's own modules and cells, independently of the way Mlx computes it:
- plain cases: torch.nn.RNN/LSTM/GRU (batch_first) on the whole batch;
- masked cases (padding at the end of rows): each row run alone on its real steps, zeros at padded steps, the last real
  step's state as the output (a row of length 0 gives zeros);
- a mask with a hole: a step loop over torch.nn.*Cell where a masked step keeps the state (Keras' masking);
- dropout cases: one input mask (batch, features) and one recurrent mask (batch, units) per sequence, reused at every
  step (Keras), computed with torch.nn.*Cell on x*dm and h*rm; for the GRU the dropped output feeds the recurrent product
  only and the update gate mixes the kept state (Keras 2's GRU implementation 1; Gal & Ghahramani) (the masks are saved
  for Mlx to reuse).
Weights are PyTorch's layout: weight_ih, weight_hh, bias_ih, bias_hh (per direction: forward, then backward).
Mlx's tensors are channels first: x is saved as (batch, features, timesteps), sequences as (batch, units, timesteps).
Gradients are those of sum(y * cotangent) with respect to x and every weight.
"""
import json
import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(7)
N, F, T, H = 3, 4, 6, 5
MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
CELLS = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def make_module(cell, bidirectional):
    m = MODULES[cell](F, H, batch_first=True, bidirectional=bidirectional)
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-0.6, 0.6)
    return m


def params_of(m):
    names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    ps = [getattr(m, n) for n in names]
    if m.bidirectional:
        ps += [getattr(m, n + "_reverse") for n in names]
    return ps


def run_rows(m, x, lengths, return_sequences):
    """Each row alone on its real steps."""
    d = 2 if m.bidirectional else 1
    outs, lasts = [], []
    for n in range(x.shape[0]):
        L = int(lengths[n])
        if L == 0:
            outs.append(torch.zeros(T, d * H))
            lasts.append(torch.zeros(d * H))
            continue
        o, h = m(x[n:n + 1, :L])
        h = h[0] if isinstance(h, tuple) else h          # LSTM: (h, c)
        outs.append(torch.cat([o[0], torch.zeros(T - L, d * H)], 0))
        lasts.append(torch.cat([h[i, 0] for i in range(d)], 0))
    return torch.stack(outs) if return_sequences else torch.stack(lasts)


def cell_loop(cell_name, m, x, step_mask=None, dm=None, rm=None):
    """The Keras cell step by step with torch's cells sharing m's weights; masked steps keep the state."""
    cell = CELLS[cell_name](F, H)
    cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh = m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0, m.bias_hh_l0
    h = torch.zeros(x.shape[0], H)
    c = torch.zeros(x.shape[0], H)
    outs = []
    for t in range(x.shape[1]):
        xt = x[:, t] if dm is None else x[:, t] * dm
        hr = h if rm is None else h * rm
        if cell_name == "lstm":
            h2, c2 = cell(xt, (hr, c))
        elif cell_name == "gru" and rm is not None:
            # The dropped output feeds the recurrent product only; the update gate mixes the kept state (Gal & Ghahramani).
            gi = xt @ cell.weight_ih.T + cell.bias_ih
            gh = hr @ cell.weight_hh.T + cell.bias_hh
            r = torch.sigmoid(gi[:, :H] + gh[:, :H])
            z = torch.sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
            n = torch.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
            h2, c2 = (1 - z) * n + z * h, c
        else:
            h2, c2 = cell(xt, hr), c
        if step_mask is not None:
            keep = step_mask[:, t:t + 1]
            h = torch.where(keep, h2, h)
            c = torch.where(keep, c2, c)
            outs.append(h2 * keep)
        else:
            h, c = h2, c2
            outs.append(h2)
    return torch.stack(outs, 1), h


cases = {}


def add(name, cell, bidirectional, return_sequences, y, x, m, extra):
    cot = torch.randn(y.shape)
    loss = (y * cot).sum()
    ps = params_of(m)
    grads = torch.autograd.grad(loss, [x] + ps, allow_unused=True)
    channels_first = y.transpose(1, 2) if return_sequences else y
    case = {
        "cell": cell, "bidirectional": bidirectional, "return_sequences": return_sequences, "units": H,
        "input_shape": [N, F, T], "x": flat(x.transpose(1, 2)),
        "params": [flat(p) for p in ps],
        "y_shape": list(channels_first.shape), "y": flat(channels_first),
        "cotangent": flat(cot.transpose(1, 2) if return_sequences else cot),
        "grad_x": flat(grads[0].transpose(1, 2)),
        "grad_params": [flat(g) if g is not None else [0.0] * p.numel() for g, p in zip(grads[1:], ps)],
    }
    case.update(extra)
    cases[name] = case


for cell in ["rnn", "lstm", "gru"]:
    for seq in [False, True]:
        m = make_module(cell, False)
        x = torch.randn(N, T, F, requires_grad=True)
        o, h = m(x)
        h = h[0] if isinstance(h, tuple) else h
        add(f"{cell}_{'sequences' if seq else 'last'}", cell, False, seq, o if seq else h[0], x, m, {})

for cell, seq in [("lstm", False), ("gru", True), ("rnn", True)]:
    m = make_module(cell, True)
    x = torch.randn(N, T, F, requires_grad=True)
    o, h = m(x)
    h = h[0] if isinstance(h, tuple) else h
    y = o if seq else torch.cat([h[0], h[1]], 1)
    add(f"bidirectional_{cell}_{'sequences' if seq else 'last'}", cell, True, seq, y, x, m, {"merge": "concat"})

lengths = [T, 3, 0]
for cell, bidi, seq in [("lstm", False, False), ("gru", False, True), ("rnn", False, False), ("gru", True, False), ("lstm", True, True)]:
    m = make_module(cell, bidi)
    x = torch.randn(N, T, F, requires_grad=True)
    y = run_rows(m, x, lengths, seq)
    mask = [[1 if t < L else 0 for t in range(T)] for L in lengths]
    add(f"masked_{'bidirectional_' if bidi else ''}{cell}_{'sequences' if seq else 'last'}", cell, bidi, seq, y, x, m,
        {"mask": mask, "merge": "concat"})

# A mask with holes (padding inside rows): Keras keeps the state over masked steps.
for cell in ["lstm", "gru"]:
    m = make_module(cell, False)
    x = torch.randn(N, T, F, requires_grad=True)
    mask = [[1, 1, 0, 1, 1, 0], [0, 1, 1, 1, 1, 1], [1, 0, 1, 0, 1, 0]]
    _, h = cell_loop(cell, m, x, step_mask=torch.tensor(mask, dtype=torch.bool))
    add(f"holes_{cell}_last", cell, False, False, h, x, m, {"mask": mask})

# Keras dropout: one input mask and one recurrent mask per sequence, reused at every step.
for cell, rate, recurrent_rate in [("lstm", 0.3, 0.4), ("gru", 0.0, 0.5), ("rnn", 0.25, 0.25)]:
    m = make_module(cell, False)
    x = torch.randn(N, T, F, requires_grad=True)
    dm = (torch.rand(N, F) >= rate).double() / (1 - rate)
    rm = (torch.rand(N, H) >= recurrent_rate).double() / (1 - recurrent_rate)
    o, h = cell_loop(cell, m, x, dm=dm, rm=rm)
    add(f"dropout_{cell}_sequences", cell, False, True, o, x, m,
        {"dropout": rate, "recurrent_dropout": recurrent_rate, "input_mask": flat(dm), "recurrent_mask": flat(rm)})

with open("recurrent.json", "w") as f:
    json.dump(cases, f)
print(f"{len(cases)} cases")
