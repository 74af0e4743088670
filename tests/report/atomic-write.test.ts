// Output files exist complete or not at all: a full disk mid-write is one line and leaves neither
// the temp file nor a truncated target (which would later break compare).
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// the next write fails after putting half its bytes on disk, as ENOSPC does
const failNext = { on: false };
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    writeFileSync: (path: string, data: string | Uint8Array) => {
      if (!failNext.on) return fs.writeFileSync(path, data);
      failNext.on = false;
      fs.writeFileSync(path, data.slice(0, Math.floor(data.length / 2)));
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC' });
    },
  };
});

const { writeFileAtomic } = await import('../../src/report/atomic-write.js');

describe('writeFileAtomic', () => {
  it('writes the whole file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileAtomic(join(dir, 'sub', 'a.jsonl'), 'one\ntwo\n');
    expect(readFileSync(join(dir, 'sub', 'a.jsonl'), 'utf8')).toBe('one\ntwo\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.jsonl']);
  });

  it('a full disk: one line, no fragment, an earlier complete file untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(dir, 'samples_x.jsonl');
    writeFileSync(target, 'complete\n');
    failNext.on = true;
    let error: unknown;
    try {
      writeFileAtomic(target, 'new content that will not fit\n'.repeat(10));
    } catch (e) {
      error = e;
    }
    expect((error as { oneLine(): string }).oneLine()).toBe(`no space left on the device writing ${target}; free some space or choose another --output-path`);
    expect(readdirSync(dir)).toEqual(['samples_x.jsonl']);
    expect(readFileSync(target, 'utf8')).toBe('complete\n');
    failNext.on = true;
    expect(() => writeFileAtomic(join(dir, 'fresh.json'), '{"results": {}}')).toThrow(/no space left/);
    expect(existsSync(join(dir, 'fresh.json'))).toBe(false);
  });
});
