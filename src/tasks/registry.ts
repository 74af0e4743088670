// Indexes task, group and tag definitions from YAML folders (built-in plus --include-path) and
// expands the names a user asks for into a tree, the way lm-eval's TaskManager does.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { YardstickError, closeMatches } from '../errors.js';
import type { GroupConfig, TaskConfig } from './config.js';
import { loadYamlWithIncludes } from './yaml.js';
import { builtinTaskDir } from './builtin-dir.js';

export interface TaskEntry {
  kind: 'task';
  name: string;
  config: TaskConfig;
  /** YAML file the task came from (lm-eval's config_source) */
  source: string;
}

export interface GroupEntry {
  kind: 'group';
  name: string;
  config: GroupConfig;
  source: string;
}

export interface TaskNode {
  kind: 'task';
  name: string;
  config: TaskConfig;
  source: string;
}

export interface GroupNode {
  kind: 'group';
  name: string;
  config: GroupConfig;
  children: Array<TaskNode | GroupNode>;
}

export type TreeNode = TaskNode | GroupNode;

export { builtinTaskDir };

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(p);
  }
  return out;
}

export class TaskRegistry {
  readonly tasks = new Map<string, TaskEntry>();
  readonly groups = new Map<string, GroupEntry>();
  readonly tags = new Map<string, string[]>();

  static load(includePaths: string[] = []): TaskRegistry {
    const registry = new TaskRegistry();
    registry.index(builtinTaskDir());
    for (const p of includePaths) {
      if (!existsSync(p)) {
        throw new YardstickError('usage', `--include-path ${p} does not exist`, { hint: 'pass a folder of task YAML files' });
      }
      registry.index(resolve(p));
    }
    return registry;
  }

  /** Adds every YAML under `dir`; later folders override earlier definitions of the same name. */
  index(dir: string): void {
    const files = statSync(dir).isDirectory() ? yamlFiles(dir) : [dir];
    for (const file of files) {
      const raw = loadYamlWithIncludes(file);
      if (typeof raw.group === 'string' && Array.isArray(raw.task)) {
        this.groups.set(raw.group, { kind: 'group', name: raw.group, config: raw as unknown as GroupConfig, source: file });
      } else if (typeof raw.task === 'string') {
        const config = raw as unknown as TaskConfig;
        this.tasks.set(config.task, { kind: 'task', name: config.task, config, source: file });
        const tags = config.tag === undefined ? [] : Array.isArray(config.tag) ? config.tag : [config.tag];
        for (const tag of tags) {
          const list = this.tags.get(tag) ?? [];
          if (!list.includes(config.task)) list.push(config.task);
          this.tags.set(tag, list);
        }
      }
      // files with neither (e.g. a template meant only for include:) are not tasks
    }
  }

  allNames(): string[] {
    return [...this.tasks.keys(), ...this.groups.keys(), ...this.tags.keys()];
  }

  /** Expands user-requested names (tasks, groups, tags) into root nodes, in request order, without duplicates. */
  expand(names: string[]): TreeNode[] {
    const roots: TreeNode[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      roots.push(...this.expandName(name, []));
    }
    return roots;
  }

  private expandName(name: string, path: string[]): TreeNode[] {
    if (path.includes(name)) {
      throw new YardstickError('task', `group ${name} contains itself (${[...path, name].join(' -> ')})`);
    }
    const group = this.groups.get(name);
    if (group) return [this.expandGroup(group, path)];
    const task = this.tasks.get(name);
    if (task) return [{ kind: 'task', name, config: task.config, source: task.source }];
    const tagged = this.tags.get(name);
    if (tagged) {
      return [...tagged].sort().map((t) => {
        const entry = this.tasks.get(t)!;
        return { kind: 'task' as const, name: t, config: entry.config, source: entry.source };
      });
    }
    const close = closeMatches(name, this.allNames());
    throw new YardstickError('task', `unknown task '${name}'`, {
      hint: close.length > 0 ? `did you mean ${close.join(', ')}? (yardstick tasks lists all)` : 'run `yardstick tasks` to list the available tasks',
    });
  }

  private expandGroup(group: GroupEntry, path: string[]): GroupNode {
    const children: TreeNode[] = [];
    for (const child of group.config.task) {
      if (typeof child === 'string') {
        children.push(...this.expandName(child, [...path, group.name]));
      } else if (child && typeof child === 'object' && typeof child.task === 'string') {
        // inline entry: overrides on a known task, or a task defined in place
        const base = this.tasks.get(child.task);
        const config = { ...(base?.config ?? {}), ...child } as TaskConfig;
        children.push({ kind: 'task', name: config.task, config, source: base?.source ?? group.source });
      } else {
        throw new YardstickError('task', `group ${group.name} in ${group.source} has a malformed task entry`);
      }
    }
    return { kind: 'group', name: group.name, config: group.config, children };
  }
}

/** Leaf tasks of a tree, depth-first in child order (lm-eval's task load order). */
export function leafTasks(nodes: TreeNode[]): TaskNode[] {
  const out: TaskNode[] = [];
  const walk = (n: TreeNode): void => {
    if (n.kind === 'task') {
      if (!out.some((t) => t.name === n.name)) out.push(n);
    } else n.children.forEach(walk);
  };
  nodes.forEach(walk);
  return out;
}
