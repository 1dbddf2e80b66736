/**
 * A build variable such as Taro's `TARO_APP_*`, read through `read` (`() =>
 * process.env.NAME`). Taro writes in the value of a name listed in a `.env` file and leaves
 * any other `process.env.…` as it is, which on weapp (no `process`) throws: a name the app
 * never listed reads as unset instead of breaking the page.
 */
export function buildVariable(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
