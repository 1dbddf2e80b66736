import { parseArgs } from 'node:util';

export type Phase = 'waiting' | 'logins' | 'push' | 'scale';
export const PHASES: readonly Phase[] = ['waiting', 'logins', 'push', 'scale'];
/** Every phase but `scale`, which needs --instances 2 or more. */
const ONE_INSTANCE_PHASES: readonly Phase[] = PHASES.filter((phase) => phase !== 'scale');

export interface BenchOptions {
  /** Pages waiting at once in the capacity phase. */
  waiting: number;
  /** Seconds our server's event-loop delay is watched while they wait: longer than one ws ping round (30 s by default). */
  idleSeconds: number;
  /** Virtual users running whole logins at once. */
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  /** Other pages waiting while push latency is timed. */
  levels: number[];
  samples: number;
  warmupSamples: number;
  /** Instances of our server in the scale-out phase; 1: no such phase. */
  instances: number;
  phases: Phase[];
  /** Write a V8 CPU profile of our server's process per phase into `out`/profiles. */
  cpuProf: boolean;
  /** Where the JSON results go. */
  out: string;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  waiting: 10_000,
  idleSeconds: 32,
  concurrency: 32,
  seconds: 20,
  warmupSeconds: 3,
  levels: [0, 1_000, 10_000],
  samples: 1_000,
  warmupSamples: 200,
  instances: 1,
  phases: [...ONE_INSTANCE_PHASES],
  cpuProf: false,
  out: 'bench/results',
};

const USAGE = `npm run bench -- [options]
  --waiting N          pages waiting in the capacity phase (default ${DEFAULT_OPTIONS.waiting})
  --idle-seconds S     how long the event loop is watched while they wait (default ${DEFAULT_OPTIONS.idleSeconds})
  --concurrency C      virtual users doing whole logins (default ${DEFAULT_OPTIONS.concurrency})
  --seconds T          measured seconds of logins (default ${DEFAULT_OPTIONS.seconds})
  --warmup-seconds S   logins before the measured window (default ${DEFAULT_OPTIONS.warmupSeconds})
  --levels A,B,C       other pages waiting while push latency is timed (default ${DEFAULT_OPTIONS.levels.join(',')})
  --samples N          timed pushes per level and server (default ${DEFAULT_OPTIONS.samples})
  --warmup-samples N   pushes thrown away first (default ${DEFAULT_OPTIONS.warmupSamples})
  --instances N        N ≥ 2 adds the scale phase: N instances on Redis + PostgreSQL (default ${DEFAULT_OPTIONS.instances})
  --phases LIST        any of ${PHASES.join(',')} (default all; scale only with --instances 2 or more)
  --cpu-prof           write a CPU profile of our server per phase to <out>/profiles
  --out DIR            results directory (default ${DEFAULT_OPTIONS.out})`;

function count(name: string, text: string, min = 0): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${text}"\n\n${USAGE}`);
  return value;
}

/** Reads the command line; throws with the usage on anything it does not understand. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      waiting: { type: 'string' },
      'idle-seconds': { type: 'string' },
      concurrency: { type: 'string' },
      seconds: { type: 'string' },
      'warmup-seconds': { type: 'string' },
      levels: { type: 'string' },
      samples: { type: 'string' },
      'warmup-samples': { type: 'string' },
      instances: { type: 'string' },
      phases: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) throw new Error(USAGE);
  const d = DEFAULT_OPTIONS;
  const instances = values.instances ? count('instances', values.instances, 1) : d.instances;
  if (!Number.isInteger(instances)) throw new Error(`--instances must be a whole number, got "${values.instances}"\n\n${USAGE}`);
  const phases = values.phases?.split(',') ?? (instances >= 2 ? PHASES : d.phases);
  for (const phase of phases) {
    if (!PHASES.includes(phase as Phase)) throw new Error(`--phases: unknown phase "${phase}"\n\n${USAGE}`);
  }
  if (phases.includes('scale') && instances < 2) throw new Error(`--phases scale needs --instances 2 or more\n\n${USAGE}`);
  return {
    waiting: values.waiting ? count('waiting', values.waiting, 1) : d.waiting,
    idleSeconds: values['idle-seconds'] ? count('idle-seconds', values['idle-seconds']) : d.idleSeconds,
    concurrency: values.concurrency ? count('concurrency', values.concurrency, 1) : d.concurrency,
    seconds: values.seconds ? count('seconds', values.seconds, 0.1) : d.seconds,
    warmupSeconds: values['warmup-seconds'] ? count('warmup-seconds', values['warmup-seconds']) : d.warmupSeconds,
    levels: values.levels ? values.levels.split(',').map((level) => count('levels', level)) : d.levels,
    samples: values.samples ? count('samples', values.samples, 1) : d.samples,
    warmupSamples: values['warmup-samples'] ? count('warmup-samples', values['warmup-samples']) : d.warmupSamples,
    instances,
    phases: [...phases] as Phase[],
    cpuProf: values['cpu-prof'] ?? d.cpuProf,
    out: values.out ?? d.out,
  };
}
