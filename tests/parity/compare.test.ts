// compareRuns over constructed lm-eval-format runs: one test per mismatch cause, plus the identical and
// within-tolerance cases and the acceptance cases (same config identical; different BOS named as BOS).
import { describe, expect, it } from 'vitest';
import { compareRuns, DEFAULT_PARITY_OPTIONS, matchDocuments, type ParityReport, type TaskParity } from '../../src/parity/index.js';
import { mcSample, parityRun, type RunSpec } from './lm-eval-records.js';
import { baseSpec, DEV_DOCS, lambadaSamples, mathSamples, MMLU_DOCS, MMLU_LLS, mmluQuestion, mmluSamples, mmluShot } from './scenario.js';

const compare = (ours: RunSpec, theirs: RunSpec, options = DEFAULT_PARITY_OPTIONS): ParityReport =>
  compareRuns(parityRun('ours', ours), parityRun('theirs', theirs), options);

const task = (r: ParityReport, name: string): TaskParity => {
  const t = r.tasks.find((x) => x.task === name);
  if (!t) throw new Error(`no task ${name} in report`);
  return t;
};

describe('identical and within tolerance', () => {
  it('two yardstick runs of the same config compare as identical', () => {
    const r = compare(baseSpec('yardstick'), baseSpec('yardstick'));
    expect(r.ok).toBe(true);
    expect(r.summary).toEqual({ identical: 3, within: 0, differs: 0, missing: 0 });
    const mmlu = task(r, 'mmlu_anatomy');
    expect(mmlu.docs).toMatchObject({ matched: 3, identical: 3, within: 0, differs: 0 });
    expect(mmlu.requests).toEqual({ identical: 12, within: 0, differs: 0 });
    expect(mmlu.maxAbsDelta).toBe(0);
    expect(r.settingDifferences).toEqual([]);
  });

  it('yardstick vs lm-eval ≥ 0.4.9.2 with the same numbers is identical (both use the tokenizer default BOS)', () => {
    const r = compare(baseSpec('yardstick'), baseSpec('lm-eval'));
    expect(r.ok).toBe(true);
    expect(r.settingDifferences).toEqual([]);
  });

  it('log-likelihoods 3e-5 nats apart are within tolerance, 3e-4 apart differ', () => {
    const ours = baseSpec('yardstick');
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 3e-5 });
    const r = compare(ours, theirs);
    const mmlu = task(r, 'mmlu_anatomy');
    expect(mmlu.status).toBe('within');
    expect(mmlu.requests).toEqual({ identical: 0, within: 12, differs: 0 });
    expect(mmlu.maxAbsDelta).toBeCloseTo(3e-5, 12);
    expect(r.ok).toBe(true);

    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 3e-4 });
    const r2 = compare(ours, theirs);
    expect(task(r2, 'mmlu_anatomy').status).toBe('differs');
    expect(r2.ok).toBe(false);
    // same settings, tiny shift: engine arithmetic
    expect(task(r2, 'mmlu_anatomy').causes[0]).toMatchObject({ cause: 'numerical', point: 'loglikelihood', count: 3 });
    expect(task(r2, 'mmlu_anatomy').causes[0]!.reason).toBe(
      'small differences from engine arithmetic (kernels, accumulation order) (12 of 12 log-likelihoods with identical prompts differ, largest 3.00e-4 nats)',
    );
  });
});

describe('BOS', () => {
  it('identical prompts, every log-likelihood shifted, lm-eval 0.4.9.1 default (no BOS): BOS is the cause', () => {
    const ours = baseSpec('yardstick');
    const theirs: RunSpec = { ...baseSpec(), lmEvalVersion: '0.4.9.1', modelArgs: 'pretrained=/tmp/model,dtype=float32' };
    theirs.samples = { ...theirs.samples, mmlu_anatomy: mmluSamples({ shift: -1.75 }), lambada_openai: lambadaSamples({ shift: -2.5 }) };
    const r = compare(ours, theirs);
    expect(r.ok).toBe(false);
    expect(r.settingDifferences[0]).toMatch(/^BOS: ours tokenizer decides BOS .*theirs no BOS \(add_bos_token unset; lm-eval 0\.4\.9\.1 adds no BOS/);
    const mmlu = task(r, 'mmlu_anatomy');
    expect(mmlu.status).toBe('differs');
    expect(mmlu.causes).toMatchObject([{ cause: 'bos', point: 'loglikelihood', count: 3 }]);
    const first = mmlu.differing[0]!.first!;
    expect(first.request).toBe(0);
    expect(first.delta).toBe(1.75);
    expect(first.explanation).toBe('log-likelihood ours -3.25, theirs -5.0 (Δ 1.75 nats)');
    expect(first.reason).toContain('12 of 12 log-likelihoods with identical prompts differ');
    expect(mmlu.causes[0]!.reason).toBe(first.reason);
    expect(task(r, 'lambada_openai').causes).toMatchObject([{ cause: 'bos', point: 'loglikelihood', count: 2 }]);
  });

  it('two yardstick runs differing only in --add-bos-token: BOS is the cause', () => {
    const ours = baseSpec('yardstick');
    const theirs: RunSpec = { ...baseSpec('yardstick'), bosPolicy: 'never', addBosToken: false };
    theirs.samples = { ...theirs.samples, mmlu_anatomy: mmluSamples({ shift: 0.5 }) };
    const r = compare(ours, theirs);
    expect(task(r, 'mmlu_anatomy').causes[0]!.cause).toBe('bos');
    expect(r.settingDifferences[0]).toContain('--add-bos-token false');
  });

  it('add_bos_token=True in lm-eval model_args (dict form, HEAD schema) is read as "always"', () => {
    const ours = baseSpec('yardstick');
    const theirs: RunSpec = { ...baseSpec(), modelArgs: { pretrained: '/tmp/model', add_bos_token: 'True' } };
    theirs.samples = { ...theirs.samples, lambada_openai: lambadaSamples({ shift: 1 }) };
    const r = compare(ours, theirs);
    expect(r.theirs.settings.bos).toBe('always');
    expect(task(r, 'lambada_openai').causes[0]!.cause).toBe('bos');
  });

  it('a BOS string glued to the prompt text is named BOS', () => {
    const ours = baseSpec('yardstick');
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ contextOf: (_i, base) => '<s>' + base });
    const r = compare(ours, theirs);
    const first = task(r, 'mmlu_anatomy').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'prompt', cause: 'bos', request: 0 });
    expect(first.explanation).toBe('theirs starts with the BOS text "<s>" in the prompt string itself; ours does not');
  });
});

describe('prompt causes', () => {
  it('whitespace: a trailing space after "Answer:"', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ contextOf: (_i, base) => base + ' ' });
    const r = compare(baseSpec('yardstick'), theirs);
    const mmlu = task(r, 'mmlu_anatomy');
    expect(mmlu.causes).toEqual([{ cause: 'whitespace', point: 'prompt', count: 3 }]);
    const first = mmlu.differing[0]!.first!;
    expect(first.explanation).toBe('only trailing whitespace differs: ours ends with "", theirs with " "');
    expect(first.diff).toEqual(['  "D. Fibula"', '- "Answer:"', '+ "Answer: "']);
  });

  it('description: a different MMLU description', () => {
    const theirs = baseSpec();
    const other = 'The following are multiple choice questions about anatomy.\n\n';
    theirs.samples.mmlu_anatomy = mmluSamples({ description: other });
    theirs.configs = { ...theirs.configs, mmlu_anatomy: { ...theirs.configs!.mmlu_anatomy, description: other } };
    const r = compare(baseSpec('yardstick'), theirs);
    const first = task(r, 'mmlu_anatomy').differing[0]!.first!;
    expect(first.cause).toBe('description');
    expect(first.explanation).toMatch(/^description differs: ours "The following are multiple choice questions \(with answers\)/);
  });

  it('description: the trailing "\\n\\n" of the description dropped (whitespace-only description change)', () => {
    const theirs = baseSpec();
    const other = 'The following are multiple choice questions (with answers) about anatomy.';
    theirs.samples.mmlu_anatomy = mmluSamples({ description: other + '\n' });
    theirs.configs = { ...theirs.configs, mmlu_anatomy: { ...theirs.configs!.mmlu_anatomy, description: other + '\n' } };
    const first = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy').differing[0]!.first!;
    // whitespace-only, so the whitespace check names it first
    expect(first.cause).toBe('whitespace');
  });

  it('few-shot count: 2-shot vs 0-shot', () => {
    const ours = baseSpec('yardstick');
    ours.samples.mmlu_anatomy = mmluSamples({ shots: DEV_DOCS.map(mmluShot).join('') });
    ours.nShot = { mmlu_anatomy: 2, lambada_openai: 0, hendrycks_math_algebra: 0 };
    const r = compare(ours, baseSpec());
    const first = task(r, 'mmlu_anatomy').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'prompt', cause: 'fewshot-count' });
    expect(first.explanation).toBe('ours is 2-shot, theirs 0-shot (--num_fewshot differs)');
  });

  it('few-shot selection: same count, different examples', () => {
    const ours = baseSpec('yardstick');
    const theirs = baseSpec();
    ours.samples.mmlu_anatomy = mmluSamples({ shots: mmluShot(DEV_DOCS[0]!) + mmluShot(DEV_DOCS[1]!) });
    theirs.samples.mmlu_anatomy = mmluSamples({ shots: mmluShot(DEV_DOCS[0]!) + mmluShot(MMLU_DOCS[2]!) });
    ours.nShot = theirs.nShot = { mmlu_anatomy: 2, lambada_openai: 0, hendrycks_math_algebra: 0 };
    const first = task(compare(ours, theirs), 'mmlu_anatomy').differing[0]!.first!;
    expect(first.cause).toBe('fewshot-selection');
    expect(first.explanation).toBe('1 of 2 few-shot examples differ, first at example 2 (few-shot split, sampler or seed); the evaluated question is the same');
  });

  it('few-shot selection: same examples in another order', () => {
    const ours = baseSpec('yardstick');
    const theirs = baseSpec();
    ours.samples.mmlu_anatomy = mmluSamples({ shots: mmluShot(DEV_DOCS[0]!) + mmluShot(DEV_DOCS[1]!) });
    theirs.samples.mmlu_anatomy = mmluSamples({ shots: mmluShot(DEV_DOCS[1]!) + mmluShot(DEV_DOCS[0]!) });
    ours.nShot = theirs.nShot = { mmlu_anatomy: 2, lambada_openai: 0, hendrycks_math_algebra: 0 };
    const first = task(compare(ours, theirs), 'mmlu_anatomy').differing[0]!.first!;
    expect(first.explanation).toBe('same 2 few-shot examples in a different order (sampler order or seed)');
  });

  it('truncation: the document text cut short', () => {
    const theirs = baseSpec();
    theirs.samples.lambada_openai = lambadaSamples();
    const rec = theirs.samples.lambada_openai[0]!;
    const args = rec.arguments as Record<string, { arg_0: string; arg_1: string }>;
    args.gen_args_0!.arg_0 = args.gen_args_0!.arg_0.slice(0, 20);
    const first = task(compare(baseSpec('yardstick'), theirs), 'lambada_openai').differing[0]!.first!;
    expect(first.cause).toBe('truncation');
    expect(first.explanation).toBe("theirs is the other's prompt with its last 15 characters cut off (truncated document text?)");
  });

  it('template: another prompt wording, with the task versions named', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ contextOf: (_i, base) => base.replace('\nAnswer:', '\nThe answer is') });
    theirs.versions = { mmlu_anatomy: 2.0, lambada_openai: 1.0, hendrycks_math_algebra: 1.0 };
    const first = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy').differing[0]!.first!;
    expect(first.cause).toBe('template');
    expect(first.explanation).toBe('prompt text differs from line 8, column 1 (task template); task versions differ (ours 1, theirs 2): a different prompt version');
  });

  it('target delimiter: continuation "A" instead of " A"', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = MMLU_DOCS.map((doc, i) =>
      mcSample({ docId: i, doc, context: MMLU_DESCRIPTIONED(doc), choices: ['A', 'B', 'C', 'D'], lls: MMLU_LLS[i]!, gold: doc.answer, delimiter: '' }),
    );
    const first = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'continuation', cause: 'target-delimiter', request: 0 });
    expect(first.explanation).toBe('continuation ours " A", theirs "A": target_delimiter differs');
  });
});

function MMLU_DESCRIPTIONED(doc: (typeof MMLU_DOCS)[number]): string {
  return 'The following are multiple choice questions (with answers) about anatomy.\n\n' + mmluQuestion(doc);
}

describe('documents and data', () => {
  it('a different document field is the first divergence, with the field named', () => {
    const theirs = baseSpec();
    const changed = MMLU_DOCS.map((d) => ({ ...d }));
    changed[1]!.question = 'How many chambers has a human heart?';
    theirs.samples.mmlu_anatomy = changed.map((doc, i) =>
      mcSample({ docId: i, doc, context: MMLU_DESCRIPTIONED(doc), choices: ['A', 'B', 'C', 'D'], lls: MMLU_LLS[i]!, gold: doc.answer }),
    );
    const mmlu = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy');
    expect(mmlu.docs).toMatchObject({ identical: 2, differs: 1 });
    expect(mmlu.differing[0]!.docId).toBe(1);
    expect(mmlu.differing[0]!.first).toMatchObject({ point: 'doc', cause: 'data' });
    expect(mmlu.differing[0]!.first!.explanation).toContain('field "question"');
  });

  it('documents in another order are matched by doc_hash', () => {
    const theirs = baseSpec();
    const reordered = [2, 0, 1].map((k, i) => ({ ...mmluSamples()[k]!, doc_id: i }));
    theirs.samples.mmlu_anatomy = reordered;
    const mmlu = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy');
    expect(mmlu.status).toBe('identical');
    expect(mmlu.notes[0]).toBe('3 documents have a different doc_id on their side (matched by doc_hash): document order differs');
  });

  it('same document, different doc_hash (key order): reported as a doc_hash divergence', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples().map((s) => ({ ...s, doc_hash: 'f'.repeat(64) }));
    const mmlu = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy');
    expect(mmlu.causes).toEqual([{ cause: 'hash', point: 'doc', count: 3 }]);
  });

  it('a prompt_hash over another string (prompts equal) is a hash divergence', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples().map((s) => ({ ...s, prompt_hash: '0'.repeat(64) }));
    const first = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy').differing[0]!.first!;
    expect(first).toEqual({ point: 'doc', cause: 'hash', explanation: "prompt_hash differs although the first request's context is the same: the hash is computed over another string" });
  });

  it('a --limit difference leaves documents on one side and is counted', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples().slice(0, 2);
    const mmlu = task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy');
    expect(mmlu.status).toBe('differs');
    expect(mmlu.docs).toMatchObject({ matched: 2, onlyOurs: 1, onlyTheirs: 0 });
  });

  it('match by doc_id when hashes are absent', () => {
    const a = mmluSamples().map((s) => ({ ...s, doc_hash: undefined }));
    const b = mmluSamples().map((s) => ({ ...s, doc_hash: undefined }));
    const m = matchDocuments(a, b.slice(1));
    expect(m.pairs.map(([x, y]) => [x.doc_id, y.doc_id])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(m.onlyOurs.map((s) => s.doc_id)).toEqual([0]);
  });

  it('a task present on one side only', () => {
    const theirs = baseSpec();
    delete theirs.results.hendrycks_math_algebra;
    delete theirs.samples.hendrycks_math_algebra;
    const r = compare(baseSpec('yardstick'), theirs);
    expect(task(r, 'hendrycks_math_algebra').status).toBe('only-ours');
    expect(r.summary.missing).toBe(1);
    expect(r.ok).toBe(false);
  });
});

describe('responses', () => {
  it('generation text differs: the extracted answers are shown', () => {
    const theirs = baseSpec();
    theirs.samples.hendrycks_math_algebra = mathSamples(['The answer is $4$', 'We get $9$'], [1, 1]);
    theirs.results = { ...theirs.results, hendrycks_math_algebra: { 'exact_match,none': 1.0, 'exact_match_stderr,none': 0.0 } };
    const m = task(compare(baseSpec('yardstick'), theirs), 'hendrycks_math_algebra');
    const first = m.differing[0]!.first!;
    expect(m.differing[0]!.docId).toBe(1);
    expect(first).toMatchObject({ point: 'generation', cause: 'numerical', request: 0 });
    expect(first.explanation).toBe('generations differ; extracted answer ours "6", theirs "9"');
    expect(first.reason).toBe('greedy decoding took a different token (near-tied logits or engine arithmetic)');
    expect(first.diff).toEqual(['- "We get $6$"', '+ "We get $9$"']);
    expect(m.metrics.find((x) => x.key === 'exact_match,none')!.status).toBe('differs');
  });

  it('same generation, different exact_match: answer extraction is the cause', () => {
    const theirs = baseSpec();
    theirs.samples.hendrycks_math_algebra = mathSamples(undefined, [1, 1]);
    const first = task(compare(baseSpec('yardstick'), theirs), 'hendrycks_math_algebra').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'answer', cause: 'extraction' });
    expect(first.explanation).toBe(
      'per-document exact_match ours 0, theirs 1: the generations are identical (extracted answer "6"): answer extraction or equivalence check differs',
    );
  });

  it('a generation that stops earlier is a stop-sequence truncation', () => {
    const theirs = baseSpec();
    theirs.samples.hendrycks_math_algebra = mathSamples(['The answer is $4$', 'We get'], [1, 0]);
    const first = task(compare(baseSpec('yardstick'), theirs), 'hendrycks_math_algebra').differing[0]!.first!;
    expect(first.cause).toBe('truncation');
  });

  it('greedy flag differs with equal log-likelihoods: an argmax near-tie', () => {
    const theirs = baseSpec();
    const recs = lambadaSamples();
    (recs[0]!.filtered_resps as string[][])[0]![1] = 'True';
    theirs.samples.lambada_openai = recs;
    const first = task(compare(baseSpec('yardstick'), theirs), 'lambada_openai').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'greedy', cause: 'near-tie' });
  });

  it('a near-tie flip of the argmax within tolerance is reported at the metric', () => {
    const ours = baseSpec('yardstick');
    const theirs = baseSpec();
    const tie = MMLU_LLS.map((r) => [...r]);
    tie[0] = [-1.50002, -1.5, -2.75, -4.0];
    ours.samples.mmlu_anatomy = mmluSamples({ lls: tie });
    const flipped = tie.map((r) => [...r]);
    flipped[0] = [-1.49999, -1.5, -2.75, -4.0];
    theirs.samples.mmlu_anatomy = mmluSamples({ lls: flipped });
    const first = task(compare(ours, theirs), 'mmlu_anatomy').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'metric', cause: 'near-tie' });
  });

  it('small shifts that grow with prompt length point at position-dependent precision', () => {
    const ours = baseSpec('yardstick');
    const theirs = baseSpec();
    // every request moves a little; doc 2 has a long context and moves by 2e-4
    const long = (i: number, base: string): string => (i === 2 ? 'x'.repeat(2000) + base : base);
    ours.samples.mmlu_anatomy = mmluSamples({ contextOf: long });
    const lls = MMLU_LLS.map((r, i) => r.map((x) => x + (i === 2 ? 2e-4 : 1e-5)));
    theirs.samples.mmlu_anatomy = mmluSamples({ contextOf: long, lls });
    const m = task(compare(ours, theirs), 'mmlu_anatomy');
    expect(m.causes[0]).toMatchObject({ cause: 'numerical', count: 1 });
    // 12 differing requests: the longest quarter (3) is doc 2's, the shortest quarter from docs 0-1
    expect(m.causes[0]!.reason).toMatch(/; \|Δ\| grows with prompt length \(mean 2\.00e-4 nats on the longest quarter of this task's prompts, 1\.00e-5 on the shortest\)/);
  });

  it('uniform small shifts do not claim a length trend', () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 3e-4, contextOf: (i, base) => (i === 2 ? 'x'.repeat(2000) + base : base) });
    const ours = baseSpec('yardstick');
    ours.samples.mmlu_anatomy = mmluSamples({ contextOf: (i, base) => (i === 2 ? 'x'.repeat(2000) + base : base) });
    expect(task(compare(ours, theirs), 'mmlu_anatomy').causes[0]!.reason).not.toContain('grows with prompt length');
  });

  it('max_length differs: long-prompt shifts are attributed to truncation by max_length', () => {
    const ours = { ...baseSpec('yardstick'), maxLength: 64 };
    const theirs = baseSpec();
    theirs.samples.lambada_openai = lambadaSamples({ lls: [-9.5, -3.125] });
    const first = task(compare(ours, theirs), 'lambada_openai').differing[0]!.first!;
    expect(first).toMatchObject({ point: 'loglikelihood', cause: 'max-length', delta: 2 });
  });
});

describe('aggregated metrics', () => {
  it('identical documents but a different stderr: the aggregation is the cause', () => {
    const theirs = baseSpec();
    theirs.results = { ...theirs.results, lambada_openai: { ...theirs.results.lambada_openai, 'perplexity_stderr,none': 121.5 } };
    const l = task(compare(baseSpec('yardstick'), theirs), 'lambada_openai');
    expect(l.status).toBe('differs');
    const m = l.metrics.find((x) => x.key === 'perplexity_stderr,none')!;
    expect(m).toMatchObject({ status: 'differs', cause: 'aggregation' });
    expect(m.explanation).toBe('every document is identical: the aggregation or stderr computation differs');
  });

  it('a bootstrap stderr 5e-7 apart is within the metric tolerance, 5e-6 apart is not', () => {
    const theirs = baseSpec();
    theirs.results = { ...theirs.results, mmlu_anatomy: { 'acc,none': 1.0, 'acc_stderr,none': 5e-7 } };
    expect(task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy').status).toBe('within');
    theirs.results = { ...theirs.results, mmlu_anatomy: { 'acc,none': 1.0, 'acc_stderr,none': 5e-6 } };
    expect(task(compare(baseSpec('yardstick'), theirs), 'mmlu_anatomy').status).toBe('differs');
  });

  it('groups are compared by their metrics', () => {
    const spec = (v: number): RunSpec => {
      const s = baseSpec('yardstick');
      s.results = { ...s.results, mmlu: { 'acc,none': v, 'acc_stderr,none': 0.0 } };
      s.groups = { mmlu: ['mmlu_anatomy'] };
      return s;
    };
    const r = compare(spec(1.0), spec(0.75));
    const g = task(r, 'mmlu');
    expect(g.kind).toBe('group');
    expect(g.status).toBe('differs');
    expect(g.metrics[0]).toMatchObject({ key: 'acc,none', ours: 1, theirs: 0.75, status: 'differs', cause: 'aggregation' });
  });
});

describe('groups roll up their subtasks', () => {
  const withGroup = (spec: RunSpec): RunSpec => {
    spec.results = { ...spec.results, mmlu: { 'acc,none': 1.0, 'acc_stderr,none': 0.0 } };
    spec.groups = { mmlu: ['mmlu_anatomy'] };
    return spec;
  };

  it('a group with equal numbers but a differing subtask differs', () => {
    const theirs = withGroup(baseSpec());
    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 0.25 });
    const g = task(compare(withGroup(baseSpec('yardstick')), theirs), 'mmlu');
    expect(g.status).toBe('differs');
    expect(g.notes).toEqual(['1 of 1 subtasks differ']);
  });

  it('a group with equal numbers and subtasks within tolerance is within tolerance', () => {
    const theirs = withGroup(baseSpec());
    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 2e-5 });
    expect(task(compare(withGroup(baseSpec('yardstick')), theirs), 'mmlu').status).toBe('within');
  });
});
