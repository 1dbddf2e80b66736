import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

export const METRIC_PREFIX = 'mp_scan_login_';

let shared: Metric[] | undefined;

/**
 * prom-client's default process metrics (CPU, memory, event-loop lag, GC, handles), made
 * once per process and registered into every instance's registry. They describe the
 * process, not an instance, and each collection starts a GC observer and an event-loop
 * monitor that are never stopped: one set per process, not one per createScanLogin.
 * Prefixed, so a host that collects its own default metrics sees no clash.
 */
export function processMetrics(): Metric[] {
  if (!shared) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
    // Typed as plain descriptions, these are the metric objects themselves.
    shared = registry.getMetricsAsArray() as unknown as Metric[];
  }
  return shared;
}
