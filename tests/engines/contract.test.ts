// Every engine that can run the tiny model passes the same contract (tests/engines/contract.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { openEngine } from '../../src/engines/registry.js';
import { openGgufFile } from '../../src/engines/llamacpp/factory.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { engineContract } from './contract.js';

const RECORDS = mkdtempSync(join(tmpdir(), 'yardstick-contract-'));

engineContract('onnx', (dir) => OnnxEngine.load(dir));
engineContract('hf (converted from safetensors)', (dir) => openEngine({ engine: 'hf', args: { pretrained: dir } }));

// the openai engine against a `yardstick serve` of each model folder the contract opens
const served = new Map<string, Promise<{ server: RunningServer; engine: OnnxEngine }>>();
function serve(dir: string): Promise<RunningServer> {
  let s = served.get(dir);
  if (!s) {
    s = OnnxEngine.load(dir, { threads: 1 }).then(async (engine) => ({ engine, server: await startServer({ engine, modelName: 'tiny', port: 0 }) }));
    served.set(dir, s);
  }
  return s.then((x) => x.server);
}
afterAll(async () => {
  for (const s of served.values()) {
    const { server, engine } = await s;
    await server.close();
    await engine.close();
  }
});
engineContract('openai (against yardstick serve)', async (dir) => openEngine({ engine: 'openai', args: { pretrained: (await serve(dir)).url, tokenizer: dir, max_retries: '0' } }));
// make-model's model.gguf beside the HF files; self-check records in a throw-away folder
engineContract('gguf (llama.cpp, f32)', (dir) => openGgufFile(join(dir, 'model.gguf'), { threads: 1, selfCheckDir: join(RECORDS, 'gguf-self-check') }));
