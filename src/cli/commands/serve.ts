// `yardstick serve`: an OpenAI-compatible completions server in front of a local engine.
import { YardstickError } from '../../errors.js';
import { openEngine, parseModelSpec } from '../../engines/registry.js';
import { isLoopback, startServer } from '../../serve/server.js';
import type { RegisterCommand } from './index.js';

function count(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new YardstickError('usage', `${name} must be an integer >= ${min}, got '${v}'`);
    return n;
  };
}

export const registerServe: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('serve a local model over an OpenAI-compatible API (/v1/models, /v1/completions with echo and logprobs)')
    .requiredOption('--model <spec>', 'model: onnx:DIR, or an engine name with --model-args')
    .option('--model-args <args>', 'engine arguments, e.g. pretrained=DIR,threads=4')
    .option('--port <n>', 'port (0 picks a free one)', count('--port', 0), 8000)
    .option('--host <addr>', 'address to bind; anything but loopback exposes the model to the network', '127.0.0.1')
    .option('--api-key <key>', 'require Authorization: Bearer <key> (default: $YARDSTICK_SERVE_API_KEY, if set)')
    .option('--served-model-name <name>', 'the model name clients send (default: the --model path)')
    .option('--max-length <n>', "override the model's max length (the served max_model_len)", count('--max-length', 1))
    .option('--batch-size <n>', 'engine inputs per forward pass when requests are batched together', count('--batch-size', 1), 32)
    .option('--max-body-bytes <n>', 'largest request body accepted', count('--max-body-bytes', 1), 16 << 20)
    .option('--max-logprobs <n>', 'largest logprobs a request may ask for', count('--max-logprobs', 0), 20)
    .action(async (opts) => {
      const spec = parseModelSpec(opts.model, opts.modelArgs);
      const engine = await openEngine(spec, { maxLength: opts.maxLength });
      const apiKey: string | undefined = opts.apiKey ?? (process.env.YARDSTICK_SERVE_API_KEY || undefined);
      const modelName: string = opts.servedModelName ?? spec.args.pretrained ?? engine.info.name;
      let server;
      try {
        server = await startServer({
          engine,
          modelName,
          host: opts.host,
          port: opts.port,
          apiKey,
          maxBodyBytes: opts.maxBodyBytes,
          maxLogprobs: opts.maxLogprobs,
          maxBatch: opts.batchSize,
          onError: (line) => process.stderr.write(`yardstick serve: ${line}\n`),
        });
      } catch (e) {
        await engine.close();
        const err = e as NodeJS.ErrnoException;
        throw new YardstickError('usage', `cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`, {
          hint: err.code === 'EADDRINUSE' ? 'choose another --port (0 picks a free one)' : 'check --host names an address of this machine',
        });
      }
      if (!isLoopback(server.host)) {
        process.stderr.write(`yardstick serve: warning: listening on ${server.host}, reachable from other machines${apiKey ? '' : ' without an API key (add --api-key)'}\n`);
      }
      process.stdout.write(`serving ${modelName} at ${server.url}\n`);
      const running = server;
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void running.close().then(() => engine.close()).then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
};
