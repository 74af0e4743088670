// Every engine that can run the tiny model passes the same contract (tests/engines/contract.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { openEngine } from '../../src/engines/registry.js';
import { openGgufFile } from '../../src/engines/llamacpp/factory.js';
import { engineContract } from './contract.js';

const RECORDS = mkdtempSync(join(tmpdir(), 'yardstick-contract-'));

engineContract('onnx', (dir) => OnnxEngine.load(dir));
engineContract('hf (converted from safetensors)', (dir) => openEngine({ engine: 'hf', args: { pretrained: dir } }));
// make-model's model.gguf beside the HF files; self-check records in a throw-away folder
engineContract('gguf (llama.cpp, f32)', (dir) => openGgufFile(join(dir, 'model.gguf'), { threads: 1, selfCheckDir: join(RECORDS, 'gguf-self-check') }));
