// Jinja rendering with lm-eval's environment: StrictUndefined, keep_trailing_newline, no block
// trimming, Python string methods (provided by @huggingface/jinja).
import { Environment, Interpreter, parse, tokenize } from '@huggingface/jinja';
import { isPySpace } from './pystr.js';

// The package's .d.ts re-exports these from an extension-less path that NodeNext cannot
// resolve, so we describe the few members we use.
interface JinjaEnvironment {
  set(name: string, value: unknown): unknown;
  resolve(name: string): { variables: Map<string, unknown> };
  lookupVariable(name: string): unknown;
}
const BaseEnvironment = Environment as unknown as new (parent?: JinjaEnvironment) => JinjaEnvironment;
const JinjaInterpreter = Interpreter as unknown as new (env: JinjaEnvironment) => {
  run(program: unknown): { value: unknown };
};

// The library's str.strip/lstrip/rstrip are JS trim(): a different whitespace set (spec §2.2: JS strips
// U+FEFF, Python strips U+001C-001F and U+0085) and no `chars` argument. MMLU's `question.strip()` must
// strip exactly what Python strips, so the string type's builtins are given Python semantics here.
// The class is not exported; its prototype is reached through a value the environment converts.
interface RuntimeValueLike {
  value: unknown;
  type?: string;
}
type Builtin = (args: RuntimeValueLike[]) => RuntimeValueLike;

function pythonStrip(text: string, mode: 'strip' | 'lstrip' | 'rstrip', chars: string | null): string {
  const cps = [...text];
  const drop = chars === null ? isPySpace : (ch: string): boolean => chars.includes(ch);
  let start = 0;
  let end = cps.length;
  if (mode !== 'rstrip') while (start < end && drop(cps[start]!)) start++;
  if (mode !== 'lstrip') while (end > start && drop(cps[end - 1]!)) end--;
  return cps.slice(start, end).join('');
}

function installPythonStrip(): void {
  const probeEnv = new BaseEnvironment();
  probeEnv.set('s', '');
  const sample = probeEnv.lookupVariable('s') as RuntimeValueLike & { builtins: Map<string, RuntimeValueLike> };
  const proto = Object.getPrototypeOf(sample) as object;
  const original = Object.getOwnPropertyDescriptor(proto, 'builtins');
  if (!original?.get || (original.get as { pythonStrip?: boolean }).pythonStrip) return;
  const StringValue = sample.constructor as new (v: string) => RuntimeValueLike;
  const FunctionValue = sample.builtins.get('strip')!.constructor as new (fn: Builtin) => RuntimeValueLike;
  const patched = new WeakSet<Map<string, RuntimeValueLike>>();
  const getter = function (this: RuntimeValueLike): Map<string, RuntimeValueLike> {
    const map = original.get!.call(this) as Map<string, RuntimeValueLike>;
    if (!patched.has(map)) {
      for (const mode of ['strip', 'lstrip', 'rstrip'] as const) {
        map.set(
          mode,
          new FunctionValue((args) => {
            const arg = args[0];
            if (arg !== undefined && arg.type !== 'NullValue' && typeof arg.value !== 'string') {
              throw new Error(`${mode} arg must be None or str`);
            }
            const chars = arg === undefined || arg.type === 'NullValue' ? null : (arg.value as string);
            return new StringValue(pythonStrip(String(this.value), mode, chars));
          }),
        );
      }
      patched.add(map);
    }
    return map;
  };
  (getter as { pythonStrip?: boolean }).pythonStrip = true;
  Object.defineProperty(proto, 'builtins', { ...original, get: getter });
}
installPythonStrip();

// Inside a list or dict that `~` or `+` turns into text, the library stringifies each element with
// String(value): a None becomes "undefined" (or "null") in the prompt. Python's str() says "None",
// and a strict template must not print an undefined value at all.
function installNoneStrings(): void {
  const probeEnv = new BaseEnvironment();
  probeEnv.set('n', null);
  const none = probeEnv.lookupVariable('n') as object;
  const undef = probeEnv.lookupVariable('surely_not_set') as object;
  const noneProto = Object.getPrototypeOf(none) as { toString(): string };
  const undefProto = Object.getPrototypeOf(undef) as { toString(): string };
  if (noneProto !== undefProto) {
    Object.defineProperty(noneProto, 'toString', { value: () => 'None', configurable: true, writable: true });
  }
  Object.defineProperty(undefProto, 'toString', {
    value: () => {
      throw new MissingVariableError('(an undefined value)');
    },
    configurable: true,
    writable: true,
  });
}

/** A template referred to a variable the document does not have. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`undefined variable '${variable}'`);
  }
}

installNoneStrings();

// @huggingface/jinja renders undefined variables as "" (Jinja's default Undefined); lm-eval uses
// StrictUndefined, so a document lacking a field must fail instead of rendering a wrong prompt.
class StrictEnvironment extends BaseEnvironment {
  override lookupVariable(name: string): unknown {
    let found: unknown;
    try {
      found = this.resolve(name).variables.get(name);
    } catch {
      throw new MissingVariableError(name);
    }
    if (found === undefined) throw new MissingVariableError(name);
    return found;
  }
}

// The library drops one trailing newline of the source (Jinja's default); lm-eval sets
// keep_trailing_newline=True, so we protect it with a sentinel that cannot occur in templates.
const SENTINEL = '\u0000';

type Program = ReturnType<typeof parse>;
const cache = new Map<string, Program>();

function compile(source: string): Program {
  let program = cache.get(source);
  if (!program) {
    const protectedSource = source.endsWith('\n') ? source + SENTINEL : source;
    program = parse(tokenize(protectedSource, { lstrip_blocks: false, trim_blocks: false }));
    cache.set(source, program);
  }
  return program;
}

export function renderTemplate(source: string, variables: Record<string, unknown>): string {
  const program = compile(source);
  const env = new StrictEnvironment();
  installGlobals(env);
  for (const [k, v] of Object.entries(variables)) env.set(k, v);
  const result = new JinjaInterpreter(env).run(program);
  const text = String(result.value);
  return source.endsWith('\n') && text.endsWith(SENTINEL) ? text.slice(0, -SENTINEL.length) : text;
}

// The globals Template.render installs (the package does not export its installer).
function installGlobals(env: JinjaEnvironment): void {
  for (const [name, value] of [
    ['true', true], ['false', false], ['none', null],
    ['True', true], ['False', false], ['None', null],
  ] as const) env.set(name, value);
  env.set('range', (start: number, stop?: number, step = 1) => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    const out: number[] = [];
    for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
    return out;
  });
  env.set('raise_exception', (message: string) => {
    throw new Error(message);
  });
}

/** True when `value` looks like a Jinja template rather than a plain feature name. */
export function isTemplate(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}
