// ONNX messages (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto, AttributeProto)
// encoded with the field numbers of onnx/onnx.proto. Repeated scalars are written unpacked (proto2).
import { ProtoWriter } from './protobuf.js';

/** TensorProto.DataType */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;

export type Attribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: number[] }
  | { name: string; kind: 'float'; value: number };

export interface NodeSpec {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Attribute[];
  /** operator set domain, e.g. 'com.microsoft' for onnxruntime's contrib operators; default '' (ONNX) */
  domain?: string;
}

export interface ExternalLocation {
  location: string;
  offset: number;
  length: number;
}

export interface TensorSpecProto {
  name: string;
  dims: number[];
  dataType: number;
  /** inline little-endian data, or where the data lives in an external file */
  raw?: Uint8Array;
  external?: ExternalLocation;
}

export interface ValueInfoSpec {
  name: string;
  elemType: number;
  /** numbers are fixed sizes, strings are named (dynamic) dimensions */
  dims: Array<number | string>;
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  initializers: TensorSpecProto[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
}

export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  /** further operator sets the nodes use, e.g. { domain: 'com.microsoft', version: 1 } */
  extraOpsets?: Array<{ domain: string; version: number }>;
  producerName: string;
  graph: GraphSpec;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function encodeAttribute(a: Attribute): Uint8Array {
  const w = new ProtoWriter().string(1, a.name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value).uint(20, ATTR_FLOAT);
      break;
    case 'int':
      w.int64(3, a.value).uint(20, ATTR_INT);
      break;
    case 'ints':
      for (const v of a.value) w.int64(8, v);
      w.uint(20, ATTR_INTS);
      break;
  }
  return w.finish();
}

function encodeNode(n: NodeSpec): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const a of n.attributes) w.message(5, encodeAttribute(a));
  if (n.domain) w.string(7, n.domain);
  return w.finish();
}

function encodeStringEntry(key: string, value: string): Uint8Array {
  return new ProtoWriter().string(1, key).string(2, value).finish();
}

export function encodeTensor(t: TensorSpecProto): Uint8Array {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int64(1, d);
  w.uint(2, t.dataType).string(8, t.name);
  if (t.raw) w.bytes(9, t.raw);
  if (t.external) {
    w.message(13, encodeStringEntry('location', t.external.location));
    w.message(13, encodeStringEntry('offset', String(t.external.offset)));
    w.message(13, encodeStringEntry('length', String(t.external.length)));
    w.uint(14, 1); // data_location = EXTERNAL
  }
  return w.finish();
}

function encodeValueInfo(v: ValueInfoSpec): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = typeof d === 'number' ? new ProtoWriter().int64(1, d) : new ProtoWriter().string(2, d);
    shape.message(1, dim.finish());
  }
  const tensorType = new ProtoWriter().uint(1, v.elemType).message(2, shape.finish());
  const type = new ProtoWriter().message(1, tensorType.finish());
  return new ProtoWriter().string(1, v.name).message(2, type.finish()).finish();
}

function encodeGraph(g: GraphSpec): Uint8Array {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t));
  for (const i of g.inputs) w.message(11, encodeValueInfo(i));
  for (const o of g.outputs) w.message(12, encodeValueInfo(o));
  return w.finish();
}

export function encodeModel(m: ModelSpec): Uint8Array {
  const opsets = [{ domain: '', version: m.opsetVersion }, ...(m.extraOpsets ?? [])];
  const w = new ProtoWriter().uint(1, m.irVersion).string(2, m.producerName).message(7, encodeGraph(m.graph));
  for (const o of opsets) w.message(8, new ProtoWriter().string(1, o.domain).uint(2, o.version).finish());
  return w.finish();
}
