// `yardstick data import|status|fetch`: convert original release files, show where each task's documents
// come from, and fill the HF cache ahead of an offline run. The logic lives in src/data.
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';
import { YardstickError } from '../../errors.js';
import { IMPORT_FORMATS, importDataset } from '../../data/import/index.js';
import { createDataSource } from '../../data/source.js';
import { stderrProgress } from '../../data/progress.js';
import { dataStatus, formatStatus, parseDatasetArg, statusEntryForTask, type StatusEntry } from '../../data/status.js';
import { describeRef } from '../../data/types.js';
import { TaskRegistry, leafTasks } from '../../tasks/registry.js';

interface SelectionOptions {
  tasks?: string;
  dataset?: string[];
  includePath?: string;
  numFewshot?: string;
}

function addSelectionOptions(cmd: Command): Command {
  return cmd
    .option('--tasks <names>', 'comma-separated tasks, groups or tags')
    .option('--dataset <ref...>', 'a split by hand: owner/name[:config]@split[,split] (repeatable)')
    .option('--include-path <dir>', 'extra folder of lm-eval task YAML files')
    .option('--num-fewshot <n>', 'also list the few-shot split the tasks would read with n shots');
}

/** Tasks (via the registry) and hand-written dataset refs → what to look up. */
function selection(opts: SelectionOptions): StatusEntry[] {
  const entries: StatusEntry[] = [];
  const shots = opts.numFewshot === undefined ? undefined : Number(opts.numFewshot);
  if (shots !== undefined && !(Number.isInteger(shots) && shots >= 0)) {
    throw new YardstickError('usage', `--num-fewshot ${opts.numFewshot} is not a whole number`);
  }
  if (opts.tasks) {
    const registry = TaskRegistry.load(opts.includePath ? [opts.includePath] : []);
    const names = opts.tasks.split(',').map((s) => s.trim()).filter(Boolean);
    for (const node of leafTasks(registry.expand(names))) entries.push(statusEntryForTask(node.config, shots));
  }
  for (const arg of opts.dataset ?? []) {
    const refs = parseDatasetArg(arg);
    entries.push({ task: '-', refs: refs.map((r) => ({ ...r, role: 'eval' })) });
  }
  if (entries.length === 0) {
    throw new YardstickError('usage', 'nothing to look up', { hint: 'pass --tasks NAMES or --dataset owner/name[:config]@split' });
  }
  return entries;
}

export const registerData: RegisterCommand = (program) => {
  const data = program.command('data').description('evaluation data: import original release files, show where documents come from, fill the HF cache');

  data
    .command('import')
    .description('convert original release files into the HF schema under --data-dir')
    .argument('<path>', 'the original file or folder')
    .requiredOption('--format <format>', Object.entries(IMPORT_FORMATS).map(([k, v]) => `${k} (${v.describe})`).join('; '))
    .requiredOption('--data-dir <dir>', 'where to write <dataset_path>/<dataset_name>/<split>.jsonl')
    .option('--config <name>', 'HF config (dataset_name) to write, when the file names do not say it')
    .option('--split <name>', 'HF split to write, when the file name does not say it')
    .action((path: string, opts: { format: string; dataDir: string; config?: string; split?: string }) => {
      const { written, warnings } = importDataset(opts.format, path, opts.dataDir, { config: opts.config, split: opts.split });
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      const total = written.reduce((n, s) => n + s.rows, 0);
      for (const s of written) process.stdout.write(`${s.dataset}  ${s.config}  ${s.split}  ${s.rows} rows  ${s.file}\n`);
      process.stdout.write(`imported ${written.length} split(s), ${total} rows\n`);
    });

  addSelectionOptions(
    data
      .command('status')
      .description('per task: where its documents would come from (--data-dir, HF cache, Hub), whether they are present, row counts')
      .option('--data-dir <dir>', 'local documents folder, searched before the HF cache'),
  ).action(async (opts: SelectionOptions & { dataDir?: string }) => {
    const rows = await dataStatus(selection(opts), createDataSource({ dataDir: opts.dataDir }));
    process.stdout.write(formatStatus(rows));
  });

  addSelectionOptions(
    data
      .command('fetch')
      .description('download the splits into the HF cache now (for a later offline run)')
      .option('--refresh', 're-resolve branches even when the split is cached'),
  ).action(async (opts: SelectionOptions & { refresh?: boolean }) => {
    const source = createDataSource({ onProgress: stderrProgress(), refresh: opts.refresh });
    for (const entry of selection(opts)) {
      for (const ref of entry.refs) {
        const { resolved, cached } = await source.hub!.fetchSplit(ref);
        process.stdout.write(`${describeRef(ref)}: ${cached ? 'cached' : 'downloaded'} ${resolved.files.length} file(s) at ${resolved.ref} ${resolved.commit}\n`);
      }
    }
  });
};
