// Every engine that can run the tiny model passes the same contract (tests/engines/contract.ts).
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { openEngine } from '../../src/engines/registry.js';
import { engineContract } from './contract.js';

engineContract('onnx', (dir) => OnnxEngine.load(dir));
engineContract('hf (converted from safetensors)', (dir) => openEngine({ engine: 'hf', args: { pretrained: dir } }));
