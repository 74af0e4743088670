// Wire-format bytes checked against hand-encoded examples (the protobuf encoding guide's own).
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../../src/models/onnx/protobuf.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('ProtoWriter', () => {
  it('writes varint fields', () => {
    // field 1, value 150 -> 08 96 01 (the encoding guide's example)
    expect(hex(new ProtoWriter().uint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().uint(2, 0).finish())).toBe('1000');
    // 2^35 needs six 7-bit groups
    expect(hex(new ProtoWriter().uint(1, 2 ** 35).finish())).toBe('088080808080' + '01');
  });

  it('writes negative int64 as ten bytes of two\'s complement', () => {
    expect(hex(new ProtoWriter().int64(3, -1).finish())).toBe('18' + 'ff'.repeat(9) + '01');
    expect(hex(new ProtoWriter().int64(3, -2).finish())).toBe('18' + 'fe' + 'ff'.repeat(8) + '01');
  });

  it('writes strings and nested messages length-delimited', () => {
    // field 2, "testing" -> 12 07 74 65 73 74 69 6e 67
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    const inner = new ProtoWriter().uint(1, 150).finish();
    expect(hex(new ProtoWriter().message(3, inner).finish())).toBe('1a03089601');
  });

  it('writes floats as little-endian fixed32', () => {
    // field 2 (wire type 5) = 0x15; 1.0f = 0x3f800000
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
  });

  it('refuses values a varint cannot carry', () => {
    expect(() => new ProtoWriter().uint(1, -1)).toThrow(RangeError);
    expect(() => new ProtoWriter().uint(1, 0.5)).toThrow(RangeError);
  });
});
