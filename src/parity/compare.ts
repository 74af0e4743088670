// Parity of two parsed runs: matches tasks and documents, explains log-likelihood shifts from the runs'
// settings, compares every document and every aggregated metric, and sums it up per task.
import { isRecord, type SampleRecord } from '../report/run-folder.js';
import { pairDocuments as matchDocuments } from '../report/doc-matching.js';
import { answerExtractorFor } from './answers.js';
import { compareDocument, type DocCompareContext } from './documents.js';
import { compareMetricEntries } from './metrics.js';
import type { CauseExplanation, PromptContext } from './prompt-cause.js';
import { loggedRequests, loggedResponses } from './sample-fields.js';
import { fmtDelta } from './text-diff.js';
import { bosDiffers, chatDifferences, describeBos, runSettings, settingDifferences } from './settings.js';
import type { DivergencePoint, DocParity, LikelyCause, ParityOptions, ParityReport, ParityRun, RunSettings, TaskParity } from './types.js';

export interface ShiftStats {
  /** requests whose prompt and continuation are identical on both sides */
  compared: number;
  /** of those, how many differ by more than the tolerance */
  shifted: number;
  maxAbsDelta: number;
  /** mean of ours − theirs over the shifted requests */
  meanShift: number;
  /** mean |Δ| over the longest and the shortest quarter (by characters) of the requests that differ at all */
  meanAbsDeltaLongest: number;
  meanAbsDeltaShortest: number;
}

/**
 * Why log-likelihoods differ although prompts are identical. A BOS difference shifts (nearly) every
 * request; max_length only long prompts; dtype and batch composition only the last digits.
 */
export function explainLoglikelihoodShift(ours: RunSettings, theirs: RunSettings, stats: ShiftStats, runStats: ShiftStats = stats): CauseExplanation {
  const share = `${stats.shifted} of ${stats.compared} log-likelihoods with identical prompts differ`;
  const mean = stats.shifted > 0 ? `, mean Δ ${fmtDelta(stats.meanShift)} nats` : '';
  if (bosDiffers(ours, theirs)) {
    return { cause: 'bos', explanation: `BOS: ${share}${mean}; ours ${describeBos(ours)}, theirs ${describeBos(theirs)}` };
  }
  if (ours.maxLength !== null && theirs.maxLength !== null && ours.maxLength !== theirs.maxLength) {
    return { cause: 'max-length', explanation: `max_length ours ${ours.maxLength}, theirs ${theirs.maxLength}: long prompts are truncated differently (${share})` };
  }
  if (ours.dtype && theirs.dtype && ours.dtype.replace(/^torch\./, '') !== theirs.dtype.replace(/^torch\./, '')) {
    return { cause: 'dtype', explanation: `dtype ours ${ours.dtype}, theirs ${theirs.dtype} (${share})` };
  }
  if (ours.numParameters !== null && theirs.numParameters !== null && ours.numParameters !== theirs.numParameters) {
    return { cause: 'model', explanation: `different models: ${ours.numParameters} vs ${theirs.numParameters} parameters (${share})` };
  }
  // differences that grow with prompt length (in this task, or over the whole run, which has more
  // spread in length) point at position-dependent arithmetic
  const trend = [stats, runStats].find((x) => x.meanAbsDeltaShortest > 0 && x.meanAbsDeltaLongest >= 1.5 * x.meanAbsDeltaShortest);
  const longOnly = trend
    ? `; |Δ| grows with prompt length (mean ${fmtDelta(trend.meanAbsDeltaLongest)} nats on the longest quarter of ${trend === stats ? "this task's" : "the run's"} prompts, ${fmtDelta(trend.meanAbsDeltaShortest)} on the shortest): position-dependent precision, e.g. rotary-embedding angles computed in another precision`
    : '';
  if (stats.maxAbsDelta < 1e-2) {
    const batch = ours.batchSize !== null && theirs.batchSize !== null && ours.batchSize !== theirs.batchSize;
    return batch
      ? { cause: 'batch-size', explanation: `small differences; batch size ours ${ours.batchSize}, theirs ${theirs.batchSize} changes the arithmetic order (${share})` }
      : { cause: 'numerical', explanation: `small differences from engine arithmetic (kernels, accumulation order) (${share}, largest ${fmtDelta(stats.maxAbsDelta)} nats)${longOnly}` };
  }
  return {
    cause: 'unknown',
    explanation: `${share}${mean} with the same recorded BOS, max_length and dtype: different model weights, tokenizer or tokenisation rules`,
  };
}

function explainGenerationShift(ours: RunSettings, theirs: RunSettings): CauseExplanation {
  if (bosDiffers(ours, theirs)) return { cause: 'bos', explanation: `BOS: ours ${describeBos(ours)}, theirs ${describeBos(theirs)}` };
  return { cause: 'numerical', explanation: 'greedy decoding took a different token (near-tied logits or engine arithmetic)' };
}

function isGroup(run: ParityRun, name: string): boolean {
  const r = run.results;
  if (isRecord(r.groups) && name in r.groups) return true;
  const subtasks = r.group_subtasks?.[name];
  if (Array.isArray(subtasks) && subtasks.length > 0) return true;
  return false;
}


export function shiftStats(pairs: Array<[SampleRecord, SampleRecord]>, tolerance: number): ShiftStats {
  const stats: ShiftStats = { compared: 0, shifted: 0, maxAbsDelta: 0, meanShift: 0, meanAbsDeltaLongest: 0, meanAbsDeltaShortest: 0 };
  let sum = 0;
  const byLength: Array<[number, number]> = [];
  for (const [a, b] of pairs) {
    const ra = loggedRequests(a);
    const rb = loggedRequests(b);
    const pa = loggedResponses(a);
    const pb = loggedResponses(b);
    for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
      if (ra[i]!.context !== rb[i]!.context || JSON.stringify(ra[i]!.second) !== JSON.stringify(rb[i]!.second)) continue;
      const x = pa[i];
      const y = pb[i];
      if (x?.kind !== 'loglikelihood' || y?.kind !== 'loglikelihood') continue;
      stats.compared++;
      const d = x.value - y.value;
      if (!Number.isFinite(d)) continue;
      const second = ra[i]!.second;
      // exact agreements carry no arithmetic signal (another task, or an identical engine)
      if (d !== 0) byLength.push([ra[i]!.context.length + (typeof second === 'string' ? second.length : 0), Math.abs(d)]);
      stats.maxAbsDelta = Math.max(stats.maxAbsDelta, Math.abs(d));
      if (Math.abs(d) > tolerance) {
        stats.shifted++;
        sum += d;
      }
    }
  }
  stats.meanShift = stats.shifted > 0 ? sum / stats.shifted : 0;
  byLength.sort((p, q) => p[0] - q[0]);
  const quarter = Math.floor(byLength.length / 4);
  if (quarter > 0) {
    const mean = (xs: Array<[number, number]>): number => xs.reduce((acc, [, d]) => acc + d, 0) / xs.length;
    stats.meanAbsDeltaShortest = mean(byLength.slice(0, quarter));
    stats.meanAbsDeltaLongest = mean(byLength.slice(byLength.length - quarter));
  }
  return stats;
}

function configOf(run: ParityRun, task: string): Record<string, unknown> | undefined {
  const c = run.results.configs?.[task];
  return isRecord(c) ? c : undefined;
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function chatCause(so: RunSettings, st: RunSettings): PromptContext['chat'] {
  const lines = chatDifferences(so, st);
  return {
    template: lines.find((l) => l.startsWith('chat template:')),
    systemInstruction: lines.find((l) => l.startsWith('system instruction:')),
  };
}

function promptContext(ours: ParityRun, theirs: ParityRun, task: string, so: RunSettings, st: RunSettings): PromptContext {
  const co = configOf(ours, task);
  const ct = configOf(theirs, task);
  const desc = (c: Record<string, unknown> | undefined): string | null => (c && typeof c.description === 'string' ? c.description : null);
  const delim = typeof co?.fewshot_delimiter === 'string' ? co.fewshot_delimiter : typeof ct?.fewshot_delimiter === 'string' ? ct.fewshot_delimiter : '\n\n';
  return {
    descriptions: [desc(co), desc(ct)],
    fewshotDelimiter: delim,
    nShot: [numberOrNull(ours.results['n-shot']?.[task]), numberOrNull(theirs.results['n-shot']?.[task])],
    bosTokens: [so.bosToken, st.bosToken],
    versions: [ours.results.versions?.[task], theirs.results.versions?.[task]],
    chat: chatCause(so, st),
  };
}

function emptyTask(task: string, kind: TaskParity['kind']): TaskParity {
  return {
    task,
    kind,
    status: 'identical',
    docs: { matched: 0, identical: 0, within: 0, differs: 0, onlyOurs: 0, onlyTheirs: 0 },
    requests: { identical: 0, within: 0, differs: 0 },
    maxAbsDelta: null,
    metrics: [],
    notes: [],
    causes: [],
    differing: [],
  };
}

function compareTask(ours: ParityRun, theirs: ParityRun, task: string, so: RunSettings, st: RunSettings, options: ParityOptions, runStats: ShiftStats): TaskParity {
  const inOurs = task in ours.results.results;
  const inTheirs = task in theirs.results.results;
  const out = emptyTask(task, isGroup(ours, task) || isGroup(theirs, task) ? 'group' : 'task');
  if (!inOurs || !inTheirs) {
    out.status = inOurs ? 'only-ours' : 'only-theirs';
    out.notes.push(`${task} is only in ${inOurs ? 'ours' : 'theirs'}`);
    return out;
  }
  const samplesOurs = ours.samples.get(task);
  const samplesTheirs = theirs.samples.get(task);
  let docsAllIdentical = false;
  if (samplesOurs && samplesTheirs) {
    const { pairs, onlyOurs, onlyTheirs } = matchDocuments(samplesOurs, samplesTheirs);
    const stats = shiftStats(pairs, options.tolerance);
    const ctx: DocCompareContext = {
      tolerance: options.tolerance,
      prompt: promptContext(ours, theirs, task, so, st),
      loglikelihoodCause: explainLoglikelihoodShift(so, st, stats, runStats),
      generationCause: explainGenerationShift(so, st),
      extractAnswer: answerExtractorFor(task, configOf(ours, task) ?? configOf(theirs, task)),
    };
    const docs: DocParity[] = pairs.map(([a, b]) => compareDocument(a, b, ctx));
    out.docs.matched = docs.length;
    out.docs.onlyOurs = onlyOurs.length;
    out.docs.onlyTheirs = onlyTheirs.length;
    const moved = docs.filter((d) => d.docId !== d.theirsDocId).length;
    if (moved > 0) out.notes.push(`${moved} documents have a different doc_id on their side (matched by doc_hash): document order differs`);
    if (onlyOurs.length + onlyTheirs.length > 0) {
      out.notes.push(`documents only in ours: ${onlyOurs.length}, only in theirs: ${onlyTheirs.length} (--limit, split or data differ)`);
    }
    const tally = new Map<string, { cause: LikelyCause; point: DivergencePoint; count: number; reason?: string }>();
    for (const d of docs) {
      out.docs[d.status]++;
      out.requests.identical += d.requests.identical;
      out.requests.within += d.requests.within;
      out.requests.differs += d.requests.differs;
      if (d.maxAbsDelta !== null) out.maxAbsDelta = Math.max(out.maxAbsDelta ?? 0, d.maxAbsDelta);
      if (d.status === 'differs' && d.first) {
        out.differing.push(d);
        const k = `${d.first.cause}/${d.first.point}`;
        const t = tally.get(k) ?? { cause: d.first.cause, point: d.first.point, count: 0, ...(d.first.reason ? { reason: d.first.reason } : {}) };
        t.count++;
        tally.set(k, t);
      }
    }
    out.causes = [...tally.values()].sort((a, b) => b.count - a.count);
    const hashOurs = ours.results.task_hashes?.[task];
    const hashTheirs = theirs.results.task_hashes?.[task];
    if (hashOurs && hashTheirs && hashOurs !== hashTheirs && out.docs.differs === 0 && onlyOurs.length + onlyTheirs.length === 0) {
      out.notes.push('task_hashes differ although every document agrees: the results JSON hashes other strings');
      out.status = 'differs';
    }
    docsAllIdentical = out.docs.matched > 0 && out.docs.identical === out.docs.matched && onlyOurs.length + onlyTheirs.length === 0;
  } else if (out.kind === 'task') {
    const missing = !samplesOurs && !samplesTheirs ? 'either side' : samplesOurs ? 'their side' : 'our side';
    out.notes.push(`no sample log on ${missing}: compared aggregated metrics only (run with --log_samples)`);
  }

  out.metrics = compareMetricEntries(ours.results.results[task], theirs.results.results[task], options.tolerance, options.metricTolerance);
  const nOurs = ours.results['n-samples']?.[task]?.effective;
  const nTheirs = theirs.results['n-samples']?.[task]?.effective;
  for (const m of out.metrics) {
    if (m.status !== 'differs' || m.explanation) continue;
    if (typeof nOurs === 'number' && typeof nTheirs === 'number' && nOurs !== nTheirs) {
      m.cause = 'doc-count';
      m.explanation = `evaluated documents differ: ours ${nOurs}, theirs ${nTheirs}`;
    } else if (m.key.includes('_stderr') && so.bootstrapIters !== null && st.bootstrapIters !== null && so.bootstrapIters !== st.bootstrapIters) {
      m.cause = 'aggregation';
      m.explanation = `bootstrap_iters ours ${so.bootstrapIters}, theirs ${st.bootstrapIters}`;
    } else if (docsAllIdentical) {
      m.cause = 'aggregation';
      m.explanation = 'every document is identical: the aggregation or stderr computation differs';
    } else if (out.kind === 'group') {
      m.cause = 'aggregation';
      m.explanation = 'group value: check the subtasks and the group weighting (weight_by_size)';
    }
  }

  const metricBad = out.metrics.some((m) => m.status === 'differs' || m.status === 'missing');
  const metricWithin = out.metrics.some((m) => m.status === 'within');
  if (out.docs.differs > 0 || out.docs.onlyOurs > 0 || out.docs.onlyTheirs > 0 || metricBad) out.status = 'differs';
  else if (out.docs.within > 0 || metricWithin) out.status = 'within';
  return out;
}

/** The leaf tasks below a group (both runs' group_subtasks, recursively). */
function leavesOf(group: string, ours: ParityRun, theirs: ParityRun): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const children = [...(ours.results.group_subtasks?.[name] ?? []), ...(theirs.results.group_subtasks?.[name] ?? [])];
    if (children.length === 0 && name !== group) out.add(name);
    children.forEach(visit);
  };
  visit(group);
  return out;
}

/**
 * A group whose own numbers agree can still hide differing subtasks (e.g. accuracies that happen to
 * match); its status is the worst of its own and its leaves'.
 */
function rollUpGroups(tasks: TaskParity[], ours: ParityRun, theirs: ParityRun): void {
  const byName = new Map(tasks.map((t) => [t.task, t]));
  const rank = { identical: 0, within: 1, differs: 2, 'only-ours': 2, 'only-theirs': 2 } as const;
  for (const g of tasks) {
    if (g.kind !== 'group' || g.status === 'only-ours' || g.status === 'only-theirs') continue;
    const leaves = [...leavesOf(g.task, ours, theirs)].map((n) => byName.get(n)).filter((t): t is TaskParity => t !== undefined);
    const bad = leaves.filter((t) => rank[t.status] === 2).length;
    const within = leaves.filter((t) => t.status === 'within').length;
    if (bad > 0) {
      g.status = 'differs';
      g.notes.push(`${bad} of ${leaves.length} subtasks differ`);
    } else if (within > 0 && g.status === 'identical') {
      g.status = 'within';
    }
  }
}

export function compareRuns(ours: ParityRun, theirs: ParityRun, options: ParityOptions): ParityReport {
  const so = runSettings(ours.results);
  const st = runSettings(theirs.results);
  const names: string[] = Object.keys(ours.results.results);
  for (const t of Object.keys(theirs.results.results)) if (!names.includes(t)) names.push(t);
  const wanted = options.tasks ? names.filter((n) => options.tasks!.includes(n)) : names;
  const allPairs = wanted.flatMap((t) => {
    const a = ours.samples.get(t);
    const b = theirs.samples.get(t);
    return a && b ? matchDocuments(a, b).pairs : [];
  });
  const runStats = shiftStats(allPairs, options.tolerance);
  const tasks = wanted.map((t) => compareTask(ours, theirs, t, so, st, options, runStats));
  rollUpGroups(tasks, ours, theirs);
  const summary = { identical: 0, within: 0, differs: 0, missing: 0 };
  for (const t of tasks) {
    if (t.status === 'only-ours' || t.status === 'only-theirs') summary.missing++;
    else summary[t.status]++;
  }
  return {
    ours: { label: ours.label, settings: so },
    theirs: { label: theirs.label, settings: st },
    options,
    settingDifferences: settingDifferences(so, st),
    tasks,
    summary,
    ok: summary.differs === 0 && summary.missing === 0,
  };
}
