// One model's rows in the response cache: what the scheduler looks up before sending requests to
// the engine, and writes back one transaction per returned batch.
import type Database from 'better-sqlite3';
import { YardstickError } from '../../errors.js';
import type { GenerateRequest, GenerateResult, ScoreRequest, ScoreResult } from '../types.js';
import { GENERATE, SCORE, decodeGeneration, decodeScore, encodeScore, encodeTokens, generateKey, scoreKey } from './keys.js';
import { ELSEWHERE, cacheError } from './errors.js';

export interface CacheStatements {
  get: Database.Statement;
  put: Database.Statement;
}

/** How a run's requests were answered. */
export interface CacheCounts {
  fromCache: number;
  computed: number;
}

interface Row {
  kind: number;
  is_greedy: number | null;
  numbers: Buffer;
  text: string | null;
}

export class ModelCache {
  /** requests answered from the file, and requests the engine computed, over this object's life */
  readonly counts: CacheCounts = { fromCache: 0, computed: 0 };

  constructor(
    readonly path: string,
    private readonly db: Database.Database,
    private readonly statements: CacheStatements,
    private readonly modelId: number,
  ) {}

  /** The cached result of each request, or undefined where the engine must compute it. */
  getScores(requests: readonly ScoreRequest[]): Array<ScoreResult | undefined> {
    return this.lookup(requests, scoreKey, (row) => (row.kind === SCORE && row.is_greedy !== null ? decodeScore(row.numbers, row.is_greedy) : undefined));
  }

  /** `samples[i]` numbers repeated sampling requests (see generateKey); absent means 0 for all. */
  getGenerations(requests: readonly GenerateRequest[], samples?: readonly number[]): Array<GenerateResult | undefined> {
    const keyed = requests.map((request, i) => ({ request, sample: samples?.[i] ?? 0 }));
    return this.lookup(keyed, (k) => generateKey(k.request, k.sample), (row) => (row.kind === GENERATE ? decodeGeneration(row.numbers, row.text) : undefined));
  }

  /** Stores one batch's results in one transaction. */
  putScores(entries: ReadonlyArray<{ request: ScoreRequest; result: ScoreResult }>): void {
    const now = Date.now();
    this.write(() => {
      for (const { request, result } of entries) {
        this.statements.put.run(this.modelId, scoreKey(request), SCORE, result.isGreedy ? 1 : 0, encodeScore(result), null, now);
      }
    });
  }

  putGenerations(entries: ReadonlyArray<{ request: GenerateRequest; result: GenerateResult; sample?: number }>): void {
    const now = Date.now();
    this.write(() => {
      for (const { request, result, sample } of entries) {
        this.statements.put.run(this.modelId, generateKey(request, sample), GENERATE, null, encodeTokens(result), result.text ?? null, now);
      }
    });
  }

  private lookup<Q, R>(requests: readonly Q[], key: (q: Q) => Buffer, decode: (row: Row) => R | undefined): Array<R | undefined> {
    try {
      // one read transaction: a consistent snapshot, and one lock instead of one per request
      return this.db.transaction(() =>
        requests.map((q) => {
          const row = this.statements.get.get(this.modelId, key(q)) as Row | undefined;
          if (row === undefined) return undefined;
          const value = decode(row);
          if (value === undefined) {
            throw new YardstickError('cache', `response cache ${this.path} is damaged (a stored response has the wrong shape)`, {
              hint: `delete it (with its -wal and -shm files) to start an empty cache, ${ELSEWHERE}`,
            });
          }
          return value;
        }),
      )();
    } catch (e) {
      throw cacheError(e, this.path);
    }
  }

  private write(fill: () => void): void {
    try {
      this.db.transaction(fill).immediate();
    } catch (e) {
      throw cacheError(e, this.path);
    }
  }
}
