import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { YardstickError } from '../../src/errors.js';
import { modelIdOf, openRunFolder, parsePythonJson, readSamples } from '../../src/report/run-folder.js';
import { tempDir, writeRun } from './compare/run-writer.js';

const FIXTURES = 'tests/fixtures/runs';

describe('openRunFolder', () => {
  test('finds the results one model-name folder down (lm-eval --output_path DIR) and its sample logs', () => {
    const run = openRunFolder(`${FIXTURES}/family/tiny-135m`);
    expect(run.resultsPath).toMatch(/example__tiny-135M\/results_2025-01-15T10-00-00\.000000\.json$/);
    expect(run.dateId).toBe('2025-01-15T10-00-00.000000');
    expect(run.modelId).toBe('example/tiny-135M');
    expect(run.numParameters).toBe(134515008);
    expect([...run.samplesPaths.keys()]).toContain('mmlu_abstract_algebra');
    expect(run.samplesPaths.size).toBe(17);
    const samples = readSamples(run, 'sst2')!;
    expect(samples).toHaveLength(60);
    expect(samples[0]!.doc_id).toBe(0);
    expect(readSamples(run, 'mmlu')).toBeNull(); // groups have no sample log
  });

  test('accepts the model folder itself and the results file itself', () => {
    const viaDir = openRunFolder(`${FIXTURES}/family/tiny-135m/example__tiny-135M`);
    const viaFile = openRunFolder(`${FIXTURES}/family/tiny-135m/example__tiny-135M/results_2025-01-15T10-00-00.000000.json`);
    expect(viaDir.resultsPath).toBe(viaFile.resultsPath);
    expect(viaFile.samplesPaths.size).toBe(17);
  });

  test('legacy results (model_args as a string, no model_name) still name the model', () => {
    const run = openRunFolder(`${FIXTURES}/seed/smollm-360m`);
    expect(run.results.model_name).toBeUndefined();
    expect(run.modelId).toBe('HuggingFaceTB/SmolLM-360M');
    expect(run.samplesPaths.size).toBe(0);
  });

  test('several results files: the newest is used and the user is told', () => {
    const root = tempDir();
    writeRun(root, { modelName: 'm', tasks: { t: { metrics: { acc: 0.5 } } }, dateId: '2025-01-01T00-00-00.000000' });
    writeRun(root, { modelName: 'm', tasks: { t: { metrics: { acc: 0.7 } } }, dateId: '2025-02-01T00-00-00.000000' });
    const run = openRunFolder(root);
    expect(run.dateId).toBe('2025-02-01T00-00-00.000000');
    expect(run.notes[0]).toMatch(/2 results files; using the newest/);
  });

  test('clear errors for a missing folder, an empty one, and a folder with several models', () => {
    expect(() => openRunFolder('/nonexistent/run')).toThrow(/does not exist/);
    const empty = tempDir();
    expect(() => openRunFolder(empty)).toThrow(/no results_<date>\.json/);
    const two = tempDir();
    writeRun(two, { modelName: 'a/one', tasks: { t: { metrics: { acc: 0.5 } } } });
    writeRun(two, { modelName: 'b/two', tasks: { t: { metrics: { acc: 0.5 } } } });
    try {
      openRunFolder(two);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(YardstickError);
      expect((e as YardstickError).oneLine()).toMatch(/several models \(a__one, b__two\); pass one of them/);
    }
  });

  test('a broken sample log names the file and line', () => {
    const root = tempDir();
    writeRun(root, { modelName: 'm', tasks: { t: { metrics: { acc: 0.5 } } } });
    const dir = join(root, 'm');
    writeFileSync(join(dir, 'samples_t_2025-03-01T12-00-00.000000.jsonl'), '{"doc_id": 0}\n{"doc_id": 1, "trunc');
    const run = openRunFolder(root);
    expect(() => readSamples(run, 't')).toThrow(/samples_t_.*line 2 is not valid JSON/);
  });
});

describe('parsePythonJson', () => {
  test("reads Python's NaN / Infinity / -Infinity but leaves strings alone", () => {
    const v = parsePythonJson('{"a": NaN, "b": [-Infinity, Infinity], "s": "NaN and -Infinity", "t": "q\\"NaN"}') as Record<
      string,
      unknown
    >;
    expect(v.a).toBeNaN();
    expect(v.b).toEqual([-Infinity, Infinity]);
    expect(v.s).toBe('NaN and -Infinity');
    expect(v.t).toBe('q"NaN');
  });
});

test('modelIdOf follows lm-eval: model_name, else peft/delta/pretrained/model/path/engine in that order', () => {
  expect(modelIdOf({ results: {}, config: { model_args: { pretrained: 'base', peft: 'adapter' } } })).toBe('adapter');
  expect(modelIdOf({ results: {}, config: { model_args: 'dtype=float32,pretrained=org/name' } })).toBe('org/name');
  expect(modelIdOf({ results: {}, model_name: 'x', config: { model_args: 'pretrained=y' } })).toBe('x');
  expect(modelIdOf({ results: {} })).toBeNull();
});
