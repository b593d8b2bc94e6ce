import { readFileSync } from 'node:fs';
import { tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { cos } from './cosine.js';
import { CosineAnnealingLR } from './lr-scheduler.js';
import { OneCycleLR } from './one-cycle.js';
import { SGD } from './sgd.js';

// Written by scripts/cos-table-fixture.py: [x, glibc's cos x] at every path of the port and at
// the arguments the schedules give.
const table = JSON.parse(readFileSync(new URL('../../fixtures/cos-table.json', import.meta.url), 'utf8')) as { cases: [number, number][] };

// Where fdlibm's cos (and so this one) rounds the other way from glibc's: [x, this cos x], 1 ulp
// from the table's value. Pinned, so any change of the port's bits fails here.
const OWN = new Map<number, number>([
  [0.1, 0.9950041652780257], [0.7853981633974482, 0.7071067811865477], [1.5707963267948968, -1.6081226496766366e-16],
  [2.3, -0.666276021279824], [6, 0.9601702866503661], [29, -0.7480575296890004],
  [56, 0.853220107722584], [57, 0.8998668269691938], [1000, 0.562379076290703],
  [7.434142500319178, 0.40761356250398606], [2.5350600496212596, -0.8216294449813143], [5.894794571548202, 0.925519685630107],
  [2.2296714924903274, -0.6122278539248024], [21418.936117628557, 0.9036434994018878], [433.80582693965243, 0.9648193976935606],
  [24.495405331428294, 0.8036838995831247], [12.993031691763477, 0.9103525796763225], [432239.9129177666, 0.7343546117601785],
  [1134690.6334183554, -0.71510862635889], [3.7699111843077517, -0.8090169943749475], [5.543987035746693, 0.7390089172206586],
  [1.0995574287564276, 0.45399049973954686], [2.0420352248333655, -0.45399049973954675], [0.2991993003418851, 0.9555728057861408],
  [0.2731819698773733, 0.9629172873477994], [0.9561368945708066, 0.5766803221148671], [2.86841068371242, -0.9629172873477994],
  [4.780684472854033, 0.06824241336467099], [3.6442474781641603, -0.8763066800438636], [3.7457450869724456, -0.8229838658936566],
  [3.839724354387525, -0.7660444431189781], [0.5609986881410345, 0.8467241992282842], [2.2749464043236434, -0.6473862847818277],
  [1.9896753472735356, -0.4067366430758001], [2.4085543677521746, -0.7431448254773941], [4.29350995990605, -0.40673664307580093],
  [0.7093918895202759, 0.758758122692791], [4.221515128261284, -0.4713967368259979], [5.595961914206819, 0.7730104533627365],
  [5.781178233667815, 0.8766185526353474], [1.813702975268334, -0.24052495636625337], [2.3642913784747925, -0.7128089045468291],
  [2.3966789316045842, -0.7351463937072003], [2.4614540378641676, -0.7774855506796492], [0.16755160819145565, 0.985996037070505],
  [0.3560471674068432, 0.9372819894918916], [0.5445427266222308, 0.8553642601605067], [0.6702064327658226, 0.7836934573258398],
  [0.6806784082777886, 0.7771459614569708], [0.7225663103256524, 0.7501110696304595], [0.8168140899333463, 0.6845471059286887],
  [2.0315632493213993, -0.44463517918492723], [2.345722514680379, -0.6996633405133654], [2.419026343264141, -0.7501110696304595],
  [2.4923301718479025, -0.7965299180241961], [2.638937829015426, -0.8763066800438635], [-1.5707963267948968, -1.6081226496766366e-16],
  [-2.3, -0.666276021279824],
]);

const view = new DataView(new ArrayBuffer(8));
/** Doubles between a and b of the same sign (0 when equal). */
function ulps(a: number, b: number): number {
  view.setFloat64(0, a);
  const ia = view.getBigInt64(0);
  view.setFloat64(0, b);
  const d = ia - view.getBigInt64(0);
  return Number(d < 0n ? -d : d);
}

/** The double whose IEEE 754 bits are hi:lo. */
function fromBits(hi: number, lo: number): number {
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

describe('cos (fdlibm in + − × ÷, for the schedules)', () => {
  it("equals glibc's cos bit for bit on the table, except at the pinned arguments, 1 ulp away", () => {
    expect(table.cases.length).to.be.greaterThan(1500);
    const inTable = new Set(table.cases.map(([x]) => x));
    for (const x of OWN.keys()) expect(inTable.has(x), `pinned ${x} is in the table`).to.equal(true);
    for (const [x, expected] of table.cases) {
      const got = cos(x);
      expect(ulps(got, expected), `cos(${x}) = ${got}, glibc ${expected}`).to.be.at.most(1);
      expect(got, `cos(${x})`).to.equal(OWN.get(x) ?? expected);
    }
  });

  it('is even, 1 at ±0, NaN at NaN and ±Infinity', () => {
    for (const [x] of table.cases) expect(cos(-x), `cos(-${x})`).to.equal(cos(x));
    expect(cos(0)).to.equal(1);
    expect(cos(-0)).to.equal(1);
    for (const x of [NaN, Infinity, -Infinity]) expect(cos(x), String(x)).to.be.NaN;
  });

  it('takes |x| up to the last double whose high word is 2^20·π/2’s, and throws a RangeError past it', () => {
    const last = fromBits(0x413921fb, 0xffffffff);
    expect(table.cases.some(([x]) => x === last), 'the last double is in the table').to.equal(true);
    expect(cos(-last)).to.equal(cos(last));
    const past = fromBits(0x413921fc, 0);
    for (const x of [past, -past, 1e7, -1e300]) expect(() => cos(x), String(x)).to.throw(RangeError, /past 2\^20·π\/2/);
  });

  it('is what CosineAnnealingLR and OneCycleLR use: they run with Math.cos and Math.sin throwing', () => {
    const sgd = (): SGD => new SGD([tensor([0], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    const [mathCos, mathSin] = [Math.cos, Math.sin];
    const refuse = (): never => {
      throw new Error('Math.cos / Math.sin called: implementation-defined, not the same bits in every engine');
    };
    let annealed: number[];
    let cycled: number[];
    try {
      Math.cos = refuse;
      Math.sin = refuse;
      const a = sgd();
      const s = new CosineAnnealingLR(a, 7, 0.001);
      annealed = [a.paramGroups[0]!.lr];
      for (let e = 1; e <= 20; e++) {
        s.step();
        annealed.push(a.paramGroups[0]!.lr);
      }
      s.step(11);
      annealed.push(a.paramGroups[0]!.lr);
      const b = sgd();
      const c = new OneCycleLR(b, { maxLr: 1, totalSteps: 12 });
      cycled = [b.paramGroups[0]!.lr];
      for (let t = 1; t < 12; t++) {
        c.step();
        cycled.push(b.paramGroups[0]!.lr);
      }
    } finally {
      Math.cos = mathCos;
      Math.sin = mathSin;
    }
    // The closed form with this cos, exactly, where the chained steps reach it (epoch 0, the jump to 11).
    const closed = (e: number): number => 0.001 + ((0.1 - 0.001) * (1 + cos((Math.PI * e) / 7))) / 2;
    expect(annealed[0]).to.equal(closed(0));
    expect(annealed[21]).to.equal(closed(11));
    annealed.slice(0, 21).forEach((lr, e) => expect(lr, `epoch ${e}`).to.be.closeTo(closed(e), 1e-15));
    expect(cycled[0]).to.be.closeTo(1 / 25, 1e-15);
    expect(cycled).to.have.length(12);
    expect(Math.max(...cycled)).to.be.within(0.99, 1);
    expect(cycled[11]).to.be.below(1e-3);
  });
});
