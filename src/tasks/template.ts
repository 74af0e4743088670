// Jinja rendering with lm-eval's environment: StrictUndefined, keep_trailing_newline, no block
// trimming, Python string methods (provided by @huggingface/jinja).
import { Environment, Interpreter, parse, tokenize } from '@huggingface/jinja';

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

/** A template referred to a variable the document does not have. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`undefined variable '${variable}'`);
  }
}

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
