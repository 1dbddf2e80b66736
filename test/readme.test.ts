import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README is the contract's public face: every code and option must be in it. */
describe('README', () => {
  it('lists every error code of server/errors.ts', () => {
    const source = readFileSync(join(root, 'server', 'errors.ts'), 'utf8');
    const codes = [...source.matchAll(/defineError\(\s*'([A-Z_]+)'/g)].map((match) => match[1]);
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((code) => !readme.includes(`\`${code}\``))).toEqual([]);
  });

  it('documents every environment variable config/config.ts reads', () => {
    const source = readFileSync(join(root, 'config', 'config.ts'), 'utf8');
    const names = [...source.matchAll(/^\s{4}([A-Z][A-Z_]+):/gm)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('shows the two commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
