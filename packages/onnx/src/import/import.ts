// importOnnx: ONNX bytes (or a decoded ModelProto) to a trainable OnnxModule.
import { decodeModel, type ModelProto } from '../proto.js';
import { OnnxImportError } from './errors.js';
import { OnnxModule } from './module.js';
import { prepare } from './prepare.js';

/**
 * Imports an ONNX model (bytes of a `.onnx` file, an ArrayBuffer, or a decoded ModelProto) as an
 * {@link OnnxModule}: its float initializers become parameters (weights, biases, scales) and
 * buffers (running statistics), named as in the graph (`layer1.0.conv1.weight` stays dotted), and
 * `invoke(x)` runs the graph with core ops, so the usual optimizers fine-tune it. Opsets 7 to 21 of
 * the operators CNNs use (see the README's table). Every unsupported node is listed, with its name,
 * in one {@link OnnxImportError}. The module comes back in eval mode: call `train()` to fine-tune
 * (BatchNormalization then uses batch statistics, Dropout drops).
 */
export function importOnnx(model: Uint8Array | ArrayBuffer | ModelProto): OnnxModule {
  let proto: ModelProto;
  if (model instanceof Uint8Array) proto = decodeModel(model);
  else if (model instanceof ArrayBuffer) proto = decodeModel(new Uint8Array(model));
  else if (model !== null && typeof model === 'object' && !ArrayBuffer.isView(model)) proto = model;
  else throw new OnnxImportError(`importOnnx: model must be ONNX bytes (Uint8Array or ArrayBuffer) or a ModelProto, got ${model === null ? 'null' : typeof model}`);
  const { program, weights, opset } = prepare(proto);
  return new OnnxModule(program, weights, opset).eval();
}
