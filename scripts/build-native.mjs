// Builds better-sqlite3's native module (the response cache's SQLite) when it is missing or cannot load.
// The project's .npmrc turns dependencies' install scripts off, and better-sqlite3's prebuilt binaries
// come from outside the npm registry, so it is compiled here with node-gyp, once, against the Node
// headers installed beside this node (no download). `npm run build` (and so `npm test`) runs this first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}

if (loads()) process.exit(0);
try {
  require.resolve('better-sqlite3/package.json');
} catch {
  process.stderr.write('build-native: better-sqlite3 is not installed; run `npm ci` first\n');
  process.exit(1);
}
const env = { ...process.env, npm_config_build_from_source: 'true' };
const prefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;
process.stderr.write('build-native: compiling better-sqlite3 with node-gyp (once; a few minutes)\n');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// --foreground-scripts so the compiler's output is captured here, shown only if the build fails
const r = spawnSync(npm, ['rebuild', 'better-sqlite3', '--ignore-scripts=false', '--foreground-scripts'], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
if (r.status !== 0 || !loads()) {
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd().split('\n').slice(-40).join('\n');
  process.stderr.write(`${output}\nbuild-native: building better-sqlite3 failed (it needs python3, make, a C++ compiler and Node headers)\n`);
  process.exit(1);
}
process.stderr.write('build-native: better-sqlite3 is ready\n');
