import {
  DEFAULT_SIM_USER,
  normalizeSimUser,
  readSimUser,
  SIM_USER_STORAGE_KEY,
  writeSimUser,
} from '../../../../miniapp/src/scan-login/lib/sim-user';
import { memoryStorage } from '../../support/memory-storage';

describe('normalizeSimUser', () => {
  it('trims a name made of letters, digits and _ . -', () => {
    expect(normalizeSimUser('  bob.smith_2-x ')).toBe('bob.smith_2-x');
  });

  it('rejects an empty, too long or odd name', () => {
    for (const name of ['', '   ', 'a'.repeat(33), 'bob smith', 'bob/..', '张三']) expect(normalizeSimUser(name)).toBeNull();
  });
});

describe('readSimUser and writeSimUser', () => {
  it(`reads ${DEFAULT_SIM_USER} when nothing valid is stored`, () => {
    expect(readSimUser(memoryStorage())).toBe(DEFAULT_SIM_USER);
    expect(readSimUser(memoryStorage({ [SIM_USER_STORAGE_KEY]: 'not valid!' }))).toBe(DEFAULT_SIM_USER);
    expect(readSimUser(memoryStorage({ [SIM_USER_STORAGE_KEY]: 42 }))).toBe(DEFAULT_SIM_USER);
  });

  it('stores a valid name and reads it back', () => {
    const storage = memoryStorage();
    expect(writeSimUser(storage, ' bob ')).toBe('bob');
    expect(readSimUser(storage)).toBe('bob');
  });

  it('keeps the stored name when the new one is invalid', () => {
    const storage = memoryStorage({ [SIM_USER_STORAGE_KEY]: 'carol' });
    expect(writeSimUser(storage, 'no spaces allowed')).toBeNull();
    expect(readSimUser(storage)).toBe('carol');
  });
});
