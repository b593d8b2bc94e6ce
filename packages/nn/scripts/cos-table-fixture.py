# Writes fixtures/cos-table.json: glibc's cos (Python's math.cos) at the arguments nn's cosine
# (src/optim/cosine.ts) must handle, so its test can check it bit for bit without Python:
# every path of the port (|x| < 2^-27, < 0.3, < 0.78125, up to π/4; the reduction at n = ±1,
# at the double nearest π/2, in the medium range with one, two or three pieces of π/2, n ≥ 32;
# each quadrant; negative arguments) and the arguments the schedules give: π·epoch / tMax
# (CosineAnnealingLR, also π / tMax and past tMax) and π·pct (OneCycleLR). Each entry is
# [x, cos x] as shortest round-trip decimals, which JSON.parse reads back to the same doubles.
# Run: /usr/bin/python3 scripts/cos-table-fixture.py   (from packages/nn)
import json, math, os, platform, random, struct

def up(x, k=1):
    for _ in range(k):
        x = math.nextafter(x, math.inf)
    return x

def down(x, k=1):
    for _ in range(k):
        x = math.nextafter(x, -math.inf)
    return x

xs = []
# The kernel on [-π/4, π/4]: tiny, below 0.3, the q = |x|/4 range, the q = 0.28125 range, π/4.
xs += [5e-324, 1e-300, 2.0 ** -40, down(2.0 ** -27), 2.0 ** -27, 1e-8, 1e-4, 0.01, 0.1, 0.2, down(0.3), 0.3, 0.31, 0.5,
       0.7, down(0.78125), 0.78125, up(0.78125), 0.78, down(math.pi / 4), math.pi / 4, up(math.pi / 4)]
# n = ±1 (|x| < 3π/4), π/2 itself (the second piece), its neighbours, the 3π/4 boundary.
xs += [1.0, 1.5, down(math.pi / 2, 3), down(math.pi / 2), math.pi / 2, up(math.pi / 2), up(math.pi / 2, 3), 2.0, 2.3,
       down(3 * math.pi / 4), 3 * math.pi / 4, up(3 * math.pi / 4)]
# Next to multiples of π/2 (cancellation: two or three pieces), for n < 32 and beyond.
for n in list(range(2, 40)) + [63, 64, 100, 1000, 4096, 12345, 65536, 100000, 262143, 524287, 1000000, 1048575]:
    c = n * math.pi / 2
    xs += [down(c, 2), c, up(c), up(c, 7)]
# Next to multiples of π/2 where the third piece changes the result (found by a search over
# n ≤ 2^20 against a port without it).
xs += [65359.26436160885, 91553.86390724055, 138200.2316277418, -143996.47007361497]
# Integers and a spread of moderate arguments, up to the domain's end: the doubles whose high
# word is that of 2^20·π/2 (the last is just below 1647100).
last = struct.unpack('<d', struct.pack('<Q', (0x413921fc << 32) - 1))[0]
xs += [float(k) for k in range(3, 64)] + [100.0, 1e3, 1e4, 1e5, 5e5, 8e5, 2 ** 18 * math.pi, 1.6e6, 2 ** 19 * math.pi, last]
rng = random.Random(16)
xs += [rng.uniform(0, 10) for _ in range(150)] + [math.exp(rng.uniform(math.log(10), math.log(1.647e6))) for _ in range(150)]
# The schedules: π·epoch / tMax (epochs 0..2·tMax), π / tMax, π·pct.
for t_max in list(range(1, 33)) + [50, 64, 100, 194, 200, 1000]:
    epochs = range(0, 2 * t_max + 1) if t_max <= 32 else range(0, 2 * t_max + 1, max(1, t_max // 25))
    xs += [(math.pi * e) / t_max for e in epochs]
    xs += [math.pi / t_max]
for steps in [10, 30, 97, 300]:
    xs += [math.pi * (s / steps) for s in range(steps + 1)]
# Negative arguments: cos is even, but the port reduces |x| and negates.
xs += [-x for x in xs[:200:3]]

seen, table = set(), []
for x in xs:
    if x in seen:
        continue
    seen.add(x)
    table.append([x, math.cos(x)])

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'cos-table.json')
with open(out, 'w') as f:
    json.dump({'writer': 'scripts/cos-table-fixture.py', 'libc': ' '.join(platform.libc_ver()), 'python': platform.python_version(),
               'cases': table}, f, separators=(',', ':'))
    f.write('\n')
print(f'{len(table)} cases -> {os.path.relpath(out)}')
