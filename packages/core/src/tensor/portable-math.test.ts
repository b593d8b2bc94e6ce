import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { portableCos, portableLog, portableSin, portableSinCos } from './portable-math.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

// Written by fixtures/cos-table-fixture.py: [x, glibc's cos x] at every path of the port and at
// the arguments nn's schedules give.
const table = fixture('cos-table.json') as { cases: [number, number][] };

// Written by fixtures/fdlibm-table-fixture.mjs under Node 20: [x, Math.sin x, Math.cos x] and
// [x, Math.log x] from V8's fdlibm (C, compiled) at every path of the ports and at the normal
// sampler's arguments.
const fdlibm = fixture('fdlibm-table.json') as { sinCos: [number, number, number][]; log: [number, number][] };

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

describe('portableCos, portableSin, portableLog (fdlibm in + − × ÷)', () => {
  it("portableCos equals glibc's cos bit for bit on the table, except at the pinned arguments, 1 ulp away", () => {
    expect(table.cases.length).to.be.greaterThan(1500);
    const inTable = new Set(table.cases.map(([x]) => x));
    for (const x of OWN.keys()) expect(inTable.has(x), `pinned ${x} is in the table`).to.equal(true);
    for (const [x, expected] of table.cases) {
      const got = portableCos(x);
      expect(ulps(got, expected), `portableCos(${x}) = ${got}, glibc ${expected}`).to.be.at.most(1);
      expect(got, `portableCos(${x})`).to.equal(OWN.get(x) ?? expected);
    }
  });

  it("equal V8's fdlibm (Node 20's Math.sin, Math.cos, Math.log) bit for bit on every path and the sampler's arguments", () => {
    expect(fdlibm.sinCos.length).to.be.greaterThan(600);
    expect(fdlibm.log.length).to.be.greaterThan(600);
    const pair: [number, number] = [0, 0];
    for (const [x, sin, cos] of fdlibm.sinCos) {
      expect(portableSin(x), `portableSin(${x})`).to.equal(sin);
      expect(portableCos(x), `portableCos(${x})`).to.equal(cos);
      portableSinCos(x, pair);
      expect(pair, `portableSinCos(${x})`).to.deep.equal([sin, cos]);
    }
    for (const [x, log] of fdlibm.log) expect(portableLog(x), `portableLog(${x})`).to.equal(log);
  });

  it('cos is even and sin odd, with ±0, NaN and ±Infinity as Math has them', () => {
    const pair: [number, number] = [0, 0];
    for (const [x] of table.cases) {
      expect(portableCos(-x), `portableCos(-${x})`).to.equal(portableCos(x));
      expect(portableSin(-x), `portableSin(-${x})`).to.equal(-portableSin(x));
    }
    expect(portableCos(0)).to.equal(1);
    expect(portableCos(-0)).to.equal(1);
    expect(Object.is(portableSin(0), 0)).to.equal(true);
    expect(Object.is(portableSin(-0), -0)).to.equal(true);
    portableSinCos(-0, pair);
    expect(Object.is(pair[0], -0) && pair[1] === 1).to.equal(true);
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(portableCos(x), String(x)).to.be.NaN;
      expect(portableSin(x), String(x)).to.be.NaN;
      portableSinCos(x, pair);
      expect(pair[0], String(x)).to.be.NaN;
      expect(pair[1], String(x)).to.be.NaN;
    }
  });

  it('log: −Infinity at ±0, NaN below 0 and at NaN, Infinity at Infinity, +0 at 1', () => {
    expect(portableLog(0)).to.equal(-Infinity);
    expect(portableLog(-0)).to.equal(-Infinity);
    for (const x of [-5e-324, -1, -Infinity, NaN]) expect(portableLog(x), String(x)).to.be.NaN;
    expect(portableLog(Infinity)).to.equal(Infinity);
    expect(Object.is(portableLog(1), 0)).to.equal(true);
  });

  it('sin and cos take |x| up to the last double whose high word is 2^20·π/2’s, and throw a RangeError past it', () => {
    const last = fromBits(0x413921fb, 0xffffffff);
    expect(table.cases.some(([x]) => x === last), 'the last double is in the table').to.equal(true);
    expect(portableCos(-last)).to.equal(portableCos(last));
    expect(portableSin(-last)).to.equal(-portableSin(last));
    const past = fromBits(0x413921fc, 0);
    for (const x of [past, -past, 1e7, -1e300]) {
      expect(() => portableCos(x), String(x)).to.throw(RangeError, /^portableCos: .* past 2\^20·π\/2/);
      expect(() => portableSin(x), String(x)).to.throw(RangeError, /^portableSin: .* past 2\^20·π\/2/);
      expect(() => portableSinCos(x, [0, 0]), String(x)).to.throw(RangeError, /^portableSinCos: .* past 2\^20·π\/2/);
    }
  });
});
