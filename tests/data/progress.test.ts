// Download progress lines off a terminal: a start line, an end line, and a line while another download
// of the same file is waited for.
import { describe, expect, it } from 'vitest';
import { stderrProgress } from '../../src/data/progress.js';

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('download progress off a terminal', () => {
  it('says when a file starts, when it is done, and whom it waits for', () => {
    const { stream, text } = capture();
    const show = stderrProgress(stream);
    show({ dataset: 'o/m', file: 'model.safetensors', received: 0, total: 2_500_000, waitingFor: { host: 'box', pid: 4242 } });
    show({ dataset: 'o/m', file: 'model.safetensors', received: 0, total: 2_500_000 });
    show({ dataset: 'o/m', file: 'model.safetensors', received: 1_000_000, total: 2_500_000 });
    show({ dataset: 'o/m', file: 'model.safetensors', received: 2_500_000, total: 2_500_000, done: true });
    expect(text().split('\n')).toEqual([
      'waiting for another download of o/m/model.safetensors (box pid 4242)',
      'downloading o/m/model.safetensors (2.50 MB)',
      'downloaded o/m/model.safetensors',
      '',
    ]);
  });
});
