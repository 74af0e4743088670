// A small helper for writing ONNX graphs by hand: unique node and value names, deduplicated
// constants, and one call per operator.
import { DataType, type Attribute, type NodeSpec, type TensorSpecProto } from './onnx-proto.js';

export type Attrs = Record<string, number | number[]>;

export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpecProto[] = [];
  /** prefix for node names, e.g. "/model/layers.0/self_attn" */
  scope = '';
  private readonly counters = new Map<string, number>();
  private readonly constants = new Map<string, string>();

  /** Adds one node; `outputs` is a count (generated names) or fixed names. Returns the outputs. */
  ops(opType: string, inputs: string[], outputs: number | string[], attrs: Attrs = {}, domain?: string): string[] {
    const name = this.unique(`${this.scope}/${opType}`);
    const outs = Array.isArray(outputs) ? outputs : Array.from({ length: outputs }, (_, i) => `${name}_output_${i}`);
    const attributes: Attribute[] = Object.entries(attrs).map(([key, value]) =>
      Array.isArray(value) ? { name: key, kind: 'ints', value } : { name: key, kind: 'int', value },
    );
    this.nodes.push({ name, opType, inputs, outputs: outs, attributes, ...(domain ? { domain } : {}) });
    return outs;
  }

  /** Adds a single-output node; returns the output name. */
  op(opType: string, inputs: string[], attrs: Attrs = {}, domain?: string): string {
    return this.ops(opType, inputs, 1, attrs, domain)[0]!;
  }

  /** Like `op`, but the output gets a fixed name (graph outputs such as `logits`). */
  opNamed(output: string, opType: string, inputs: string[], attrs: Attrs = {}): string {
    return this.ops(opType, inputs, [output], attrs)[0]!;
  }

  /** int64 constant; `dims` [] makes a scalar. */
  int64(values: number[], dims: number[] = [values.length]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    return this.constant(DataType.INT64, dims, raw, `i64:${dims.join('x')}:${values.join(',')}`);
  }

  /** float32 constant; `dims` [] makes a scalar. */
  float(values: number[], dims: number[] = [values.length]): string {
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.constant(DataType.FLOAT, dims, raw, `f32:${dims.join('x')}:${values.join(',')}`);
  }

  /** float64 constant; `dims` [] makes a scalar. */
  double(values: number[], dims: number[] = [values.length]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setFloat64(i * 8, v, true));
    return this.constant(DataType.DOUBLE, dims, raw, `f64:${dims.join('x')}:${values.join(',')}`);
  }

  addInitializer(t: TensorSpecProto): string {
    this.initializers.push(t);
    return t.name;
  }

  private constant(dataType: number, dims: number[], raw: Uint8Array, key: string): string {
    const existing = this.constants.get(key);
    if (existing) return existing;
    const typeName = dataType === DataType.FLOAT ? 'float' : dataType === DataType.DOUBLE ? 'double' : 'int64';
    const name = this.unique(`/const/${typeName}`);
    this.initializers.push({ name, dims, dataType, raw });
    this.constants.set(key, name);
    return name;
  }

  private unique(base: string): string {
    const k = this.counters.get(base) ?? 0;
    this.counters.set(base, k + 1);
    return `${base}_${k}`;
  }
}
