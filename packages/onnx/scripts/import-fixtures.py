# Writes the import fixtures: fixtures/import/<model>-opset<k>.onnx and
# fixtures/import/outputs.json.
#
# Each model gets deterministic weights from formulaTensor (below; fixtures/formula.ts computes the
# same float32 values), is exported with torch.onnx.export at several opsets, and its initializers
# that are state-dict entries are stripped of their data (dims, type and name kept), so a committed
# graph is a few KB; the tests refill them with the formula before importing. outputs.json holds
# PyTorch's float32 outputs on the formula input 'input' of the stated shape.
#
# Models: torchvision resnet18 (10 classes), googlenet (10 classes, aux_logits=False,
# transform_input=True: the exported graph then also holds the Gather/Unsqueeze/Mul/Add/Concat
# channel transform), alexnet (10 classes, at 224×224 where its adaptive pool is an identity
# AveragePool), and 'small', a CNN holding the other operators (Pad, BatchNormalization, LRN,
# MaxPool, LeakyRelu, Sigmoid, Tanh, Concat, Clip, AveragePool with ceil mode and
# count_include_pad=False, ConvTranspose, Softmax on dim 1, GlobalAveragePool, Sub, Div, the
# Shape/Gather/Unsqueeze/Concat/Reshape pattern of x.view(x.size(0), -1), Gemm, MatMul, Dropout,
# LogSoftmax). 'small-train' is 'small' exported with training=TrainingMode.TRAINING (BatchNormalization
# with its running-statistic outputs, Dropout with a ratio): outputs.json also holds its eval
# output and, after one training-mode forward in PyTorch, bn1's and bn2's running statistics.
#
# Opsets 7-17 come from torch 1.13 (its range); opset 21 files are the opset-17 graphs with their
# opset import raised (no operator they use changed its form from 17 to 21).
# Run: /usr/bin/python3 packages/onnx/scripts/import-fixtures.py   (needs python3-onnx)
import json, os
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'import')
MASK = 0xFFFFFFFF


def fnv1a(name):
    h = 0x811C9DC5
    for b in name.encode('utf-8'):
        h = ((h ^ b) * 0x01000193) & MASK
    return h


def formula_tensor(name, shape):
    """The float32 values of tensor `name` of `shape`: a hash of (name, index) scaled by the rule
    of its name and shape (fixtures/formula.ts is the same computation)."""
    n = int(np.prod(shape)) if len(shape) > 0 else 1
    x = (np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B1) + np.uint64(fnv1a(name))) & np.uint64(MASK)
    # murmur3's fmix32
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & np.uint64(MASK)
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & np.uint64(MASK)
    x ^= x >> np.uint64(16)
    u = x.astype(np.float64) / 4294967296.0
    if name == 'input':
        v = 2 * u - 1
    elif name.endswith('running_var'):
        v = 0.5 + u
    elif name.endswith('running_mean'):
        v = 0.2 * (u - 0.5)
    elif len(shape) >= 2:
        v = (2 * u - 1) * np.sqrt(6.0 / int(np.prod(shape[1:])))
    elif name.endswith('weight'):
        v = 0.75 + 0.5 * u
    else:
        v = 0.2 * (u - 0.5)
    return v.astype(np.float32).reshape(shape)


class LRN(torch.autograd.Function):
    """F.local_response_norm exported as ONNX's LRN node (torch.onnx decomposes it otherwise)."""
    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        return F.local_response_norm(x, size, alpha, beta, k)

    @staticmethod
    def symbolic(g, x, size, alpha, beta, k):
        return g.op('LRN', x, size_i=size, alpha_f=alpha, beta_f=beta, bias_f=k)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.branch_a = nn.Conv2d(8, 6, 1)
        self.branch_b = nn.Conv2d(8, 6, 3, padding=2, dilation=2, groups=2, bias=False)
        self.deconv = nn.ConvTranspose2d(12, 8, 2, stride=2)
        self.bn2 = nn.BatchNorm2d(8)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(200, 32)
        self.proj = nn.Parameter(torch.zeros(32, 16))
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.pad(x, (1, 1, 2, 0))
        x = F.relu(self.bn1(self.conv1(x)))
        x = LRN.apply(x, 3, 1e-2, 0.75, 2.0)
        x = F.max_pool2d(x, 2)
        a = F.leaky_relu(self.branch_a(x), 0.1)
        b = self.branch_b(x)
        b = torch.sigmoid(b) * torch.tanh(b)
        x = torch.cat([a, b], 1)
        x = F.hardtanh(x, -0.5, 1.0)
        x = F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        x = self.bn2(self.deconv(x))
        x = x * torch.sigmoid(F.adaptive_avg_pool2d(x, 1))
        x = x * F.softmax(x, dim=1)
        x = (x - 0.25) / 0.5
        x = F.max_pool2d(x, 2)
        x = x.view(x.size(0), -1)
        x = self.dropout(x)
        x = F.relu(self.fc1(x))
        x = torch.matmul(x, self.proj)
        return F.log_softmax(self.fc2(x), dim=1)


MODELS = {
    'small': (lambda: Small(), [2, 3, 16, 16], [7, 9, 11, 13, 17]),
    'resnet18': (lambda: tvm.resnet18(num_classes=10), [1, 3, 32, 32], [9, 13, 17]),
    'googlenet': (lambda: tvm.googlenet(num_classes=10, aux_logits=False, transform_input=True, init_weights=False), [1, 3, 64, 64], [11, 13]),
    'alexnet': (lambda: tvm.alexnet(num_classes=10), [1, 3, 224, 224], [9, 17]),
}
RAISED = {'small': 17, 'resnet18': 17}  # also written with opset 21


def load_formula(model):
    sd = model.state_dict()
    model.load_state_dict({k: (torch.from_numpy(formula_tensor(k, list(v.shape))) if v.is_floating_point() else v) for k, v in sd.items()})
    return sd


def strip(path, state_names):
    m = onnx.load(path)
    for init in m.graph.initializer:
        if init.name in state_names and init.data_type == onnx.TensorProto.FLOAT:
            init.ClearField('raw_data')
            init.ClearField('float_data')
    return m


def export(model, x, opset, path, training=torch.onnx.TrainingMode.PRESERVE):
    # PRESERVE with an eval-mode model: inference graph without the eval peephole that folds
    # BatchNormalization into Conv (which would drop the bn names and buffers).
    torch.onnx.export(model, x, path, opset_version=opset, input_names=['input'], output_names=['output'],
                      training=training, do_constant_folding=training != torch.onnx.TrainingMode.TRAINING)


def main():
    os.makedirs(OUT, exist_ok=True)
    outputs = {}
    torch.manual_seed(0)
    for name, (make, shape, opsets) in MODELS.items():
        model = make().eval()
        load_formula(model)
        state_names = set(model.state_dict().keys())
        x = torch.from_numpy(formula_tensor('input', shape))
        with torch.no_grad():
            y = model(x)
        files = []
        for opset in opsets:
            path = os.path.join(OUT, f'{name}-opset{opset}.onnx')
            export(model, x, opset, path)
            m = strip(path, state_names)
            onnx.save(m, path)
            files.append(os.path.basename(path))
            if opset == RAISED.get(name):
                for imp in m.opset_import:
                    if imp.domain in ('', 'ai.onnx'):
                        imp.version = 21
                raised = os.path.join(OUT, f'{name}-opset21.onnx')
                onnx.save(m, raised)
                files.append(os.path.basename(raised))
        outputs[name] = {'inputShape': shape, 'files': files, 'output': y.flatten().tolist(), 'outputShape': list(y.shape)}
        print(name, files, list(y.shape), float(y.abs().max()))

    # 'small' in training mode: Dropout and BatchNormalization's training forms.
    model = Small()
    load_formula(model)
    state_names = set(model.state_dict().keys())
    x = torch.from_numpy(formula_tensor('input', [2, 3, 16, 16]))
    files = []
    for opset in [9, 12, 14, 15]:
        path = os.path.join(OUT, f'small-train-opset{opset}.onnx')
        model.train()
        export(model, x, opset, path, torch.onnx.TrainingMode.TRAINING)
        onnx.save(strip(path, state_names), path)
        files.append(os.path.basename(path))
    load_formula(model)  # the export ran forwards in training mode: reset the running statistics
    model.eval()
    with torch.no_grad():
        y_eval = model(x)
        model.train()
        model(x)
    outputs['small-train'] = {
        'inputShape': [2, 3, 16, 16], 'files': files, 'output': y_eval.flatten().tolist(), 'outputShape': list(y_eval.shape),
        'momentum': 0.1,
        'runningAfterOneTrainingForward': {k: v.flatten().tolist() for k, v in model.state_dict().items() if 'running' in k},
    }
    print('small-train', files)
    with open(os.path.join(OUT, 'outputs.json'), 'w') as f:
        json.dump(outputs, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
