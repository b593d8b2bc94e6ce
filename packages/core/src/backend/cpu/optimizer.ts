// The CPU backend's optimizer kernels (OptimizerKernels, backend/optimizer.ts): one loop per
// update, in float64, each stored value rounded once to the array's dtype. These are the loops nn's
// optimizers ran before the kernels existed, operation for operation, so results keep their bits.
import type { TypedArray } from '../../tensor/dtype.js';
import { portablePow } from '../../tensor/portable-pow.js';
import type { OptimizerKernels } from '../optimizer.js';

export const cpuOptimizer: OptimizerKernels<TypedArray> = {
  sgd(w, g, buf, { lr, momentum, dampening, weightDecay, nesterov, firstStep }) {
    for (let i = 0; i < w.length; i++) {
      let d = g[i]! + weightDecay * w[i]!;
      if (buf !== null) {
        const b = firstStep ? d : momentum * buf[i]! + (1 - dampening) * d;
        buf[i] = b;
        d = nesterov ? d + momentum * b : b;
      }
      w[i] = w[i]! - lr * d;
    }
  },

  adam(w, g0, m, v, vMax, { lr, beta1, beta2, eps, weightDecay, decoupled, biasCorrection1, biasCorrection2 }) {
    const stepSize = lr / biasCorrection1;
    const bc2Sqrt = Math.sqrt(biasCorrection2);
    const decay = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    for (let i = 0; i < w.length; i++) {
      const wi = w[i]! * decay;
      const g = g0[i]! + l2 * w[i]!;
      const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * g);
      let vi = (v[i] = beta2 * v[i]! + (1 - beta2) * g * g);
      if (vMax !== null) vi = vMax[i] = Math.max(vMax[i]!, vi);
      w[i] = wi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  },

  rmsprop(w, g0, s, gAvg, buf, { lr, alpha, eps, weightDecay, momentum }) {
    for (let i = 0; i < w.length; i++) {
      const g = g0[i]! + weightDecay * w[i]!;
      let sq = (s[i] = alpha * s[i]! + (1 - alpha) * g * g);
      if (gAvg !== null) {
        const ga = (gAvg[i] = alpha * gAvg[i]! + (1 - alpha) * g);
        sq -= ga * ga;
      }
      const step = g / (Math.sqrt(sq) + eps);
      if (buf !== null) w[i] = w[i]! - lr * (buf[i] = momentum * buf[i]! + step);
      else w[i] = w[i]! - lr * step;
    }
  },

  normAccumulate(x, acc, normType) {
    let total = acc[0]!;
    // portablePow, not **: |x|^p must round as in every engine.
    for (const v of x) total = normType === Infinity ? Math.max(total, Math.abs(v)) : total + portablePow(Math.abs(v), normType);
    acc[0] = total;
  },

  normFinish(acc, normType) {
    if (normType !== Infinity) acc[0] = portablePow(acc[0]!, 1 / normType);
  },

  clipScale(d, total, maxNorm) {
    const coef = maxNorm / (total[0]! + 1e-6);
    if (coef < 1) for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
  },
};
