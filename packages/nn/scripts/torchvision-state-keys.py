# Writes fixtures/torchvision-state-keys.json: for each torchvision model, its state-dict
# entries (name, shape, dtype) in order and its parameter count, so the nn tests can check
# that our models have torchvision's structure without needing Python at test time.
# Run: /usr/bin/python3 scripts/torchvision-state-keys.py
import json, os
import torchvision.models as tvm

models = {
    'alexnet': lambda: tvm.alexnet(),
    'resnet18': lambda: tvm.resnet18(),
    'resnet34': lambda: tvm.resnet34(),
    'resnet50': lambda: tvm.resnet50(),
    'resnet101': lambda: tvm.resnet101(),
    'googlenet': lambda: tvm.googlenet(aux_logits=False, init_weights=True),
    'googlenet_aux': lambda: tvm.googlenet(aux_logits=True, init_weights=True),
}
out = {}
for name, make in models.items():
    m = make()
    out[name] = {
        'parameters': sum(p.numel() for p in m.parameters()),
        'state': [[k, list(v.shape), str(v.dtype).replace('torch.', '')] for k, v in m.state_dict().items()],
    }
    print(name, out[name]['parameters'], len(out[name]['state']))
path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'torchvision-state-keys.json')
with open(path, 'w') as f:
    json.dump(out, f, separators=(',', ':'))
