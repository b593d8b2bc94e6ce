#!/usr/bin/python3
# PyTorch side of `pnpm bench` (src/torch-engine.ts): a long-lived process that reads one JSON
# request per line on stdin, builds the workload (GEMM, conv2d pass, or training step; same
# shapes, architectures, parameter counts and optimizers as the tensorgrad and TensorFlow.js
# cases), times it itself with the bench's policy (src/timing.ts: warm-up, then repetition until
# enough runs and time, capped) at the requested thread count, and answers one JSON line.
# Models as in ../../../shared/anchors/torch_steps.py (the anchor this grew from).
#
# First line out: {"ready": true, "version": ..., "config": [...]} or {"ready": false, "error": ...}.
# Request: {"id": n, "threads": t, "policy": {...}, "case": {"kind": "gemm"|"conv"|"train", ...}}
# Answer:  {"id": n, "timing": {medianMs, minMs, maxMs, reps, warmupReps, minorFaultsPerRun}, "memoryMB": {"rss": ...}, "params": ...}
#          or {"id": n, "error": "..."}
import json, resource, statistics, sys, time

try:
    import torch, torch.nn as nn, torch.nn.functional as F
except Exception as e:  # no torch: the bench skips the PyTorch columns with this note
    print(json.dumps({"ready": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
    sys.exit(0)


def fmnist_cnn():
    def stage(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.MaxPool2d(2), nn.ReLU()]
    return nn.Sequential(*stage(1, 32), *stage(32, 64), *stage(64, 128), nn.Flatten(), nn.Dropout(0.2), nn.Linear(128 * 9, 10))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2); self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120); self.fc2 = nn.Linear(120, 84); self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2); x = torch.flatten(F.max_pool2d(F.relu(self.conv2(x)), 2), 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.b2 = nn.BatchNorm2d(cout)
        self.pad = cout - cin; self.stride = stride

    def forward(self, x):
        y = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        s = x
        if self.stride != 1 or self.pad:  # option A: subsample + zero-pad channels
            s = x[:, :, ::2, ::2]; s = F.pad(s, (0, 0, 0, 0, self.pad // 2, self.pad // 2))
        return F.relu(y + s)


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False); self.bn = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(3):
                layers.append(Block(cin, cout, stride if i == 0 else 1)); cin = cout
        self.layers = nn.Sequential(*layers); self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.layers(F.relu(self.bn(self.conv(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


MODELS = {"fmnist-cnn": fmnist_cnn, "lenet5": LeNet5, "resnet20": ResNet20}


def gemm(c):
    a = torch.randn(c["m"], c["k"]); b = torch.randn(c["k"], c["n"])
    def run():
        with torch.no_grad():
            torch.mm(a, b)
    return run, None


def conv(c):
    s = c["shape"]
    x = torch.randn(s["n"], s["c"], s["h"], s["w"]); w = torch.randn(s["cout"], s["c"], s["k"], s["k"])
    stride, pad, mode = s["stride"], s["pad"], c["mode"]
    if mode == "fwd":
        def run():
            with torch.no_grad():
                F.conv2d(x, w, None, stride, pad)
        return run, None
    xg = x.clone().requires_grad_(True)
    wg = w.clone().requires_grad_(mode == "fwd+dx+dW")
    def run():  # loss 0.5·Σy², as the other engines
        xg.grad = None; wg.grad = None
        y = F.conv2d(xg, wg, None, stride, pad)
        (0.5 * (y * y).sum()).backward()
    return run, None


def train(c):
    torch.manual_seed(0)
    model = MODELS[c["name"]]()
    model.train()
    o = c["optimizer"]
    opt = (torch.optim.Adam(model.parameters(), o["lr"]) if o["kind"] == "adam"
           else torch.optim.SGD(model.parameters(), o["lr"], momentum=o["momentum"]))
    ch, h, w = c["input"]
    x = torch.randn(c["batch"], ch, h, w); y = torch.arange(c["batch"]) % c["classes"]
    def run():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()
    return run, sum(p.numel() for p in model.parameters() if p.requires_grad)


def time_it(run, p):
    """src/timing.ts's timeIt, line for line."""
    warm = 0; w0 = time.perf_counter()
    while True:
        run(); warm += 1
        if not (warm < p["warmupReps"] and (time.perf_counter() - w0) * 1e3 < p["warmupMs"]):
            break
    times = []
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter(); run(); t1 = time.perf_counter()
        times.append((t1 - t0) * 1e3)
        elapsed = (t1 - start) * 1e3
        if len(times) >= p["maxReps"] or elapsed >= p["capMs"]:
            break
        if len(times) >= p["minReps"] and elapsed >= p["targetMs"]:
            break
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
    return {"medianMs": statistics.median(times), "minMs": min(times), "maxMs": max(times), "reps": len(times),
            "warmupReps": warm, "minorFaultsPerRun": faults / len(times)}


def rss_mb():
    with open("/proc/self/statm") as f:
        return round(int(f.read().split()[1]) * resource.getpagesize() / 2 ** 20)


def config():
    lines = torch.__config__.show().splitlines()
    return [l.strip() for l in lines if any(k in l for k in ("CPU capability", "MKL-DNN", "BLAS_INFO", "OpenMP"))]


print(json.dumps({"ready": True, "version": torch.__version__, "config": config()}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    try:
        torch.set_num_threads(req["threads"])
        c = req["case"]
        run, params = {"gemm": gemm, "conv": conv, "train": train}[c["kind"]](c)
        timing = time_it(run, req["policy"])
        out = {"id": req["id"], "timing": timing, "memoryMB": {"rss": rss_mb()}, "threads": torch.get_num_threads(), "params": params}
    except Exception as e:
        out = {"id": req["id"], "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out), flush=True)
