// Every engine that can run the tiny model passes the same contract (tests/engines/contract.ts).
import { afterAll } from 'vitest';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { openEngine } from '../../src/engines/registry.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { engineContract } from './contract.js';

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
