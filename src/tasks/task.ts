// One configured task (lm-eval's ConfigurableTask): resolves doc_to_text/target/choice, assembles
// the prompt context (description, few-shot examples), and knows its splits and metrics.
import { YardstickError, isYardstickError } from '../errors.js';
import type { DataSource, DataProvenance, Doc, LoadedSplit } from '../data/types.js';
import { metricDefaults } from '../metrics/aggregations.js';
import { isFunctionRef, type MetricConfig, type OutputType, type TaskConfig } from './config.js';
import { resolveFunction } from './functions/index.js';
import { checkTaskConfig } from './config-check.js';
import type { DocFunction, NamedFunction, ProcessDocsFunction, ProcessResultsFunction } from './functions/types.js';
import { parsePyLiteral } from './pyliteral.js';
import { isPyDigits } from './pystr.js';
import { MissingVariableError, renderTemplate } from './template.js';
import { maybeDelimit, messagesToText, messagesToTurns, qaTurn, singleTurn, type Message } from './messages.js';

/** Draws few-shot examples; satisfied by the CPython-compatible Random in src/metrics/pyrandom.ts. */
export interface FewshotRng {
  sample<T>(population: readonly T[], k: number): T[];
}

/** How a prompt is finished: lm-eval's system_instruction, apply_chat_template and fewshot_as_multiturn. */
export interface PromptOptions {
  systemInstruction?: string;
  /** the model's chat template; absent: plain text */
  chat?: {
    render(turns: Array<{ role: string; content: string }>): string;
    fewshotAsMultiturn: boolean;
  };
}

export interface ResolvedMetric {
  metric: string;
  aggregation: string;
  higherIsBetter: boolean;
}

type FieldName = 'doc_to_text' | 'doc_to_target' | 'doc_to_choice' | 'description';

export class Task {
  readonly name: string;
  readonly config: TaskConfig;
  readonly source: string;
  readonly outputType: OutputType;
  readonly targetDelimiter: string;
  readonly fewshotDelimiter: string;
  readonly metrics: ResolvedMetric[];
  evalDocs: Doc[] = [];
  fewshotDocs: Doc[] | undefined;
  evalSplit = '';
  fewshotSplit: string | undefined;
  provenance: DataProvenance[] = [];
  multipleInput = false;
  /** the code behind each `!function` field, resolved once when the task is configured */
  private readonly functions = new Map<string, NamedFunction>();

  constructor(config: TaskConfig, source: string) {
    checkTaskConfig(config, source);
    this.name = config.task;
    this.config = config;
    this.source = source;
    this.outputType = config.output_type ?? 'generate_until';
    this.targetDelimiter = config.target_delimiter ?? ' ';
    this.fewshotDelimiter = config.fewshot_delimiter ?? '\n\n';
    if (!config.dataset_path) {
      throw new YardstickError('task', `task ${this.name} (${source}) has no dataset_path`, { hint: 'add dataset_path to the task YAML' });
    }
    this.metrics = (config.metric_list ?? []).map((m: MetricConfig) => {
      const defaults = metricDefaults[m.metric] ?? { aggregation: 'mean', higherIsBetter: true };
      return {
        metric: m.metric,
        aggregation: m.aggregation ?? defaults.aggregation,
        higherIsBetter: m.higher_is_better ?? defaults.higherIsBetter,
      };
    });
    for (const field of ['doc_to_text', 'doc_to_target', 'doc_to_choice', 'process_docs', 'process_results'] as const) {
      const v = config[field];
      if (isFunctionRef(v)) this.functions.set(field, resolveFunction(v, `task ${this.name} ${field}`));
    }
  }

  get alias(): string {
    return this.config.task_alias ?? this.name;
  }

  get version(): unknown {
    return this.config.metadata?.version;
  }

  get datasetName(): string | undefined {
    return this.config.dataset_name ?? undefined;
  }

  /** Loads the evaluation split (test, else validation) and, when needed, the few-shot pool. */
  async load(data: DataSource, numFewshot: number): Promise<void> {
    const c = this.config;
    const split = c.test_split ?? c.validation_split;
    if (!split) {
      throw new YardstickError('task', `task ${this.name} has neither test_split nor validation_split`, { hint: 'set one in the task YAML' });
    }
    this.evalSplit = split;
    const loaded = await this.loadSplit(data, split);
    this.provenance.push(loaded.provenance);
    this.evalDocs = this.processDocs(loaded.docs, split);
    if (numFewshot > 0) {
      const fsSplit = c.fewshot_config?.split ?? c.fewshot_split ?? c.training_split ?? c.validation_split ?? c.test_split;
      if (!fsSplit) {
        throw new YardstickError('task', `task ${this.name} has no split to draw few-shot examples from`);
      }
      this.fewshotSplit = fsSplit;
      if (fsSplit === split) this.fewshotDocs = this.evalDocs;
      else {
        const fs = await this.loadSplit(data, fsSplit);
        this.provenance.push(fs.provenance);
        this.fewshotDocs = this.processDocs(fs.docs, fsSplit);
      }
    }
    if (this.evalDocs.length > 0 && this.config.doc_to_choice !== undefined) {
      this.multipleInput = typeof this.docToText(this.evalDocs[0]!, 0) === 'number';
    }
  }

  /** One split from the data source; its errors name the split, and gain the task's name here. */
  private async loadSplit(data: DataSource, split: string): Promise<LoadedSplit> {
    try {
      const revision = this.config.dataset_kwargs?.revision;
      return await data.load({ path: this.config.dataset_path, name: this.datasetName, split, ...(typeof revision === 'string' ? { revision } : {}) });
    } catch (e) {
      throw this.withTaskName(e, '');
    }
  }

  /** Prefixes a data error raised below the task (source, named function) with the task and place. */
  private withTaskName(e: unknown, where: string): unknown {
    if (!isYardstickError(e) || e.message.startsWith(`task ${this.name}`)) return e;
    return new YardstickError(e.kind, `task ${this.name}${where}: ${e.message}`, { hint: e.hint, cause: e });
  }

  /** "(split validation, doc 3)" for evaluated docs; few-shot docs (docId -1) name their split only. */
  private place(docId: number): string {
    return docId >= 0 ? ` (split ${this.evalSplit}, doc ${docId})` : ` (few-shot split ${this.fewshotSplit ?? '?'})`;
  }

  private processDocs(docs: Doc[], split: string): Doc[] {
    const fn = this.functions.get('process_docs') as ProcessDocsFunction | undefined;
    if (!fn) return docs;
    try {
      return fn(docs);
    } catch (e) {
      throw this.withTaskName(e, ` (split ${split})`);
    }
  }

  processResultsFunction(): ProcessResultsFunction | undefined {
    return this.functions.get('process_results') as ProcessResultsFunction | undefined;
  }

  /**
   * Resolves a field (spec §2.1): a feature name, a Jinja template, a list, or a named function.
   * `rendered` tells whether the value came from a template, the only case lm-eval post-processes.
   */
  private resolve(field: FieldName, doc: Doc, docId: number): { value: unknown; rendered: boolean } {
    const spec = this.config[field];
    if (spec === undefined || spec === null) return { value: undefined, rendered: false };
    if (isFunctionRef(spec)) {
      try {
        return { value: (this.functions.get(field) as DocFunction)(doc), rendered: false };
      } catch (e) {
        throw this.withTaskName(e, this.place(docId));
      }
    }
    if (Array.isArray(spec) || typeof spec === 'number') return { value: spec, rendered: false };
    if (typeof spec !== 'string') {
      throw new YardstickError('task', `task ${this.name}: ${field} must be a string, a list or !function`);
    }
    if (Object.hasOwn(doc, spec)) return { value: doc[spec], rendered: false };
    // lm-eval would render a missing column's name as literal text (e.g. gold "label" -> never
    // correct); a bare identifier that is not a column is a dataset without that field.
    if (field !== 'description' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(spec)) throw this.missingField(spec, field, doc, docId);
    try {
      return { value: renderTemplate(spec, doc), rendered: true };
    } catch (e) {
      if (e instanceof MissingVariableError) throw this.missingField(e.variable, field, doc, docId);
      throw new YardstickError('template', `task ${this.name}${this.place(docId)}: cannot render ${field}: ${(e as Error).message}`);
    }
  }

  private missingField(variable: string, field: FieldName, doc: Doc, docId: number): YardstickError {
    return new YardstickError('data', `task ${this.name}${this.place(docId)}: field '${variable}' used by ${field} is missing from the document`, {
      hint: `the document has fields ${Object.keys(doc).join(', ') || '(none)'}; check the dataset's column names`,
    });
  }

  docToText(doc: Doc, docId: number): string | number {
    const { value: v, rendered } = this.resolve('doc_to_text', doc, docId);
    if (rendered && typeof v === 'string' && isPyDigits(v) && this.config.doc_to_choice !== undefined) return Number(v);
    if (typeof v === 'number') return v;
    if (typeof v !== 'string') {
      throw new YardstickError('task', `task ${this.name}${this.place(docId)}: doc_to_text gave ${JSON.stringify(v)}, expected text`);
    }
    return v;
  }

  docToTarget(doc: Doc, docId: number): unknown {
    const { value: v, rendered } = this.resolve('doc_to_target', doc, docId);
    if (rendered && typeof v === 'string') {
      // lm-eval parses digits only for tasks with choices (a MATH answer "007" stays text)
      if (isPyDigits(v) && this.config.doc_to_choice !== undefined) return Number(v);
      if (v.length >= 2 && v.startsWith('[') && v.endsWith(']')) {
        try {
          return parsePyLiteral(v);
        } catch {
          return v;
        }
      }
    }
    return v;
  }

  docToChoice(doc: Doc, docId: number): string[] | undefined {
    const { value: v, rendered } = this.resolve('doc_to_choice', doc, docId);
    if (v === undefined) return undefined;
    const list = rendered && typeof v === 'string'
      ? (() => {
          try {
            return parsePyLiteral(v);
          } catch {
            throw new YardstickError('task', `task ${this.name}${this.place(docId)}: doc_to_choice did not render a list: ${v}`);
          }
        })()
      : v;
    if (!Array.isArray(list)) {
      throw new YardstickError('task', `task ${this.name}${this.place(docId)}: doc_to_choice must give a list, got ${JSON.stringify(list)}`);
    }
    return list.map((c, i) => {
      // String(undefined) would put the word "undefined" into a scored continuation
      if (c === undefined || c === null || typeof c === 'object') {
        throw new YardstickError('data', `task ${this.name}${this.place(docId)}: choice ${i} of doc_to_choice is ${JSON.stringify(c) ?? 'missing'}, expected text`, {
          hint: 'check the dataset fields the choices come from',
        });
      }
      return String(c);
    });
  }

  description(doc: Doc, docId: number): string {
    const { value: v } = this.resolve('description', doc, docId);
    return v === undefined || v === null ? '' : String(v);
  }

  /** The gold answer as lm-eval's multiple_choice process_results resolves it (spec §7.2). */
  gold(doc: Doc, docId: number, choices: string[]): number | number[] {
    const raw = this.multipleInput ? this.docToText(doc, docId) : this.docToTarget(doc, docId);
    // lm-eval turns an out-of-range gold into -100 and scores the doc as wrong; a label outside the
    // choices is a broken dataset, so it is refused before any compute instead
    const toIndex = (g: unknown): number => {
      if (typeof g === 'number') {
        if (Number.isInteger(g) && g >= 0 && g < choices.length) return g;
        throw new YardstickError('data', `task ${this.name}${this.place(docId)}: gold answer ${g} is outside the ${choices.length} choices (0-${choices.length - 1})`, {
          hint: 'fix the label in the data, or the YAML doc_to_target',
        });
      }
      if (typeof g === 'string') {
        const i = choices.indexOf(g);
        if (i !== -1) return i;
        throw new YardstickError('data', `task ${this.name}${this.place(docId)}: gold answer ${JSON.stringify(g)} is not one of the choices ${JSON.stringify(choices)}`, {
          hint: 'fix the label in the data, or the YAML doc_to_target',
        });
      }
      throw new YardstickError('task', `task ${this.name}${this.place(docId)}: cannot use ${JSON.stringify(g)} as a gold answer`);
    };
    return Array.isArray(raw) ? raw.map(toIndex) : toIndex(raw);
  }

  /** One few-shot example as messages (spec §2.3; lm-eval's build_qa_turn). */
  private fewshotTurn(doc: Doc, docId: number): Message[] {
    const choices = this.config.doc_to_choice !== undefined ? this.docToChoice(doc, docId) : undefined;
    let q = this.docToText(doc, docId);
    if (typeof q === 'number') {
      if (!choices) throw new YardstickError('task', `task ${this.name}: doc_to_text gave a number but the task has no choices`);
      q = choices[q]!;
    }
    const a = this.docToTarget(doc, docId);
    let answer: unknown = a;
    if (choices && typeof a === 'number') answer = choices[a];
    else if (Array.isArray(a)) answer = a[0];
    const answerText = answer === undefined || answer === null ? '' : String(answer);
    return qaTurn(q, answerText, this.targetDelimiter, this.fewshotDelimiter);
  }

  /** Few-shot docs for one evaluated doc (spec §4). */
  selectFewshot(doc: Doc, k: number, rng: FewshotRng): Doc[] {
    const pool = this.fewshotDocs;
    if (!pool) throw new YardstickError('task', `task ${this.name}: few-shot pool not loaded`);
    const sampler = this.config.fewshot_config?.sampler ?? 'default';
    const sameSplit = (this.config.fewshot_split ?? undefined) === (this.config.test_split ?? undefined);
    const equal = (a: Doc, b: Doc): boolean => JSON.stringify(a) === JSON.stringify(b);
    if (sampler === 'first_n') {
      const candidates = sameSplit ? pool.filter((d) => !equal(d, doc)) : pool;
      if (k > candidates.length) {
        throw new YardstickError('task', `task ${this.name}: ${k} few-shot examples asked for, the pool has ${candidates.length}`);
      }
      return candidates.slice(0, k);
    }
    if (sampler !== 'default') {
      throw new YardstickError('task', `task ${this.name}: unknown few-shot sampler '${sampler}'`, { hint: 'use default or first_n' });
    }
    const draw = sameSplit ? k + 1 : k;
    if (draw > pool.length) {
      throw new YardstickError('task', `task ${this.name}: cannot draw ${draw} few-shot examples from a pool of ${pool.length}`);
    }
    const drawn = rng.sample(pool, draw);
    return sameSplit ? drawn.filter((d) => !equal(d, doc)).slice(0, k) : drawn;
  }

  /**
   * The prompt messages for a document: one list for ordinary tasks, one per choice for multiple-input
   * tasks (Winogrande). lm-eval's fewshot_context: the system message is the --system-instruction and
   * the description joined by the few-shot delimiter (maybe_delimit), then the examples, then the question.
   */
  contextMessages(doc: Doc, docId: number, shots: Doc[], systemInstruction?: string): Message[][] {
    const prefix: Message[] = [];
    const system = maybeDelimit(systemInstruction, this.description(doc, docId), this.fewshotDelimiter);
    if (system) prefix.push({ role: 'system', content: system, delimiter: '' });
    // few-shot docs are rendered with their own pool index unknown; -1 marks them in messages
    for (const shot of shots) prefix.push(...this.fewshotTurn(shot, -1));
    const q = this.docToText(doc, docId);
    if (this.multipleInput) {
      const choices = this.docToChoice(doc, docId) ?? [];
      return choices.map((c) => [...prefix, ...qaTurn(c, undefined, '', '')]);
    }
    if (typeof q === 'number') {
      throw new YardstickError('task', `task ${this.name}${this.place(docId)}: doc_to_text gave a number for a task without multiple inputs`);
    }
    return [[...prefix, ...qaTurn(q, undefined, this.targetDelimiter, '')]];
  }

  /**
   * The prompt contexts for a document (spec §2.3): the messages as plain text, or rendered by the
   * model's chat template, as one conversation of turns (fewshot_as_multiturn) or one user message.
   */
  contexts(doc: Doc, docId: number, shots: Doc[], prompt: PromptOptions = {}): string[] {
    const { chat } = prompt;
    return this.contextMessages(doc, docId, shots, prompt.systemInstruction).map((messages) =>
      chat ? chat.render(chat.fewshotAsMultiturn ? messagesToTurns(messages) : singleTurn(messages)) : messagesToText(messages),
    );
  }
}
