// Compares one document's two sample records, walking from the data to the metrics and stopping at the
// first divergence beyond tolerance: doc → target → requests → prompt/continuation → response → metrics.
import type { SampleRecord } from '../report/run-folder.js';
import type { AnswerExtractor } from './answers.js';
import { explainContinuationDifference, explainPromptDifference, type CauseExplanation, type PromptContext } from './prompt-cause.js';
import { firstDifferingField, jsonEqual, loggedMetrics, loggedRequests, loggedResponses, type LoggedRequest, type LoggedResponse } from './sample-fields.js';
import { fmtDelta, unifiedDiff, visible } from './text-diff.js';
import type { Counts, Divergence, DocParity } from './types.js';

export interface DocCompareContext {
  tolerance: number;
  prompt: PromptContext;
  /** the task-level reason for log-likelihood shifts under identical prompts (see explainLoglikelihoodShift) */
  loglikelihoodCause: CauseExplanation;
  /** the reason generations differ under identical prompts */
  generationCause: CauseExplanation;
  extractAnswer: AnswerExtractor | null;
}


/** Pipeline order: a difference earlier in the pipeline explains the later ones. */
const POINT_ORDER: Divergence['point'][] = ['doc', 'target', 'requests', 'prompt', 'continuation', 'loglikelihood', 'greedy', 'generation', 'answer', 'metric'];

function clipped(s: string, n = 60): string {
  return s.length > n ? `${visible(s.slice(0, n))}… (${s.length} chars)` : visible(s);
}

function shortJson(v: unknown, n = 80): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Compares the documents themselves; a doc_hash-only difference is reported separately (it hides nothing). */
function compareDocField(ours: SampleRecord, theirs: SampleRecord): { data?: Divergence; hash?: Divergence } {
  const same = jsonEqual(ours.doc, theirs.doc);
  if (!same) {
    const field = firstDifferingField(ours.doc, theirs.doc);
    const a = field ? (ours.doc as Record<string, unknown>)[field] : ours.doc;
    const b = field ? (theirs.doc as Record<string, unknown>)[field] : theirs.doc;
    const diff = typeof a === 'string' && typeof b === 'string' ? unifiedDiff(a, b) : [`- ${shortJson(a, 150)}`, `+ ${shortJson(b, 150)}`];
    return {
      data: {
        point: 'doc',
        cause: 'data',
        explanation: field ? `the documents differ in field ${visible(field)} (different data files, split or process_docs)` : 'the documents differ (different data files or split)',
        diff,
      },
    };
  }
  if (ours.doc_hash && theirs.doc_hash && ours.doc_hash !== theirs.doc_hash) {
    const ko = ours.doc && typeof ours.doc === 'object' ? Object.keys(ours.doc) : [];
    const kt = theirs.doc && typeof theirs.doc === 'object' ? Object.keys(theirs.doc) : [];
    const order = ko.join(',') !== kt.join(',') ? `key order ours [${ko.join(', ')}], theirs [${kt.join(', ')}]` : 'value serialisation (numbers or escapes in json.dumps)';
    return { hash: { point: 'doc', cause: 'hash', explanation: `same document content but doc_hash differs: ${order}` } };
  }
  return {};
}

function compareResponse(
  i: number,
  ours: LoggedResponse | undefined,
  theirs: LoggedResponse | undefined,
  ctx: DocCompareContext,
): { status: 'identical' | 'within' | 'differs'; delta: number | null; divergence?: Divergence } {
  if (!ours || !theirs) {
    return { status: 'differs', delta: null, divergence: { point: 'requests', request: i, cause: 'unknown', explanation: `request ${i} has no response on ${ours ? 'their' : 'our'} side` } };
  }
  if (ours.kind === 'loglikelihood' && theirs.kind === 'loglikelihood') {
    const delta = ours.value - theirs.value;
    const sameText = ours.text === theirs.text;
    const bothNaN = Number.isNaN(ours.value) && Number.isNaN(theirs.value);
    const close = sameText || bothNaN || ours.value === theirs.value || Math.abs(delta) <= ctx.tolerance;
    if (!close) {
      return {
        status: 'differs',
        delta,
        divergence: {
          point: 'loglikelihood',
          request: i,
          cause: ctx.loglikelihoodCause.cause,
          delta,
          explanation: `log-likelihood ours ${ours.text}, theirs ${theirs.text} (Δ ${fmtDelta(delta)} nats)`,
          reason: ctx.loglikelihoodCause.explanation,
        },
      };
    }
    if (ours.greedyText !== theirs.greedyText) {
      return {
        status: 'differs',
        delta: Number.isFinite(delta) ? delta : 0,
        divergence: {
          point: 'greedy',
          request: i,
          cause: 'near-tie',
          explanation: `is_greedy ours ${ours.greedyText}, theirs ${theirs.greedyText} with log-likelihoods within tolerance (Δ ${fmtDelta(delta)}): an argmax near-tie over the vocabulary`,
        },
      };
    }
    return { status: sameText ? 'identical' : 'within', delta: Number.isFinite(delta) ? delta : 0 };
  }
  if (ours.kind === 'generation' && theirs.kind === 'generation') {
    if (ours.text === theirs.text) return { status: 'identical', delta: null };
    const collapsed = (s: string): string => s.replace(/\s+/g, ' ').trim();
    let cause = ctx.generationCause;
    let shared = true;
    if (collapsed(ours.text) === collapsed(theirs.text)) {
      cause = { cause: 'whitespace', explanation: 'only whitespace differs (tokenizer decode, clean_up_tokenization_spaces)' };
      shared = false;
    } else if (ours.text.startsWith(theirs.text) || theirs.text.startsWith(ours.text)) {
      cause = { cause: 'truncation', explanation: 'one generation is a prefix of the other: stop sequences or max_gen_toks differ' };
      shared = false;
    }
    const answers = ctx.extractAnswer ? `; extracted answer ours ${clipped(ctx.extractAnswer(ours.text))}, theirs ${clipped(ctx.extractAnswer(theirs.text))}` : '';
    return {
      status: 'differs',
      delta: null,
      divergence: {
        point: 'generation',
        request: i,
        cause: cause.cause,
        explanation: `generations differ${shared ? '' : `: ${cause.explanation}`}${answers}`,
        ...(shared ? { reason: cause.explanation } : {}),
        diff: unifiedDiff(ours.text, theirs.text),
      },
    };
  }
  if (ours.text === theirs.text) return { status: 'identical', delta: null };
  return {
    status: 'differs',
    delta: null,
    divergence: { point: ours.kind === 'generation' || theirs.kind === 'generation' ? 'generation' : 'loglikelihood', request: i, cause: 'unknown', explanation: `responses differ: ours ${shortJson(ours.text)}, theirs ${shortJson(theirs.text)}` },
  };
}

function metricValuesClose(a: unknown, b: unknown, tolerance: number): 'identical' | 'within' | 'differs' {
  if (jsonEqual(a, b)) return 'identical';
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= tolerance) return 'within';
  return 'differs';
}

/** prompt_hash / target_hash that differ although the hashed strings agree: the log writer diverges. */
function hashOfLoggedText(ours: SampleRecord, theirs: SampleRecord, ro: LoggedRequest[], rt: LoggedRequest[]): Divergence | undefined {
  for (const key of ['prompt_hash', 'target_hash'] as const) {
    const a = ours[key];
    const b = theirs[key];
    if (typeof a === 'string' && typeof b === 'string' && a !== b) {
      const what = key === 'prompt_hash' ? 'the first request\'s context' : 'str(target)';
      const same = key === 'prompt_hash' ? ro[0]?.context === rt[0]?.context : String(ours.target) === String(theirs.target);
      if (same) return { point: 'doc', cause: 'hash', explanation: `${key} differs although ${what} is the same: the hash is computed over another string` };
    }
  }
  return undefined;
}

export function compareDocument(ours: SampleRecord, theirs: SampleRecord, ctx: DocCompareContext): DocParity {
  const requests: Counts = { identical: 0, within: 0, differs: 0 };
  const doc: DocParity = { docId: ours.doc_id, theirsDocId: theirs.doc_id, filter: ours.filter ?? 'none', status: 'identical', requests, maxAbsDelta: null };
  const divergences: Divergence[] = [];
  const { data, hash } = compareDocField(ours, theirs);
  if (data) divergences.push(data);

  if (String(ours.target) !== String(theirs.target)) {
    const a = String(ours.target);
    const b = String(theirs.target);
    const ws = a.trim() === b.trim();
    divergences.push({ point: 'target', cause: ws ? 'whitespace' : 'data', explanation: `target ours ${visible(a)}, theirs ${visible(b)}${ws ? ' (whitespace only)' : ' (doc_to_target or the data differ)'}` });
  }

  const reqOurs = loggedRequests(ours);
  const reqTheirs = loggedRequests(theirs);
  if (reqOurs.length !== reqTheirs.length) {
    divergences.push({ point: 'requests', cause: 'template', explanation: `ours has ${reqOurs.length} requests, theirs ${reqTheirs.length} (doc_to_choice or output_type differ)` });
  }
  const respOurs = loggedResponses(ours);
  const respTheirs = loggedResponses(theirs);
  const n = Math.min(reqOurs.length, reqTheirs.length);
  let anyWithin = false;
  for (let i = 0; i < n; i++) {
    const a = reqOurs[i]!;
    const b = reqTheirs[i]!;
    const promptCause = explainPromptDifference(a.context, b.context, ctx.prompt);
    if (promptCause) {
      divergences.push({ point: 'prompt', request: i, cause: promptCause.cause, explanation: promptCause.explanation, diff: unifiedDiff(a.context, b.context) });
      requests.differs++;
      continue;
    }
    if (typeof a.second === 'string' && typeof b.second === 'string') {
      const cont = explainContinuationDifference(a.second, b.second);
      if (cont) {
        divergences.push({ point: 'continuation', request: i, cause: cont.cause, explanation: cont.explanation });
        requests.differs++;
        continue;
      }
    } else if (!jsonEqual(a.second, b.second)) {
      divergences.push({ point: 'continuation', request: i, cause: 'template', explanation: `generation kwargs differ: ours ${shortJson(a.second)}, theirs ${shortJson(b.second)}` });
      requests.differs++;
      continue;
    }
    const r = compareResponse(i, respOurs[i], respTheirs[i], ctx);
    if (r.delta !== null) doc.maxAbsDelta = Math.max(doc.maxAbsDelta ?? 0, Math.abs(r.delta));
    if (r.divergence) divergences.push(r.divergence);
    requests[r.status]++;
    if (r.status === 'within') anyWithin = true;
  }
  requests.differs += Math.abs(reqOurs.length - reqTheirs.length);

  const metricsOurs = loggedMetrics(ours);
  const metricsTheirs = new Map(loggedMetrics(theirs));
  const responsesAgree = divergences.length === 0;
  for (const [name, value] of metricsOurs) {
    if (!metricsTheirs.has(name)) {
      divergences.push({ point: 'metric', cause: 'template', explanation: `per-document metric ${name} is missing on their side (metric_list differs)` });
      continue;
    }
    const other = metricsTheirs.get(name);
    // per-document perplexity values are log-likelihoods, so the request tolerance applies to them
    const close = metricValuesClose(value, other, ctx.tolerance);
    if (close === 'within') anyWithin = true;
    if (close !== 'differs') continue;
    let cause: Divergence['cause'] = 'unknown';
    let why = 'process_results differs';
    if (responsesAgree && ctx.extractAnswer) {
      cause = 'extraction';
      const gen = respOurs[0]?.text ?? '';
      why = `the generations are identical (extracted answer ${clipped(ctx.extractAnswer(gen))}): answer extraction or equivalence check differs`;
    } else if (responsesAgree && anyWithin) {
      cause = 'near-tie';
      why = 'log-likelihoods agree within tolerance but the argmax flips: two choices are nearly tied';
    } else if (responsesAgree) {
      why = 'responses are identical: gold index, argmax or the metric function differs';
    }
    divergences.push({ point: cause === 'extraction' ? 'answer' : 'metric', cause, explanation: `per-document ${name} ours ${shortJson(value)}, theirs ${shortJson(other)}: ${why}` });
  }
  for (const name of metricsTheirs.keys()) {
    if (!metricsOurs.some(([m]) => m === name)) {
      divergences.push({ point: 'metric', cause: 'template', explanation: `per-document metric ${name} is missing on our side (metric_list differs)` });
    }
  }

  divergences.sort((a, b) => POINT_ORDER.indexOf(a.point) - POINT_ORDER.indexOf(b.point));
  const first = divergences[0] ?? hash ?? hashOfLoggedText(ours, theirs, reqOurs, reqTheirs);
  if (first) {
    doc.status = 'differs';
    doc.first = first;
  } else if (anyWithin) {
    doc.status = 'within';
  }
  return doc;
}
