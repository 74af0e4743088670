// Vitest global setup: every test process (and the CLIs, browsers and ONNX sessions they start) gets a
// private temporary folder under test-artifacts/tmp, removed when the run ends, so `npm test` leaves
// nothing in the system's /tmp (nor in ~/.cache: YARDSTICK_CACHE points inside it too). Folders of runs that were killed are removed by the next run.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'tmp');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default function setup(): () => void {
  mkdirSync(ROOT, { recursive: true });
  for (const name of readdirSync(ROOT)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(ROOT, name), { recursive: true, force: true });
  }
  const dir = join(ROOT, `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const previous = process.env.TMPDIR;
  const previousCache = process.env.YARDSTICK_CACHE;
  process.env.TMPDIR = dir;
  // converted models and cached responses stay inside the run too, never in the user's ~/.cache
  process.env.YARDSTICK_CACHE = join(dir, 'yardstick-cache');
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (previousCache === undefined) delete process.env.YARDSTICK_CACHE;
    else process.env.YARDSTICK_CACHE = previousCache;
    rmSync(dir, { recursive: true, force: true });
  };
}
