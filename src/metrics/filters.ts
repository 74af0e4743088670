// lm-eval's response filters (filter_list): named pipelines that turn each request's responses
// (one per repeat) into the value process_results sees. Without a filter_list the one pipeline is
// "none" = take_first. Only the filters below exist; any other is refused before compute.
import { YardstickError } from '../errors.js';
import { pyRegExp } from './py-regex.js';

/** One step as YAML writes it: `{function: regex, regex_pattern: ..., group_select: 0}`. */
export interface FilterStepConfig {
  function: string;
  [option: string]: unknown;
}

export interface FilterPipelineConfig {
  name: string;
  filter: FilterStepConfig[];
}

/** Responses of one request across repeats, transformed step by step. */
type Step = (responses: unknown[]) => unknown;

export interface FilterPipeline {
  name: string;
  /** per request: its repeats' responses -> the filtered value */
  apply(responses: unknown[]): unknown;
}

export const DEFAULT_FILTERS: FilterPipelineConfig[] = [{ name: 'none', filter: [{ function: 'take_first' }] }];

const KNOWN = ['take_first', 'regex', 'remove_whitespace', 'lowercase', 'uppercase', 'majority_vote'];

function stringsOf(values: unknown[], step: string): string[] {
  return values.map((v) => {
    if (typeof v !== 'string') throw new YardstickError('task', `filter ${step} needs text responses (generate_until), got ${typeof v}`);
    return v;
  });
}

function buildStep(config: FilterStepConfig, where: string): Step {
  const name = config.function;
  switch (name) {
    case 'take_first':
      // lm-eval: r[0] — the list of repeats becomes one value
      return (responses) => responses[0];
    case 'majority_vote':
      // Counter(resp).most_common(1): the most frequent, first seen on ties; stays a list
      return (responses) => {
        const counts = new Map<string, { value: unknown; n: number }>();
        for (const r of responses) {
          const key = JSON.stringify(r);
          const c = counts.get(key);
          if (c) c.n++;
          else counts.set(key, { value: r, n: 1 });
        }
        let best: { value: unknown; n: number } | undefined;
        for (const c of counts.values()) if (!best || c.n > best.n) best = c;
        return [best?.value];
      };
    case 'remove_whitespace':
      return (responses) => stringsOf(responses, name).map((r) => (r.startsWith(' ') ? r.slice(1) : r));
    case 'lowercase':
      return (responses) => stringsOf(responses, name).map((r) => r.toLowerCase());
    case 'uppercase':
      return (responses) => stringsOf(responses, name).map((r) => r.toUpperCase());
    case 'regex': {
      const pattern = config.regex_pattern ?? '#### (\\-?[0-9\\.\\,]+)';
      const groupSelect = config.group_select ?? 0;
      const fallback = config.fallback ?? '[invalid]';
      if (typeof pattern !== 'string' || !Number.isInteger(groupSelect) || typeof fallback !== 'string') {
        throw new YardstickError('task', `${where}: filter regex needs a string regex_pattern, an integer group_select and a string fallback`);
      }
      const re = pyRegExp(pattern, `${where}: regex_pattern`);
      return (responses) =>
        stringsOf(responses, name).map((r) => {
          const matches = [...r.matchAll(re)];
          if (matches.length === 0) return fallback;
          // Python's findall: the whole match without groups, the group with one, a tuple with more
          const m = matches.at(groupSelect as number);
          if (!m) return fallback;
          const groups = m.slice(1);
          const value = groups.length === 0 ? m[0] : groups.length === 1 ? (groups[0] ?? '') : (groups.find((g) => g) ?? '');
          return value.trim();
        });
    }
    default:
      throw new YardstickError('task', `${where}: filter '${name}' is not supported`, { hint: `supported filters: ${KNOWN.join(', ')}` });
  }
}

function readPipeline(raw: unknown, where: string): FilterPipelineConfig {
  const p = raw as Partial<FilterPipelineConfig> | null;
  if (!p || typeof p !== 'object' || typeof p.name !== 'string' || !Array.isArray(p.filter) || p.filter.length === 0) {
    throw new YardstickError('task', `${where}: each filter_list entry needs a name and a non-empty filter list`, {
      hint: 'e.g. filter_list: [{name: strict-match, filter: [{function: regex, regex_pattern: "..."}, {function: take_first}]}]',
    });
  }
  for (const step of p.filter) {
    if (!step || typeof step !== 'object' || typeof (step as FilterStepConfig).function !== 'string') {
      throw new YardstickError('task', `${where}: filter ${p.name} has a step without a function name`);
    }
  }
  return p as FilterPipelineConfig;
}

/** The task's pipelines, checked and built once (before any compute). */
export function buildFilters(filterList: unknown, where: string): FilterPipeline[] {
  if (filterList !== undefined && filterList !== null && !Array.isArray(filterList)) {
    throw new YardstickError('task', `${where}: filter_list must be a list`);
  }
  const configs = filterList === undefined || filterList === null || filterList.length === 0 ? DEFAULT_FILTERS : filterList.map((f) => readPipeline(f, where));
  const names = new Set<string>();
  return configs.map((c) => {
    if (names.has(c.name)) throw new YardstickError('task', `${where}: two filters are named '${c.name}'`);
    names.add(c.name);
    const steps = c.filter.map((s) => buildStep(s, `${where} filter ${c.name}`));
    return {
      name: c.name,
      apply: (responses: unknown[]): unknown => steps.reduce<unknown>((acc, step) => step(Array.isArray(acc) ? acc : [acc]), responses),
    };
  });
}
