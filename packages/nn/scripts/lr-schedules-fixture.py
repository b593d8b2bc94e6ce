# Writes fixtures/lr-schedules.json: the learning rates PyTorch 1.13's torch.optim.lr_scheduler
# gives for each case below (after construction and after every step), so the nn tests check our
# schedulers against PyTorch without needing torch. Cases cover each scheduler alone, two
# schedulers chained on one optimizer (each step applies both, multiplicatively: PyTorch's
# chainable get_lr form), SequentialLR (including a milestone where the two schedules disagree,
# so switching one epoch late is visible), step(epoch) (the closed form) and two param groups.
# Run: /usr/bin/python3 scripts/lr-schedules-fixture.py   (from packages/nn)
import json, os, warnings
import torch
from torch.optim import lr_scheduler as S

warnings.filterwarnings('ignore')  # step(epoch) is deprecated in PyTorch; its closed form is what we test

CASES = [
    {'name': 'StepLR', 'lrs': [0.1], 'schedulers': [['StepLR', {'step_size': 3, 'gamma': 0.5}]], 'steps': 12},
    {'name': 'MultiStepLR with a repeated milestone', 'lrs': [0.1], 'schedulers': [['MultiStepLR', {'milestones': [2, 5, 5], 'gamma': 0.1}]], 'steps': 8},
    {'name': 'CosineAnnealingLR past tMax', 'lrs': [0.1], 'schedulers': [['CosineAnnealingLR', {'T_max': 10, 'eta_min': 0.001}]], 'steps': 25},
    {'name': 'LinearLR', 'lrs': [0.1], 'schedulers': [['LinearLR', {'start_factor': 0.25, 'end_factor': 1.0, 'total_iters': 4}]], 'steps': 8},
    {'name': 'LinearLR decaying', 'lrs': [0.1], 'schedulers': [['LinearLR', {'start_factor': 1.0, 'end_factor': 0.2, 'total_iters': 5}]], 'steps': 8},
    {'name': 'chained LinearLR and StepLR', 'lrs': [0.1],
     'schedulers': [['LinearLR', {'start_factor': 0.5, 'end_factor': 1.0, 'total_iters': 4}], ['StepLR', {'step_size': 3, 'gamma': 0.5}]], 'steps': 10},
    {'name': 'chained StepLR and LinearLR (other order)', 'lrs': [0.1],
     'schedulers': [['StepLR', {'step_size': 2, 'gamma': 0.5}], ['LinearLR', {'start_factor': 0.2, 'end_factor': 1.0, 'total_iters': 3}]], 'steps': 8},
    {'name': 'chained LinearLR and CosineAnnealingLR', 'lrs': [0.1],
     'schedulers': [['LinearLR', {'start_factor': 0.1, 'end_factor': 1.0, 'total_iters': 3}], ['CosineAnnealingLR', {'T_max': 6, 'eta_min': 0.0}]], 'steps': 14},
    {'name': 'chained MultiStepLR and StepLR, two groups', 'lrs': [0.1, 0.02],
     'schedulers': [['MultiStepLR', {'milestones': [3, 6], 'gamma': 0.5}], ['StepLR', {'step_size': 4, 'gamma': 0.1}]], 'steps': 9},
    {'name': 'SequentialLR: warm-up cut short, then cosine', 'lrs': [0.1],
     'schedulers': [['SequentialLR', {'schedulers': [['LinearLR', {'start_factor': 0.1, 'end_factor': 1.0, 'total_iters': 10}], ['CosineAnnealingLR', {'T_max': 8}]], 'milestones': [3]}]],
     'steps': 14},
    {'name': 'SequentialLR: three schedulers', 'lrs': [0.1, 0.05],
     'schedulers': [['SequentialLR', {'schedulers': [
         ['LinearLR', {'start_factor': 0.5, 'end_factor': 1.0, 'total_iters': 2}],
         ['StepLR', {'step_size': 2, 'gamma': 0.5}],
         ['CosineAnnealingLR', {'T_max': 5, 'eta_min': 0.001}]], 'milestones': [4, 7]}]],
     'steps': 14},
    {'name': 'SequentialLR chained with MultiStepLR', 'lrs': [0.1],
     'schedulers': [['SequentialLR', {'schedulers': [['LinearLR', {'start_factor': 0.5, 'end_factor': 1.0, 'total_iters': 3}], ['StepLR', {'step_size': 2, 'gamma': 0.8}]], 'milestones': [3]}],
                    ['MultiStepLR', {'milestones': [5], 'gamma': 0.1}]],
     'steps': 9},
    {'name': 'step(epoch) uses the closed form', 'lrs': [0.1],
     'schedulers': [['LinearLR', {'start_factor': 0.25, 'end_factor': 1.0, 'total_iters': 4}], ['StepLR', {'step_size': 3, 'gamma': 0.5}]],
     'steps': [None, 2, None, None, 7, None, 1, None]},
    {'name': 'CosineAnnealingLR step(epoch)', 'lrs': [0.1], 'schedulers': [['CosineAnnealingLR', {'T_max': 10, 'eta_min': 0.001}]],
     'steps': [None, None, 6, None, None, 15, None, 3, None]},
    # Closed forms alone (chained with another scheduler, the last one's closed form overwrites the lr).
    {'name': 'MultiStepLR step(epoch)', 'lrs': [0.1], 'schedulers': [['MultiStepLR', {'milestones': [2, 5, 5], 'gamma': 0.1}]],
     'steps': [None, 4, 5, None, 1, 6, 2, None]},
    {'name': 'LinearLR step(epoch), before and past totalIters', 'lrs': [0.1],
     'schedulers': [['LinearLR', {'start_factor': 0.25, 'end_factor': 0.75, 'total_iters': 4}]], 'steps': [None, 3, None, 7, 2, 0, None]},
    # Several restarts: the chained form's special case at the minimum recurs at tMax + 1 + 2k·tMax.
    {'name': 'CosineAnnealingLR over several periods', 'lrs': [0.1], 'schedulers': [['CosineAnnealingLR', {'T_max': 2, 'eta_min': 0.01}]], 'steps': 12},
]


def build(opt, spec):
    kind, args = spec
    if kind == 'SequentialLR':
        subs = [build(opt, s) for s in args['schedulers']]
        return S.SequentialLR(opt, subs, milestones=args['milestones'])
    return getattr(S, kind)(opt, **args)


def run(case):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in case['lrs']]
    opt = torch.optim.SGD([{'params': [p], 'lr': lr} for p, lr in zip(params, case['lrs'])], lr=case['lrs'][0])
    schedulers = [build(opt, s) for s in case['schedulers']]
    steps = case['steps'] if isinstance(case['steps'], list) else [None] * case['steps']
    lrs = [[g['lr'] for g in opt.param_groups]]
    for epoch in steps:
        opt.step()
        for s in schedulers:
            s.step() if epoch is None else s.step(epoch)
        lrs.append([g['lr'] for g in opt.param_groups])
    return {**case, 'steps': steps, 'expected': lrs, 'lastLr': [s.get_last_lr() for s in schedulers]}


out = {'torch': torch.__version__, 'writer': 'scripts/lr-schedules-fixture.py', 'cases': [run(c) for c in CASES]}
path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'lr-schedules.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print('wrote', os.path.normpath(path), len(out['cases']), 'cases')
