import { HttpClient } from './http-client';
import { WaitingBrowsers } from './waiting-browsers';

/**
 * The child of waiting-pages-process.ts: `node --require tsx/cjs bench/waiting-pages-main.ts
 * <server url>`. Each `{id, total}` over IPC grows the pages waiting on that server to
 * `total` and is answered `{id}` (or `{id, error}`); a disconnect drops them all and exits.
 */
const url = process.argv[2];
const send = process.send?.bind(process);
if (!url || !send) {
  console.error('usage: fork bench/waiting-pages-main.ts <server url> with an IPC channel');
  process.exit(2);
}
const http = new HttpClient(url, 128);
const pages = new WaitingBrowsers(url, http);

process.on('message', ({ id, total }: { id: number; total: number }) => {
  pages.grow(total).then(
    () => send({ id }),
    (error: unknown) => send({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => {
  pages.close();
  http.close();
  process.exit(0);
});
send({ ready: true });
