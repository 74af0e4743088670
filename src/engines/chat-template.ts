// A model's chat template, chosen and applied as lm-eval's HFLM does it: LM.chat_template picks the
// template (a name from a dict, else "default"), HFLM.apply_chat_template renders it through
// transformers' apply_chat_template(tokenize=False): Jinja with trim_blocks and lstrip_blocks, the
// named special tokens as variables, and one retry without the system message when rendering fails.
import { createHash } from 'node:crypto';
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import { YardstickError } from '../errors.js';
import type { ChatTemplates, EngineTokenizer } from './types.js';

/** One turn, as lm-eval's Message.to_dict() gives it to the template. */
export interface ChatTurn {
  role: string;
  content: string;
}

export interface SelectedChatTemplate {
  /** the name picked from a dict of templates; undefined for a single template */
  name?: string;
  template: string;
  /** sha256 of the template text (lm-eval's chat_template_sha) */
  sha256: string;
  source: string;
  specialTokens: Record<string, string>;
}

/** "chat template 'default' (tokenizer_config.json, sha256 1a2b3c4d)": how errors name a template. */
export function describeChatTemplate(t: SelectedChatTemplate): string {
  return `chat template${t.name === undefined ? '' : ` '${t.name}'`} (${t.source}, sha256 ${t.sha256.slice(0, 8)})`;
}

function noTemplate(model: string, tok: EngineTokenizer): YardstickError {
  const where = tok.source === 'gguf' ? 'no tokenizer.chat_template in the GGUF file' : 'no chat_template in tokenizer_config.json and no chat_template.jinja';
  return new YardstickError('model', `model ${model} has no chat template (${where}), so --apply-chat-template cannot be used`, {
    hint: "drop --apply-chat-template, or add the model's chat_template to its tokenizer_config.json",
  });
}

/**
 * lm-eval's LM.chat_template(apply_chat_template): `true` takes the single template, or "default"
 * from a dict; a name picks from a dict (with a single template the name is ignored, with a warning).
 */
export function selectChatTemplate(tok: EngineTokenizer, model: string, name: string | true, onWarning: (m: string) => void = () => {}): SelectedChatTemplate {
  const found: ChatTemplates | undefined = tok.chatTemplates;
  if (!found) throw noTemplate(model, tok);
  const pick = (template: string, picked?: string): SelectedChatTemplate => ({
    name: picked,
    template,
    sha256: createHash('sha256').update(template, 'utf8').digest('hex'),
    source: found.source,
    specialTokens: found.specialTokens,
  });
  if (typeof found.templates === 'string') {
    if (name !== true) onWarning(`model ${model} has a single chat template, not named ones; --apply-chat-template ${name} uses it`);
    return pick(found.templates);
  }
  const names = Object.keys(found.templates).sort();
  const wanted = name === true ? 'default' : name;
  const template = found.templates[wanted];
  if (template === undefined) {
    throw new YardstickError('usage', name === true
      ? `model ${model} has several chat templates (${names.join(', ')}) and none is named 'default'`
      : `model ${model} has no chat template named '${name}' (it has ${names.join(', ')})`, {
      hint: `name one: --apply-chat-template ${names[0] ?? 'NAME'}`,
    });
  }
  return pick(template, wanted);
}

// The package's .d.ts re-exports these from a path NodeNext cannot resolve (see src/tasks/template.ts),
// so the few members used are described here.
interface JinjaNode {
  type: string;
  object?: JinjaNode;
  value?: unknown;
}
interface RuntimeValue {
  type: string;
}
type JinjaEnv = { set(name: string, value: unknown): unknown };
const JinjaEnvironment = Environment as unknown as new () => JinjaEnv;
const BaseInterpreter = Interpreter as unknown as new (env: JinjaEnv) => {
  run(program: unknown): { value: unknown };
  evaluate(node: JinjaNode, env: unknown): RuntimeValue;
};

/** What a Jinja template raised (raise_exception) or could not evaluate. */
class ChatTemplateError extends Error {}

/**
 * Python Jinja's default Undefined prints as "" but fails on attribute access (`{{ foo.bar }}`:
 * "'foo' is undefined"); the package returns another undefined. Member access on an undefined value
 * throws here, so a template reading a variable it was not given fails as it does in transformers.
 */
class TransformersInterpreter extends BaseInterpreter {
  private pending: { node: JinjaNode; value: RuntimeValue } | undefined;

  override evaluate(node: JinjaNode, env: unknown): RuntimeValue {
    const pending = this.pending;
    if (pending && pending.node === node) {
      this.pending = undefined;
      return pending.value;
    }
    if (node.type === 'MemberExpression' && node.object) {
      const object = this.evaluate(node.object, env);
      if (object.type === 'UndefinedValue') {
        const what = node.object.type === 'Identifier' ? `'${String(node.object.value)}'` : 'a value';
        throw new ChatTemplateError(`${what} is undefined`);
      }
      // the base evaluates the object again; hand it the value just computed
      this.pending = { node: node.object, value: object };
    }
    return super.evaluate(node, env);
  }
}

function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** transformers' strftime_now global (a few templates print today's date), for the common directives. */
function strftimeNow(format: string): string {
  const d = new Date();
  const two = (n: number): string => String(n).padStart(2, '0');
  const parts: Record<string, string> = {
    d: two(d.getDate()), m: two(d.getMonth() + 1), Y: String(d.getFullYear()), y: two(d.getFullYear() % 100),
    H: two(d.getHours()), M: two(d.getMinutes()), S: two(d.getSeconds()),
    b: MONTHS[d.getMonth()]!.slice(0, 3), B: MONTHS[d.getMonth()]!, a: DAYS[d.getDay()]!.slice(0, 3), A: DAYS[d.getDay()]!, '%': '%',
  };
  return format.replace(/%(.)/g, (m, c: string) => parts[c] ?? m);
}

/** Renders conversations with one selected template. */
export class ChatTemplateRenderer {
  private readonly program: unknown;
  private warnedSystem = false;

  constructor(
    readonly selected: SelectedChatTemplate,
    private readonly model: string,
    private readonly onWarning: (m: string) => void = () => {},
  ) {
    try {
      this.program = (new Template(selected.template) as unknown as { parsed: unknown }).parsed;
    } catch (e) {
      throw this.failure(`does not parse: ${(e as Error).message}`);
    }
  }

  private failure(what: string): YardstickError {
    return new YardstickError('template', `model ${this.model}: ${describeChatTemplate(this.selected)} ${what}`, {
      hint: "fix the template in the model's tokenizer_config.json (or chat_template.jinja), or drop --apply-chat-template",
    });
  }

  private renderOnce(messages: ChatTurn[], addGenerationPrompt: boolean): string {
    const env = new JinjaEnvironment();
    for (const [name, value] of [['true', true], ['false', false], ['none', null], ['True', true], ['False', false], ['None', null]] as const) env.set(name, value);
    env.set('range', range);
    env.set('strftime_now', strftimeNow);
    env.set('raise_exception', (message: unknown) => {
      throw new ChatTemplateError(String(message));
    });
    for (const [name, value] of Object.entries(this.selected.specialTokens)) env.set(name, value);
    env.set('messages', messages.map((m) => ({ role: m.role, content: m.content })));
    env.set('tools', null);
    env.set('documents', null);
    env.set('add_generation_prompt', addGenerationPrompt);
    return String(new TransformersInterpreter(env).run(this.program).value);
  }

  /**
   * HFLM.apply_chat_template: on a template error it warns and renders again without the system
   * message (e.g. templates that refuse a system role); a second failure is the error.
   */
  render(messages: ChatTurn[], addGenerationPrompt = true): string {
    try {
      return this.renderOnce(messages, addGenerationPrompt);
    } catch (first) {
      const withoutSystem = messages.filter((m) => m.role !== 'system');
      if (withoutSystem.length < messages.length) {
        try {
          const text = this.renderOnce(withoutSystem, addGenerationPrompt);
          if (!this.warnedSystem) {
            this.warnedSystem = true;
            this.onWarning(`model ${this.model}: ${describeChatTemplate(this.selected)} failed with a system message (${(first as Error).message}); rendered without it, as lm-eval does (the description and --system-instruction are dropped)`);
          }
          return text;
        } catch {
          // the first error says what went wrong with the conversation as given
        }
      }
      throw this.failure(`failed to render: ${(first as Error).message}`);
    }
  }
}
