// `yardstick tasks`: lists tasks, groups and tags known to the registry.
import type { RegisterCommand } from './index.js';
import { TaskRegistry } from '../../tasks/registry.js';

export const registerTasks: RegisterCommand = (program) => {
  program
    .command('tasks')
    .description('list the available tasks, groups and tags')
    .option('--include-path <dir>', 'extra folder of lm-eval task YAML files')
    .action((opts) => {
      const registry = TaskRegistry.load(opts.includePath ? [opts.includePath] : []);
      const lines: string[] = [];
      lines.push(`groups (${registry.groups.size}):`);
      for (const name of [...registry.groups.keys()].sort()) lines.push(`  ${name}`);
      lines.push(`tags (${registry.tags.size}):`);
      for (const [name, members] of [...registry.tags.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`  ${name} (${members.length} tasks)`);
      }
      lines.push(`tasks (${registry.tasks.size}):`);
      for (const [name, t] of [...registry.tasks.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`  ${name.padEnd(48)} ${t.config.output_type ?? 'generate_until'}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
};
