// @tensorgrad/onnx: ONNX both ways. The main entry is browser-safe (no Node built-ins).
export {
  AttributeType, DataType, decodeModel, encodeModel,
  type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type OperatorSetIdProto,
  type TensorProto, type TensorShapeDimension, type TypeProto, type ValueInfoProto,
} from './proto.js';
export { exportOnnx, OnnxExportError, type ExportOnnxOptions } from './export/export.js';
export { importOnnx } from './import/import.js';
export { OnnxModule } from './import/module.js';
export { OnnxImportError } from './import/errors.js';
