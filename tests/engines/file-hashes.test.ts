import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256FileRemembered } from '../../src/engines/fingerprint.js';

// sha256 of "abc" (FIPS 180-2's example), "abcd" and "abd" (`printf abcd | sha256sum`)
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const ABCD = '88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589';
const ABD = 'a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9';

function setup(): { file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hashes-'));
  const file = join(dir, 'weights.bin');
  writeFileSync(file, 'abc');
  return { file, cache: join(dir, 'cache') };
}

describe('remembered file hashes', () => {
  it('hashes once, then trusts the record while the file is unchanged', async () => {
    const { file, cache } = setup();
    expect(await sha256FileRemembered(file, cache, 0)).toBe(ABC);
    const records = readdirSync(join(cache, 'file-hashes'));
    expect(records).toHaveLength(1);
    // the record is what answers now: a planted value proves the file is not read again
    const recordPath = join(cache, 'file-hashes', records[0]!);
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, string>;
    writeFileSync(recordPath, JSON.stringify({ ...record, sha256: '0'.repeat(64) }));
    expect(await sha256FileRemembered(file, cache, 0)).toBe('0'.repeat(64));
  });

  it('hashes again when the file changes', async () => {
    const { file, cache } = setup();
    expect(await sha256FileRemembered(file, cache, 0)).toBe(ABC);
    writeFileSync(file, 'abcd');
    expect(await sha256FileRemembered(file, cache, 0)).toBe(ABCD);
  });

  it('does not remember a file changed just before it was hashed (timestamps may not tell a fast rewrite)', async () => {
    const { file, cache } = setup();
    expect(await sha256FileRemembered(file, cache)).toBe(ABC);
    expect(() => readdirSync(join(cache, 'file-hashes'))).toThrow();
    writeFileSync(file, 'abd'); // same size, possibly the same timestamps
    expect(await sha256FileRemembered(file, cache)).toBe(ABD);
  });

  it('still hashes when the cache folder cannot be written', async () => {
    const { file } = setup();
    const notAFolder = `${file}.plain`;
    writeFileSync(notAFolder, '');
    expect(await sha256FileRemembered(file, notAFolder, 0)).toBe(ABC);
  });
});
