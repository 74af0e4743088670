// Writes seeded random tensors as a Hugging Face checkpoint: model.safetensors, or shards named
// model-0000i-of-0000n.safetensors with model.safetensors.index.json, in F32, BF16 or F16.
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAll } from './file-io.js';
import { STORED_BYTES, encodeStored, safetensorsLayout, type StoredDtype } from './safetensors.js';
import { elementCount, generateTensor, type TensorSpec } from './weights.js';

export interface CheckpointOptions {
  seed: number;
  dtype: StoredDtype;
  /** number of shard files; 1 writes a single model.safetensors */
  shards?: number;
}

/** Returns the files written (relative to `dir`). One tensor is in memory at a time. */
export async function writeCheckpoint(dir: string, specs: TensorSpec[], options: CheckpointOptions): Promise<string[]> {
  const shards = Math.max(1, Math.min(options.shards ?? 1, specs.length));
  await mkdir(dir, { recursive: true });
  // contiguous groups of roughly equal bytes, as save_pretrained's max_shard_size does
  const total = specs.reduce((n, s) => n + elementCount(s.shape), 0);
  const groups: TensorSpec[][] = Array.from({ length: shards }, () => []);
  let seen = 0;
  for (const s of specs) {
    groups[Math.min(shards - 1, Math.floor((seen / total) * shards))]!.push(s);
    seen += elementCount(s.shape);
  }
  const nonEmpty = groups.filter((g) => g.length > 0);
  const names = nonEmpty.length === 1 ? ['model.safetensors'] : nonEmpty.map((_, i) => `model-${String(i + 1).padStart(5, '0')}-of-${String(nonEmpty.length).padStart(5, '0')}.safetensors`);
  const weightMap: Record<string, string> = {};
  for (const [i, group] of nonEmpty.entries()) {
    const layout = safetensorsLayout(group, { format: 'pt' }, options.dtype);
    const handle = await open(join(dir, names[i]!), 'w');
    try {
      await writeAll(handle, layout.header);
      for (const spec of group) {
        await writeAll(handle, encodeStored(generateTensor(spec, options.seed), options.dtype));
        weightMap[spec.name] = names[i]!;
      }
    } finally {
      await handle.close();
    }
  }
  if (names.length > 1) {
    const index = { metadata: { total_size: total * STORED_BYTES[options.dtype] }, weight_map: weightMap };
    await writeFile(join(dir, 'model.safetensors.index.json'), `${JSON.stringify(index, null, 2)}\n`);
    names.push('model.safetensors.index.json');
  }
  return names;
}
