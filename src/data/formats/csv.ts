// CSV/TSV records the way Python's csv module reads them (excel dialect, or QUOTE_NONE for GLUE's TSVs),
// each with the line it starts on so errors can point at it.
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';

export interface CsvRecord {
  fields: string[];
  /** 1-based line number where the record starts */
  line: number;
}

export interface CsvOptions {
  delimiter?: string;
  /** false = csv.QUOTE_NONE: quote characters are ordinary text (GLUE's TSV files) */
  quoting?: boolean;
  /** for error messages */
  file?: string;
}

/**
 * Parses all records. A blank line gives a record with no fields (Python's csv.reader yields []),
 * so callers decide whether blank lines matter. A leading UTF-8 BOM is removed.
 */
export function parseCsvRecords(input: string, options: CsvOptions = {}): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = options.delimiter ?? ',';
  const quoting = options.quoting ?? true;
  const records: CsvRecord[] = [];
  type State = 'record' | 'field-start' | 'field' | 'quoted' | 'quote-in-quoted';
  let state = 'record' as State;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  const endRecord = (): void => {
    records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    state = 'record';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const isNewline = ch === '\n' || ch === '\r';
    // a CRLF outside quotes is one line break; inside quotes both characters are kept
    const crlf = ch === '\r' && text[i + 1] === '\n';
    if (crlf && state !== 'quoted') i++;
    let blankLine = false;
    if (state === 'record') {
      recordLine = line;
      if (isNewline) {
        blankLine = true;
        endRecord();
      } else state = 'field-start';
    }
    switch (blankLine ? 'record' : state) {
      case 'field-start':
        if (quoting && ch === '"') state = 'quoted';
        else if (ch === delimiter) fields.push('');
        else if (isNewline) {
          fields.push('');
          endRecord();
        } else {
          field = ch;
          state = 'field';
        }
        break;
      case 'field':
        if (ch === delimiter) {
          fields.push(field);
          field = '';
          state = 'field-start';
        } else if (isNewline) {
          fields.push(field);
          endRecord();
        } else field += ch;
        break;
      case 'quoted':
        if (ch === '"') state = 'quote-in-quoted';
        else field += ch;
        break;
      case 'quote-in-quoted':
        // "" is an escaped quote; any other character after a closing quote is kept (Python's lenient mode)
        if (ch === '"') {
          field += '"';
          state = 'quoted';
        } else if (ch === delimiter) {
          fields.push(field);
          field = '';
          state = 'field-start';
        } else if (isNewline) {
          fields.push(field);
          endRecord();
        } else {
          field += ch;
          state = 'field';
        }
        break;
    }
    if (isNewline && !(crlf && state === 'quoted')) line++;
  }
  if (state === 'quoted') {
    throw new YardstickError('data', `${options.file ?? 'csv'}:${recordLine}: quoted field is never closed (file truncated or a stray quote)`, {
      hint: 'check the quoting of this row',
    });
  }
  if (state !== 'record') {
    fields.push(field);
    endRecord();
  }
  return records;
}

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A CSV with a header row as documents. Columns whose every value is an integer become numbers,
 * likewise floats; empty cells become null; everything else stays a string.
 */
export function csvDocs(text: string, file: string): Doc[] {
  const records = parseCsvRecords(text, { file }).filter((r) => r.fields.length > 0);
  if (records.length === 0) return [];
  const header = records[0]!.fields;
  const rows = records.slice(1);
  for (const r of rows) {
    if (r.fields.length !== header.length) {
      throw new YardstickError('data', `${file}:${r.line}: row has ${r.fields.length} fields, the header has ${header.length}`, {
        hint: 'check the quoting and the number of columns of this row',
      });
    }
  }
  const kinds = header.map((_, c) => {
    const values = rows.map((r) => r.fields[c]!).filter((v) => v !== '');
    if (values.length === 0) return 'string';
    if (values.every((v) => INT.test(v) && Number.isSafeInteger(Number(v)))) return 'int';
    if (values.every((v) => FLOAT.test(v))) return 'float';
    return 'string';
  });
  return rows.map((r) => {
    const doc: Doc = {};
    header.forEach((name, c) => {
      const v = r.fields[c]!;
      doc[name] = kinds[c] === 'string' ? v : v === '' ? null : Number(v);
    });
    return doc;
  });
}
