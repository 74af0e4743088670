// `data status` (library and CLI) and the `data` CLI commands, run in-process on temp folders.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { registerData } from '../../src/cli/commands/data.js';
import { dataStatus, formatStatus, parseDatasetArg, statusEntryForTask } from '../../src/data/status.js';
import { createDataSource } from '../../src/data/source.js';
import { FakeHub, commitId } from './hub/fake-hub.js';
import { parquetBytes, tempDir } from './helpers.js';

let home: { path: string; remove: () => void };
let dataDir: { path: string; remove: () => void };
const hub = new FakeHub();
const C1 = commitId(1);

beforeAll(async () => {
  await hub.start();
  hub.repos.set('o/winogrande', {
    refs: { main: C1 },
    commits: {
      [C1]: {
        cardData: { configs: [{ config_name: 'winogrande_xl', data_files: [{ split: 'validation', path: 'winogrande_xl/validation-*' }] }] },
        files: {
          'winogrande_xl/validation-00000-of-00001.parquet': parquetBytes([
            { name: 'sentence', type: 'string', data: ['a _', 'b _', 'c _'] },
            { name: 'option1', type: 'string', data: ['x', 'x', 'x'] },
            { name: 'option2', type: 'string', data: ['y', 'y', 'y'] },
            { name: 'answer', type: 'string', data: ['1', '2', '1'] },
          ]),
        },
      },
    },
  });
});
afterAll(() => hub.stop());
beforeEach(() => {
  home = tempDir('home');
  dataDir = tempDir('dd');
});
afterEach(() => {
  home.remove();
  dataDir.remove();
});

describe('status rows', () => {
  test('task configs give the eval split, plus the few-shot split when shots are asked for', () => {
    const config = { task: 'winogrande', dataset_path: 'allenai/winogrande', dataset_name: 'winogrande_xl', training_split: 'train', validation_split: 'validation' };
    expect(statusEntryForTask(config)).toEqual({ task: 'winogrande', refs: [{ path: 'allenai/winogrande', name: 'winogrande_xl', split: 'validation', role: 'eval' }] });
    expect(statusEntryForTask(config, 5).refs.map((r) => `${r.split}:${r.role}`)).toEqual(['validation:eval', 'train:few-shot']);
    expect(statusEntryForTask({ task: 't', dataset_path: 'p', test_split: 'test', dataset_kwargs: { revision: 'v1' } }).refs[0]).toEqual({ path: 'p', split: 'test', revision: 'v1', role: 'eval' });
    expect(parseDatasetArg('nyu-mll/glue:cola@validation,train')).toEqual([
      { path: 'nyu-mll/glue', name: 'cola', split: 'validation' },
      { path: 'nyu-mll/glue', name: 'cola', split: 'train' },
    ]);
    expect(() => parseDatasetArg('nyu-mll/glue')).toThrow("cannot read dataset 'nyu-mll/glue'");
  });

  test('local files, the HF cache and the hub are told apart, with row counts and no request', async () => {
    mkdirSync(join(dataDir.path, 'o', 'lambada', 'default'), { recursive: true });
    writeFileSync(join(dataDir.path, 'o', 'lambada', 'default', 'test.jsonl'), '{"text":"a"}\n{"text":"b"}\n');
    const env = { HF_ENDPOINT: hub.endpoint, HF_HOME: home.path };
    await createDataSource({ env }).load({ path: 'o/winogrande', name: 'winogrande_xl', split: 'validation' });
    hub.requests.length = 0;

    const rows = await dataStatus(
      [
        { task: 'lambada', refs: [{ path: 'o/lambada', split: 'test' }] },
        { task: 'wg', refs: [{ path: 'o/winogrande', name: 'winogrande_xl', split: 'validation' }, { path: 'o/winogrande', name: 'winogrande_xl', split: 'train', role: 'few-shot' }] },
      ],
      createDataSource({ dataDir: dataDir.path, env }),
    );
    expect(hub.requests).toEqual([]);
    expect(rows.map((r) => [r.task, r.split, r.kind, r.present, r.rows])).toEqual([
      ['lambada', 'test', 'local', true, 2],
      ['wg', 'validation', 'hf-cache', true, 3],
      ['wg', 'train', 'hub', false, undefined],
    ]);
    const table = formatStatus(rows).split('\n');
    expect(table[0]).toMatch(/^task\s+dataset\s+config\s+split\s+source\s+present\s+rows\s+location$/);
    expect(table[3]).toMatch(/^wg\s+o\/winogrande\s+winogrande_xl\s+train \(few-shot\)\s+hub \(download\)\s+no\s+/);

    const offline = await dataStatus([{ task: 'wg', refs: [{ path: 'o/winogrande', name: 'winogrande_xl', split: 'train' }] }], createDataSource({ env: { ...env, HF_HUB_OFFLINE: '1' } }));
    expect(offline[0]).toMatchObject({ kind: 'missing', present: false });
  });
});

describe('yardstick data (CLI)', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    process.env.HF_HOME = home.path;
    process.env.HF_HUB_OFFLINE = '1';
    delete process.env.HF_HUB_CACHE;
    delete process.env.HF_ENDPOINT;
  });
  afterEach(() => {
    process.env = saved;
    vi.restoreAllMocks();
  });

  async function run(args: string[]): Promise<string> {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command('yardstick').exitOverride();
    registerData(program);
    await program.parseAsync(args, { from: 'user' });
    vi.restoreAllMocks();
    return stdout;
  }

  test('import writes the HF layout and status finds it, by dataset and by task name', async () => {
    const src = join(home.path, 'lambada_test.jsonl');
    writeFileSync(src, '{"text":"one two"}\n{"text":"three four"}\n{"text":"five six"}\n');
    const imported = await run(['data', 'import', '--format', 'lambada-jsonl', src, '--data-dir', dataDir.path]);
    expect(imported).toContain('EleutherAI/lambada_openai  default  test  3 rows');
    expect(imported).toContain('imported 2 split(s), 6 rows');
    expect(existsSync(join(dataDir.path, 'EleutherAI', 'lambada_openai', 'default', 'test.jsonl'))).toBe(true);

    const byRef = await run(['data', 'status', '--dataset', 'EleutherAI/lambada_openai:default@test', 'nyu-mll/glue:cola@validation', '--data-dir', dataDir.path]);
    const lines = byRef.trim().split('\n');
    expect(lines[1]).toMatch(/^-\s+EleutherAI\/lambada_openai\s+default\s+test\s+data-dir\s+yes\s+3\s+/);
    expect(lines[2]).toMatch(/^-\s+nyu-mll\/glue\s+cola\s+validation\s+missing\s+no\s+/);

    const byTask = await run(['data', 'status', '--tasks', 'lambada_openai', '--data-dir', dataDir.path]);
    expect(byTask.trim().split('\n')[1]).toMatch(/^lambada_openai\s+EleutherAI\/lambada_openai\s+default\s+test\s+data-dir\s+yes\s+3\s+/);
  });

  test('status needs something to look up', async () => {
    await expect(run(['data', 'status'])).rejects.toThrow(/nothing to look up/);
  });
});
