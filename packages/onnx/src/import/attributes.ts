// Typed reading of a node's attributes, with the operator spec's defaults. Decoded protobuf omits
// fields equal to their default (an INT attribute of 0 has no `i`), so the value field is read by
// the attribute's declared type.
import { AttributeType, type AttributeProto, type NodeProto, type TensorProto } from '../proto.js';
import { OnnxImportError } from './errors.js';

/** A node's attributes by name. */
export class Attributes {
  readonly #byName: Map<string, AttributeProto>;

  constructor(
    node: NodeProto,
    /** The node, as messages name it. */
    readonly where: string,
  ) {
    this.#byName = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  /** Whether the attribute is present. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Names of the attributes present. */
  names(): string[] {
    return [...this.#byName.keys()];
  }

  #get(name: string, type: number): AttributeProto | undefined {
    const a = this.#byName.get(name);
    if (a !== undefined && a.type !== undefined && a.type !== type) {
      throw new OnnxImportError(`${this.where}: attribute '${name}' has type ${a.type}, expected ${type}`);
    }
    return a;
  }

  /** An INT attribute. */
  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.#get(name, AttributeType.INT);
    return a === undefined ? fallback : (a.i ?? 0);
  }

  /** A FLOAT attribute. */
  float(name: string, fallback: number): number;
  float(name: string): number | undefined;
  float(name: string, fallback?: number): number | undefined {
    const a = this.#get(name, AttributeType.FLOAT);
    return a === undefined ? fallback : (a.f ?? 0);
  }

  /** An INTS attribute. */
  ints(name: string): number[] | undefined {
    const a = this.#get(name, AttributeType.INTS);
    return a === undefined ? undefined : (a.ints ?? []);
  }

  /** A FLOATS attribute. */
  floats(name: string): number[] | undefined {
    const a = this.#get(name, AttributeType.FLOATS);
    return a === undefined ? undefined : (a.floats ?? []);
  }

  /** A STRING attribute, decoded as UTF-8. */
  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    const a = this.#get(name, AttributeType.STRING);
    return a === undefined ? fallback : new TextDecoder().decode(a.s ?? new Uint8Array());
  }

  /** A TENSOR attribute. */
  tensor(name: string): TensorProto | undefined {
    return this.#get(name, AttributeType.TENSOR)?.t;
  }
}
