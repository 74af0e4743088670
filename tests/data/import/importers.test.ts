// Importers on small hand-made files in each original release format; expected documents are written
// out by hand from HF's schema (field names, label order, answer indices, splits).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { convertOriginal, importDataset } from '../../../src/data/import/index.js';
import { LocalSource } from '../../../src/data/local.js';
import { isYardstickError } from '../../../src/errors.js';
import { tempDir } from '../helpers.js';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir('import');
});
afterEach(() => dir.remove());

function put(rel: string, content: string): string {
  const file = join(dir.path, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
  return file;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isYardstickError(e)) return e.oneLine();
    throw e;
  }
  throw new Error('expected an error');
}

function split(out: ReturnType<typeof convertOriginal>, config: string, name: string) {
  const s = out.splits.find((x) => x.config === config && x.split === name);
  if (!s) throw new Error(`no ${config}/${name} in ${out.splits.map((x) => `${x.config}/${x.split}`).join(' ')}`);
  return s.docs;
}

describe('glue-tsv', () => {
  test('every task: HF column names, label order and idx', () => {
    put('glue_data/CoLA/dev.tsv', 'gj04\t1\t\tThe sailors rode the breeze clear of the rocks.\ngj04\t0\t*\tThe weights made the rope stretch over the pulley "too".\n');
    put('glue_data/SST-2/dev.tsv', "sentence\tlabel\nit 's a charming journey . \t1\nunflinchingly bleak\t0\n");
    put('glue_data/MRPC/dev.tsv', '\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1355540\t1355592\tHe said "yes" .\tHe agreed .\n0\t2029631\t2029565\tA b .\tC d .\n');
    put('glue_data/QNLI/dev.tsv', 'index\tquestion\tsentence\tlabel\n0\tWhat?\tThis.\tentailment\n1\tWho?\tThat.\tnot_entailment\n');
    put('glue_data/RTE/dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\tP one.\tH one.\tnot_entailment\n1\tP two.\tH two.\tentailment\n');
    put('glue_data/WNLI/dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\tS1.\tS2.\t0\n1\tS3.\tS4.\t1\n');
    put('glue_data/QQP/dev.tsv', 'id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n201359\t303345\t303346\tWhy?\tHow?\t1\n');
    put(
      'glue_data/MNLI/dev_matched.tsv',
      'index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label\n' +
        '0\t63735\t63735n\tslate\t(x)\t(y)\t(X)\t(Y)\tThe premise.\tThe hypothesis \tneutral\tneutral\n',
    );
    put('glue_data/MNLI/dev_mismatched.tsv', 'index\tsentence1\tsentence2\tgold_label\n0\tA.\tB.\tcontradiction\n');
    put('glue_data/RTE/test.tsv', 'index\tsentence1\tsentence2\n0\tT1.\tT2.\n');
    const out = convertOriginal('glue-tsv', join(dir.path, 'glue_data'));
    expect(out.splits.every((s) => s.dataset === 'nyu-mll/glue')).toBe(true);
    expect(split(out, 'cola', 'validation')).toEqual([
      { sentence: 'The sailors rode the breeze clear of the rocks.', label: 1, idx: 0 },
      { sentence: 'The weights made the rope stretch over the pulley "too".', label: 0, idx: 1 },
    ]);
    expect(split(out, 'sst2', 'validation')).toEqual([
      { sentence: "it 's a charming journey . ", label: 1, idx: 0 },
      { sentence: 'unflinchingly bleak', label: 0, idx: 1 },
    ]);
    expect(split(out, 'mrpc', 'validation')).toEqual([
      { sentence1: 'He said "yes" .', sentence2: 'He agreed .', label: 1, idx: 0 },
      { sentence1: 'A b .', sentence2: 'C d .', label: 0, idx: 1 },
    ]);
    // HF: qnli/rte entailment=0, not_entailment=1; wnli keeps the file's 0/1 (0 = not_entailment)
    expect(split(out, 'qnli', 'validation')).toEqual([
      { question: 'What?', sentence: 'This.', label: 0, idx: 0 },
      { question: 'Who?', sentence: 'That.', label: 1, idx: 1 },
    ]);
    expect(split(out, 'rte', 'validation')).toEqual([
      { sentence1: 'P one.', sentence2: 'H one.', label: 1, idx: 0 },
      { sentence1: 'P two.', sentence2: 'H two.', label: 0, idx: 1 },
    ]);
    expect(split(out, 'rte', 'test')).toEqual([{ sentence1: 'T1.', sentence2: 'T2.', label: -1, idx: 0 }]);
    expect(split(out, 'wnli', 'validation').map((d) => d.label)).toEqual([0, 1]);
    expect(split(out, 'qqp', 'validation')).toEqual([{ question1: 'Why?', question2: 'How?', label: 1, idx: 0 }]);
    // MNLI: entailment 0, neutral 1, contradiction 2; premise/hypothesis from sentence1/sentence2, untouched
    expect(split(out, 'mnli', 'validation_matched')).toEqual([{ premise: 'The premise.', hypothesis: 'The hypothesis ', label: 1, idx: 0 }]);
    expect(split(out, 'mnli', 'validation_mismatched')).toEqual([{ premise: 'A.', hypothesis: 'B.', label: 2, idx: 0 }]);
    expect(out.warnings.some((w) => w.includes('msr_paraphrase_train.txt'))).toBe(true);
  });

  test("MRPC from Microsoft's files gets HF's idx (row number in msr_paraphrase_train.txt)", () => {
    put('MRPC/msr_paraphrase_train.txt', '\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\tt0a\tt0b\n0\t3\t4\tdev1a\tdev1b\n1\t5\t6\tt2a\tt2b\n1\t7\t8\tdev3a\tdev3b\n');
    put('MRPC/dev_ids.tsv', '3\t4\n7\t8\n');
    put('MRPC/dev.tsv', 'Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n0\t3\t4\tdev1a\tdev1b\n1\t7\t8\tdev3a\tdev3b\n');
    const out = convertOriginal('glue-tsv', join(dir.path, 'MRPC'));
    expect(split(out, 'mrpc', 'validation')).toEqual([
      { sentence1: 'dev1a', sentence2: 'dev1b', label: 0, idx: 1 },
      { sentence1: 'dev3a', sentence2: 'dev3b', label: 1, idx: 3 },
    ]);
    expect(split(out, 'mrpc', 'train').map((d) => d.idx)).toEqual([0, 2]);
    expect(out.splits.filter((s) => s.split === 'validation')).toHaveLength(1);
  });

  test('rows with a missing cell are dropped as HF does, and reported', () => {
    put('RTE/dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\tA.\tB.\tentailment\n1\tbroken row\n2\tC.\tD.\tnot_entailment\n');
    const out = convertOriginal('glue-tsv', join(dir.path, 'RTE'));
    expect(split(out, 'rte', 'validation')).toEqual([
      { sentence1: 'A.', sentence2: 'B.', label: 0, idx: 0 },
      { sentence1: 'C.', sentence2: 'D.', label: 1, idx: 2 },
    ]);
    expect(out.warnings[0]).toContain('dropped 1 row(s)');
    expect(out.warnings[0]).toContain('lines 3');
  });

  test('an unknown label string names file, line and the labels allowed', () => {
    const file = put('RTE/dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\tA.\tB.\tentailment\n1\tC.\tD.\tneutral\n');
    expect(failure(() => convertOriginal('glue-tsv', join(dir.path, 'RTE')))).toBe(
      `${file}:3: unknown label 'neutral' in column label (expected entailment, not_entailment, or 0-1); fix or remove this row of the original file`,
    );
  });

  test('a single file needs its task from the folder name or --config', () => {
    const file = put('somewhere/dev.tsv', 'sentence\tlabel\nok\t1\n');
    expect(failure(() => convertOriginal('glue-tsv', file))).toContain('pass --config');
    expect(split(convertOriginal('glue-tsv', file, { config: 'sst2' }), 'sst2', 'validation')).toEqual([{ sentence: 'ok', label: 1, idx: 0 }]);
  });
});

describe('mmlu-csv', () => {
  test('question, subject, choices, answer index; split folders map to test/dev/validation', () => {
    put('data/test/high_school_physics_test.csv', '"A ball, thrown up:\nwhat then?",falls ,rises,"says ""hi""",stays,B\nSecond?,1,2,3,4,D');
    put('data/dev/high_school_physics_dev.csv', 'Dev q?,a,b,c,d,A\n');
    put('data/val/high_school_physics_val.csv', 'Val q?,a,b,c,d,C\n');
    const out = convertOriginal('mmlu-csv', join(dir.path, 'data'));
    expect(out.splits.every((s) => s.dataset === 'cais/mmlu' && s.config === 'high_school_physics')).toBe(true);
    expect(split(out, 'high_school_physics', 'test')).toEqual([
      { question: 'A ball, thrown up:\nwhat then?', subject: 'high_school_physics', choices: ['falls ', 'rises', 'says "hi"', 'stays'], answer: 1 },
      { question: 'Second?', subject: 'high_school_physics', choices: ['1', '2', '3', '4'], answer: 3 },
    ]);
    expect(split(out, 'high_school_physics', 'dev')[0]!.answer).toBe(0);
    expect(split(out, 'high_school_physics', 'validation')[0]!.answer).toBe(2);
  });

  test('a row with 5 columns or an answer outside A-D names file and line', () => {
    const file = put('test/anatomy_test.csv', 'Q1?,a,b,c,d,A\n"Q2, long",a,b,c,D\n');
    expect(failure(() => convertOriginal('mmlu-csv', dir.path))).toBe(
      `${file}:2: expected 6 columns (question, A, B, C, D, answer), found 5; check the quoting of this row`,
    );
    const bad = put('t2/anatomy_test.csv', 'Q1?,a,b,c,d,E\n');
    expect(failure(() => convertOriginal('mmlu-csv', bad))).toBe(`${bad}:1: answer 'E' is not one of A, B, C, D; fix or remove this row of the original file`);
  });
});

describe('math-json', () => {
  const problem = (n: number, type: string) => JSON.stringify({ problem: `P${n}`, level: 'Level 2', type, solution: `\\boxed{${n}}` });

  test('per-problem folders: one config per subject, files in sorted name order (as HF built it)', () => {
    put('MATH/test/algebra/2.json', problem(2, 'Algebra'));
    put('MATH/test/algebra/10.json', problem(10, 'Algebra'));
    put('MATH/test/algebra/1.json', problem(1, 'Algebra'));
    put('MATH/test/geometry/5.json', problem(5, 'Geometry'));
    put('MATH/train/algebra/7.json', problem(7, 'Algebra'));
    const out = convertOriginal('math-json', join(dir.path, 'MATH'));
    expect(split(out, 'algebra', 'test').map((d) => d.problem)).toEqual(['P1', 'P10', 'P2']);
    expect(split(out, 'algebra', 'test')[0]).toEqual({ problem: 'P1', level: 'Level 2', type: 'Algebra', solution: '\\boxed{1}' });
    expect(split(out, 'geometry', 'test')).toHaveLength(1);
    expect(split(out, 'algebra', 'train')).toHaveLength(1);
    expect(out.splits.every((s) => s.dataset === 'EleutherAI/hendrycks_math')).toBe(true);
  });

  test('a jsonl of problems is split into subjects by type; extra fields are dropped', () => {
    const file = put('test.jsonl', [problem(1, 'Counting & Probability'), problem(2, 'Intermediate Algebra'), problem(3, 'Counting & Probability')].map((l) => `${l.slice(0, -1)},"idx":9}`).join('\n') + '\n');
    const out = convertOriginal('math-json', file);
    expect(split(out, 'counting_and_probability', 'test').map((d) => d.problem)).toEqual(['P1', 'P3']);
    expect(Object.keys(split(out, 'intermediate_algebra', 'test')[0]!)).toEqual(['problem', 'level', 'type', 'solution']);
  });

  test('a missing field or unknown type names the file', () => {
    const f = put('MATH/test/algebra/1.json', '{"problem":"p","level":"Level 1","type":"Algebra"}');
    expect(failure(() => convertOriginal('math-json', join(dir.path, 'MATH')))).toContain(`${f}: field 'solution' is missing`);
    const j = put('x.jsonl', problem(1, 'Topology') + '\n');
    expect(failure(() => convertOriginal('math-json', j))).toContain(`${j}:1: unknown type 'Topology'`);
  });
});

describe('winogrande-jsonl', () => {
  const row = (q: string, a: string | number) => JSON.stringify({ qID: q, sentence: `S ${q} _ .`, option1: 'X', option2: 'Y', answer: a });

  test('dev.jsonl → winogrande_xl validation without qID, answer stays a string; labels file checked', () => {
    put('wg/dev.jsonl', [row('a', '1'), row('b', 2)].join('\n') + '\n');
    put('wg/dev-labels.lst', '1\n2\n');
    put('wg/train_s.jsonl', row('c', '2') + '\n');
    put('wg/test.jsonl', JSON.stringify({ qID: 't', sentence: 'T _', option1: 'X', option2: 'Y' }) + '\n');
    const out = convertOriginal('winogrande-jsonl', join(dir.path, 'wg'));
    expect(split(out, 'winogrande_xl', 'validation')).toEqual([
      { sentence: 'S a _ .', option1: 'X', option2: 'Y', answer: '1' },
      { sentence: 'S b _ .', option1: 'X', option2: 'Y', answer: '2' },
    ]);
    expect(split(out, 'winogrande_s', 'train')).toHaveLength(1);
    expect(split(out, 'winogrande_xl', 'test')).toEqual([{ sentence: 'T _', option1: 'X', option2: 'Y', answer: '' }]);
  });

  test('an answer other than "1"/"2" and a disagreeing labels file name file and line', () => {
    const f = put('a/dev.jsonl', [row('a', '1'), row('b', '3')].join('\n'));
    expect(failure(() => convertOriginal('winogrande-jsonl', f))).toContain(`${f}:2: answer "3" is not "1" or "2"`);
    put('b/dev.jsonl', [row('a', '1'), row('b', '2')].join('\n'));
    const labels = put('b/dev-labels.lst', '1\n1\n');
    expect(failure(() => convertOriginal('winogrande-jsonl', join(dir.path, 'b')))).toContain(`${labels}:2: label 1 disagrees with answer 2`);
  });
});

describe('lambada-jsonl', () => {
  test('the OpenAI file becomes the default and en configs, test split', () => {
    const f = put('lambada_test.jsonl', '{"text": "a b c"}\n{"text": "d e"}\n');
    const out = convertOriginal('lambada-jsonl', f);
    expect(out.splits.map((s) => `${s.dataset} ${s.config} ${s.split}`)).toEqual(['EleutherAI/lambada_openai default test', 'EleutherAI/lambada_openai en test']);
    expect(out.splits[0]!.docs).toEqual([{ text: 'a b c' }, { text: 'd e' }]);
  });

  test('a line without text names the line', () => {
    const f = put('lambada_test.jsonl', '{"text": "a"}\n{"txt": "b"}\n');
    expect(failure(() => convertOriginal('lambada-jsonl', f))).toContain(`${f}:2: field 'text' is missing`);
  });
});

test('imported splits land in the --data-dir layout and load back unchanged', async () => {
  put('src/RTE/dev.tsv', 'index\tsentence1\tsentence2\tlabel\n0\tA.\tB.\tnot_entailment\n');
  const dataDir = join(dir.path, 'data');
  const { written } = importDataset('glue-tsv', join(dir.path, 'src', 'RTE'), dataDir);
  expect(written).toEqual([{ dataset: 'nyu-mll/glue', config: 'rte', split: 'validation', rows: 1, file: join(dataDir, 'nyu-mll', 'glue', 'rte', 'validation.jsonl') }]);
  const { docs } = await new LocalSource(dataDir).load({ path: 'nyu-mll/glue', name: 'rte', split: 'validation' });
  expect(docs).toEqual([{ sentence1: 'A.', sentence2: 'B.', label: 1, idx: 0 }]);
  expect(failure(() => convertOriginal('csv-of-mine', dir.path))).toContain("unknown import format 'csv-of-mine'");
});
