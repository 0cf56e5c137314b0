#!/usr/bin/env python3
"""Writes the golden files: PyTorch's answers for Neurite's layers, losses and optimizers.

Exact command (from the repository root; needs PyTorch, e.g. Debian's python3-torch 1.13.1):

    /usr/bin/python3 src-test-data/golden/make_golden.py

It rewrites src-test-data/golden/<family>.safetensors, one file per family, byte for byte the same
on every run (fixed seeds, one thread, no timestamps). `--only conv2d,pool2d` rewrites a subset;
`--check` rewrites nothing and fails if a file would change.

What a file holds
  Tensors named "<case>/<tensor>", float32 little-endian, e.g. "stride2_pad1/x". For layers:
  x, weight, bias (inputs and parameters), y (output), dy (a random upstream gradient), dx, dweight,
  dbias (gradients of sum(y * dy)). For losses: x, target, loss ([1]), dx (of the mean loss).
  lenet5_train.safetensors is one model rather than cases: x, target, init/<param> (PyTorch's default
  initialisation), grad1/<param> (step 1, shared by both optimizers), and per optimizer (sgd, adam)
  <opt>/loss<t>, <opt>/grad2/<param> and <opt>/step<t>/<param> (the weights after step t).
  The header's __metadata__ maps each case to its configuration, "key=value key=value" with values
  a number or a comma-separated list (e.g. "kernel=3,3 stride=2,2 padding=1,1"), so the Java tests
  iterate over whatever cases a file holds.

How the answers are computed
  Inputs and parameters are drawn in float32; PyTorch then runs in float64 on those exact values, and
  the results are rounded once to float32. So a golden value is the correctly rounded answer, not one
  float32 summation order. Inputs keep away from kinks (ReLU at 0, max-pool ties, hinge margins at
  0), so a float32 engine lands on the same side of every kink; the generator checks the margins.

Adding a family: write a function that returns {case: (config_string, {tensor: array})} and decorate
it with @family("name"); `layer_case` runs a module forward and backward for you.
"""
import argparse
import json
import os
import struct
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILIES = {}


def family(name):
    """Registers a generator of one golden file."""
    def register(fn):
        FAMILIES[name] = fn
        return fn
    return register


# ---------------------------------------------------------------------------------------------
# safetensors, written by hand (the `safetensors` package is not needed): 8-byte little-endian
# header length, compact JSON header padded with spaces to a multiple of 8, then the data.

def safetensors_bytes(tensors, metadata):
    header = {"__metadata__": metadata} if metadata else {}
    blobs = []
    offset = 0
    for name in sorted(tensors, key=lambda n: n.encode("utf-8")):
        t = tensors[name].detach()
        if t.dtype == torch.int64:  # batch norm's num_batches_tracked, as PyTorch saves it
            dtype, data = "I64", struct.pack("<%dq" % t.numel(), *t.flatten().tolist())
        else:
            t = t.to(torch.float32).contiguous()
            dtype, data = "F32", struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 8)
    return struct.pack("<Q", len(js)) + js + b"".join(blobs)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the families.

def gen(*names):
    """A generator seeded from the case's name, so adding a case never changes another."""
    g = torch.Generator()
    g.manual_seed(zlib.crc32("/".join(names).encode("utf-8")))
    return g


def uniform(g, shape, lo, hi):
    return (torch.rand(shape, generator=g, dtype=torch.float32) * (hi - lo) + lo)


def normal(g, shape, std=1.0):
    return torch.randn(shape, generator=g, dtype=torch.float32) * std


def away_from_zero(g, shape, lo=0.05, hi=3.0):
    """Values with |v| in [lo, hi], random sign: no kink of ReLU-like functions is near."""
    mag = uniform(g, shape, lo, hi)
    sign = torch.where(torch.rand(shape, generator=g) < 0.5, -1.0, 1.0)
    return mag * sign


def distinct(g, shape, spread=3.0):
    """A scaled random permutation: all values distinct, at least 2*spread/numel apart (no max ties)."""
    n = 1
    for d in shape:
        n *= d
    perm = torch.randperm(n, generator=g).to(torch.float64)
    return ((perm - (n - 1) / 2) * (2 * spread / n)).to(torch.float32).reshape(shape)


def cfg(**kv):
    """The metadata string of a case: "key=value ..." with tuples written as comma lists."""
    def fmt(v):
        if isinstance(v, (tuple, list)):
            return ",".join(fmt(e) for e in v)
        if isinstance(v, bool):
            return "true" if v else "false"
        return repr(v) if isinstance(v, float) else str(v)
    return " ".join("%s=%s" % (k, fmt(v)) for k, v in kv.items())


def layer_case(module, x, g):
    """Runs a float32-initialised module in float64 on x; returns x, params, y, dy, dx and dparams."""
    params = {n: p.detach().clone() for n, p in module.named_parameters()}
    m = module.double()
    x64 = x.double().requires_grad_(True)
    y = m(x64)
    dy = normal(g, y.shape)
    y.backward(dy.double())
    out = {"x": x, "y": y, "dy": dy, "dx": x64.grad}
    for n, p in m.named_parameters():
        out[n] = params[n]
        out["d" + n] = p.grad
    return out


def loss_case(fn, x, target):
    """loss = fn(x, target) in float64 and its gradient with respect to x."""
    x64 = x.double().requires_grad_(True)
    loss = fn(x64, target.double() if target.is_floating_point() else target)
    loss.backward()
    t = target.to(torch.float32)
    return {"x": x, "target": t, "loss": loss.detach().reshape(1), "dx": x64.grad}


# ---------------------------------------------------------------------------------------------
# Families.

@family("conv2d")
def conv2d():
    # (case, in, out, kernel, stride, padding, dilation, groups, bias, input [N, C, H, W])
    specs = [
        ("basic",         3, 4, (3, 3), (1, 1), (0, 0), (1, 1), 1, True,  (2, 3, 7, 6)),
        ("stride2_pad1",  3, 5, (3, 3), (2, 2), (1, 1), (1, 1), 1, True,  (2, 3, 8, 7)),
        ("rect_stride",   2, 3, (3, 2), (2, 1), (1, 0), (1, 1), 1, True,  (2, 2, 7, 6)),
        ("dilation2",     2, 3, (3, 3), (1, 1), (2, 2), (2, 2), 1, True,  (2, 2, 7, 7)),
        ("dilation_rect", 2, 2, (2, 3), (2, 1), (1, 2), (3, 2), 1, False, (1, 2, 9, 8)),
        ("groups2",       4, 6, (3, 3), (1, 1), (1, 1), (1, 1), 2, True,  (2, 4, 6, 5)),
        ("depthwise",     4, 4, (3, 3), (1, 1), (1, 1), (1, 1), 4, False, (2, 4, 6, 6)),
        ("depthwise_x2",  3, 6, (3, 3), (2, 2), (1, 1), (1, 1), 3, True,  (2, 3, 7, 7)),
        ("pointwise",     5, 3, (1, 1), (1, 1), (0, 0), (1, 1), 1, True,  (2, 5, 4, 3)),
        ("lenet_c1",      1, 6, (5, 5), (1, 1), (2, 2), (1, 1), 1, True,  (2, 1, 8, 8)),
    ]
    cases = {}
    for name, cin, cout, k, s, p, d, groups, bias, xshape in specs:
        g = gen("conv2d", name)
        conv = nn.Conv2d(cin, cout, k, stride=s, padding=p, dilation=d, groups=groups, bias=bias)
        with torch.no_grad():
            conv.weight.copy_(uniform(g, conv.weight.shape, -0.5, 0.5))
            if bias:
                conv.bias.copy_(uniform(g, conv.bias.shape, -0.5, 0.5))
        x = normal(g, xshape)
        c = cfg(in_channels=cin, out_channels=cout, kernel=k, stride=s, padding=p, dilation=d,
                groups=groups, bias=bias)
        cases[name] = (c, layer_case(conv, x, g))
    return cases


@family("pool2d")
def pool2d():
    # (case, kind, kernel, stride, padding, input [N, C, H, W]); avg counts padding (PyTorch default)
    specs = [
        ("max_2x2",            "max", (2, 2), (2, 2), (0, 0), (2, 3, 6, 8)),
        ("max_odd_floor",      "max", (2, 2), (2, 2), (0, 0), (1, 2, 7, 5)),
        ("max_3x3_s2_overlap", "max", (3, 3), (2, 2), (0, 0), (2, 2, 7, 9)),
        ("max_3x3_s1_overlap", "max", (3, 3), (1, 1), (0, 0), (1, 2, 5, 6)),
        ("max_3x3_s2_pad1",    "max", (3, 3), (2, 2), (1, 1), (2, 2, 8, 7)),
        ("max_rect_pad",       "max", (3, 2), (2, 1), (1, 1), (1, 3, 7, 6)),
        ("avg_2x2",            "avg", (2, 2), (2, 2), (0, 0), (2, 3, 6, 8)),
        ("avg_3x3_s1_pad1",    "avg", (3, 3), (1, 1), (1, 1), (2, 2, 5, 6)),
        ("avg_3x3_s2_pad1",    "avg", (3, 3), (2, 2), (1, 1), (2, 2, 7, 8)),
        ("avg_rect_pad",       "avg", (2, 3), (1, 2), (1, 1), (1, 3, 6, 7)),
    ]
    cases = {}
    for name, kind, k, s, p, xshape in specs:
        g = gen("pool2d", name)
        if kind == "max":
            module = nn.MaxPool2d(k, stride=s, padding=p)
            x = distinct(g, xshape)
        else:
            module = nn.AvgPool2d(k, stride=s, padding=p, count_include_pad=True)
            x = normal(g, xshape)
        cases[name] = (cfg(kind=kind, kernel=k, stride=s, padding=p), layer_case(module, x, g))
    return cases


@family("dense")
def dense():
    specs = [("bias", 3, 5, 4, True), ("no_bias", 4, 6, 3, False), ("single_row", 1, 7, 2, True)]
    cases = {}
    for name, n, fin, fout, bias in specs:
        g = gen("dense", name)
        fc = nn.Linear(fin, fout, bias=bias)
        with torch.no_grad():
            fc.weight.copy_(uniform(g, fc.weight.shape, -0.6, 0.6))
            if bias:
                fc.bias.copy_(uniform(g, fc.bias.shape, -0.6, 0.6))
        cases[name] = (cfg(in_features=fin, out_features=fout, bias=bias), layer_case(fc, normal(g, (n, fin)), g))
    return cases


@family("activation")
def activation():
    shape = (2, 3, 4, 5)
    specs = [
        ("relu",         "relu",       0.0,  nn.ReLU()),
        ("leaky_relu",   "leaky_relu", 0.01, nn.LeakyReLU(0.01)),
        ("leaky_relu_2", "leaky_relu", 0.2,  nn.LeakyReLU(0.2)),
        ("elu",          "elu",        1.0,  nn.ELU(1.0)),
        ("elu_half",     "elu",        0.5,  nn.ELU(0.5)),
        ("sigmoid",      "sigmoid",    0.0,  nn.Sigmoid()),
        ("tanh",         "tanh",       0.0,  nn.Tanh()),
    ]
    cases = {}
    for name, kind, alpha, module in specs:
        g = gen("activation", name)
        x = away_from_zero(g, shape, 0.05, 4.0)
        cases[name] = (cfg(kind=kind, alpha=alpha), layer_case(module, x, g))
    # Softmax over the last dimension, rows [N, C] and more leading dimensions.
    for name, sshape in (("softmax", (4, 7)), ("softmax_3d", (2, 3, 5))):
        g = gen("activation", name)
        cases[name] = (cfg(kind="softmax", alpha=0.0), layer_case(nn.Softmax(dim=-1), normal(g, sshape, 2.0), g))
    return cases


@family("flatten")
def flatten():
    g = gen("flatten", "nchw")
    return {"nchw": (cfg(start_dim=1), layer_case(nn.Flatten(), normal(g, (2, 3, 4, 5)), g))}


@family("loss")
def loss():
    cases = {}
    g = gen("loss", "softmax_ce")
    cases["softmax_ce"] = (cfg(kind="softmax_cross_entropy"),
                           loss_case(F.cross_entropy, normal(g, (5, 7), 2.0), torch.randint(0, 7, (5,), generator=g)))
    # [T, N, C] logits: every leading index is a row; PyTorch sees them as [T*N, C].
    g = gen("loss", "softmax_ce_3d")
    x3 = normal(g, (2, 3, 4), 2.0)
    t3 = torch.randint(0, 4, (2, 3), generator=g)
    case = loss_case(lambda x, t: F.cross_entropy(x.reshape(-1, 4), t.reshape(-1)), x3, t3)
    cases["softmax_ce_3d"] = (cfg(kind="softmax_cross_entropy"), case)

    g = gen("loss", "bce_logits")
    cases["bce_logits"] = (cfg(kind="bce_with_logits"),
                           loss_case(F.binary_cross_entropy_with_logits, normal(g, (6, 1), 3.0), uniform(g, (6, 1), 0.0, 1.0)))
    g = gen("loss", "bce_logits_hard")
    hard = (torch.rand((3, 4), generator=g) < 0.5).to(torch.float32)
    cases["bce_logits_hard"] = (cfg(kind="bce_with_logits"),
                                loss_case(F.binary_cross_entropy_with_logits, normal(g, (3, 4), 3.0), hard))
    g = gen("loss", "mse")
    cases["mse"] = (cfg(kind="mse"), loss_case(F.mse_loss, normal(g, (4, 3)), normal(g, (4, 3))))

    g = gen("loss", "multi_margin")
    x = normal(g, (6, 5), 0.8)
    t = torch.randint(0, 5, (6,), generator=g)
    margins = 1 - x.gather(1, t[:, None]) + x
    margins[torch.arange(6), t] = 1.0
    assert margins.abs().min() > 1e-3, "multi_margin: a hinge sits at its kink; change the seed"
    cases["multi_margin"] = (cfg(kind="multi_margin", p=1, margin=1.0), loss_case(F.multi_margin_loss, x, t))
    return cases


class LeNet5(nn.Module):
    """The W1 model: the names and layout of Neurite's models/zoo/LeNet5."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x, kinks=None):
        def relu(v):
            if kinks is not None:
                kinks.append(v)
            return F.relu(v)
        x = F.max_pool2d(relu(self.conv1(x)), 2)
        x = F.max_pool2d(relu(self.conv2(x)), 2)
        x = relu(self.fc1(x.flatten(1)))
        return self.fc3(relu(self.fc2(x)))


KINK_MARGIN = 1e-5  # about 100x the float32 error of a LeNet pre-activation on these inputs


def kink_distance(pre_activations):
    """Smallest |pre-activation| and smallest gap between the top two positive values of a 2x2 window."""
    nearest = min(v.abs().min().item() for v in pre_activations)
    for v in pre_activations:
        if v.dim() == 4:
            windows = F.unfold(F.relu(v).flatten(0, 1)[:, None], 2, stride=2)  # [planes, 4, windows]
            top2 = windows.topk(2, dim=1).values
            positive = top2[:, 0] > 0
            nearest = min(nearest, (top2[:, 0] - top2[:, 1])[positive].min().item())
    return nearest


def train_steps(model, opt, x, target, steps):
    """Runs `steps` steps; returns the loss and the gradients of each step and the weights after each."""
    out = []
    for _ in range(steps):
        opt.zero_grad()
        kinks = []
        loss = F.cross_entropy(model(x, kinks), target)
        loss.backward()
        if kink_distance(kinks) < KINK_MARGIN:
            return None
        grads = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
        opt.step()
        weights = {n: p.detach().clone() for n, p in model.named_parameters()}
        out.append((loss.detach().reshape(1), grads, weights))
    return out


@family("lenet5_train")
def lenet5_train():
    batch = 4
    sgd = dict(lr=0.01, momentum=0.9)
    adam = dict(lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    # The first seed whose forward passes keep every ReLU input and max-pool winner off its kink.
    for attempt in range(100):
        g = gen("lenet5_train", str(attempt))
        torch.manual_seed(zlib.crc32(("lenet5_train/init/%d" % attempt).encode()))
        init = LeNet5()  # PyTorch's default initialisation, in float32
        x = normal(g, (batch, 1, 28, 28))
        target = torch.randint(0, 10, (batch,), generator=g)
        state = {n: p.detach().clone() for n, p in init.named_parameters()}
        runs = {}
        for opt_name, make in (("sgd", lambda ps: torch.optim.SGD(ps, **sgd)),
                               ("adam", lambda ps: torch.optim.Adam(ps, **adam))):
            model = LeNet5().double()
            model.load_state_dict({n: v.double() for n, v in state.items()})
            runs[opt_name] = train_steps(model, make(model.parameters()), x.double(), target, 2)
        if all(r is not None for r in runs.values()):
            break
    else:
        sys.exit("lenet5_train: no seed in 100 keeps the kinks away")
    tensors = {"x": x, "target": target.to(torch.float32)}
    for n, v in state.items():
        tensors["init/" + n] = v
    for n, v in runs["sgd"][0][1].items():
        tensors["grad1/" + n] = v  # step 1's gradients: the same weights and batch for both optimizers
    for opt_name, run in runs.items():
        for step, (loss, grads, weights) in enumerate(run, 1):
            tensors["%s/loss%d" % (opt_name, step)] = loss
            if step > 1:
                for n, v in grads.items():
                    tensors["%s/grad%d/%s" % (opt_name, step, n)] = v
            for n, v in weights.items():
                tensors["%s/step%d/%s" % (opt_name, step, n)] = v
    meta = cfg(batch=batch, seed_attempt=attempt, kink_margin=KINK_MARGIN)
    meta_opt = {"sgd": cfg(**sgd), "adam": cfg(lr=adam["lr"], beta1=adam["betas"][0], beta2=adam["betas"][1], eps=adam["eps"])}
    # One "case" whose tensors are named without a case prefix; the optimizers' settings beside it.
    return {"": (meta, tensors), **{k: (v, {}) for k, v in meta_opt.items()}}


# ---------------------------------------------------------------------------------------------
# Families of the second part: normalisation, dropout, residual and Inception blocks.

def bn_case(bn, x, g, train):
    """A batch norm step in float64 from float32 weights and running statistics: x, weight, bias,
    running_mean/var before and (train) after the step, y, dy, dx, dweight, dbias."""
    with torch.no_grad():
        bn.weight.copy_(uniform(g, bn.weight.shape, 0.5, 1.5))
        bn.bias.copy_(uniform(g, bn.bias.shape, -0.5, 0.5))
        bn.running_mean.copy_(uniform(g, bn.running_mean.shape, -0.5, 0.5))
        bn.running_var.copy_(uniform(g, bn.running_var.shape, 0.5, 2.0))
    before = {n: v.detach().clone() for n, v in bn.state_dict().items() if n != "num_batches_tracked"}
    out = layer_case_mode(bn, x, g, train)
    out.update(before)
    if train:
        out["running_mean_after"] = bn.running_mean.detach().clone()
        out["running_var_after"] = bn.running_var.detach().clone()
    return out


def layer_case_mode(module, x, g, train):
    """layer_case with the module in train or eval mode."""
    module.train(train)
    return layer_case(module, x, g)


@family("batchnorm")
def batchnorm():
    # (case, dim, features, input shape, eps, momentum, train); inputs off-centre and scaled, so a
    # normalisation that forgot the mean or the variance is far off
    specs = [
        ("bn2d_train",        2, 3, (4, 3, 5, 4), 1e-5, 0.1,  True),
        ("bn2d_eval",         2, 3, (2, 3, 4, 5), 1e-5, 0.1,  False),
        ("bn2d_eps_momentum", 2, 4, (3, 4, 3, 3), 1e-3, 0.01, True),
        ("bn1d_train",        1, 5, (6, 5),       1e-5, 0.1,  True),
        ("bn1d_train_ncl",    1, 4, (3, 4, 5),    1e-5, 0.1,  True),
        ("bn1d_small_batch",  1, 3, (2, 3),       1e-5, 0.1,  True),
        ("bn1d_eval",         1, 5, (4, 5),       1e-5, 0.1,  False),
    ]
    cases = {}
    for name, dim, c, xshape, eps, momentum, train in specs:
        g = gen("batchnorm", name)
        bn = (nn.BatchNorm2d if dim == 2 else nn.BatchNorm1d)(c, eps=eps, momentum=momentum)
        x = normal(g, xshape, 2.0) + 1.5
        c_ = cfg(dim=dim, features=c, eps=eps, momentum=momentum, mode="train" if train else "eval")
        cases[name] = (c_, bn_case(bn, x, g, train))
    return cases


@family("lrn")
def lrn():
    # (case, size, alpha, beta, k, input shape); alpha as PyTorch takes it (divided by size inside)
    specs = [
        ("alexnet",        5, 5e-4, 0.75, 2.0, (2, 7, 3, 4)),
        ("torch_default",  5, 1e-4, 0.75, 1.0, (2, 6, 3, 3)),
        ("even_size",      4, 1e-2, 0.75, 1.0, (2, 7, 3, 3)),
        ("size2_strong",   2, 0.5,  0.5,  1.0, (1, 5, 2, 3)),
        ("wider_than_c",   7, 0.2,  1.0,  1.5, (2, 3, 4)),
    ]
    cases = {}
    for name, size, alpha, beta, k, xshape in specs:
        g = gen("lrn", name)
        x = normal(g, xshape, 2.0)  # large enough that the normaliser is far from k
        module = nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k)
        cases[name] = (cfg(size=size, alpha=alpha, beta=beta, k=k), layer_case(module, x, g))
    return cases


@family("dropout")
def dropout():
    cases = {}
    for name, p, train in (("eval_p05", 0.5, False), ("eval_p09", 0.9, False), ("train_p0", 0.0, True)):
        g = gen("dropout", name)
        module = nn.Dropout(p)
        cases[name] = (cfg(p=p, mode="train" if train else "eval"), layer_case_mode(module, normal(g, (3, 4, 5)), g, train))
    return cases


def kink_hooks(module):
    """Records every batch-norm output and every nn.ReLU input of a forward (the ReLUs' arguments)."""
    seen = []
    for m in module.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.register_forward_hook(lambda mod, inp, out: seen.append(out.detach().clone()))
        elif isinstance(m, nn.ReLU):
            m.register_forward_pre_hook(lambda mod, inp: seen.append(inp[0].detach().clone()))
    return seen


def block_case(family_name, case, make, xshape, meta):
    """A torchvision block in train mode: parameters random (BN affine too), x a permutation (no
    max-pool ties); the first seed whose ReLU arguments all keep 1e-5 from zero. Also records the
    BN running statistics after the step, as after/<name>."""
    for attempt in range(50):
        g = gen(family_name, case, str(attempt))
        block = make()
        with torch.no_grad():
            for n, p in block.named_parameters():
                if n.endswith("bias") or ".bn" in n or n.startswith("bn") or "downsample.1" in n:
                    p.copy_(uniform(g, p.shape, 0.5, 1.5) if n.endswith("weight") else uniform(g, p.shape, -0.3, 0.3))
                else:
                    fan_in = p[0].numel()
                    p.copy_(uniform(g, p.shape, -1.0, 1.0) * (3.0 / fan_in) ** 0.5)
        seen = kink_hooks(block)
        x = distinct(g, xshape)
        block.train(True)
        out = layer_case(block, x, g)
        if min(v.abs().min().item() for v in seen) < KINK_MARGIN:
            continue
        for n, v in block.state_dict().items():
            if "running" in n:
                out["after/" + n] = v
        return cfg(seed_attempt=attempt, **meta), out
    sys.exit(family_name + "/" + case + ": no seed in 50 keeps the ReLU arguments away from zero")


@family("resnet_block")
def resnet_block():
    from torchvision.models.resnet import BasicBlock, Bottleneck

    def projection(cin, cout, stride):
        return nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    cases = {}
    cases["basic_projection"] = block_case("resnet_block", "basic_projection",
                                           lambda: BasicBlock(4, 6, stride=2, downsample=projection(4, 6, 2)),
                                           (2, 4, 6, 6), dict(kind="basic", in_channels=4, width=6, stride=2))
    cases["basic_identity"] = block_case("resnet_block", "basic_identity", lambda: BasicBlock(3, 3),
                                         (2, 3, 4, 4), dict(kind="basic", in_channels=3, width=3, stride=1))
    cases["bottleneck_projection"] = block_case("resnet_block", "bottleneck_projection",
                                                lambda: Bottleneck(6, 2, stride=2, downsample=projection(6, 8, 2)),
                                                (2, 6, 5, 5), dict(kind="bottleneck", in_channels=6, width=2, stride=2))
    return cases


@family("inception")
def inception():
    from torchvision.models.googlenet import Inception
    spec = dict(in_channels=5, ch1x1=2, ch3x3red=3, ch3x3=4, ch5x5red=2, ch5x5=3, pool_proj=2)
    meta, out = block_case("inception", "small", lambda: Inception(**spec), (2, 5, 4, 4), spec)
    return {"small": (meta, out)}


# ---------------------------------------------------------------------------------------------
# Families after the recurrent layers: embedding, RNN/LSTM/GRU.

@family("embedding")
def embedding():
    g = gen("embedding", "lookup")
    emb = nn.Embedding(7, 3)
    with torch.no_grad():
        emb.weight.copy_(normal(g, emb.weight.shape))
    ids = torch.tensor([[0, 3, 6], [3, 3, 1], [5, 0, 3], [2, 6, 6]])  # [T, N], repeats: gradients add
    w = emb.weight.detach().clone()
    m = emb.double()
    y = m(ids)
    dy = normal(g, y.shape)
    y.backward(dy.double())
    tensors = {"x": ids.to(torch.float32), "weight": w, "y": y, "dy": dy, "dweight": m.weight.grad}
    return {"lookup": (cfg(vocab=7, dim=3), tensors)}


def relu_rnn_preactivations(m, x, h0):
    """The arguments of every ReLU of a relu nn.RNN, computed step by step (nn.RNN hides them)."""
    dirs = 2 if m.bidirectional else 1
    inp, pre = x, []
    for layer in range(m.num_layers):
        outs = []
        for d in range(dirs):
            sfx = "_l%d%s" % (layer, "_reverse" if d else "")
            w, r = getattr(m, "weight_ih" + sfx), getattr(m, "weight_hh" + sfx)
            b = getattr(m, "bias_ih" + sfx) + getattr(m, "bias_hh" + sfx)
            h = h0[layer * dirs + d]
            out = [None] * x.shape[0]
            for t in (range(x.shape[0]) if d == 0 else reversed(range(x.shape[0]))):
                a = inp[t] @ w.T + h @ r.T + b
                pre.append(a)
                h = F.relu(a)
                out[t] = h
            outs.append(torch.stack(out))
        inp = torch.cat(outs, -1)
    return pre, inp


@family("rnn")
def rnn():
    # (case, cell, input, hidden, layers, bidirectional, T, N, given initial states)
    specs = [
        ("rnn_tanh_2l_bi", "rnn_tanh", 5, 4, 2, True,  4, 3, True),
        ("rnn_relu_2l_bi", "rnn_relu", 5, 4, 2, True,  4, 3, True),
        ("lstm_2l_bi",     "lstm",     5, 4, 2, True,  4, 3, True),
        ("gru_2l_bi",      "gru",      5, 4, 2, True,  4, 3, True),
        ("lstm_1l_zero",   "lstm",     3, 5, 1, False, 5, 2, False),
        ("gru_1l_zero",    "gru",      3, 5, 1, False, 5, 2, False),
        # hidden 18: the CPU engine's vector gate kernels (8 or 16 lanes) and their scalar tails
        ("lstm_h18_bi",    "lstm",     3, 18, 1, True, 3, 2, True),
        ("gru_h18_bi",     "gru",      3, 18, 1, True, 3, 2, True),
        ("rnn_relu_h18",   "rnn_relu", 3, 18, 1, False, 3, 2, True),
    ]
    cases = {}
    for name, cell, isz, hsz, layers, bidir, t, n, given in specs:
        for attempt in range(50):
            g = gen("rnn", name, str(attempt))
            if cell == "lstm":
                m = nn.LSTM(isz, hsz, layers, bidirectional=bidir)
            elif cell == "gru":
                m = nn.GRU(isz, hsz, layers, bidirectional=bidir)
            else:
                m = nn.RNN(isz, hsz, layers, nonlinearity=cell[4:], bidirectional=bidir)
            with torch.no_grad():
                for p in m.parameters():
                    p.copy_(uniform(g, p.shape, -0.6, 0.6))
            states = layers * (2 if bidir else 1)
            x = normal(g, (t, n, isz))
            h0 = normal(g, (states, n, hsz), 0.5) if given else None
            c0 = normal(g, (states, n, hsz), 0.5) if given and cell == "lstm" else None
            params = {k: p.detach().clone() for k, p in m.named_parameters()}
            m = m.double()
            x64 = x.double().requires_grad_(True)
            h64 = h0.double().requires_grad_(True) if given else None
            c64 = c0.double().requires_grad_(True) if c0 is not None else None
            if cell == "rnn_relu":
                pre, y_ref = relu_rnn_preactivations(m, x64.detach(), h64.detach() if given else torch.zeros(states, n, hsz, dtype=torch.float64))
                if min(a.abs().min().item() for a in pre) < KINK_MARGIN:
                    continue
            if cell == "lstm":
                y, (hn, cn) = m(x64, (h64, c64) if given else None)
            else:
                y, hn = m(x64, h64)
                cn = None
            if cell == "rnn_relu":
                assert torch.allclose(y, y_ref), name + ": the step-by-step reference disagrees with nn.RNN"
            dy = normal(g, y.shape)
            dhn = normal(g, hn.shape)
            loss = (y * dy.double()).sum() + (hn * dhn.double()).sum()
            out = {"x": x, "y": y, "dy": dy, "hn": hn, "dhn": dhn}
            if cn is not None:
                dcn = normal(g, cn.shape)
                loss = loss + (cn * dcn.double()).sum()
                out.update(cn=cn, dcn=dcn)
            loss.backward()
            out["dx"] = x64.grad
            if given:
                out.update(h0=h0, dh0=h64.grad)
                if c0 is not None:
                    out.update(c0=c0, dc0=c64.grad)
            for k, p in m.named_parameters():
                out[k] = params[k]
                out["d" + k] = p.grad
            meta = cfg(cell=cell, input_size=isz, hidden_size=hsz, num_layers=layers, bidirectional=bidir,
                       initial_states=given, seed_attempt=attempt)
            cases[name] = (meta, out)
            break
        else:
            sys.exit("rnn/" + name + ": no seed in 50 keeps the ReLU arguments away from zero")
    return cases


# ---------------------------------------------------------------------------------------------
# Files for the PyTorch bridge (org.neurite.models.torch), under torch/: the state_dict keys of the
# zoo's PyTorch twins, and small state_dicts written by PyTorch with what the models compute.

EXTRAS = {}


def extra(name, *paths):
    """Registers a generator of files other than a family's: returns {path under HERE: bytes}."""
    def register(fn):
        EXTRAS[name] = fn
        return fn
    return register


class CharLM(nn.Module):
    """The zoo's char-rnn/char-lstm/char-gru: one-hot ids [T, N] -> rnn -> head (Linear) per step."""

    def __init__(self, cell, vocab, hidden, layers=1):
        super().__init__()
        self.vocab = vocab
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](vocab, hidden, layers)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, ids):
        y, _ = self.rnn(F.one_hot(ids, self.vocab).to(self.head.weight.dtype))
        return self.head(y)


@extra("torch_state_dicts")
def torch_state_dicts():
    import torchvision.models as tv
    makers = [
        ("lenet5", LeNet5), ("resnet18", tv.resnet18), ("resnet34", tv.resnet34), ("resnet50", tv.resnet50),
        ("vgg11", tv.vgg11), ("vgg16", tv.vgg16), ("densenet121", tv.densenet121),
        ("googlenet", lambda: tv.googlenet(aux_logits=False, init_weights=False)),
        ("googlenet+aux", lambda: tv.googlenet(aux_logits=True, init_weights=False)),
        ("alexnet", tv.alexnet),
        ("char-rnn", lambda: CharLM("rnn", 97, 256)), ("char-lstm", lambda: CharLM("lstm", 97, 256)),
        ("char-gru", lambda: CharLM("gru", 97, 256)),
    ]
    lines = ["# model\tkey\tdtype\tshape: state_dict() of the zoo models' PyTorch twins (torchvision %s, torch %s)"
             % (__import__("torchvision").__version__, torch.__version__)]
    for name, make in makers:
        torch.manual_seed(0)
        with torch.no_grad():
            sd = make().state_dict()
        for k, v in sd.items():
            lines.append("%s\t%s\t%s\t%s" % (name, k, str(v.dtype).replace("torch.", ""), ",".join(map(str, v.shape))))
    return {"torch/state_dicts.txt": ("\n".join(lines) + "\n").encode("utf-8")}


def state_dict_bytes(module):
    """A state_dict as PyTorch's safetensors.torch.save_file writes it: floats F32, counters I64."""
    return safetensors_bytes({k: v for k, v in module.state_dict().items()}, {"format": "pt"})


@extra("torch_models")
def torch_models():
    files = {}
    # A tiny CNN with batch norm, trained two SGD steps so the running statistics and
    # num_batches_tracked (I64, = 2) are not the initial ones; then its eval-mode output.
    torch.manual_seed(zlib.crc32(b"torch_models/tiny_cnn"))
    g = gen("torch_models", "tiny_cnn")
    cnn = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(48, 5))
    opt = torch.optim.SGD(cnn.parameters(), lr=0.1)
    for _ in range(2):
        xb = normal(g, (4, 1, 6, 6))
        opt.zero_grad()
        F.cross_entropy(cnn(xb), torch.randint(0, 5, (4,), generator=g)).backward()
        opt.step()
    cnn.eval()
    x = normal(g, (3, 1, 6, 6))
    files["torch/tiny_cnn.safetensors"] = state_dict_bytes(cnn)
    state = {k: v.double() if v.is_floating_point() else v for k, v in cnn.state_dict().items()}
    cnn64 = cnn.double()
    cnn64.load_state_dict(state)
    files["torch/tiny_cnn_io.safetensors"] = safetensors_bytes({"x": x, "y": cnn64(x.double())}, {})
    # Character LMs of two stacked layers: the flat-buffer mapping of nn.LSTM and nn.GRU.
    for cell in ("lstm", "gru"):
        torch.manual_seed(zlib.crc32(("torch_models/char_" + cell).encode()))
        g = gen("torch_models", "char_" + cell)
        lm = CharLM(cell, 7, 6, 2)
        ids = torch.randint(0, 7, (5, 2), generator=g)
        files["torch/char_%s_small.safetensors" % cell] = state_dict_bytes(lm)
        y = lm.double()(ids)
        files["torch/char_%s_small_io.safetensors" % cell] = safetensors_bytes({"x": ids.to(torch.float32), "y": y}, {})
    return files


# ---------------------------------------------------------------------------------------------

def build(name):
    tensors, metadata = {}, {}
    for case, (config, arrays) in FAMILIES[name]().items():
        metadata[case or "model"] = config
        for t, v in arrays.items():
            tensors[(case + "/" if case else "") + t] = v
    return safetensors_bytes(tensors, metadata)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated families (default: all): " + ", ".join(list(FAMILIES) + list(EXTRAS)))
    ap.add_argument("--check", action="store_true", help="write nothing; fail if a file would change")
    args = ap.parse_args()
    torch.set_num_threads(1)
    names = args.only.split(",") if args.only else list(FAMILIES) + list(EXTRAS)
    outputs = []
    for name in names:
        if name in EXTRAS:
            outputs += sorted(EXTRAS[name]().items())
        else:
            outputs.append((name + ".safetensors", build(name)))
    changed = []
    for name, data in outputs:
        path = os.path.join(HERE, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        old = open(path, "rb").read() if os.path.exists(path) else None
        if old != data:
            changed.append(name)
            if not args.check:
                with open(path, "wb") as f:
                    f.write(data)
        print("%-34s %8d bytes%s" % (name, len(data), "" if old == data else (" (would change)" if args.check else " (written)")))
    if args.check and changed:
        sys.exit("changed: " + ", ".join(changed))


if __name__ == "__main__":
    main()
