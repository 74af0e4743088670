// onnxruntime pieces of the bench scripts that time graphs directly: a CPU session opened as the engine
// opens one (telemetry off, so no $TMPDIR/mat-debug-<pid>.log is left behind) and a one-MatMul model
// with a fixed deterministic weight.
import * as ort from 'onnxruntime-node';
import { disableOrtTelemetry } from '../../src/engines/onnx/telemetry.js';
import { GraphBuilder } from '../../src/models/onnx/graph-builder.js';
import { OPSET_VERSION } from '../../src/models/onnx/llama-graph.js';
import { DataType, encodeModel } from '../../src/models/onnx/onnx-proto.js';

/** A session on the CPU: every graph optimisation, `threads` intra-op threads and one inter-op thread. */
export function openCpuSession(model: string | Uint8Array, threads: number): Promise<ort.InferenceSession> {
  disableOrtTelemetry();
  const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1 };
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

type Dims = Array<number | string>;

/** A model computing `output = input × weight`, the weight [rows, cols] filled with sin(i) × 0.02. */
export function matMulModel(spec: {
  graph: string;
  input: { name: string; dims: Dims };
  weight: { name: string; rows: number; cols: number };
  output: { name: string; dims: Dims };
}): Uint8Array {
  const g = new GraphBuilder();
  const { rows, cols } = spec.weight;
  const weight = new Float32Array(rows * cols).map((_, i) => Math.sin(i) * 0.02);
  g.addInitializer({ name: spec.weight.name, dims: [rows, cols], dataType: DataType.FLOAT, raw: new Uint8Array(weight.buffer) });
  g.opNamed(spec.output.name, 'MatMul', [spec.input.name, spec.weight.name]);
  return encodeModel({
    irVersion: 8,
    opsetVersion: OPSET_VERSION,
    producerName: 'yardstick bench',
    graph: {
      name: spec.graph,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: spec.input.name, elemType: DataType.FLOAT, dims: spec.input.dims }],
      outputs: [{ name: spec.output.name, elemType: DataType.FLOAT, dims: spec.output.dims }],
    },
  });
}
