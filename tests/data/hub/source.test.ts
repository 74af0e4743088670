// The hub source against a local fake Hub: real @huggingface/hub requests, the HF cache layout on disk,
// cache-only second runs, pinning, the parquet branch, and every failure a user meets.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDataSource } from '../../../src/data/source.js';
import type { DownloadProgress } from '../../../src/data/hub/client.js';
import { isYardstickError } from '../../../src/errors.js';
import { FakeHub, commitId, sha256 } from './fake-hub.js';
import { parquetBytes, tempDir } from '../helpers.js';

const COLA_V1 = parquetBytes([
  { name: 'sentence', type: 'string', data: ['Our friends will not buy this analysis.', 'They drank the pub.'] },
  { name: 'label', type: 'int64', data: [1, 0] },
  { name: 'idx', type: 'int32', data: [0, 1] },
]);
const COLA_V2 = parquetBytes([
  { name: 'sentence', type: 'string', data: ['A new sentence.'] },
  { name: 'label', type: 'int64', data: [1] },
  { name: 'idx', type: 'int32', data: [0] },
]);
const LAMBADA_0 = parquetBytes([{ name: 'text', type: 'string', data: ['first shard passage', 'second passage'] }]);
const LAMBADA_1 = parquetBytes([{ name: 'text', type: 'string', data: ['third passage in shard two'] }]);
const MMLU = parquetBytes([
  { name: 'question', type: 'string', data: ['2+2?'] },
  { name: 'subject', type: 'string', data: ['abstract_algebra'] },
  { name: 'choices', type: 'string-list', data: [['1', '2', '3', '4']] },
  { name: 'answer', type: 'int64', data: [3] },
]);

const GLUE_CARD = {
  configs: [
    { config_name: 'cola', data_files: [{ split: 'train', path: 'cola/train-*' }, { split: 'validation', path: 'cola/validation-*' }] },
    { config_name: 'sst2', data_files: [{ split: 'validation', path: 'sst2/validation-*' }] },
  ],
};
const C1 = commitId(1);
const C2 = commitId(2);
const CONV = commitId(3);

const hub = new FakeHub();
let endpoint = '';
let home: { path: string; remove: () => void };

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { HF_ENDPOINT: endpoint, HF_HOME: home.path, ...extra };
}

function cacheRepo(id: string): string {
  return join(home.path, 'hub', `datasets--${id.replace('/', '--')}`);
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!isYardstickError(e)) throw e;
    return e.oneLine();
  }
  throw new Error('expected the load to fail');
}

beforeAll(async () => {
  endpoint = await hub.start();
});
afterAll(async () => {
  await hub.stop();
});
beforeEach(() => {
  home = tempDir('hfhome');
  hub.requests.length = 0;
  hub.repos.clear();
  hub.repos.set('test-org/glue', {
    refs: { main: C2 },
    commits: {
      [C1]: { cardData: GLUE_CARD, files: { 'README.md': '# old', 'cola/validation-00000-of-00001.parquet': COLA_V1 } },
      [C2]: { cardData: GLUE_CARD, files: { 'README.md': '# glue', 'cola/validation-00000-of-00001.parquet': COLA_V2 } },
    },
  });
  // a script-era dataset: main has no parquet, the parquet branch has two shards
  hub.repos.set('test-org/lambada', {
    refs: { main: C1, 'refs/convert/parquet': CONV },
    commits: {
      [C1]: { files: { 'lambada.py': 'print(1)', 'README.md': '# lambada' } },
      [CONV]: { files: { 'default/test/0000.parquet': LAMBADA_0, 'default/test/0001.parquet': LAMBADA_1, 'en/test/0000.parquet': LAMBADA_1 } },
    },
  });
  hub.repos.set('test-org/gated-mmlu', {
    gatedToken: 'hf_secret_token',
    refs: { main: C1 },
    commits: { [C1]: { cardData: { configs: [{ config_name: 'abstract_algebra', data_files: [{ split: 'test', path: 'abstract_algebra/test-*' }] }] }, files: { 'abstract_algebra/test-00000-of-00001.parquet': MMLU } } },
  });
});
afterEach(() => home.remove());

describe('hub download into the HF cache', () => {
  test('first download reads the card data files, writes the standard layout and records commit and checksums', async () => {
    const events: DownloadProgress[] = [];
    const source = createDataSource({ env: env(), onProgress: (p) => events.push(p) });
    const { docs, provenance } = await source.load({ path: 'test-org/glue', name: 'cola', split: 'validation' });

    expect(docs).toEqual([{ sentence: 'A new sentence.', label: 1, idx: 0 }]);
    expect(Object.keys(docs[0]!)).toEqual(['sentence', 'label', 'idx']);
    expect(provenance).toMatchObject({ source: 'hub', revision: C2, ref: 'main', dataset: 'test-org/glue', config: 'cola', split: 'validation', cached: false, endpoint });
    expect(provenance.files).toHaveLength(1);
    expect(provenance.files[0]).toMatchObject({ sha256: sha256(COLA_V2), size: COLA_V2.byteLength, repoPath: 'cola/validation-00000-of-00001.parquet' });

    // huggingface_hub's layout: refs/main, snapshots/<commit>/<path> -> ../../../blobs/<sha256>
    const repo = cacheRepo('test-org/glue');
    expect(readFileSync(join(repo, 'refs', 'main'), 'utf8')).toBe(C2);
    const pointer = join(repo, 'snapshots', C2, 'cola', 'validation-00000-of-00001.parquet');
    expect(lstatSync(pointer).isSymbolicLink()).toBe(true);
    expect(readlinkSync(pointer)).toBe(join('..', '..', '..', 'blobs', sha256(COLA_V2)));
    expect(sha256(readFileSync(join(repo, 'blobs', sha256(COLA_V2))))).toBe(sha256(COLA_V2));
    expect(provenance.files[0]!.path).toBe(pointer);

    expect(events.at(-1)).toMatchObject({ file: 'cola/validation-00000-of-00001.parquet', received: COLA_V2.byteLength, total: COLA_V2.byteLength, done: true });
    // the client's own URL layout
    const urls = hub.requests.map((r) => r.url);
    expect(urls.some((u) => u.startsWith('/api/datasets/test-org/glue/revision/main?'))).toBe(true);
    expect(urls.some((u) => u.startsWith(`/api/datasets/test-org/glue/tree/${C2}/cola?recursive=true`))).toBe(true);
    expect(urls).toContain(`/datasets/test-org/glue/resolve/${C2}/cola/validation-00000-of-00001.parquet`);
  });

  test('a second run is served from the cache without any request', async () => {
    await createDataSource({ env: env() }).load({ path: 'test-org/glue', name: 'cola', split: 'validation' });
    hub.requests.length = 0;
    const again = await createDataSource({ env: env() }).load({ path: 'test-org/glue', name: 'cola', split: 'validation' });
    expect(hub.requests).toEqual([]);
    expect(again.docs).toEqual([{ sentence: 'A new sentence.', label: 1, idx: 0 }]);
    expect(again.provenance).toMatchObject({ revision: C2, cached: true, ref: 'main' });
    expect(again.provenance.files[0]!.sha256).toBe(sha256(COLA_V2));
  });

  test('a pinned revision loads that commit, also from the cache, while the branch moved on', async () => {
    const source = createDataSource({ env: env() });
    const pinned = await source.load({ path: 'test-org/glue', name: 'cola', split: 'validation', revision: C1 });
    expect(pinned.docs).toEqual([
      { sentence: 'Our friends will not buy this analysis.', label: 1, idx: 0 },
      { sentence: 'They drank the pub.', label: 0, idx: 1 },
    ]);
    expect(pinned.provenance).toMatchObject({ revision: C1, ref: C1 });
    expect(pinned.provenance.files[0]!.sha256).toBe(sha256(COLA_V1));
    const head = await source.load({ path: 'test-org/glue', name: 'cola', split: 'validation' });
    expect(head.provenance.revision).toBe(C2);

    hub.requests.length = 0;
    const again = await createDataSource({ env: env() }).load({ path: 'test-org/glue', name: 'cola', split: 'validation', revision: C1 });
    expect(hub.requests).toEqual([]);
    expect(again.docs).toHaveLength(2);
  });

  test('without parquet in the repo the refs/convert/parquet branch is used, shards in order', async () => {
    const { docs, provenance } = await createDataSource({ env: env() }).load({ path: 'test-org/lambada', name: 'default', split: 'test' });
    expect(docs.map((d) => d.text)).toEqual(['first shard passage', 'second passage', 'third passage in shard two']);
    expect(provenance).toMatchObject({ revision: CONV, ref: 'refs/convert/parquet' });
    expect(provenance.files.map((f) => f.repoPath)).toEqual(['default/test/0000.parquet', 'default/test/0001.parquet']);
    expect(hub.requests.map((r) => r.url).some((u) => u.startsWith('/api/datasets/test-org/lambada/revision/refs%2Fconvert%2Fparquet?'))).toBe(true);
    // huggingface_hub keeps the branch's commit at refs/refs/convert/parquet
    expect(readFileSync(join(cacheRepo('test-org/lambada'), 'refs', 'refs', 'convert', 'parquet'), 'utf8')).toBe(CONV);
  });

  test('int64 and list columns keep HF types (ints stay ints)', async () => {
    const source = createDataSource({ env: env({ HF_TOKEN: 'hf_secret_token' }) });
    const { docs } = await source.load({ path: 'test-org/gated-mmlu', name: 'abstract_algebra', split: 'test' });
    expect(docs).toEqual([{ question: '2+2?', subject: 'abstract_algebra', choices: ['1', '2', '3', '4'], answer: 3 }]);
    expect(Number.isInteger(docs[0]!.answer)).toBe(true);
  });
});

describe('hub failures', () => {
  test('a missing split is a 404 error naming dataset, config and split, with the splits that exist', async () => {
    const msg = await failure(createDataSource({ env: env() }).load({ path: 'test-org/glue', name: 'cola', split: 'test' }));
    expect(msg).toContain('test-org/glue (config cola, split test)');
    expect(msg).toContain('train, validation');
  });

  test('a missing config lists the configs', async () => {
    const msg = await failure(createDataSource({ env: env() }).load({ path: 'test-org/lambada', name: 'xx', split: 'test' }));
    expect(msg).toContain('test-org/lambada (config xx, split test)');
    expect(msg).toContain('default, en');
  });

  test('a missing dataset says so', async () => {
    const msg = await failure(createDataSource({ env: env() }).load({ path: 'test-org/nope', split: 'test' }));
    expect(msg).toContain('test-org/nope (config default, split test): no such dataset');
    expect(msg).toContain('RepoNotFound');
  });

  test('a gated dataset without a token asks for HF_TOKEN; with it the download works', async () => {
    const ref = { path: 'test-org/gated-mmlu', name: 'abstract_algebra', split: 'test' };
    const msg = await failure(createDataSource({ env: env() }).load(ref));
    expect(msg).toContain('test-org/gated-mmlu (config abstract_algebra, split test)');
    expect(msg).toContain('HTTP 401 GatedRepo');
    expect(msg).toContain('set HF_TOKEN');
    expect(msg.split('\n')).toHaveLength(1);

    hub.requests.length = 0;
    const ok = await createDataSource({ env: env({ HF_TOKEN: 'hf_secret_token' }) }).load(ref);
    expect(ok.docs).toHaveLength(1);
    expect(hub.requests.every((r) => r.authorization === 'Bearer hf_secret_token')).toBe(true);
  });

  test('a wrong token is told apart from a missing one', async () => {
    const msg = await failure(createDataSource({ env: env({ HF_TOKEN: 'hf_wrong' }) }).load({ path: 'test-org/gated-mmlu', name: 'abstract_algebra', split: 'test' }));
    expect(msg).toContain('the token in HF_TOKEN has no access');
  });

  test('the token file written by huggingface-cli login is used when HF_TOKEN is unset', async () => {
    writeFileSync(join(home.path, 'token'), 'hf_secret_token\n');
    const ok = await createDataSource({ env: env() }).load({ path: 'test-org/gated-mmlu', name: 'abstract_algebra', split: 'test' });
    expect(ok.docs).toHaveLength(1);
  });

  test('an interrupted transfer leaves no cache entry, and the next run downloads cleanly', async () => {
    const ref = { path: 'test-org/glue', name: 'cola', split: 'validation' };
    hub.interruptNext.add('cola/validation-00000-of-00001.parquet');
    const msg = await failure(createDataSource({ env: env() }).load(ref));
    expect(msg).toMatch(/cola\/validation-00000-of-00001\.parquet/);
    expect(msg).toMatch(/interrupted|ended after/);
    const repo = cacheRepo('test-org/glue');
    expect(existsSync(join(repo, 'blobs')) ? readdirSync(join(repo, 'blobs')) : []).toEqual([]);
    expect(existsSync(join(repo, 'snapshots', C2, 'cola', 'validation-00000-of-00001.parquet'))).toBe(false);
    expect(existsSync(join(repo, '.yardstick'))).toBe(false);

    const ok = await createDataSource({ env: env() }).load(ref);
    expect(ok.docs).toEqual([{ sentence: 'A new sentence.', label: 1, idx: 0 }]);
    expect(readdirSync(join(repo, 'blobs'))).toEqual([sha256(COLA_V2)]);
  });

  test('an unreachable endpoint names the dataset and the offline alternatives', async () => {
    const closed = new FakeHub();
    const deadEndpoint = await closed.start();
    await closed.stop(); // nothing listens there any more
    const msg = await failure(createDataSource({ env: { HF_ENDPOINT: deadEndpoint, HF_HOME: home.path } }).load({ path: 'test-org/glue', name: 'cola', split: 'validation' }));
    expect(msg).toContain(`cannot reach ${deadEndpoint} (fetch failed`);
    expect(msg).toContain('ECONNREFUSED');
    expect(msg).toContain('--data-dir');
  });

  test('a damaged cached file is reported with the blob to delete', async () => {
    const ref = { path: 'test-org/glue', name: 'cola', split: 'validation' };
    await createDataSource({ env: env() }).load(ref);
    const blob = join(cacheRepo('test-org/glue'), 'blobs', sha256(COLA_V2));
    writeFileSync(blob, COLA_V2.subarray(0, 20));
    const msg = await failure(createDataSource({ env: env() }).load(ref));
    expect(msg).toContain('is damaged');
    expect(msg).toContain(blob);
  });
});

describe('offline (HF_HUB_OFFLINE=1)', () => {
  test('nothing cached: one line naming the dataset and both ways to provide it, no request', async () => {
    const msg = await failure(createDataSource({ env: env({ HF_HUB_OFFLINE: '1' }) }).load({ path: 'EleutherAI/lambada_openai', name: 'default', split: 'test' }));
    expect(msg.split('\n')).toHaveLength(1);
    expect(msg).toContain('EleutherAI/lambada_openai (config default, split test)');
    expect(msg).toContain('--data-dir');
    expect(msg).toContain('EleutherAI/lambada_openai/default/test.');
    expect(msg).toContain('run once online to fill the HF cache');
    expect(msg).toContain('HF_ENDPOINT');
    expect(hub.requests).toEqual([]);
  });

  test('with --data-dir the hint names the exact file to create', async () => {
    const dataDir = tempDir('dd');
    try {
      const msg = await failure(createDataSource({ dataDir: dataDir.path, env: env({ HF_HUB_OFFLINE: 'true' }) }).load({ path: 'allenai/winogrande', name: 'winogrande_xl', split: 'validation' }));
      expect(msg).toContain(join(dataDir.path, 'allenai', 'winogrande', 'winogrande_xl', 'validation.{parquet,jsonl,json,csv}'));
    } finally {
      dataDir.remove();
    }
  });

  test('a split downloaded earlier loads offline', async () => {
    await createDataSource({ env: env() }).load({ path: 'test-org/lambada', split: 'test' });
    hub.requests.length = 0;
    const { docs, provenance } = await createDataSource({ env: env({ HF_HUB_OFFLINE: '1' }) }).load({ path: 'test-org/lambada', split: 'test' });
    expect(docs).toHaveLength(3);
    expect(provenance.revision).toBe(CONV);
    expect(hub.requests).toEqual([]);
  });

  test('a cache filled by Python tools (no yardstick record) is found offline', async () => {
    const repo = cacheRepo('EleutherAI/lambada_openai');
    mkdirSync(join(repo, 'refs', 'refs', 'convert'), { recursive: true });
    writeFileSync(join(repo, 'refs', 'refs', 'convert', 'parquet'), CONV);
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    writeFileSync(join(repo, 'blobs', sha256(LAMBADA_1)), LAMBADA_1);
    mkdirSync(join(repo, 'snapshots', CONV, 'default', 'test'), { recursive: true });
    symlinkSync(join('..', '..', '..', '..', 'blobs', sha256(LAMBADA_1)), join(repo, 'snapshots', CONV, 'default', 'test', '0000.parquet'));
    const { docs, provenance } = await createDataSource({ env: env({ HF_HUB_OFFLINE: '1' }) }).load({ path: 'EleutherAI/lambada_openai', name: 'default', split: 'test' });
    expect(docs).toEqual([{ text: 'third passage in shard two' }]);
    expect(provenance).toMatchObject({ revision: CONV, ref: 'refs/convert/parquet', cached: true });
  });
});

describe('composite source', () => {
  test('--data-dir files win over the hub, without a request', async () => {
    const dataDir = tempDir('dd');
    try {
      mkdirSync(join(dataDir.path, 'test-org', 'glue', 'cola'), { recursive: true });
      writeFileSync(join(dataDir.path, 'test-org', 'glue', 'cola', 'validation.jsonl'), '{"sentence":"local","label":0,"idx":0}\n');
      const { docs, provenance } = await createDataSource({ dataDir: dataDir.path, env: env() }).load({ path: 'test-org/glue', name: 'cola', split: 'validation' });
      expect(docs).toEqual([{ sentence: 'local', label: 0, idx: 0 }]);
      expect(provenance.source).toBe('local');
      expect(hub.requests).toEqual([]);
    } finally {
      dataDir.remove();
    }
  });

  test('locate says where each split would come from without touching the network', async () => {
    const source = createDataSource({ env: env() });
    expect(await source.locate({ path: 'test-org/glue', name: 'cola', split: 'validation' })).toMatchObject({ kind: 'hub' });
    await source.load({ path: 'test-org/glue', name: 'cola', split: 'validation' });
    hub.requests.length = 0;
    const loc = await source.locate({ path: 'test-org/glue', name: 'cola', split: 'validation' });
    expect(loc).toMatchObject({ kind: 'hf-cache', revision: C2 });
    expect(hub.requests).toEqual([]);
  });

  test('splits lists the card splits online', async () => {
    expect(await createDataSource({ env: env() }).splits({ path: 'test-org/glue', name: 'cola' })).toEqual(['train', 'validation']);
    expect(await createDataSource({ env: env() }).splits({ path: 'test-org/lambada', name: 'default' })).toEqual(['test']);
  });
});
