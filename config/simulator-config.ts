import { z } from 'zod';
import { bool, int, logLevel, parseEnv, url } from './env-values';

/** `npm run simulator`: the WeChat simulator as one process that every instance shares. */
export interface SimulatorConfig {
  port: number;
  host: string;
  /** The phone page its QR codes open: the mini-program's H5 build as the instances (or their proxy) serve it. */
  phoneUrl: string;
  /** WeChat's minute/day quotas; benchmarks turn them off. */
  quotas: boolean;
  /** Fault injection (/__wechat__/sim/faults): never in production. */
  faults: boolean;
  logLevel: z.infer<typeof logLevel>;
}

const schema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: int(0, 65535).default(3100),
  HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_PHONE_URL: url.default('http://localhost:3000/miniapp/'),
  WECHAT_SIMULATOR_QUOTAS: bool.default(true),
  LOG_LEVEL: logLevel,
});

/** Reads and validates the simulator's environment. Throws ConfigError naming every bad variable. */
export function loadSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const e = parseEnv(schema, env);
  return {
    port: e.PORT,
    host: e.HOST,
    // The QR text appends `#/page?scene=`: the base must end where the H5 build's index is.
    phoneUrl: e.SIMULATOR_PHONE_URL.endsWith('/') ? e.SIMULATOR_PHONE_URL : `${e.SIMULATOR_PHONE_URL}/`,
    quotas: e.WECHAT_SIMULATOR_QUOTAS,
    faults: e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
  };
}
