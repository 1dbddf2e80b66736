/**
 * What a suite does when a real part it needs (Chromium, Redis, PostgreSQL) is missing:
 * with `CI=true` it fails, naming the part and how to get it; outside CI it is skipped
 * with that hint printed. Returns true when the suite may run as usual.
 */
export function neededService(name: string, part: string, missing: string | undefined, skipped: () => void): boolean {
  if (missing === undefined) return true;
  if (process.env.CI === 'true') {
    describe(name, () => {
      it(`needs ${part}`, () => {
        throw new Error(missing);
      });
    });
  } else {
    console.warn(`Skipping "${name}". ${missing}`);
    skipped();
  }
  return false;
}
