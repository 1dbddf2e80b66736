import { LOGIN_STEPS } from './login-flow';
import type { BenchResult } from './run-bench';
import type { Summary } from './summary';
import { judgeTargets } from './targets';
import type { WaitingResult } from './waiting-capacity';

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '–');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const thousands = (value: number) => value.toLocaleString('en');

function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

function waitingSection({ ours, floor }: { ours: WaitingResult; floor: WaitingResult }): string {
  const column = (w: WaitingResult) => [
    `${w.secondsToReach.toFixed(1)} s (${thousands(Math.round(w.browsers / w.secondsToReach))}/s)`,
    kib(w.perBrowser.rss),
    kib(w.perBrowser.heapUsed),
    kib(w.perBrowser.external),
    `${mib(w.server.idle.rss)} → ${mib(w.server.waiting.rss)}`,
    `${ms(w.loopDelay.p50)} / ${ms(w.loopDelay.p99)} / ${ms(w.loopDelay.max)}`,
  ];
  const labels = [
    'time to reach N',
    'RSS per page (after GC, minus idle)',
    'JS heap per page',
    'external (Buffers) per page',
    'server RSS idle → waiting',
    'event-loop delay p50 / p99 / max, ms',
  ];
  const a = column(ours);
  const b = column(floor);
  return [
    `### Waiting pages: ${thousands(ours.browsers)} at once`,
    '',
    table(['', 'ours', 'bare ws server'], labels.map((label, i) => [label, a[i], b[i]])),
  ].join('\n');
}

function stepsRow(name: string, s: Summary): string[] {
  return [name, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];
}

function loginsSection(logins: NonNullable<BenchResult['logins']>): string {
  const errors = Object.entries(logins.errorsByStep).map(([step, e]) => `- ${e.count} failed at ${step}, first: ${e.first}`);
  return [
    `### Full logins: ${logins.concurrency} virtual users, ${logins.seconds.toFixed(1)} s`,
    '',
    `**${logins.loginsPerSecond.toFixed(0)} logins/s** (${thousands(logins.logins)} logins, ${logins.errors} errors); ` +
      `server CPU ${logins.server.cpuPercent.toFixed(0)} % (load generator ${logins.loadGenerator.cpuPercent.toFixed(0)} %), ` +
      `server event-loop delay p99 ${ms(logins.server.loopDelay.p99)} ms.`,
    ...(errors.length ? ['', ...errors] : []),
    '',
    table(
      ['step, ms', 'p50', 'p95', 'p99', 'max'],
      [...LOGIN_STEPS.map((step) => stepsRow(step, logins.steps[step])), stepsRow('**end to end**', logins.steps.total)],
    ),
  ].join('\n');
}

function triple(s: Summary): string {
  return `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
}

function pushSection(levels: NonNullable<BenchResult['push']>): string {
  const samples = levels[0]?.ours.scan.count ?? 0;
  return [
    `### Push latency, ms (p50 / p95 / p99 of ${samples} each)`,
    '',
    table(
      ['other pages waiting', '(a) scan, ours', '(b) confirm, ours', 'scan, floor', 'scan, naive', '(a) ours ÷ floor, p50 / p99'],
      levels.map((level) => [
        thousands(level.waiting),
        triple(level.ours.scan),
        triple(level.ours.confirm),
        triple(level.floor.scan),
        triple(level.naive.scan),
        `${level.oursOverFloor.p50.toFixed(2)} / ${level.oursOverFloor.p99.toFixed(2)}`,
      ]),
    ),
  ].join('\n');
}

function targetsSection(result: BenchResult): string {
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : '**missed**');
  return ['### Targets', '', table(['target', 'this run', ''], judgeTargets(result).map((t) => [t.target, t.measured, verdict(t.met)]))].join(
    '\n',
  );
}

/** The run as Markdown: the same tables BENCHMARKS.md shows. */
export function renderReport(result: BenchResult): string {
  const { machine } = result;
  const sections = [
    `## Run of ${result.startedAt}`,
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ` +
      `load average ${result.loadAverage.before.toFixed(2)} before, ${result.loadAverage.after.toFixed(2)} after`,
  ];
  if (result.waiting) sections.push('', waitingSection(result.waiting));
  if (result.logins) sections.push('', loginsSection(result.logins));
  if (result.push) sections.push('', pushSection(result.push));
  sections.push('', targetsSection(result));
  return sections.join('\n');
}
