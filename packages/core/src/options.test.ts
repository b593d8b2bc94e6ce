import { expect } from 'chai';
import { ArgumentError } from './errors.js';
import { checkChoice, checkNumber, checkOptions, optionKeys, suggestKey } from './options.js';

describe('strict options', () => {
  const accepted = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'];

  it('accepts undefined and objects whose keys are all accepted (undefined values too)', () => {
    checkOptions('Adam', undefined, accepted);
    checkOptions('Adam', {}, accepted);
    checkOptions('Adam', { lr: 1, weightDecay: undefined }, accepted);
  });

  it('names the function, the key, the accepted keys and the key that was meant', () => {
    expect(() => checkOptions('Adam', { lr: 1, weight_decay: 0.1 }, accepted)).to.throw(
      ArgumentError,
      "Adam: unknown option 'weight_decay' in options (did you mean 'weightDecay'?); accepted: lr, betas, eps, weightDecay, amsgrad",
    );
    expect(() => checkOptions('conv2d', { paddding: 1 }, ['stride', 'padding'])).to.throw(ArgumentError, "did you mean 'padding'?");
    expect(() => checkOptions('conv2d', { paddingMode: 'zeros' }, ['stride', 'padding'])).to.throw(ArgumentError, "unknown option 'paddingMode'");
  });

  it('gives no suggestion for a different word', () => {
    expect(suggestKey('momentum', accepted)).to.equal(undefined);
    expect(suggestKey('x', ['lr'])).to.equal(undefined);
    expect(suggestKey('kernel_size', ['kernelSize', 'stride'])).to.equal('kernelSize');
    expect(suggestKey('Betas', accepted)).to.equal('betas');
    expect(suggestKey('amsgard', accepted)).to.equal('amsgrad');
  });

  it('rejects options that are not a plain object', () => {
    for (const bad of [null, 3, 'lr', [1, 2]]) {
      expect(() => checkOptions('SGD', bad, ['lr'])).to.throw(ArgumentError, 'SGD: options must be an object');
    }
  });

  it('optionKeys lists keys of the type (a compile-time exhaustiveness check)', () => {
    interface O { a?: number; b?: string }
    expect(optionKeys<O>()(['a', 'b'])).to.deep.equal(['a', 'b']);
    // @ts-expect-error 'b' is missing from the list
    optionKeys<O>()(['a']);
  });

  it('checkNumber rejects NaN, infinities, non-integers and out-of-range values with the bound', () => {
    checkNumber('SGD', 'lr', 0.1, { min: 0 });
    expect(() => checkNumber('SGD', 'lr', Infinity, { min: 0 })).to.throw(ArgumentError, 'SGD: lr must be a finite number >= 0, got Infinity');
    expect(() => checkNumber('SGD', 'lr', NaN)).to.throw(ArgumentError, 'got NaN');
    expect(() => checkNumber('dropout', 'p', 1, { min: 0, max: 1, maxExclusive: true })).to.throw(ArgumentError, 'dropout: p must be a finite number >= 0 and < 1, got 1');
    expect(() => checkNumber('f', 'n', 1.5, { integer: true })).to.throw(ArgumentError, 'f: n must be a finite integer, got 1.5');
    expect(() => checkNumber('f', 'n', '3')).to.throw(ArgumentError, 'got string 3');
  });

  it('checkChoice accepts a listed choice and suggests the one meant: case, near miss, another library\'s name', () => {
    const modes = ['zeros', 'reflect', 'replicate', 'circular'] as const;
    checkChoice('conv2d', 'paddingMode', 'circular', modes);
    const says = (v: unknown) => expect(() => checkChoice('conv2d', 'paddingMode', v, modes)).to.throw(ArgumentError);
    says('Reflect').with.property('message', "conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'Reflect' (did you mean 'reflect'?)");
    says('replicat').with.property('message').that.match(/got 'replicat' \(did you mean 'replicate'\?\)$/);
    says('reflection').with.property('message').that.match(/\(did you mean 'reflect'\?\)$/);
    says('edge').with.property('message').that.match(/\(did you mean 'replicate'\?\)$/);
    says('wrap').with.property('message').that.match(/\(did you mean 'circular'\?\)$/);
    says('constant').with.property('message').that.match(/\(did you mean 'zeros'\?\)$/);
    says('symmetric').with.property('message').that.match(/got 'symmetric'$/);
    says(undefined).with.property('message').that.match(/got undefined$/);
    says(2).with.property('message').that.match(/got number 2$/);
  });
});
