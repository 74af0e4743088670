// Download progress on stderr: one updating line per file on a terminal, start and end lines otherwise.
import type { DownloadProgress } from './hub/client.js';

function mb(n: number): string {
  return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): (p: DownloadProgress) => void {
  let lastDraw = 0;
  return (p) => {
    const name = `${p.dataset}/${p.file}`;
    if (p.waitingFor !== undefined) {
      stream.write(`waiting for another download of ${name} (${p.waitingFor.host} pid ${p.waitingFor.pid})\n`);
      return;
    }
    if (!stream.isTTY) {
      if (p.received === 0 && !p.done) stream.write(`downloading ${name} (${mb(p.total)})\n`);
      else if (p.done) stream.write(`downloaded ${name}\n`);
      return;
    }
    const now = Date.now();
    if (!p.done && p.received !== 0 && now - lastDraw < 100) return;
    lastDraw = now;
    const pct = p.total > 0 ? Math.floor((100 * p.received) / p.total) : 100;
    stream.write(`\r\x1b[Kdownloading ${name} ${mb(p.received)} / ${mb(p.total)} (${pct}%)`);
    if (p.done) stream.write('\n');
  };
}
