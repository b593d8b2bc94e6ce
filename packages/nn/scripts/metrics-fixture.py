# Writes fixtures/metrics.json: accuracy, top-k accuracy and confusion matrices as PyTorch 1.13
# computes them, for the nn metric tests. The predicted class is torch.argmax's (the first maximal
# score, NaN above every number); top-k takes the first k of a stable descending torch.sort (ties
# to the lower class index, NaN first), the rule our topKAccuracy documents. For scores without
# ties torch.topk's choice is recorded too (its CPU order among tied scores is unspecified).
# Run: /usr/bin/python3 scripts/metrics-fixture.py   (from packages/nn)
import json, math, os
import torch

torch.manual_seed(16)


def encode(values):
    # JSON has no NaN: null stands for it.
    return [None if math.isnan(v) else v for v in values]


def case(name, logits, target, ties):
    c = logits.shape[1] if logits.dim() > 1 else logits.shape[0]
    class_dim = 1 if logits.dim() > 1 else 0
    pred = logits.argmax(dim=class_dim)
    ranked = torch.sort(logits, dim=class_dim, descending=True, stable=True).indices
    t = target.unsqueeze(class_dim)
    top_k = [int(ranked.narrow(class_dim, 0, k).eq(t).any(dim=class_dim).sum()) for k in range(1, c + 1)]
    out = {
        'name': name,
        'logits': encode(logits.flatten().tolist()), 'shape': list(logits.shape),
        'target': target.flatten().tolist(), 'targetShape': list(target.shape),
        'predicted': pred.flatten().tolist(),
        'accuracy': float(pred.eq(target).double().mean()),
        'topKCorrect': top_k,
    }
    if not ties:
        out['topkCorrect'] = [int(logits.topk(k, dim=class_dim).indices.eq(t).any(dim=class_dim).sum()) for k in range(1, c + 1)]
    cm = torch.bincount((target * c + pred).flatten(), minlength=c * c).reshape(c, c)
    tp = cm.diag().double()
    out['confusion'] = cm.tolist()
    out['precision'] = encode((tp / cm.sum(0).double()).tolist())
    out['recall'] = encode((tp / cm.sum(1).double()).tolist())
    out['f1'] = encode((2 * tp / (cm.sum(0) + cm.sum(1)).double()).tolist())
    return out


nan = float('nan')
cases = [
    case('[N, C] random scores', torch.randn(12, 5, dtype=torch.float64), torch.randint(0, 5, (12,)), False),
    case('[N, C, d] random scores', torch.randn(3, 4, 5, dtype=torch.float64), torch.randint(0, 4, (3, 5)), False),
    case('[C] one sample', torch.tensor([0.5, 2.0, -1.0]), torch.tensor(1), False),
    # Small integers: many tied scores; a class never predicted and one never present (0/0 entries).
    case('[N, C] tied scores', torch.randint(0, 3, (16, 4)).double(), torch.randint(0, 3, (16,)), True),
    case('[N, C] NaN scores', torch.tensor([[1.0, nan, 3.0, nan], [nan, 0.0, 0.0, 1.0], [2.0, 2.0, 1.0, 0.0]]), torch.tensor([3, 0, 1]), True),
]

path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'metrics.json')
with open(path, 'w') as f:
    json.dump({'torch': torch.__version__, 'writer': 'scripts/metrics-fixture.py', 'cases': cases}, f)
    f.write('\n')
print('wrote', os.path.normpath(path), len(cases), 'cases')
