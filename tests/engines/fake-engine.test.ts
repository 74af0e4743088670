// A new engine joins through the registry alone: this fake one (bytes as tokens, a uniform model)
// runs `yardstick run` end to end without any change to src/. Expected numbers follow from the
// fake model by hand: each continuation byte costs ln 256 nats.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { registerEngine } from '../../src/engines/registry.js';
import { V, uniformEngine } from '../helpers/fake-engine.js';

const uniform = uniformEngine();
const unregister = registerEngine(uniform);
afterAll(unregister);

describe('a fake engine added through the registry', () => {
  it('runs lambada_openai end to end with the numbers its model implies', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ys-fake-'));
    const texts = ['the cat sat on the mat', 'she opened the door', 'numbers are fine 1234'];
    mkdirSync(join(root, 'data', 'EleutherAI', 'lambada_openai', 'default'), { recursive: true });
    writeFileSync(join(root, 'data', 'EleutherAI', 'lambada_openai', 'default', 'test.jsonl'), texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    const out = join(root, 'runs');
    const code = await main(['run', '--model', 'fake:uniform', '--tasks', 'lambada_openai', '--data-dir', join(root, 'data'), '--output-path', out, '--bootstrap-iters', '0']);
    expect(code).toBe(0);
    const folder = join(out, readdirSync(out)[0]!);
    const file = readdirSync(folder).find((f) => f.startsWith('results_'))!;
    const results = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    // continuation = ' ' + last word; its bytes each cost ln 256
    const lls = texts.map((t) => -Buffer.byteLength(` ${t.split(' ').at(-1)}`) * Math.log(V));
    const perplexity = Math.exp(-lls.reduce((a, b) => a + b, 0) / lls.length);
    const entry = results.results.lambada_openai;
    expect(Math.abs(entry['perplexity,none'] / perplexity - 1)).toBeLessThan(1e-12);
    expect(entry['acc,none']).toBe(0);
    expect(results.config.model).toBe('fake');
    expect(results.yardstick.model_fingerprint.weights).toBe('uniform');
  });
});
