// The openai engine through a seeded fault-injecting proxy (drops, resets, 500s on ~20% of
// requests, delays on the rest): every request still gets the numbers of a clean run, and every
// injected fault shows up as a counted retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEngine } from '../../../src/engines/onnx/engine.js';
import { openEngine } from '../../../src/engines/registry.js';
import { scoreAll } from '../../../src/engines/scheduler.js';
import type { Engine, ScoreRequest } from '../../../src/engines/types.js';
import { startServer, type RunningServer } from '../../../src/serve/server.js';
import { tinyModel } from '../../helpers/tiny-model.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

let dir: string;
let direct: OnnxEngine;
let server: RunningServer;
let proxy: FaultProxy;
const opened: Engine[] = [];

beforeAll(async () => {
  dir = await tinyModel();
  direct = await OnnxEngine.load(dir, { threads: 1 });
  server = await startServer({ engine: direct, modelName: 'tiny', port: 0 });
  proxy = await startFaultProxy({ upstream: server.url.replace(/\/v1$/, ''), seed: 7, faultRate: 0.2 });
});

afterAll(async () => {
  for (const e of opened) await e.close();
  await proxy?.close();
  await server?.close();
  await direct?.close();
});

function requests(): ScoreRequest[] {
  const words = 'the cat sat on the mat and looked at the door while the rain fell on the quiet town'.split(' ');
  const out: ScoreRequest[] = [];
  for (let n = 3; n <= words.length; n++) {
    const ids = direct.tokenizer.encode(words.slice(0, n).join(' '), true);
    const cont = direct.tokenizer.encode(` ${words[n - 1]}`, false);
    out.push({ input: ids.slice(0, -1), continuation: ids.slice(ids.length - Math.min(cont.length, ids.length - 1)) });
  }
  return out;
}

describe('through a faulty proxy', () => {
  it('completes with the clean run\'s numbers and counts one retry per injected fault', async () => {
    const reqs = requests();
    const clean = await openEngine({ engine: 'openai', args: { pretrained: server.url, tokenizer: dir } });
    opened.push(clean);
    const expected = await scoreAll(clean, reqs, 1);
    // batch=1: one prompt per call, so there are many calls for the proxy to break
    const faulty = await openEngine({ engine: 'openai', args: { pretrained: proxy.url, tokenizer: dir, batch: '1', concurrency: '4', retry_delay: '0.005', max_retries: '4' } });
    opened.push(faulty);
    const got = await scoreAll(faulty, reqs, 1);
    expect(got).toEqual(expected);
    const stats = faulty.stats!();
    expect(proxy.faults()).toBeGreaterThan(0);
    expect(proxy.counts.drop + proxy.counts.reset).toBeGreaterThan(0);
    expect(proxy.counts.error500).toBeGreaterThan(0);
    // each fault fails exactly one attempt; a keep-alive socket closed under a request may add one
    expect(stats.retries).toBeGreaterThanOrEqual(proxy.faults());
    expect(stats['retries.status_500']).toBe(proxy.counts.error500);
    expect(stats.failures ?? 0).toBe(0);
    // every scoring call that reached the server did so once per distinct prompt
    expect(stats.scored).toBe(reqs.length);
  });
});
