// Real lm-eval 0.4.13 output (fixtures/lm-eval-0.4.13, made by make_lm_eval_fixture.sh on the tiny seed-1
// model and hand-written documents) against a fresh yardstick run of the same model and documents.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/data/source.js';
import { compareRuns, loadParityRun, type ParityReport } from '../../src/parity/index.js';
import { runEvaluation } from '../../src/run.js';
import { tinyModel } from '../helpers/tiny-model.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'lm-eval-0.4.13');
const LM_EVAL_ZERO_SHOT = join(FIXTURE, 'runs', 'zero-shot');
const LM_EVAL_5SHOT = join(FIXTURE, 'runs', 'mmlu-5shot');
const TASKS = ['mnli', 'lambada_openai', 'winogrande', 'hendrycks_math_algebra', 'mmlu_anatomy'];
const OPTIONS = { tolerance: 1e-4, metricTolerance: 1e-6 };

let out: string;
let model: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'yardstick-parity-fixture-'));
  model = await tinyModel({ seed: 1, bos: true });
  const sha = createHash('sha256').update(readFileSync(join(model, 'model.safetensors'))).digest('hex');
  const expected = readFileSync(join(FIXTURE, 'model.safetensors.sha256'), 'utf8').trim();
  if (sha !== expected) {
    throw new Error(
      `the tiny seed-1 model's weights changed (sha256 ${sha}, fixture made with ${expected}); ` +
        'regenerate the lm-eval fixture with tests/parity/fixtures/make_lm_eval_fixture.sh',
    );
  }
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function yardstick(name: string, options: { tasks: string[]; numFewshot?: number; addBosToken?: boolean }): Promise<string> {
  const dir = join(out, name);
  await runEvaluation({
    model: `onnx:${model}`,
    tasks: options.tasks,
    data: createDataSource({ dataDir: join(FIXTURE, 'data'), hub: false }),
    outputPath: dir,
    logSamples: true,
    batchSize: 1,
    numFewshot: options.numFewshot,
    addBosToken: options.addBosToken,
  });
  return dir;
}

function statuses(r: ParityReport): Record<string, string> {
  return Object.fromEntries(r.tasks.map((t) => [t.task, t.status]));
}

describe('lm-eval 0.4.13 fixture', () => {
  it('an lm-eval run compared with itself is identical in every task', () => {
    const run = loadParityRun(LM_EVAL_ZERO_SHOT);
    expect([...run.samples.keys()].sort()).toEqual([...TASKS].sort());
    const r = compareRuns(run, run, OPTIONS);
    expect(r.ok).toBe(true);
    expect(r.summary).toEqual({ identical: 5, within: 0, differs: 0, missing: 0 });
    expect(r.theirs.settings).toMatchObject({ tool: 'lm-eval', lmEvalVersion: '0.4.13', bos: 'tokenizer', bosToken: '<|endoftext|>' });
  });

  it('yardstick zero-shot matches lm-eval per request within 1e-4 nats, metrics equal', async () => {
    const r = compareRuns(loadParityRun(await yardstick('zero-shot', { tasks: TASKS })), loadParityRun(LM_EVAL_ZERO_SHOT), OPTIONS);
    const bad = r.tasks.filter((t) => t.status === 'differs' || t.status === 'only-ours' || t.status === 'only-theirs');
    expect(bad.map((t) => `${t.task}: ${JSON.stringify(t.causes)} ${t.differing[0]?.first?.explanation ?? ''}`)).toEqual([]);
    expect(r.ok).toBe(true);
    for (const t of r.tasks) {
      expect(t.maxAbsDelta ?? 0).toBeLessThanOrEqual(1e-4);
      // discrete metrics and their stderrs are equal bit for bit; lambada's perplexity is continuous
      for (const m of t.metrics) if (!m.key.startsWith('perplexity')) expect([t.task, m.key, m.status]).toEqual([t.task, m.key, 'identical']);
    }
  }, 120_000);

  it('yardstick 5-shot MMLU matches lm-eval (few-shot prompts identical)', async () => {
    const r = compareRuns(loadParityRun(await yardstick('mmlu-5shot', { tasks: ['mmlu_anatomy'], numFewshot: 5 })), loadParityRun(LM_EVAL_5SHOT), OPTIONS);
    expect(statuses(r)).toEqual({ mmlu_anatomy: 'within' });
  }, 120_000);

  it('yardstick without BOS differs from lm-eval, and BOS is named as the cause', async () => {
    const r = compareRuns(
      loadParityRun(await yardstick('no-bos', { tasks: ['lambada_openai', 'mmlu_anatomy'], addBosToken: false })),
      loadParityRun(LM_EVAL_ZERO_SHOT),
      { ...OPTIONS, tasks: ['lambada_openai', 'mmlu_anatomy'] },
    );
    expect(r.ok).toBe(false);
    expect(r.settingDifferences[0]).toMatch(/^BOS: ours no BOS \(--add-bos-token false\), theirs tokenizer decides BOS/);
    for (const t of r.tasks) {
      expect(t.status).toBe('differs');
      expect(t.causes.map((c) => c.cause)).toEqual(['bos']);
    }
  }, 120_000);
});
