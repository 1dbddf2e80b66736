import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LoginOutcome, Metrics, TimedStore } from './metrics';
import { METRIC_PREFIX, processMetrics } from './process-metrics';

/** What a host mounts at its own /metrics: `scanLogin.metrics`. */
export interface MetricsExposition {
  /** This instance's registry (never prom-client's global one); merge it into yours if you like. */
  readonly registry: Registry;
  /** The Content-Type of `text()`: Prometheus' text format. */
  readonly contentType: string;
  text(): Promise<string>;
}

/**
 * The library's metrics in a registry of its own, prefixed `mp_scan_login_`, with the
 * process metrics beside them. Each instance counts what it did itself, so a scraper that
 * sums the instances counts every login once.
 */
export class PrometheusMetrics implements Metrics, MetricsExposition {
  readonly registry = new Registry();
  private waiting: () => number = () => 0;
  private readonly logins: Counter<'outcome'>;
  private readonly wechatCalls: Counter<'api' | 'errcode'>;
  private readonly wechatSeconds: Histogram<'api'>;
  private readonly limitsHit: Counter<'limit'>;
  private readonly storeSeconds: Histogram<'store' | 'operation'>;

  constructor() {
    const registers = [this.registry];
    this.logins = new Counter({
      name: `${METRIC_PREFIX}logins_total`,
      help: 'Login attempts by how they ended on this instance: confirmed, cancelled, expired, or failed (a confirm whose WeChat exchange or storing failed; the ticket stays open).',
      labelNames: ['outcome'],
      registers,
    });
    this.wechatCalls = new Counter({
      name: `${METRIC_PREFIX}wechat_calls_total`,
      help: 'HTTP calls to WeChat, retries included, by api and errcode: 0, WeChat\'s errcode, timeout, network, http_5xx (any non-200 class) or bad_response.',
      labelNames: ['api', 'errcode'],
      registers,
    });
    this.wechatSeconds = new Histogram({
      name: `${METRIC_PREFIX}wechat_call_seconds`,
      help: 'How long each HTTP call to WeChat took, by api.',
      labelNames: ['api'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.limitsHit = new Counter({
      name: `${METRIC_PREFIX}limits_hit_total`,
      help: 'Requests refused by a limit (429 RATE_LIMITED, 503 WECHAT_QUOTA_PROTECTED, ws upgrades refused with 429), by limit.',
      labelNames: ['limit'],
      registers,
    });
    this.storeSeconds = new Histogram({
      name: `${METRIC_PREFIX}store_seconds`,
      help: 'How long a call to a shared store took, failures included: redis (command, script) and postgres (the statement\'s verb).',
      labelNames: ['store', 'operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const waiting = () => this.waiting();
    new Gauge({
      name: `${METRIC_PREFIX}waiting_sockets`,
      help: 'Pages whose ws is subscribed to a ticket on this instance.',
      registers,
      // Read when scraped: a count kept by inc/dec would drift with every missed close.
      collect() {
        this.set(waiting());
      },
    });
    for (const metric of processMetrics()) this.registry.registerMetric(metric);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Where waiting_sockets is read from: the push hub, made after the stores that report here. */
  countWaitingSockets(count: () => number): void {
    this.waiting = count;
  }

  login(outcome: LoginOutcome): void {
    this.logins.inc({ outcome });
  }

  wechatCall(api: string, result: string, seconds: number): void {
    this.wechatCalls.inc({ api, errcode: result });
    this.wechatSeconds.observe({ api }, seconds);
  }

  limitHit(limit: string): void {
    this.limitsHit.inc({ limit });
  }

  storeCall(store: TimedStore, operation: string, seconds: number): void {
    this.storeSeconds.observe({ store, operation }, seconds);
  }
}
