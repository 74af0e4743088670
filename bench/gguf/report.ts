// Prints the GGUF bench table from engine_side.ts's JSON lines: scoring time and throughput per model
// and task, accuracy, and each model's per-request log-likelihood drift from the first model (the
// ONNX fp32 baseline): median and max |Δ| nats over the requests both answered.
//   node dist/bench/bench/gguf/report.js RESULTS.jsonl BASELINE_DUMP [LABEL=DUMP ...]
import { readFileSync } from 'node:fs';

interface Row {
  label: string;
  dtype: string;
  task: string;
  docs: number;
  requests: number;
  inputTokens: number;
  scoringSeconds: number;
  loadSeconds: number;
  results: Record<string, number>;
}

const [resultsFile, baselineFile, ...dumps] = process.argv.slice(2);
const rows = readFileSync(resultsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
const readDump = (f: string) =>
  new Map(
    readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { task: string; doc: number; idx: number; logprob: number })
      .map((d) => [`${d.task}/${d.doc}/${d.idx}`, d] as const),
  );
const baseline = readDump(baselineFile!);
const drifts = new Map<string, Map<string, number[]>>();
for (const spec of dumps) {
  const eq = spec.indexOf('=');
  const perTask = new Map<string, number[]>();
  for (const [key, d] of readDump(spec.slice(eq + 1))) {
    const b = baseline.get(key);
    if (!b) continue;
    if (!perTask.has(d.task)) perTask.set(d.task, []);
    perTask.get(d.task)!.push(Math.abs(d.logprob - b.logprob));
  }
  drifts.set(spec.slice(0, eq), perTask);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const acc = (r: Row): string => {
  const v = r.results['acc,none'];
  return v === undefined ? '' : v.toFixed(3);
};
const fmt = (x: number): string => (x === 0 ? '0' : x < 1e-3 ? x.toExponential(1) : x.toPrecision(2));

const lines = [
  '| model | dtype | task | docs | requests | tokens | load s | scoring s | tokens/s | req/s | acc | median abs Δ | max abs Δ |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of rows) {
  const d = drifts.get(r.label)?.get(r.task);
  lines.push(
    `| ${r.label} | ${r.dtype} | ${r.task} | ${r.docs} | ${r.requests} | ${r.inputTokens} | ${r.loadSeconds.toFixed(1)} | ${r.scoringSeconds.toFixed(1)} | ${Math.round(r.inputTokens / r.scoringSeconds)} | ${(r.requests / r.scoringSeconds).toFixed(2)} | ${acc(r)} | ${d ? fmt(median(d)) : '–'} | ${d ? fmt(Math.max(...d)) : '–'} |`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
