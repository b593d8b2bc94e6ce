import { portableCos, tensor } from '@tensorgrad/core';
import { expect } from 'chai';
import { CosineAnnealingLR } from './lr-scheduler.js';
import { OneCycleLR } from './one-cycle.js';
import { SGD } from './sgd.js';

// Math.cos rounds differently in Chromium and in Node: the schedules take core's portableCos,
// so a page gets the learning rates Node gets.
describe('cosine schedules in every engine', () => {
  it('CosineAnnealingLR and OneCycleLR use portableCos: they run with Math.cos and Math.sin throwing', () => {
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
    // The closed form with portableCos, exactly, where the chained steps reach it (epoch 0, the jump to 11).
    const closed = (e: number): number => 0.001 + ((0.1 - 0.001) * (1 + portableCos((Math.PI * e) / 7))) / 2;
    expect(annealed[0]).to.equal(closed(0));
    expect(annealed[21]).to.equal(closed(11));
    annealed.slice(0, 21).forEach((lr, e) => expect(lr, `epoch ${e}`).to.be.closeTo(closed(e), 1e-15));
    expect(cycled[0]).to.be.closeTo(1 / 25, 1e-15);
    expect(cycled).to.have.length(12);
    expect(Math.max(...cycled)).to.be.within(0.99, 1);
    expect(cycled[11]).to.be.below(1e-3);
  });
});
