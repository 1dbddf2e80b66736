import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { miniprogramCiCheck } from './miniprogram-ci';
import { compileWxml, compileWxss } from './wechat-compilers';

const CI_TIMEOUT_MS = 120_000;

/**
 * What WeChat devtools checks of a mini-program project, as `it`s of the calling describe:
 * every template through wcc, every style through wcsc, and miniprogram-ci's compile and
 * code analysis (app.json, page json, every require and component). `project()` is the
 * project's folder, known once the describe's beforeAll has built it; `pages`, the pages
 * app.json lists, main package and subpackages alike.
 */
export function itPassesWeChatChecks(project: () => string, pages: string[]): void {
  it("compiles every template with WeChat's wcc", () => {
    const run = compileWxml(project());
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    for (const page of pages) expect(run.stdout).toContain(`'${page}.wxml'`);
  });

  it("compiles every style with WeChat's wcsc", () => {
    const run = compileWxss(project());
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const styled = pages.filter((page) => existsSync(join(project(), `${page}.wxss`)));
    expect(styled.length).toBeGreaterThan(0);
    for (const page of styled) expect(run.stdout).toContain(`${page}.wxss`);
  });

  it(
    "passes miniprogram-ci's offline compile and code analysis",
    async () => {
      const result = await miniprogramCiCheck(project());
      expect(result.problems).toEqual([]);
      expect(result.compiledFiles).toEqual(expect.arrayContaining(['app.json', ...pages.map((page) => `${page}.wxml`)]));
    },
    CI_TIMEOUT_MS,
  );
}
