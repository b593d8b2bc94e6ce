# Writes fixtures/lr-schedules.json: the learning rates PyTorch 1.13's torch.optim.lr_scheduler
# gives for each case below (after construction and after every step), so the nn tests check our
# schedulers against PyTorch without needing torch. Cases cover each scheduler alone, two
# schedulers chained on one optimizer (each step applies both, multiplicatively: PyTorch's
# chainable get_lr form), SequentialLR (including a milestone where the two schedules disagree,
# so switching one epoch late is visible), step(epoch) (the closed form) and two param groups;
# OneCycleLR (with the momenta it cycles, the errors past totalSteps and in zero-length phases)
# and ReduceLROnPlateau on given metric sequences (with its best / bad-epoch / cooldown counters).
# Run: /usr/bin/python3 scripts/lr-schedules-fixture.py   (from packages/nn)
import json, math, os, warnings
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
    # OneCycleLR: momenta recorded too (SGD's momentum, Adam's beta1). It allows totalSteps steps
    # after construction (the last extrapolates the final phase) and raises at the next one.
    {'name': 'OneCycleLR (SGD momentum cycled) up to the error past totalSteps', 'lrs': [0.1],
     'schedulers': [['OneCycleLR', {'max_lr': 1.0, 'total_steps': 10}]], 'steps': 11},
    {'name': 'OneCycleLR linear, three phases, two groups with per-group maxLr and momenta', 'lrs': [0.1, 0.2],
     'schedulers': [['OneCycleLR', {'max_lr': [1.0, 0.5], 'total_steps': 12, 'pct_start': 0.25, 'anneal_strategy': 'linear', 'three_phase': True,
                                    'base_momentum': [0.8, 0.7], 'max_momentum': [0.9, 0.95], 'div_factor': 10.0, 'final_div_factor': 100.0}]], 'steps': 12},
    {'name': 'OneCycleLR cos, three phases, epochs × stepsPerEpoch', 'lrs': [0.1],
     'schedulers': [['OneCycleLR', {'max_lr': 0.3, 'epochs': 3, 'steps_per_epoch': 5, 'pct_start': 0.4, 'three_phase': True}]], 'steps': 15},
    {'name': 'OneCycleLR cycling Adam beta1', 'optimizer': 'Adam', 'lrs': [0.01],
     'schedulers': [['OneCycleLR', {'max_lr': 0.01, 'total_steps': 8, 'base_momentum': 0.8, 'max_momentum': 0.9}]], 'steps': 8},
    {'name': 'OneCycleLR without momentum cycling', 'lrs': [0.1],
     'schedulers': [['OneCycleLR', {'max_lr': 0.5, 'total_steps': 6, 'cycle_momentum': False, 'pct_start': 0.5}]], 'steps': 6},
    {'name': 'OneCycleLR pctStart 1: the last step divides by zero', 'lrs': [0.1],
     'schedulers': [['OneCycleLR', {'max_lr': 1.0, 'total_steps': 4, 'pct_start': 1.0, 'anneal_strategy': 'linear'}]], 'steps': 4},
    {'name': 'OneCycleLR pctStart · totalSteps = 1: construction divides by zero', 'lrs': [0.1],
     'schedulers': [['OneCycleLR', {'max_lr': 1.0, 'total_steps': 10, 'pct_start': 0.1}]], 'steps': 0},
    {'name': 'OneCycleLR step(epoch)', 'lrs': [0.1], 'schedulers': [['OneCycleLR', {'max_lr': 1.0, 'total_steps': 10}]],
     'steps': [None, 6, None, 2, 10, 0, None]},
    # Not chainable: OneCycleLR overwrites the lr, a later scheduler scales what it set.
    {'name': 'OneCycleLR chained: LinearLR before (overwritten), StepLR after (applies)', 'lrs': [0.1],
     'schedulers': [['LinearLR', {'start_factor': 0.5, 'end_factor': 1.0, 'total_iters': 4}], ['OneCycleLR', {'max_lr': 1.0, 'total_steps': 10}],
                    ['StepLR', {'step_size': 3, 'gamma': 0.5}]], 'steps': 9},
    {'name': 'OneCycleLR, then a StepLR attached later starts from its initial lr', 'lrs': [0.1],
     'schedulers': [['OneCycleLR', {'max_lr': 1.0, 'total_steps': 10, 'cycle_momentum': False}], ['StepLR', {'step_size': 2, 'gamma': 0.5}]],
     'steps': [None, None, None, 0]},
    {'name': 'SequentialLR: LinearLR warm-up from OneCycleLR\'s initial lr, then the cycle', 'lrs': [0.1],
     'schedulers': [['SequentialLR', {'schedulers': [['LinearLR', {'start_factor': 0.5, 'end_factor': 1.0, 'total_iters': 2}],
                                                     ['OneCycleLR', {'max_lr': 1.0, 'total_steps': 6}]], 'milestones': [2]}]], 'steps': 8},
    # ReduceLROnPlateau: step(metric) on the given metric sequence.
    {'name': 'ReduceLROnPlateau min rel', 'lrs': [0.1],
     'schedulers': [['ReduceLROnPlateau', {'patience': 2}]],
     'metrics': [1.0, 0.9, 0.91, 0.8999, 0.95, 0.5, 0.5, 0.49999, 0.5, 0.6, 0.4, 0.4, 0.4, 0.4]},
    {'name': 'ReduceLROnPlateau max abs with cooldown and minLr, two groups', 'lrs': [0.1, 0.01],
     'schedulers': [['ReduceLROnPlateau', {'mode': 'max', 'factor': 0.5, 'patience': 1, 'threshold': 0.01, 'threshold_mode': 'abs', 'cooldown': 2, 'min_lr': [0.02, 0.004]}]],
     'metrics': [0.5, 0.505, 0.52, 0.52, 0.52, 0.52, 0.52, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]},
    {'name': 'ReduceLROnPlateau max rel, patience 0, NaN and negative metrics', 'lrs': [0.1],
     'schedulers': [['ReduceLROnPlateau', {'mode': 'max', 'factor': 0.3, 'patience': 0, 'threshold': 0.1}]],
     'metrics': [-1.0, -0.95, -0.8, float('nan'), -0.5, -0.46, 2.0, 2.3]},
    {'name': 'ReduceLROnPlateau min abs, cooldown, eps skips a tiny reduction', 'lrs': [1e-7],
     'schedulers': [['ReduceLROnPlateau', {'factor': 0.5, 'patience': 0, 'threshold': 0.1, 'threshold_mode': 'abs', 'cooldown': 1, 'eps': 3e-8}]],
     'metrics': [1.0, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]},
    {'name': 'ReduceLROnPlateau threshold 0: an equal metric is no improvement', 'lrs': [0.1],
     'schedulers': [['ReduceLROnPlateau', {'patience': 1, 'threshold': 0.0}]], 'metrics': [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]},
    {'name': 'ReduceLROnPlateau with a StepLR on the same optimizer', 'lrs': [0.1],
     'schedulers': [['StepLR', {'step_size': 3, 'gamma': 0.5}], ['ReduceLROnPlateau', {'patience': 1}]],
     'metrics': [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.2]},
]


def build(opt, spec):
    kind, args = spec
    if kind == 'SequentialLR':
        subs = [build(opt, s) for s in args['schedulers']]
        return S.SequentialLR(opt, subs, milestones=args['milestones'])
    return getattr(S, kind)(opt, **args)


def momentum(group):
    return group['betas'][0] if 'betas' in group else group['momentum']


def jsonable(x):
    # JSON has no ±Infinity: the best metric before any step is written as a string.
    return x if math.isfinite(x) else ('Infinity' if x > 0 else '-Infinity')


def run(case):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in case['lrs']]
    make = torch.optim.Adam if case.get('optimizer') == 'Adam' else torch.optim.SGD
    opt = make([{'params': [p], 'lr': lr} for p, lr in zip(params, case['lrs'])], lr=case['lrs'][0])
    metrics = case.get('metrics')
    steps = [None] * len(metrics) if metrics is not None else case['steps'] if isinstance(case['steps'], list) else [None] * case['steps']
    out = {**case, 'steps': steps}
    cycling = 'OneCycleLR' in json.dumps(case['schedulers'])
    try:
        schedulers = [build(opt, s) for s in case['schedulers']]
    except (ValueError, ZeroDivisionError) as e:
        return {**out, 'error': {'step': -1, 'type': type(e).__name__}}
    lrs = [[g['lr'] for g in opt.param_groups]]
    momenta = [[momentum(g) for g in opt.param_groups]]
    plateau = []
    for i, epoch in enumerate(steps):
        opt.step()
        try:
            for s in schedulers:
                if isinstance(s, S.ReduceLROnPlateau):
                    s.step(metrics[i])
                    plateau.append([jsonable(s.best), s.num_bad_epochs, s.cooldown_counter])
                else:
                    s.step() if epoch is None else s.step(epoch)
        except (ValueError, ZeroDivisionError) as e:
            out['error'] = {'step': i, 'type': type(e).__name__}
            break
        lrs.append([g['lr'] for g in opt.param_groups])
        momenta.append([momentum(g) for g in opt.param_groups])
    out['expected'] = lrs
    out['lastLr'] = [s._last_lr for s in schedulers]
    if cycling:
        out['momenta'] = momenta
    if metrics is not None:
        out['metrics'] = [m if math.isfinite(m) else None for m in metrics]  # null: NaN
        out['plateau'] = plateau
    return out


out = {'torch': torch.__version__, 'writer': 'scripts/lr-schedules-fixture.py', 'cases': [run(c) for c in CASES]}
path = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'lr-schedules.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print('wrote', os.path.normpath(path), len(out['cases']), 'cases')
