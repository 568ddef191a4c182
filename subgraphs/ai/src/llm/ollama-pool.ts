import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@calos/kernel';
import { Ollama, type ChatResponse } from 'ollama';
import { LlmProviderError, LlmUnavailableError, type ChatRequest, type ChatResult } from './types.js';

export interface OllamaPoolOptions {
  hosts: string[];
  /** Per attempt on one host. */
  requestTimeoutMs?: number;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  /** How long a host that failed a chat is passed over. */
  cooldownMs?: number;
  logger: Logger;
}

export interface OllamaHostStatus {
  host: string;
  healthy: boolean;
  models: string[];
  outstanding: number;
  served: number;
  failures: number;
  coolingDownUntil: Date | null;
}

export interface OllamaModelStatus {
  model: string;
  /** Healthy hosts that list the model. */
  hosts: number;
  available: boolean;
}

interface HostState {
  host: string;
  client: Ollama;
  healthy: boolean;
  /** Last listed models; kept while the host is down so `models()` still shows them. */
  models: string[];
  outstanding: number;
  served: number;
  failures: number;
  coolingDownUntil: number | null;
}

/** Why one attempt on one host failed. */
type AttemptFailure =
  | { kind: 'failover'; reason: string }
  | { kind: 'model-missing'; reason: string }
  | { kind: 'fatal'; error: LlmProviderError };

/**
 * The client's non-streaming calls accept no signal, so a per-host `fetch` wrapper picks
 * up the signal of the call in progress from here.
 */
const callSignal = new AsyncLocalStorage<AbortSignal>();

const signalledFetch: typeof fetch = (input, init) => {
  const signal = callSignal.getStore();
  return fetch(input, signal ? { ...init, signal } : init);
};

/** Ollama resolves `llama3.2` to `llama3.2:latest`; compare names the same way. */
function modelKey(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

/**
 * Many Ollama hosts, health-checked, load-balanced by least outstanding requests among hosts
 * that have the model, failing over to another host on error or timeout.
 */
export class OllamaPool {
  private readonly hosts: HostState[];
  private readonly requestTimeoutMs: number;
  private readonly healthIntervalMs: number;
  private readonly healthTimeoutMs: number;
  private readonly cooldownMs: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private checked = false;
  /** Rotates the scan start so exact ties do not always land on the first host. */
  private rotation = 0;

  constructor(options: OllamaPoolOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.healthIntervalMs = options.healthIntervalMs ?? 15_000;
    this.healthTimeoutMs = options.healthTimeoutMs ?? 2_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.log = options.logger;
    this.hosts = options.hosts.map((host) => ({
      host,
      client: new Ollama({ host, fetch: signalledFetch }),
      healthy: false,
      models: [],
      outstanding: 0,
      served: 0,
      failures: 0,
      coolingDownUntil: null,
    }));
  }

  async start(): Promise<void> {
    if (this.hosts.length === 0) {
      this.log.info('no Ollama hosts configured; local models are unavailable');
      return;
    }
    await this.checkHealth();
    if (this.timer) return;
    this.timer = setInterval(() => void this.checkHealth(), this.healthIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One health round on every host; concurrent callers share the round in progress. Never rejects. */
  checkHealth(): Promise<void> {
    this.round ??= Promise.all(this.hosts.map((host) => this.checkHost(host))).then(() => {
      this.checked = true;
      this.round = undefined;
    });
    return this.round;
  }

  private async checkHost(state: HostState): Promise<void> {
    try {
      const list = await callSignal.run(AbortSignal.timeout(this.healthTimeoutMs), () => state.client.list());
      state.models = list.models.map((m) => m.name);
      if (!state.healthy) this.log.info({ host: state.host, models: state.models }, 'ollama host healthy');
      state.healthy = true;
      if (state.coolingDownUntil !== null && state.coolingDownUntil <= Date.now()) {
        state.coolingDownUntil = null;
        this.log.info({ host: state.host }, 'ollama host recovered after cooldown');
      }
    } catch (error) {
      // Warn on the transition only; a host that stays down is not news every round.
      if (state.healthy || !this.checked) {
        this.log.warn({ host: state.host, reason: describeError(error) }, 'ollama host failed its health check');
      }
      state.healthy = false;
    }
  }

  hasModel(model: string): boolean {
    const key = modelKey(model);
    return this.hosts.some((h) => h.healthy && h.models.some((m) => modelKey(m) === key));
  }

  /** Every model any host has listed; `hosts` counts the healthy hosts that list it now. */
  models(): OllamaModelStatus[] {
    const byKey = new Map<string, OllamaModelStatus>();
    for (const state of this.hosts) {
      for (const name of state.models) {
        const key = modelKey(name);
        const entry = byKey.get(key) ?? { model: name, hosts: 0, available: false };
        if (state.healthy) {
          entry.hosts++;
          entry.available = true;
        }
        byKey.set(key, entry);
      }
    }
    return [...byKey.values()].sort((a, b) => a.model.localeCompare(b.model));
  }

  status(): OllamaHostStatus[] {
    return this.hosts.map((h) => ({
      host: h.host,
      healthy: h.healthy,
      models: [...h.models],
      outstanding: h.outstanding,
      served: h.served,
      failures: h.failures,
      coolingDownUntil: h.coolingDownUntil !== null && h.coolingDownUntil > Date.now() ? new Date(h.coolingDownUntil) : null,
    }));
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const { model } = request;
    if (this.hosts.length === 0) throw new LlmUnavailableError(`Model "${model}" is unavailable: no Ollama hosts are configured`);
    if (!this.checked) await this.checkHealth();
    const started = performance.now();
    const tried = new Set<HostState>();
    const failures: string[] = [];
    for (;;) {
      request.signal?.throwIfAborted();
      const state = this.pick(model, tried);
      if (!state) break;
      tried.add(state);
      const timeout = AbortSignal.timeout(this.requestTimeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      state.outstanding++;
      let response: ChatResponse;
      try {
        response = await callSignal.run(signal, () =>
          state.client.chat({
            model,
            messages: request.messages,
            stream: false,
            format: request.jsonSchema,
            options: { num_predict: request.maxTokens, temperature: request.temperature },
          }),
        );
        if (typeof response.message?.content !== 'string') throw new Error('response has no message content');
      } catch (error) {
        if (request.signal?.aborted) throw error;
        const failure = this.classify(error, timeout.aborted);
        if (failure.kind === 'fatal') throw failure.error;
        failures.push(failure.reason);
        if (failure.kind === 'model-missing') {
          state.models = state.models.filter((m) => modelKey(m) !== modelKey(model));
          this.log.warn({ host: state.host, model }, 'ollama host no longer has the model; trying another host');
        } else {
          state.failures++;
          state.coolingDownUntil = Date.now() + this.cooldownMs;
          this.log.warn({ host: state.host, model, reason: failure.reason }, 'ollama host failed; failing over');
        }
        continue;
      } finally {
        state.outstanding--;
      }
      state.served++;
      return {
        content: response.message.content,
        model: response.model || model,
        provider: 'ollama',
        host: state.host,
        promptTokens: response.prompt_eval_count ?? 0,
        completionTokens: response.eval_count ?? 0,
        latencyMs: Math.round(performance.now() - started),
      };
    }
    if (failures.length === 0) {
      const healthy = this.hosts.filter((h) => h.healthy).length;
      throw new LlmUnavailableError(
        `Model "${model}" is unavailable: no healthy Ollama host has it (${healthy} of ${this.hosts.length} hosts healthy)`,
      );
    }
    throw new LlmUnavailableError(
      `Model "${model}" is unavailable: ${failures.length === 1 ? 'the only Ollama host with it' : `all ${failures.length} Ollama hosts with it`} failed (${summarize(failures)})`,
      failures.length,
    );
  }

  /**
   * Least outstanding among untried healthy hosts that list the model and are not cooling
   * down (ties: fewest served, then rotation). If all are cooling down, the one that ends first.
   */
  private pick(model: string, tried: Set<HostState>): HostState | undefined {
    const key = modelKey(model);
    const now = Date.now();
    const n = this.hosts.length;
    const offset = this.rotation++ % n;
    let best: HostState | undefined;
    let cooling: HostState | undefined;
    for (let i = 0; i < n; i++) {
      const state = this.hosts[(offset + i) % n]!;
      if (tried.has(state) || !state.healthy || !state.models.some((m) => modelKey(m) === key)) continue;
      if (state.coolingDownUntil !== null && state.coolingDownUntil > now) {
        if (!cooling || state.coolingDownUntil < cooling.coolingDownUntil!) cooling = state;
        continue;
      }
      if (
        !best ||
        state.outstanding < best.outstanding ||
        (state.outstanding === best.outstanding && state.served < best.served)
      ) {
        best = state;
      }
    }
    return best ?? cooling;
  }

  private classify(error: unknown, timedOut: boolean): AttemptFailure {
    if (timedOut) return { kind: 'failover', reason: `timed out after ${this.requestTimeoutMs} ms` };
    const status = httpStatus(error);
    if (status === undefined) return { kind: 'failover', reason: describeError(error) };
    const message = error instanceof Error ? error.message : String(error);
    if (status >= 500) return { kind: 'failover', reason: `HTTP ${status}: ${message.slice(0, 200)}` };
    if (status === 404 && /not found/i.test(message)) return { kind: 'model-missing', reason: 'model not found on host' };
    return { kind: 'fatal', error: new LlmProviderError(`Ollama rejected the request (HTTP ${status}): ${message.slice(0, 200)}`, 'ollama', status, { cause: error }) };
  }
}

/** The HTTP status of the client's ResponseError (not exported by the package). */
function httpStatus(error: unknown): number | undefined {
  if (error instanceof Error && error.name === 'ResponseError' && 'status_code' in error && typeof error.status_code === 'number') {
    return error.status_code;
  }
  return undefined;
}

/** A short reason for logs and messages: the network error code when fetch hides it in `cause`. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code) return `${error.message} (${code})`;
  if (typeof cause?.message === 'string') return `${error.message} (${cause.message})`;
  return error.message;
}

/** "2× timed out after 100 ms; connection refused" */
function summarize(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, count]) => (count > 1 ? `${count}× ${reason}` : reason)).join('; ');
}
