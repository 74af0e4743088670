// CLI entry: parses arguments, runs one command, turns typed errors into one clear line.
import { Command, CommanderError } from 'commander';
import { RunInterrupted, isYardstickError } from '../errors.js';
import { commands } from './commands/index.js';
import { normalizeArgv, refuseOptionsAsValues } from './argv.js';
import { disableOrtTelemetry } from '../engines/onnx/telemetry.js';

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  // before any command opens an ONNX session: no /tmp/mat-debug-<pid>.log left behind
  disableOrtTelemetry();
  const program = new Command('yardstick')
    .description('Evaluate language models with lm-evaluation-harness semantics')
    .option('--verbose', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .hook('preAction', (_program, command) => refuseOptionsAsValues(command));
  for (const register of commands) register(program);
  try {
    await program.parseAsync(normalizeArgv(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" with exit code 0 in commander's model
      return e.exitCode;
    }
    if (e instanceof RunInterrupted) {
      process.stderr.write(`yardstick: ${interruptedLine(e)}\n`);
      return e.exitCode;
    }
    if (isYardstickError(e)) {
      process.stderr.write(`yardstick: ${e.oneLine()}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`yardstick: unexpected error: ${message.split('\n')[0]} (rerun with --verbose for details)\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
}

/** How far an interrupted run got and how to go on. */
function interruptedLine(e: RunInterrupted): string {
  const n = e.finishedTasks.length;
  const kept = n === 0 ? 'no task had finished' : `${n} finished task(s) (${e.finishedTasks.join(', ')}) ${e.outputDir ? `were written to ${e.outputDir}` : 'were not written (no --output-path)'}`;
  return `${e.message} after the current batch; ${kept}; to resume, rerun the same command${e.cached ? ' (requests already answered come from the response cache)' : ''}`;
}
