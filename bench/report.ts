import { LOGIN_STEPS } from './login-flow';
import type { ProcessLoad } from './login-load';
import type { BenchResult } from './run-bench';
import { instanceName, type ScaleResult } from './scale-out';
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

function processLoad(p: ProcessLoad): string {
  const loop = p.loopDelay ? `, event-loop delay p99 ${ms(p.loopDelay.p99)} ms` : '';
  return `${p.name} ${p.cpuPercent.toFixed(0)} % (${p.cpuMsPerLogin.toFixed(2)} ms/login${loop})`;
}

function loginsSection(logins: NonNullable<BenchResult['logins']>): string {
  const errors = Object.entries(logins.errorsByStep).map(([step, e]) => `- ${e.count} failed at ${step}, first: ${e.first}`);
  return [
    `### Full logins: ${logins.concurrency} virtual users, ${logins.seconds.toFixed(1)} s`,
    '',
    `**${logins.loginsPerSecond.toFixed(0)} logins/s** (${thousands(logins.logins)} logins, ${logins.errors} errors); CPU ` +
      logins.processes.map(processLoad).join(', ') +
      '.',
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

const REDIS_CALLS = 'redis:calls:';

function scaleSection(scale: ScaleResult): string {
  const runs = [scale.floor, scale.one, scale.all];
  const names = [...new Set(runs.flatMap((run) => run.processes.map((p) => p.name)))];
  const cpuRow = (name: string) => [
    `CPU ms per login: ${name}`,
    ...runs.map((run) => {
      const p = run.processes.find((entry) => entry.name === name);
      return p ? `${p.cpuMsPerLogin.toFixed(2)} (${p.cpuPercent.toFixed(0)} %)` : '–';
    }),
  ];
  const counter = (name: string, digits: number) => ['–', ...[scale.one, scale.all].map((run) => run.countersPerLogin?.[name]?.toFixed(digits) ?? '–')];
  const byCommand = Object.keys(scale.all.countersPerLogin ?? {})
    .filter((name) => name.startsWith(REDIS_CALLS))
    .map((name) => [name.slice(REDIS_CALLS.length), ...[scale.one, scale.all].map((run) => run.countersPerLogin?.[name] ?? 0)] as const)
    .filter(([, one, all]) => one >= 0.005 || all >= 0.005)
    .sort((a, b) => b[2] - a[2])
    .map(([name, one, all]) => `${name} ${one.toFixed(2)} / ${all.toFixed(2)}`);
  const { same, cross } = scale.push;
  return [
    `### Scale-out: ${scale.instances} instances on Redis + PostgreSQL, WeChat in its own process`,
    '',
    `${scale.one.concurrency} virtual users, about ${scale.one.seconds.toFixed(0)} s measured in each column; with several instances each login's ` +
      'page is on one and its phone on the next; wx.login goes to the simulator; Redis is the bench’s own.',
    '',
    table(
      ['', 'floor (bare http + ws)', '1 instance', `${scale.instances} instances`],
      [
        ['logins/s', ...runs.map((run) => `${run.loginsPerSecond.toFixed(0)} (${run.errors} errors)`)],
        ['end to end p50 / p99, ms', ...runs.map((run) => `${ms(run.steps.total.p50)} / ${ms(run.steps.total.p99)}`)],
        ['load average (1 min) as it began', ...runs.map((run) => run.loadAverage.toFixed(2))],
        ...names.map(cpuRow),
        ['CPU ms per login: Redis', ...counter('redis:cpuMs', 2)],
        ['CPU ms per login: PostgreSQL', ...counter('postgres:cpuMs', 2)],
        ['Redis commands per login', ...counter('redis:commands', 1)],
        ['PostgreSQL transactions per login', ...counter('postgres:transactions', 1)],
      ],
    ),
    '',
    `Redis commands per login by command (1 / ${scale.instances} instances): ${byCommand.join(', ')}.`,
    '',
    `Scan → \`scanned\` on a page on ${instanceName(0)}, ms (p50 / p95 / p99 of ${same.count} each, in turn): ` +
      `scan on the same instance ${triple(same)}, on ${instanceName(1)} ${triple(cross)}; ` +
      `cross ÷ same p50 ${scale.crossOverSame.p50.toFixed(2)}, p99 ${scale.crossOverSame.p99.toFixed(2)}.`,
    '',
    `${scale.instances} instances ÷ 1: ${scale.speedup.toFixed(2)}× the logins/s. ` +
      `${instanceName(0)}'s CPU per login alone ÷ the floor's: ${scale.cpuOverFloor.toFixed(2)}×.`,
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
  if (result.scale) sections.push('', scaleSection(result.scale));
  sections.push('', targetsSection(result));
  return sections.join('\n');
}
