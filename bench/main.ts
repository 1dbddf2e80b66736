import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchOptions } from './bench-options';
import { renderReport } from './report';
import { runBench } from './run-bench';

/** `npm run bench -- [options]`: runs the phases, prints the tables, writes the JSON. */
async function main(): Promise<void> {
  let options;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  const result = await runBench(options, (line) => console.error(`[bench] ${line}`));
  console.log(renderReport(result));
  mkdirSync(options.out, { recursive: true });
  const file = join(options.out, `bench-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.error(`[bench] results written to ${file}`);
}

main().catch((error) => {
  console.error('bench failed:', error);
  process.exit(1);
});
