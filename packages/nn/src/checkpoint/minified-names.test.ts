import { expect } from 'chai';
import { Adam, AdamW, RMSprop, SGD, type Optimizer } from '../index.js';
import { Linear } from '../layers/linear.js';
import { checkpointToBytes, loadCheckpointFromBytes } from './checkpoint.js';

// A minified bundle renames classes (the training page's esbuild bundle saved Adam's state as
// 'Ia'): checkpoints must record the optimizer's declared type name, not its runtime class name.
describe('checkpoints under minified class names', () => {
  const classes = [Adam, AdamW, RMSprop, SGD] as const;

  it('record the declared type name whatever the class is called at run time', () => {
    for (const cls of classes) {
      const declared = cls.name;
      const model = new Linear(2, 1);
      const make = (): Optimizer<any> => new (cls as any)(model.parameters(), { lr: 0.1 });
      const plain = checkpointToBytes({ model, optimizer: make() });
      Object.defineProperty(cls, 'name', { value: 'Ia', configurable: true });
      try {
        const opt = make();
        expect(opt.typeName).to.equal(declared);
        const minified = checkpointToBytes({ model, optimizer: opt });
        expect(Buffer.from(minified).equals(Buffer.from(plain)), declared).to.equal(true);
        loadCheckpointFromBytes(plain, { model, optimizer: opt });
      } finally {
        Object.defineProperty(cls, 'name', { value: declared, configurable: true });
      }
    }
  });

  it("a user's subclass without its own typeName is recorded by its class name", () => {
    class MyAdam extends Adam {}
    const model = new Linear(2, 1);
    expect(new MyAdam(model.parameters()).typeName).to.equal('MyAdam');
    const bytes = checkpointToBytes({ model, optimizer: new MyAdam(model.parameters()) });
    expect(() => loadCheckpointFromBytes(bytes, { model, optimizer: new Adam(model.parameters()) })).to.throw(/holds MyAdam state but the optimizer is Adam/);
  });
});
