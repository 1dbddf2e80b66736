import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrCreateDataFile } from '../../../server/stores/data-file';
import { tempDir } from '../../support/temp-dir';

describe('readOrCreateDataFile', () => {
  let dir: ReturnType<typeof tempDir>;
  let dataDir: string;

  beforeEach(() => {
    dir = tempDir();
    dataDir = join(dir.path, 'nested', 'data');
  });

  afterEach(() => {
    dir.remove();
  });

  it('creates a missing file, and its folder, private to the owner', () => {
    expect(readOrCreateDataFile(dataDir, 'secret', () => 'made')).toEqual({
      file: join(dataDir, 'secret'),
      text: 'made',
      created: true,
    });
    expect(readFileSync(join(dataDir, 'secret'), 'utf8')).toBe('made');
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('reads an existing file as it is, without making a new one', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret'), 'kept');
    const create = jest.fn(() => 'made');
    expect(readOrCreateDataFile(dataDir, 'secret', create)).toMatchObject({ text: 'kept', created: false });
    expect(create).not.toHaveBeenCalled();
  });

  it('uses the file another instance created first, never overwriting it', () => {
    const result = readOrCreateDataFile(dataDir, 'secret', () => {
      writeFileSync(join(dataDir, 'secret'), 'theirs');
      return 'ours';
    });
    expect(result).toMatchObject({ text: 'theirs', created: false });
    expect(readFileSync(join(dataDir, 'secret'), 'utf8')).toBe('theirs');
  });

  it('fails on a file that exists but cannot be read, rather than replacing it', () => {
    mkdirSync(join(dataDir, 'secret'), { recursive: true });
    const create = jest.fn(() => 'made');
    expect(() => readOrCreateDataFile(dataDir, 'secret', create)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(create).not.toHaveBeenCalled();
  });
});
