import { writeFileSync } from 'node:fs';
import * as ci from 'miniprogram-ci';

/**
 * Runs miniprogram-ci's offline checks over a weapp build and writes what they found as
 * JSON to a file: `tsx miniprogram-ci-check.ts <project dir> <result file>`.
 *
 * A child process because miniprogram-ci keeps the process alive (watchers, a forked
 * compiler) and must end with process.exit(). `getCompiledResult` compiles the project as
 * devtools would and throws on a bad app.json, page json or missing page file;
 * `analyseCode` builds the dependency graph and records unresolved requires, imports and
 * components on the modules. No network is needed given any private key and a fixed
 * project attribute (the real one is fetched from WeChat).
 */

export interface CiCheckResult {
  compiledFiles: string[];
  problems: string[];
}

interface Dep {
  request: string;
  error?: string;
}

interface Module {
  path: string;
  deps?: Dep[];
  errors?: unknown[];
  buildError?: unknown;
}

async function check(projectPath: string): Promise<CiCheckResult> {
  const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath, privateKey: 'offline' });
  project.attr = async () => ci.DefaultProjectAttr;
  const problems: string[] = [];
  let compiledFiles: string[] = [];
  try {
    compiledFiles = Object.keys(await ci.getCompiledResult({ project, version: '0.0.0', setting: { es6: false } }));
  } catch (error) {
    problems.push(`getCompiledResult: ${error instanceof Error ? error.message : String(error)}`);
  }
  const analysis = await ci.analyseCode(project, { silent: true });
  if (!analysis) problems.push('analyseCode: no result');
  for (const module of (analysis?.modules ?? []) as Module[]) {
    for (const error of module.errors ?? []) problems.push(`${module.path}: ${JSON.stringify(error)}`);
    if (module.buildError) problems.push(`${module.path}: ${JSON.stringify(module.buildError)}`);
    for (const dep of module.deps ?? []) if (dep.error) problems.push(`${module.path}: ${dep.error}`);
  }
  return { compiledFiles, problems };
}

const [projectPath, resultFile] = process.argv.slice(2);
check(projectPath)
  .then((result) => writeFileSync(resultFile, JSON.stringify(result)))
  .catch((error: unknown) => writeFileSync(resultFile, JSON.stringify({ compiledFiles: [], problems: [String(error)] })))
  .finally(() => process.exit(0));
