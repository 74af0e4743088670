// Reads the settings that change numbers (BOS, max length, dtype, batch size) out of a results JSON
// written by lm-eval (any v0.4.x / HEAD schema) or by yardstick, and says how two runs' settings differ.
import { isRecord, type ResultsJson } from '../report/run-folder.js';
import type { BosPolicy, RunSettings } from './types.js';

/** `model_args` as a map: HEAD writes a dict, v0.4.x the raw "k=v,k=v" string. */
export function parseModelArgs(args: unknown): Record<string, string> {
  if (isRecord(args)) return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
  if (typeof args !== 'string') return {};
  const out: Record<string, string> = {};
  for (const part of args.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** a ≤ b for dotted versions ("0.4.9.1", "v0.4.10", "0.4.13.dev0": non-numeric parts count as 0). */
export function versionAtMost(a: string, b: string): boolean {
  const parse = (v: string): number[] => v.replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return true;
}

function parseBool(v: string | undefined): boolean | null {
  if (v === undefined) return null;
  const s = v.toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return null;
}

function policyOfFlag(flag: boolean): BosPolicy {
  return flag ? 'always' : 'never';
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A chat setting in words: "chat template 1a2b3c4d (few-shot as turns)" or "no chat template". */
export function describeChat(s: RunSettings): string {
  if (s.chatTemplateSha === null) return 'no chat template';
  return `chat template sha256 ${s.chatTemplateSha.slice(0, 8)} (few-shot ${s.fewshotAsMultiturn === false ? 'as one user message' : 'as user/assistant turns'})`;
}

/** Chat-template and system-instruction differences that change every prompt, in words (empty when none). */
export function chatDifferences(ours: RunSettings, theirs: RunSettings): string[] {
  const out: string[] = [];
  const turns = (s: RunSettings): boolean => s.fewshotAsMultiturn !== false;
  if (ours.chatTemplateSha !== theirs.chatTemplateSha || (ours.chatTemplateSha !== null && turns(ours) !== turns(theirs))) {
    out.push(`chat template: ours ${describeChat(ours)}, theirs ${describeChat(theirs)} (--apply_chat_template / --fewshot_as_multiturn)`);
  }
  if (ours.systemInstructionSha !== theirs.systemInstructionSha) {
    const say = (sha: string | null): string => (sha === null ? 'none' : `sha256 ${sha.slice(0, 8)}`);
    out.push(`system instruction: ours ${say(ours.systemInstructionSha)}, theirs ${say(theirs.systemInstructionSha)} (--system_instruction)`);
  }
  return out;
}

function bosTokenText(results: ResultsJson): string | null {
  const t = results.tokenizer_bos_token;
  if (Array.isArray(t) && typeof t[0] === 'string') return t[0];
  return null;
}

export function runSettings(results: ResultsJson): RunSettings {
  const config = isRecord(results.config) ? results.config : {};
  const args = parseModelArgs(config.model_args);
  const common = {
    bosToken: bosTokenText(results),
    maxLength: numberOrNull(results.max_length),
    dtype: typeof config.model_dtype === 'string' ? config.model_dtype : (args.dtype ?? null),
    batchSize: config.batch_size === undefined || config.batch_size === null ? null : String(config.batch_size),
    numParameters: numberOrNull(config.model_num_parameters),
    bootstrapIters: numberOrNull(config.bootstrap_iters),
    chatTemplateSha: stringOrNull(results.chat_template_sha),
    fewshotAsMultiturn: typeof results.fewshot_as_multiturn === 'boolean' ? results.fewshot_as_multiturn : null,
    systemInstructionSha: stringOrNull(results.system_instruction_sha),
  };
  const ys = results.yardstick;
  if (isRecord(ys)) {
    const policy = ys.bos_policy;
    const bos: BosPolicy | null = policy === 'tokenizer' || policy === 'always' || policy === 'never' ? policy : null;
    const compat = typeof ys.lm_eval_compat === 'string' ? ys.lm_eval_compat : null;
    const flag = typeof ys.add_bos_token === 'boolean' ? ys.add_bos_token : null;
    const bosSource =
      flag !== null
        ? `--add-bos-token ${flag}`
        : compat && bos === 'never'
          ? `add_bos_token unset, emulating lm-eval ${compat} (no BOS by default)`
          : 'add_bos_token unset (tokenizer default)';
    return { tool: 'yardstick', lmEvalVersion: compat, bos, bosSource, ...common };
  }
  const version = typeof results.lm_eval_version === 'string' ? results.lm_eval_version : null;
  const flag = parseBool(args.add_bos_token);
  let bos: BosPolicy | null;
  let bosSource: string;
  if (flag !== null) {
    bos = policyOfFlag(flag);
    bosSource = `add_bos_token=${flag ? 'True' : 'False'} in model_args`;
  } else if (version === null) {
    bos = null;
    bosSource = 'add_bos_token unset, lm-eval version unknown';
  } else if (versionAtMost(version, '0.4.9.1')) {
    // ≤ 0.4.9.1 encoded without special tokens unless the model type contained "gemma"
    const gemma = /gemma/i.test(String(args.pretrained ?? results.model_name ?? ''));
    bos = gemma ? 'always' : 'never';
    bosSource = gemma
      ? `add_bos_token unset; lm-eval ${version} forces BOS for Gemma models`
      : `add_bos_token unset; lm-eval ${version} adds no BOS by default (≤ 0.4.9.1)`;
  } else {
    bos = 'tokenizer';
    bosSource = `add_bos_token unset; lm-eval ${version} uses the tokenizer default (≥ 0.4.9.2)`;
  }
  const tool = version !== null || 'lm_eval_version' in results ? 'lm-eval' : 'unknown';
  return { tool, lmEvalVersion: version, bos, bosSource, ...common };
}

export function describeBos(s: RunSettings): string {
  const what = s.bos === 'always' ? 'BOS always' : s.bos === 'never' ? 'no BOS' : s.bos === 'tokenizer' ? 'tokenizer decides BOS' : 'BOS unknown';
  return `${what} (${s.bosSource})`;
}

/**
 * Whether the two BOS settings can produce different token ids. 'tokenizer' vs 'always' only differs
 * for tokenizers that add no BOS themselves; we cannot see that from results, so it counts as different.
 */
export function bosDiffers(a: RunSettings, b: RunSettings): boolean {
  return a.bos !== null && b.bos !== null && a.bos !== b.bos;
}

/** Settings that change numbers and differ between the runs, in words (empty when none). */
export function settingDifferences(ours: RunSettings, theirs: RunSettings): string[] {
  const out: string[] = chatDifferences(ours, theirs);
  if (bosDiffers(ours, theirs)) out.push(`BOS: ours ${describeBos(ours)}, theirs ${describeBos(theirs)}`);
  if (ours.maxLength !== null && theirs.maxLength !== null && ours.maxLength !== theirs.maxLength) {
    out.push(`max_length: ours ${ours.maxLength}, theirs ${theirs.maxLength} (long prompts are left-truncated differently)`);
  }
  if (ours.dtype && theirs.dtype && normaliseDtype(ours.dtype) !== normaliseDtype(theirs.dtype)) {
    out.push(`dtype: ours ${ours.dtype}, theirs ${theirs.dtype}`);
  }
  if (ours.numParameters !== null && theirs.numParameters !== null && ours.numParameters !== theirs.numParameters) {
    out.push(`model size: ours ${ours.numParameters} parameters, theirs ${theirs.numParameters} (different models?)`);
  }
  if (ours.batchSize !== null && theirs.batchSize !== null && ours.batchSize !== theirs.batchSize) {
    out.push(`batch size: ours ${ours.batchSize}, theirs ${theirs.batchSize} (batch composition can move the last bits)`);
  }
  if (ours.bootstrapIters !== null && theirs.bootstrapIters !== null && ours.bootstrapIters !== theirs.bootstrapIters) {
    out.push(`bootstrap_iters: ours ${ours.bootstrapIters}, theirs ${theirs.bootstrapIters} (bootstrap stderrs differ)`);
  }
  return out;
}

function normaliseDtype(d: string): string {
  return d.replace(/^torch\./, '').replace(/^float$/, 'float32').replace(/^fp32$/, 'float32');
}
