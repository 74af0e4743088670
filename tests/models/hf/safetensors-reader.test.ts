// The safetensors reader: header checks with one-line errors naming the file, dtype upcasts
// (checked against hand-computed bit patterns), and the sharded index.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { YardstickError } from '../../../src/errors.js';
import { halfToFloat } from '../../../src/models/half.js';
import { openSafetensorsWeights, readSafetensorsHeader, readTensorFloat32, toFloat32 } from '../../../src/models/hf/safetensors-reader.js';
import { bf16Bits, encodeStored, halfBits } from '../../../src/models/safetensors.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-st-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** A safetensors file from a header object and raw data, as the format defines it. */
function craft(name: string, header: Record<string, unknown>, data: Uint8Array): string {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const path = join(root, name);
  writeFileSync(path, Buffer.concat([length, json, data]));
  return path;
}

function errorOf(f: () => unknown): YardstickError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(YardstickError);
    return e as YardstickError;
  }
  throw new Error('expected an error');
}

const f32 = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);

describe('readSafetensorsHeader', () => {
  it('reads names, dtypes, shapes and absolute byte ranges', () => {
    const path = craft('ok.safetensors', { __metadata__: { format: 'pt' }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [1, 2], data_offsets: [8, 12] } }, new Uint8Array(12));
    const tensors = readSafetensorsHeader(path);
    expect(tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['a', 'F32', [2]],
      ['b', 'BF16', [1, 2]],
    ]);
    const headerEnd = 8 + JSON.stringify({ __metadata__: { format: 'pt' }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [1, 2], data_offsets: [8, 12] } }).length;
    expect(tensors[1]!.begin).toBe(headerEnd + 8);
  });

  it('a file shorter than its header length field: truncated, naming the file', () => {
    const path = craft('short.safetensors', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    writeFileSync(path, Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    const e = errorOf(() => readSafetensorsHeader(path));
    expect(e.oneLine()).toContain(path);
    expect(e.message).toMatch(/truncated: the header needs 208 bytes but the file has 9/);
    writeFileSync(path, Buffer.from([1, 2, 3]));
    expect(errorOf(() => readSafetensorsHeader(path)).message).toMatch(/truncated: 3 bytes/);
  });

  it('offsets that run past the end of the data (a truncated download)', () => {
    const path = craft('cut.safetensors', { a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8));
    const e = errorOf(() => readSafetensorsHeader(path));
    expect(e.message).toBe(`${path}: truncated: tensor a ends at data byte 16 but the file holds 8 bytes of data (header offsets run past the end)`);
    expect(e.oneLine().split('\n')).toHaveLength(1);
  });

  it('a dtype we do not read, and offsets that disagree with the shape', () => {
    const int8 = craft('int8.safetensors', { q: { dtype: 'I8', shape: [4], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(errorOf(() => readSafetensorsHeader(int8)).message).toBe(`${int8}: tensor q has dtype I8; yardstick reads F32, F16 and BF16 safetensors`);
    const fp8 = craft('fp8.safetensors', { q: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(errorOf(() => readSafetensorsHeader(fp8)).message).toContain('dtype F8_E4M3');
    const wrong = craft('wrong.safetensors', { w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8));
    expect(errorOf(() => readSafetensorsHeader(wrong)).message).toContain('tensor w is F32 [3] (12 bytes) but its data_offsets cover 8 bytes');
  });

  it('a header that is not JSON', () => {
    const path = join(root, 'garbage.safetensors');
    writeFileSync(path, Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{{{{')]));
    expect(errorOf(() => readSafetensorsHeader(path)).message).toMatch(/garbage.safetensors: the header is not valid JSON/);
  });
});

describe('upcasts to float32', () => {
  it('bf16 is the top half of a float32: exact', async () => {
    // 1.0 = 0x3f80, -2.5 = 0xc020, 0.1 rounds to 0x3dcd (0x3dcccccd -> nearest even 0x3dcd)
    expect(bf16Bits(1)).toBe(0x3f80);
    expect(bf16Bits(-2.5)).toBe(0xc020);
    expect(bf16Bits(0.1)).toBe(0x3dcd);
    // halfway cases round to even: 0x3f808000 -> 0x3f80, 0x3f818000 -> 0x3f82
    const fromBits = (b: number): number => new Float32Array(new Uint32Array([b]).buffer)[0]!;
    expect(bf16Bits(fromBits(0x3f808000))).toBe(0x3f80);
    expect(bf16Bits(fromBits(0x3f818000))).toBe(0x3f82);
    const bytes = encodeStored(new Float32Array([1, -2.5, 0.1]), 'BF16');
    expect([...toFloat32(bytes, 'BF16')]).toEqual([1, -2.5, fromBits(0x3dcd0000)]);
  });

  it('f16 round-trips every finite half exactly, subnormals included', () => {
    const mismatches: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      if (((h >> 10) & 0x1f) === 31) continue; // infinities and NaNs
      if (halfBits(halfToFloat(h)) !== h) mismatches.push(h);
    }
    expect(mismatches).toEqual([]);
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfBits(1e6)).toBe(0x7c00); // overflow to infinity
  });

  it('reads a tensor of each dtype', async () => {
    const values = [0.5, -1.25, 3];
    const path = craft(
      'mixed.safetensors',
      {
        a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
        b: { dtype: 'F16', shape: [3], data_offsets: [12, 18] },
        c: { dtype: 'BF16', shape: [3], data_offsets: [18, 24] },
      },
      Buffer.concat([f32(values), encodeStored(new Float32Array(values), 'F16'), encodeStored(new Float32Array(values), 'BF16')]),
    );
    for (const t of readSafetensorsHeader(path)) expect([...(await readTensorFloat32(t))]).toEqual(values);
  });
});

describe('openSafetensorsWeights', () => {
  it('a sharded index whose shard is missing names the index and the shard', () => {
    const dir = mkdtempSync(join(root, 'shards-'));
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors' } }));
    const e = errorOf(() => openSafetensorsWeights(dir));
    expect(e.message).toContain('model.safetensors.index.json: names shard model-00001-of-00002.safetensors');
  });
});
