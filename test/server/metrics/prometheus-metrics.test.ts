import { register as globalRegistry } from 'prom-client';
import { PrometheusMetrics } from '../../../server/metrics/prometheus-metrics';
import { sample } from '../../support/metrics-text';

describe('PrometheusMetrics', () => {
  it('counts each fact under its labels, prefixed mp_scan_login_', async () => {
    const metrics = new PrometheusMetrics();
    metrics.login('confirmed');
    metrics.login('confirmed');
    metrics.login('failed');
    metrics.wechatCall('jscode2session', '0', 0.02);
    metrics.wechatCall('jscode2session', '40029', 0.03);
    metrics.limitHit('tickets-per-ip');
    metrics.storeCall('redis', 'script', 0.001);

    const text = await metrics.text();
    expect(sample(text, 'mp_scan_login_logins_total', { outcome: 'confirmed' })).toBe(2);
    expect(sample(text, 'mp_scan_login_logins_total', { outcome: 'failed' })).toBe(1);
    expect(sample(text, 'mp_scan_login_wechat_calls_total', { api: 'jscode2session', errcode: '40029' })).toBe(1);
    expect(sample(text, 'mp_scan_login_wechat_call_seconds_count', { api: 'jscode2session' })).toBe(2);
    expect(sample(text, 'mp_scan_login_limits_hit_total', { limit: 'tickets-per-ip' })).toBe(1);
    expect(sample(text, 'mp_scan_login_store_seconds_bucket', { store: 'redis', operation: 'script', le: '0.001' })).toBe(1);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('reads waiting_sockets when scraped, from the source it was given', async () => {
    const metrics = new PrometheusMetrics();
    let waiting = 3;
    metrics.countWaitingSockets(() => waiting);
    expect(sample(await metrics.text(), 'mp_scan_login_waiting_sockets')).toBe(3);
    waiting = 1;
    expect(sample(await metrics.text(), 'mp_scan_login_waiting_sockets')).toBe(1);
  });

  it('keeps every instance apart and out of prom-client\'s global registry, process metrics shared', async () => {
    const a = new PrometheusMetrics();
    const b = new PrometheusMetrics();
    a.login('cancelled');
    expect(sample(await b.text(), 'mp_scan_login_logins_total', { outcome: 'cancelled' })).toBe(0);
    expect(await globalRegistry.metrics()).not.toContain('mp_scan_login_');
    for (const text of [await a.text(), await b.text()]) {
      expect(sample(text, 'mp_scan_login_process_start_time_seconds')).toBeGreaterThan(0);
      expect(text).toContain('mp_scan_login_nodejs_eventloop_lag_seconds');
    }
  });
});
