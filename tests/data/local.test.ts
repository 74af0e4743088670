// --data-dir: <data-dir>/<dataset_path>/<dataset_name>/<split>.{parquet,jsonl,json,csv}
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LocalSource } from '../../src/data/local.js';
import { isYardstickError } from '../../src/errors.js';
import { sha256 } from './hub/fake-hub.js';
import { parquetBytes, tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir('local');
});
afterEach(() => dir.remove());

function put(rel: string, content: string | Uint8Array): string {
  const file = join(dir.path, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
  return file;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isYardstickError(e)) return e.oneLine();
    throw e;
  }
  throw new Error('expected an error');
}

describe('local source', () => {
  test('reads each format into the same documents', async () => {
    const expected = [
      { sentence1: 'A', sentence2: 'B', label: 0, idx: 0 },
      { sentence1: 'C', sentence2: 'D', label: 1, idx: 1 },
    ];
    put('x/rte/validation.jsonl', expected.map((d) => JSON.stringify(d)).join('\n') + '\n');
    put('x/rte/train.json', JSON.stringify(expected));
    put('x/rte/test.csv', 'sentence1,sentence2,label,idx\nA,B,0,0\nC,D,1,1\n');
    const pq = parquetBytes([
      { name: 'sentence1', type: 'string', data: ['A', 'C'] },
      { name: 'sentence2', type: 'string', data: ['B', 'D'] },
      { name: 'label', type: 'int64', data: [0, 1] },
      { name: 'idx', type: 'int32', data: [0, 1] },
    ]);
    const pqFile = put('x/rte/extra.parquet', pq);
    const source = new LocalSource(dir.path);
    for (const split of ['validation', 'train', 'test', 'extra']) {
      expect((await source.load({ path: 'x', name: 'rte', split })).docs).toEqual(expected);
    }
    const { provenance } = await source.load({ path: 'x', name: 'rte', split: 'extra' });
    expect(provenance).toEqual({ source: 'local', files: [{ path: pqFile, sha256: sha256(pq), size: pq.byteLength }], dataset: 'x', config: 'rte', split: 'extra' });
    expect(await source.splits({ path: 'x', name: 'rte' })).toEqual(['extra', 'test', 'train', 'validation']);
  });

  test('no dataset_name means the "default" folder; owner/name paths nest', async () => {
    put('EleutherAI/lambada_openai/default/test.jsonl', '{"text":"a b c"}\n');
    const { docs } = await new LocalSource(dir.path).load({ path: 'EleutherAI/lambada_openai', split: 'test' });
    expect(docs).toEqual([{ text: 'a b c' }]);
  });

  test('a missing split names the expected file and the splits that are there', async () => {
    put('o/d/cola/train.jsonl', '{"a":1}\n');
    const msg = await failure(new LocalSource(dir.path).load({ path: 'o/d', name: 'cola', split: 'validation' }));
    expect(msg).toContain(`no local file for o/d (config cola, split validation): expected ${join(dir.path, 'o', 'd', 'cola', 'validation.{parquet,jsonl,json,csv}')}`);
    expect(msg).toContain('that folder has the splits train');
  });

  test('two files for one split is an error, not a silent choice', async () => {
    put('o/d/default/test.jsonl', '{"a":1}\n');
    put('o/d/default/test.csv', 'a\n1\n');
    const msg = await failure(new LocalSource(dir.path).load({ path: 'o/d', split: 'test' }));
    expect(msg).toContain('has 2 files');
    expect(msg).toContain('test.jsonl, test.csv');
  });

  test('malformed files name file and row', async () => {
    const bad = put('o/d/default/test.jsonl', '{"a":1}\n{"a":2\n');
    expect(await failure(new LocalSource(dir.path).load({ path: 'o/d', split: 'test' }))).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: not valid JSON`));
    const csv = put('o/e/default/test.csv', 'a,b\n1,2\n3,4,5\n');
    expect(await failure(new LocalSource(dir.path).load({ path: 'o/e', split: 'test' }))).toContain(`${csv}:3: row has 3 fields, the header has 2`);
    const pq = parquetBytes([{ name: 'a', type: 'string', data: ['x'] }]);
    const pqFile = put('o/f/default/test.parquet', pq.subarray(0, pq.byteLength - 3));
    expect(await failure(new LocalSource(dir.path).load({ path: 'o/f', split: 'test' }))).toContain(`${pqFile}: not a readable parquet file`);
  });

  test('dataset references cannot leave the data folder', async () => {
    expect(await failure(new LocalSource(dir.path).load({ path: '../etc', split: 'test' }))).toContain('invalid dataset reference');
    expect(await failure(new LocalSource(dir.path).load({ path: 'a/b', name: '..', split: 'test' }))).toContain('invalid dataset reference');
  });
});
