// Models from a Hub repo (a local fake hub in the Hub's URL layout): hf:OWNER/NAME[@REV] downloads only
// the needed files into the HF cache layout, scores as the local folder does, reuses the cache without a
// request, pins revisions, resumes cut-off downloads, and turns hub refusals into one clear line.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEngine, parseModelSpec } from '../../../src/engines/registry.js';
import { openHfFolder } from '../../../src/engines/hf/open.js';
import { parseHubModelId, selectModelFiles } from '../../../src/engines/hf/hub.js';
import { isYardstickError, type YardstickError } from '../../../src/errors.js';
import type { Engine } from '../../../src/engines/types.js';
import { commitId, FakeHub, folderFiles } from '../../data/hub/fake-hub.js';
import { writeHfModel } from '../../helpers/hf-model.js';
import { tinyModel } from '../../helpers/tiny-model.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-hub-models-'));
const hub = new FakeHub();
const C1 = commitId(1);
const C2 = commitId(2);
const C3 = commitId(3);
let local: { main: string; dev: string; onnx: string };
let home: string;

async function scores(engine: Engine): Promise<number[]> {
  try {
    const [out] = await engine.scoreBatch([{ input: [5, 17, 42, 99, 7, 3], continuations: [[3], [7, 3]] }]);
    return out!.map((r) => r.logprob);
  } finally {
    await engine.close();
  }
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(isYardstickError(e), String(e)).toBe(true);
    return (e as YardstickError).oneLine();
  }
  throw new Error('expected a failure');
}

const open = (model: string, args?: string): Promise<Engine> => openEngine(parseModelSpec(model, args), { onWarning: () => {} });
const repoDir = (id: string): string => join(home, 'hub', `models--${id.replace('/', '--')}`);

beforeAll(async () => {
  local = {
    main: await writeHfModel(join(root, 'main'), { architecture: 'LlamaForCausalLM', seed: 1 }),
    dev: await writeHfModel(join(root, 'dev'), { architecture: 'LlamaForCausalLM', seed: 2, dtype: 'BF16', shards: 2 }),
    onnx: join(root, 'onnx-only'),
  };
  // an optimum-style repo: config, tokenizer and onnx/ only
  cpSync(await tinyModel(), local.onnx, { recursive: true });
  rmSync(join(local.onnx, 'model.safetensors'));
  await hub.start();
  hub.models.set('test-org/tiny', { refs: { main: C1, dev: C2 }, commits: { [C1]: { files: folderFiles(local.main) }, [C2]: { files: folderFiles(local.dev) } } });
  hub.models.set('test-org/gated', { refs: { main: C1 }, commits: { [C1]: { files: folderFiles(local.main) } }, gatedToken: 'hf_secret' });
  hub.models.set('test-org/onnx', { refs: { main: C3 }, commits: { [C3]: { files: folderFiles(local.onnx) } } });
  hub.models.set('test-org/pickle', {
    refs: { main: C1 },
    commits: { [C1]: { files: { 'config.json': readFileSync(join(local.main, 'config.json')), 'pytorch_model.bin': new Uint8Array(64) } } },
  });
});
afterAll(async () => {
  await hub.stop();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  home = mkdtempSync(join(root, 'home-'));
  vi.stubEnv('HF_HOME', home);
  vi.stubEnv('HF_HUB_CACHE', '');
  vi.stubEnv('HUGGINGFACE_HUB_CACHE', '');
  vi.stubEnv('HF_ENDPOINT', hub.endpoint);
  vi.stubEnv('HF_TOKEN', '');
  vi.stubEnv('HF_HUB_OFFLINE', '');
  vi.stubEnv('HF_DATASETS_OFFLINE', '');
  vi.stubEnv('YARDSTICK_CACHE', join(root, 'converted'));
  delete process.env.HF_HUB_CACHE;
  delete process.env.HUGGINGFACE_HUB_CACHE;
});
afterEach(() => vi.unstubAllEnvs());

describe('repo ids', () => {
  it('reads OWNER/NAME and OWNER/NAME@REVISION, and refuses two different revisions', () => {
    expect(parseHubModelId('HuggingFaceTB/SmolLM-135M')).toEqual({ repo: 'HuggingFaceTB/SmolLM-135M', revision: undefined });
    expect(parseHubModelId('a/b@v1.0', undefined)).toEqual({ repo: 'a/b', revision: 'v1.0' });
    expect(parseHubModelId('a/b', 'dev')).toEqual({ repo: 'a/b', revision: 'dev' });
    expect(parseHubModelId('not a repo')).toBeUndefined();
    expect(parseHubModelId('../x')).toBeUndefined();
    expect(() => parseHubModelId('a/b@v1', 'v2')).toThrow(/revision v1 but --model-args says revision=v2/);
  });

  it('a bare existing folder given to --model is a Hugging Face folder for the hf engine', () => {
    expect(parseModelSpec(local.main, 'dtype=float32')).toEqual({ engine: 'hf', args: { dtype: 'float32', pretrained: local.main } });
    expect(parseModelSpec('hf:test-org/tiny@dev')).toEqual({ engine: 'hf', args: { pretrained: 'test-org/tiny@dev' } });
    expect(parseModelSpec('onnx', `pretrained=${local.onnx}`).engine).toBe('onnx');
  });
});

describe('files fetched from a model repo', () => {
  it('config, tokenizer files, chat templates (named ones too) and the weights; nothing else', () => {
    const listed = ['README.md', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja', 'additional_chat_templates/tool_use.jinja',
      'additional_chat_templates/rag.jinja', 'additional_chat_templates/notes.txt', 'model.safetensors', 'pytorch_model.bin', 'onnx/model.onnx'].map((path) => ({ path, size: 1 }));
    expect(selectModelFiles({ repo: 'a/b' }, listed, []).map((f) => f.path)).toEqual([
      'config.json', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja',
      'additional_chat_templates/rag.jinja', 'additional_chat_templates/tool_use.jinja', 'model.safetensors',
    ]);
  });
});

describe('hf:OWNER/NAME from the hub', () => {
  it('downloads only the needed files into models--OWNER--NAME, scores like the local folder, records the commit', async () => {
    const engine = await open('hf:test-org/tiny');
    expect(engine.info).toMatchObject({ name: 'test-org/tiny', revision: 'main', sha: C1 });
    const fromHub = await scores(engine);
    const fromFolder = await scores(await openHfFolder(local.main, { cacheDir: join(root, 'converted') }));
    expect(fromHub).toEqual(fromFolder);
    expect(fromHub.every((x) => Number.isFinite(x) && x < 0)).toBe(true);

    const repo = repoDir('test-org/tiny');
    expect(readFileSync(join(repo, 'refs', 'main'), 'utf8')).toBe(C1);
    expect(readdirSync(join(repo, 'snapshots', C1)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    expect(readFileSync(join(repo, 'snapshots', C1, 'model.safetensors'))).toEqual(readFileSync(join(local.main, 'model.safetensors')));
  });

  it('lm-eval spelling --model hf --model-args pretrained=...,revision=... and a second run with no request', async () => {
    const first = await open('hf', 'pretrained=test-org/tiny,revision=dev,dtype=float32');
    expect(first.info).toMatchObject({ revision: 'dev', sha: C2 });
    const a = await scores(first);
    // the dev commit is bf16 in two shards: index plus both shards fetched
    expect(readdirSync(join(repoDir('test-org/tiny'), 'snapshots', C2)).filter((f) => f.includes('safetensors')).sort()).toEqual([
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'model.safetensors.index.json',
    ]);
    const before = hub.requests.length;
    const second = await open('hf:test-org/tiny@dev');
    expect(second.info).toMatchObject({ revision: 'dev', sha: C2 });
    expect(await scores(second)).toEqual(a);
    expect(hub.requests.length).toBe(before);
  });

  it('pins a commit sha', async () => {
    const engine = await open(`hf:test-org/tiny@${C2}`);
    expect(engine.info).toMatchObject({ revision: C2, sha: C2 });
    await engine.close();
    expect(existsSync(join(repoDir('test-org/tiny'), 'snapshots', C2, 'config.json'))).toBe(true);
  });

  it('fetches an ONNX-only repo: the export and its external data, nothing else', async () => {
    const engine = await open('hf:test-org/onnx');
    const fromHub = await scores(engine);
    const snapshot = join(repoDir('test-org/onnx'), 'snapshots', C3);
    expect(readdirSync(join(snapshot, 'onnx')).sort()).toEqual(['model.onnx', 'model.onnx_data']);
    const fromFolder = await scores(await openHfFolder(local.onnx));
    expect(fromHub).toEqual(fromFolder);
  });

  it('continues a cut-off download with a range request', async () => {
    hub.interruptNext.add('model.safetensors');
    expect(await failure(open('hf:test-org/tiny'))).toMatch(/model\.safetensors.*(interrupted|ended after)/);
    const blobs = readdirSync(join(repoDir('test-org/tiny'), 'blobs'));
    expect(blobs.some((b) => b.endsWith('.incomplete'))).toBe(true);
    const engine = await open('hf:test-org/tiny');
    await engine.close();
    expect(hub.requests.some((r) => /^bytes=\d+-/.test(r.range ?? '') && r.url.endsWith('/model.safetensors'))).toBe(true);
    expect(readdirSync(join(repoDir('test-org/tiny'), 'blobs')).some((b) => b.endsWith('.incomplete'))).toBe(false);
  });
});

describe('two downloads of one repo at once', () => {
  // full transfers only (the client probes each file with a one-byte range first)
  const resolves = (file: string): number => hub.requests.filter((r) => r.method === 'GET' && !r.range && r.url.endsWith(`/resolve/${C1}/${file}`)).length;

  it('fetch each file once and both score', async () => {
    const before = resolves('model.safetensors');
    const [a, b] = await Promise.all([open('hf:test-org/tiny'), open('hf:test-org/tiny')]);
    expect(await scores(a)).toEqual(await scores(b));
    expect(resolves('model.safetensors') - before).toBe(1);
    const blobs = readdirSync(join(repoDir('test-org/tiny'), 'blobs'));
    expect(blobs.filter((f) => /\.(lock|incomplete)$/.test(f))).toEqual([]);
    expect(readdirSync(join(repoDir('test-org/tiny'), 'snapshots', C1)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("take over the lock of a process that has ended, and wait for a live one's", async () => {
    const blobs = join(repoDir('test-org/tiny'), 'blobs');
    mkdirSync(blobs, { recursive: true });
    const files = folderFiles(local.main);
    const etag = createHash('sha256').update(files['model.safetensors']!).digest('hex');
    // a pid that has certainly ended: a child process that has exited
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(blobs, `${etag}.lock`), `${hostname()} ${dead} x`);
    await (await open('hf:test-org/tiny')).close();
    expect(existsSync(join(blobs, etag))).toBe(true);
    expect(existsSync(join(blobs, `${etag}.lock`))).toBe(false);

    // a live holder (this process): the download waits, and goes on once the lock is gone
    const config = createHash('sha1').update(`blob ${files['config.json']!.length}\0`).update(files['config.json']!).digest('hex');
    rmSync(join(home, 'hub'), { recursive: true, force: true });
    mkdirSync(blobs, { recursive: true });
    writeFileSync(join(blobs, `${config}.lock`), `${hostname()} ${process.pid} y`);
    let opened = false;
    const pending = open('hf:test-org/tiny').then((e) => ((opened = true), e));
    await new Promise((r) => setTimeout(r, 500));
    expect(opened).toBe(false);
    rmSync(join(blobs, `${config}.lock`));
    await (await pending).close();
    expect(existsSync(join(blobs, config))).toBe(true);
  });
});

describe('one clear line when the hub says no', () => {
  it('gated repo without a token, and with one', async () => {
    const msg = await failure(open('hf:test-org/gated'));
    expect(msg).toMatch(/model test-org\/gated: access refused .*HTTP 401.*gated or private/);
    expect(msg).toMatch(/set HF_TOKEN/);
    expect(msg.split('\n')).toHaveLength(1);
    vi.stubEnv('HF_TOKEN', 'hf_secret');
    const engine = await open('hf:test-org/gated');
    expect(engine.info.sha).toBe(C1);
    await engine.close();
  });

  it('missing repo, missing revision, pickle-only repo', async () => {
    expect(await failure(open('hf:test-org/nope'))).toMatch(/model test-org\/nope: no such model on http:\/\/127\.0\.0\.1:\d+ \(HTTP 404 RepoNotFound\)/);
    expect(await failure(open('hf:test-org/tiny@nope'))).toMatch(/model test-org\/tiny: revision nope does not exist/);
    expect(await failure(open('hf:test-org/pickle'))).toMatch(/has only pytorch_model\.bin: yardstick reads safetensors, ONNX or GGUF.*pickle/);
    expect(hub.requests.some((r) => r.url.includes('pytorch_model.bin'))).toBe(false);
  });
});

describe('HF_HUB_OFFLINE', () => {
  it("uses a warm cache written the way huggingface_hub writes it, with no request", async () => {
    // a Python user's cache: refs/main and a snapshot folder, no yardstick record
    const snapshot = join(home, 'hub', 'models--test-org--tiny', 'snapshots', C1);
    mkdirSync(snapshot, { recursive: true });
    cpSync(local.main, snapshot, { recursive: true });
    mkdirSync(join(home, 'hub', 'models--test-org--tiny', 'refs'), { recursive: true });
    writeFileSync(join(home, 'hub', 'models--test-org--tiny', 'refs', 'main'), C1);
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    const before = hub.requests.length;
    const engine = await open('hf:test-org/tiny');
    expect(engine.info).toMatchObject({ revision: 'main', sha: C1 });
    expect(await scores(engine)).toEqual(await scores(await openHfFolder(local.main, { cacheDir: join(root, 'converted') })));
    expect(hub.requests.length).toBe(before);
  });

  it('a cold cache gives one line', async () => {
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    const msg = await failure(open('hf:test-org/tiny'));
    expect(msg).toMatch(/model test-org\/tiny is not in the HF cache .* and HF_HUB_OFFLINE is set/);
    expect(msg.split('\n')).toHaveLength(1);
  });
});
