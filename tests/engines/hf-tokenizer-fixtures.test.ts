// HfTokenizer against transformers' own ids: tests/fixtures/tokenizers/<family>/ids.json holds, per
// text, AutoTokenizer's encode (with and without special tokens) and decodes, made once in Python by
// bench/parity/make_tokenizer_fixtures.py. Families whose tokenizer is too big to commit are found
// under $YARDSTICK_REF_DIR; a family without its files is skipped, saying so. The type-* families hold only
// their config files and take tokenizer.json from the family named by tokenizer_json_from.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HfTokenizer } from '../../src/engines/hf-tokenizer.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');
const assembled = mkdtempSync(join(tmpdir(), 'yardstick-tokenizer-fixtures-'));
afterAll(() => rmSync(assembled, { recursive: true, force: true }));

/** The family's folder as transformers read it: its own files, plus the named family's tokenizer.json. */
function assemble(family: string, from: string): string {
  const dir = join(assembled, family);
  cpSync(join(FIXTURES, family), dir, { recursive: true });
  copyFileSync(join(FIXTURES, family, from, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  return dir;
}

interface Case {
  name: string;
  text: string;
  ids: number[];
  ids_no_special: number[];
  decode: string;
  decode_skip_special: string;
}

interface Family {
  family: string;
  tokenizer_dir: string | null;
  tokenizer_dir_env: string | null;
  tokenizer_subdir: string | null;
  /** a folder (relative to the family's) whose tokenizer.json this family uses with its own config files */
  tokenizer_json_from?: string;
  auto_tokenizer_class: string;
  versions: Record<string, string>;
  cases: Case[];
}

function families(): Array<{ fixture: Family; dir: string | undefined; why?: string }> {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((f) => existsSync(join(FIXTURES, f, 'ids.json')))
    .sort()
    .map((f) => {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, f, 'ids.json'), 'utf8')) as Family;
      if (fixture.tokenizer_json_from) return { fixture, dir: assemble(f, fixture.tokenizer_json_from) };
      if (fixture.tokenizer_dir !== null) return { fixture, dir: join(FIXTURES, f, fixture.tokenizer_dir) };
      const base = fixture.tokenizer_dir_env ? process.env[fixture.tokenizer_dir_env] : undefined;
      const dir = base && fixture.tokenizer_subdir ? join(base, fixture.tokenizer_subdir) : undefined;
      if (dir && existsSync(join(dir, 'tokenizer.json'))) return { fixture, dir };
      return { fixture, dir: undefined, why: `its tokenizer is not committed; set ${fixture.tokenizer_dir_env} to the folder holding ${fixture.tokenizer_subdir}` };
    });
}

const found = families();

describe('HfTokenizer vs transformers (tokenizer fixtures)', () => {
  it.skipIf(found.length > 0)('skipped: no fixtures in tests/fixtures/tokenizers (make them with bench/parity/make_tokenizer_fixtures.py)', () => {});

  for (const { fixture, dir, why } of found) {
    const label = `${fixture.family} (transformers ${fixture.versions.transformers}, ${fixture.auto_tokenizer_class})`;
    it.skipIf(dir === undefined)(`${label}${why ? ` — skipped: ${why}` : ''}: ids and decodes of ${fixture.cases.length} texts`, () => {
      const tokenizer = HfTokenizer.fromFolder(dir!);
      const mismatches: string[] = [];
      const check = (what: string, ours: unknown, theirs: unknown): void => {
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) mismatches.push(`${what}: ours ${JSON.stringify(ours)}, transformers ${JSON.stringify(theirs)}`);
      };
      for (const c of fixture.cases) {
        check(`${c.name} encode(add_special_tokens=True)`, tokenizer.encode(c.text, true), c.ids);
        check(`${c.name} encode(add_special_tokens=False)`, tokenizer.encode(c.text, false), c.ids_no_special);
        check(`${c.name} decode`, tokenizer.decode(c.ids, false), c.decode);
        check(`${c.name} decode(skip_special_tokens=True)`, tokenizer.decode(c.ids, true), c.decode_skip_special);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
