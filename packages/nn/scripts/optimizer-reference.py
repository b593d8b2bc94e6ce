# Prints the PyTorch 1.13 numbers that src/optim/optimizer-cases.test.ts compares against (the
# tests hold them as literals, so they do not need torch): Adam with and without amsgrad on
# gradients that shrink (so the running maximum of v is what amsgrad uses), and centered RMSprop
# without momentum, with its state after the last step.
# Run: /usr/bin/python3 scripts/optimizer-reference.py   (from packages/nn)
import torch

torch.set_printoptions(precision=17)
GRADS = [[2.0, -4.0], [0.1, -0.2], [0.1, 0.3]]


def run(make, grads=GRADS):
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
    opt = make([p])
    rows = []
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        rows.append([repr(v) for v in p.detach().tolist()])
    return rows, opt.state[p]


print('torch', torch.__version__)
for ams in (False, True):
    rows, st = run(lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.9, 0.9), amsgrad=ams))
    print('adam amsgrad', ams, rows)
    if ams:
        print('  max_exp_avg_sq', st['max_exp_avg_sq'].tolist(), 'exp_avg_sq', st['exp_avg_sq'].tolist())
rows, st = run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, centered=True))
print('rmsprop centered', rows)
print('  step', st['step'], 'square_avg', st['square_avg'].tolist(), 'grad_avg', st['grad_avg'].tolist())
