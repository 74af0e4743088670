// Format readers: CSV as Python's csv module reads it, JSON lines / JSON shapes, parquet types and damage.
import { describe, expect, test } from 'vitest';
import { csvDocs, parseCsvRecords } from '../../src/data/formats/csv.js';
import { parseJsonDocs, parseJsonl } from '../../src/data/formats/jsonl.js';
import { parquetRowCount, readParquetDocs } from '../../src/data/formats/parquet.js';
import { isYardstickError } from '../../src/errors.js';
import { parquetBytes } from './helpers.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isYardstickError(e)) return e.oneLine();
    throw e;
  }
  throw new Error('expected an error');
}

async function asyncMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isYardstickError(e)) return e.oneLine();
    throw e;
  }
  throw new Error('expected an error');
}

describe('csv records', () => {
  test('quoted fields hold delimiters, doubled quotes and newlines; records know their start line', () => {
    const text = 'q1,"a, b","say ""hi""",x\n"multi\nline",2,3,4\r\nlast,row,,\n';
    expect(parseCsvRecords(text)).toEqual([
      { fields: ['q1', 'a, b', 'say "hi"', 'x'], line: 1 },
      { fields: ['multi\nline', '2', '3', '4'], line: 2 },
      { fields: ['last', 'row', '', ''], line: 4 },
    ]);
  });

  test('no trailing newline, blank lines as empty records, BOM removed', () => {
    expect(parseCsvRecords('\ufeffa,b\n\nc,d')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: [], line: 2 },
      { fields: ['c', 'd'], line: 3 },
    ]);
  });

  test("quotes inside an unquoted field are text, and text after a closing quote is kept (Python's lenient mode)", () => {
    expect(parseCsvRecords('ab"c,"x"y\n')[0]!.fields).toEqual(['ab"c', 'xy']);
  });

  test('QUOTE_NONE tab-separated: quotes are ordinary characters', () => {
    expect(parseCsvRecords('"He said" so\t1\n', { delimiter: '\t', quoting: false })[0]!.fields).toEqual(['"He said" so', '1']);
  });

  test('an unclosed quote names file and line', () => {
    expect(message(() => parseCsvRecords('a,b\n"open,c\nmore\n', { file: 'x.csv' }))).toMatch(/^x\.csv:2: quoted field is never closed/);
  });

  test('csv with a header: integer and float columns become numbers, the rest stay strings', () => {
    expect(csvDocs('sentence,label,score\nhello,1,0.5\n"007, bond",0,2\n', 'f.csv')).toEqual([
      { sentence: 'hello', label: 1, score: 0.5 },
      { sentence: '007, bond', label: 0, score: 2 },
    ]);
  });

  test('a row with the wrong number of fields names file and line', () => {
    expect(message(() => csvDocs('a,b,c\n1,2,3\n4,5\n', 'split.csv'))).toBe(
      'split.csv:3: row has 2 fields, the header has 3; check the quoting and the number of columns of this row',
    );
  });
});

describe('json', () => {
  test('json lines keep key order and skip blank lines', () => {
    const docs = parseJsonl('{"b":1,"a":"x"}\n\n{"b":2,"a":"y"}\r\n', 'f.jsonl');
    expect(docs).toEqual([{ b: 1, a: 'x' }, { b: 2, a: 'y' }]);
    expect(Object.keys(docs[0]!)).toEqual(['b', 'a']);
  });

  test('a broken line names file and line', () => {
    expect(message(() => parseJsonl('{"a":1}\n{"a":\n', 'f.jsonl'))).toMatch(/^f\.jsonl:2: not valid JSON/);
    expect(message(() => parseJsonl('[1,2]\n', 'f.jsonl'))).toMatch(/^f\.jsonl:1: expected a JSON object, found an array/);
  });

  test('.json: an array, a column object, or JSON lines', () => {
    expect(parseJsonDocs('[{"a":1},{"a":2}]', 'f.json')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseJsonDocs('{"a":[1,2],"b":["x","y"]}', 'f.json')).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
    expect(parseJsonDocs('{"a":1}\n{"a":2}\n', 'f.json')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(message(() => parseJsonDocs('[{"a":1},', 'f.json'))).toMatch(/^f\.json: not valid JSON/);
  });
});

describe('parquet', () => {
  const bytes = parquetBytes([
    { name: 'question', type: 'string', data: ['q0', 'q1', 'q2'] },
    { name: 'choices', type: 'string-list', data: [['a', 'b'], ['c', 'd'], ['e', 'f']] },
    { name: 'answer', type: 'int64', data: [0, 1, 3] },
    { name: 'idx', type: 'int32', data: [10, 11, 12] },
  ]);

  test('rows in schema column order, int64 as numbers, lists as arrays', async () => {
    const docs = await readParquetDocs(bytes, 't.parquet');
    expect(docs).toEqual([
      { question: 'q0', choices: ['a', 'b'], answer: 0, idx: 10 },
      { question: 'q1', choices: ['c', 'd'], answer: 1, idx: 11 },
      { question: 'q2', choices: ['e', 'f'], answer: 3, idx: 12 },
    ]);
    expect(typeof docs[2]!.answer).toBe('number');
    expect(Object.keys(docs[0]!)).toEqual(['question', 'choices', 'answer', 'idx']);
    expect(parquetRowCount(bytes, 't.parquet')).toBe(3);
  });

  test('a truncated file names the file', async () => {
    const msg = await asyncMessage(readParquetDocs(bytes.subarray(0, bytes.byteLength - 7), '/data/t.parquet'));
    expect(msg).toMatch(/^\/data\/t\.parquet: not a readable parquet file \(.+\); the file is truncated or corrupt/);
    expect(message(() => parquetRowCount(bytes.subarray(0, 30), 'u.parquet'))).toMatch(/^u\.parquet: not a readable parquet file/);
  });
});
