// Shapes of a parity comparison: two parsed run folders in, a per-task, per-document account of where
// they first diverge and why out. Everything here is plain data so reports can be rendered or serialised.
import type { ResultsJson, SampleRecord } from '../report/run-folder.js';

export type { ResultsJson, SampleRecord };

/** One side of the comparison, already read from disk. */
export interface ParityRun {
  /** what to call this side in the report (the path the user gave) */
  label: string;
  results: ResultsJson;
  /** task → sample log lines in file order; a task without a log is absent */
  samples: Map<string, SampleRecord[]>;
}

/** How a run tokenised prompts, as far as its results JSON tells. */
export type BosPolicy = 'tokenizer' | 'always' | 'never';

export interface RunSettings {
  tool: 'yardstick' | 'lm-eval' | 'unknown';
  /** lm-eval version that wrote the file, or the version yardstick emulated */
  lmEvalVersion: string | null;
  bos: BosPolicy | null;
  /** where the BOS setting came from, in words (e.g. "add_bos_token unset, lm-eval 0.4.9.1 default") */
  bosSource: string;
  /** the tokenizer's BOS token text, when recorded */
  bosToken: string | null;
  maxLength: number | null;
  dtype: string | null;
  batchSize: string | null;
  numParameters: number | null;
  bootstrapIters: number | null;
  /** lm-eval's chat_template_sha (null: no chat template applied) */
  chatTemplateSha: string | null;
  /** lm-eval's fewshot_as_multiturn (null: not set) */
  fewshotAsMultiturn: boolean | null;
  /** lm-eval's system_instruction_sha (null: none) */
  systemInstructionSha: string | null;
}

/** Where, walking a document from its data to its metrics, the two runs first part ways. */
export type DivergencePoint =
  | 'doc'
  | 'target'
  | 'requests'
  | 'prompt'
  | 'continuation'
  | 'loglikelihood'
  | 'greedy'
  | 'generation'
  | 'answer'
  | 'metric';

/** The likely reason, named the way users search for it. */
export type LikelyCause =
  | 'data'
  | 'hash'
  | 'whitespace'
  | 'target-delimiter'
  | 'bos'
  | 'description'
  | 'fewshot-count'
  | 'fewshot-selection'
  | 'truncation'
  | 'template'
  | 'chat-template'
  | 'system-instruction'
  | 'max-length'
  | 'dtype'
  | 'model'
  | 'batch-size'
  | 'near-tie'
  | 'extraction'
  | 'aggregation'
  | 'doc-count'
  | 'numerical'
  | 'unknown';

export interface Divergence {
  point: DivergencePoint;
  /** request index (gen_args_<i>) when the divergence is in one request */
  request?: number;
  cause: LikelyCause;
  /** one line: what differs (and, for text differences, why we think so) */
  explanation: string;
  /** the task-level reason shared by many documents (e.g. the BOS settings), said once per task */
  reason?: string;
  /** rendered diff lines for text differences (prompts, generations, documents) */
  diff?: string[];
  /** ours − theirs, for log-likelihoods */
  delta?: number;
}

export type Status = 'identical' | 'within' | 'differs';

export interface Counts {
  identical: number;
  within: number;
  differs: number;
}

export interface DocParity {
  docId: number;
  /** theirs' doc_id when it differs from ours (documents matched by doc_hash) */
  theirsDocId: number;
  filter: string;
  status: Status;
  requests: Counts;
  /** largest |ours − theirs| log-likelihood over the document's requests; null without any */
  maxAbsDelta: number | null;
  /** the first divergence beyond tolerance (status 'differs') */
  first?: Divergence;
}

export interface MetricParity {
  key: string;
  ours: number | string | null;
  theirs: number | string | null;
  status: Status | 'missing';
  /** tolerance used for this key */
  tolerance: number;
  cause?: LikelyCause;
  explanation?: string;
}

export interface TaskParity {
  task: string;
  kind: 'task' | 'group';
  status: Status | 'only-ours' | 'only-theirs';
  docs: Counts & { matched: number; onlyOurs: number; onlyTheirs: number };
  requests: Counts;
  maxAbsDelta: number | null;
  metrics: MetricParity[];
  /** task-level explanations (settings that differ, missing logs, ...) */
  notes: string[];
  /** first divergences tallied by cause, most frequent first */
  causes: Array<{ cause: LikelyCause; point: DivergencePoint; count: number; reason?: string }>;
  /** the differing documents, in doc order (renderers show the first few) */
  differing: DocParity[];
}

export interface ParityOptions {
  /** per-request log-likelihood tolerance in nats */
  tolerance: number;
  /** tolerance for metric values and standard errors (relative above 1) */
  metricTolerance: number;
  /** only these tasks/groups (exact names); all when absent */
  tasks?: string[];
}

export interface ParityReport {
  ours: { label: string; settings: RunSettings };
  theirs: { label: string; settings: RunSettings };
  options: ParityOptions;
  /** run-level setting differences, in words */
  settingDifferences: string[];
  tasks: TaskParity[];
  summary: { identical: number; within: number; differs: number; missing: number };
  /** true when every task is identical or within tolerance */
  ok: boolean;
}

export const DEFAULT_PARITY_OPTIONS: ParityOptions = { tolerance: 1e-4, metricTolerance: 1e-6 };
