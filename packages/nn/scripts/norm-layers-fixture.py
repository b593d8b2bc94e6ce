# Writes fixtures/norm-layers.json: torch.nn.GroupNorm and torch.nn.InstanceNorm2d (PyTorch 1.13,
# float64) as modules: state_dict names and shapes, outputs and gradients of x, weight and bias in
# training, running statistics after two training steps, and eval outputs (with and without
# running statistics, batched and unbatched), so the nn tests check the layers' train/eval
# behaviour and buffer names without needing torch.
# Run: /usr/bin/python3 scripts/norm-layers-fixture.py   (from packages/nn)
import json, os
import torch

torch.manual_seed(0)


def t(x):
    return {"shape": list(x.shape), "data": x.detach().reshape(-1).tolist()}


def state(m):
    return [[k, list(v.shape)] for k, v in m.state_dict().items()]


def randomise_affine(m):
    with torch.no_grad():
        if m.weight is not None:
            m.weight.copy_(torch.randn_like(m.weight))
            m.bias.copy_(torch.randn_like(m.bias))


def train_step(m, shape):
    x = (torch.randn(shape, dtype=torch.float64) * 2 + 0.5).requires_grad_(True)
    y = m(x)
    dy = torch.randn(y.shape, dtype=torch.float64)
    y.backward(dy)
    step = {"x": t(x), "y": t(y), "dy": t(dy), "xGrad": t(x.grad)}
    if m.weight is not None:
        step["weightGrad"], step["biasGrad"] = t(m.weight.grad), t(m.bias.grad)
        m.weight.grad = None
        m.bias.grad = None
    return step


def case(name, m, train_shapes, eval_shape):
    m = m.double()
    randomise_affine(m)
    out = {"name": name, "stateKeys": state(m), "weight": t(m.weight) if m.weight is not None else None,
           "bias": t(m.bias) if m.bias is not None else None}
    m.train()
    out["train"] = [train_step(m, s) for s in train_shapes]
    out["buffersAfter"] = {k: t(v) for k, v in m.state_dict().items() if k not in ("weight", "bias")}
    m.eval()
    x = torch.randn(eval_shape, dtype=torch.float64) * 2 + 0.5
    out["eval"] = {"x": t(x), "y": t(m(x))}
    return out


cases = [
    case("GroupNorm(3, 6)", torch.nn.GroupNorm(3, 6), [[2, 6, 2, 3]], [2, 6, 3, 2]),
    case("GroupNorm(2, 4, eps=1e-3, affine=False)", torch.nn.GroupNorm(2, 4, eps=1e-3, affine=False), [[3, 4, 5]], [1, 4, 2, 2]),
    case("InstanceNorm2d(4, momentum=0.2, affine=True, track_running_stats=True)",
         torch.nn.InstanceNorm2d(4, momentum=0.2, affine=True, track_running_stats=True), [[3, 4, 3, 2], [2, 4, 2, 2]], [2, 4, 3, 3]),
    case("InstanceNorm2d(3)", torch.nn.InstanceNorm2d(3), [[2, 3, 2, 2]], [3, 4, 2]),
    case("InstanceNorm2d(3, eps=1e-3, track_running_stats=True) unbatched", torch.nn.InstanceNorm2d(3, eps=1e-3, track_running_stats=True),
         [[3, 2, 3]], [3, 2, 2]),
]

here = os.path.join(os.path.dirname(__file__), "..", "fixtures")
with open(os.path.join(here, "norm-layers.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
