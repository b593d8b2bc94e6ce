// Tensor.backward reaches autograd's engine through a slot that defineOp fills (the tensor room
// cannot import autograd). A fresh process shows both sides: with no op loaded, backward fails
// loudly; once one op module is loaded, the same tensor's backward works.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = `
const { tensor } = await import('./tensor/creation.ts');
const { AutogradError } = await import('./errors.ts');
const x = tensor([2], { requiresGrad: true, dtype: 'float64' });
try { x.backward(); console.log('no error'); } catch (e) { console.log(e instanceof AutogradError, e.message); }
const { identity } = await import('./autograd/identity.ts');
identity(x).backward();
console.log(x.grad.item());
`;

describe('Tensor.backward and the engine slot', () => {
  it('throws an AutogradError when no op (so no engine) is loaded, and works once an op module is', () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
    const [first, second] = out.trim().split('\n');
    expect(first).to.match(/^true backward: the autograd engine is not loaded/);
    expect(second).to.equal('1');
  });
});
