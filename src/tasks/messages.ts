// A prompt as lm-eval 0.4.13 builds it (lm_eval/api/utils.py, ConfigurableTask.build_qa_turn): a list
// of messages, each with the delimiter it carries as plain text. Plain prompts join the messages with
// their delimiters; chat prompts hand the messages (without delimiters) to the model's chat template.
import { isPySpace } from './pystr.js';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** appended only when rendered as plain text (target or few-shot delimiter) */
  delimiter: string;
}

/** lm-eval's maybe_delimit: join with `delimiter` unless either side is empty or has whitespace at the seam. */
export function maybeDelimit(prefix: string | null | undefined, suffix: string | null | undefined, delimiter = ' '): string {
  if (!prefix) return suffix ?? '';
  if (!suffix) return prefix;
  const seamSpace = isPySpace([...prefix].at(-1)!) || isPySpace([...suffix][0]!);
  return seamSpace ? prefix + suffix : prefix + delimiter + suffix;
}

/**
 * build_qa_turn without gen_prefix: the question as a user message (carrying the target delimiter when
 * an answer follows), then the answer as an assistant message (carrying the few-shot delimiter).
 * An empty answer leaves the question alone, with no delimiter at all.
 */
export function qaTurn(question: string, answer: string | undefined, targetDelimiter: string, fewshotDelimiter: string): Message[] {
  const hasAnswer = answer !== undefined && answer !== '';
  const user: Message = { role: 'user', content: question, delimiter: hasAnswer ? targetDelimiter : '' };
  return hasAnswer ? [user, { role: 'assistant', content: answer, delimiter: fewshotDelimiter }] : [user];
}

/** Message.to_text joined: the plain-text prompt. */
export function messagesToText(messages: readonly Message[]): string {
  return messages.map((m) => m.content + m.delimiter).join('');
}

/** Message.to_dict: what the chat template sees for each turn (--fewshot-as-multiturn). */
export function messagesToTurns(messages: readonly Message[]): Array<{ role: string; content: string }> {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

/**
 * lm-eval's multiturn_to_singleturn (without gen_prefix the last message is the user's question):
 * the system message stays, everything else becomes one user message, joined as plain text with the
 * last delimiter dropped.
 */
export function singleTurn(messages: readonly Message[]): Array<{ role: string; content: string }> {
  const [first, ...rest] = messages;
  const system = first?.role === 'system' ? first : undefined;
  const body = system ? rest : [...messages];
  const last = body.length - 1;
  const content = body.map((m, i) => m.content + (i === last ? '' : m.delimiter)).join('');
  const user = { role: 'user', content };
  return system ? [{ role: 'system', content: system.content }, user] : [user];
}
