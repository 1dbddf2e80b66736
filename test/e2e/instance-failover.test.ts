import type { WebSocket as PageSocket } from 'playwright-core';
import { Instances } from '../deploy/instances';
import { describeInBrowser } from '../support/browser';
import { describeWithNginx, Nginx } from '../support/nginx';
import { PhoneSide } from '../support/phone-side';
import { describeWithPostgres } from '../support/postgres';
import { describeWithRedis } from '../support/redis';
import { freePort } from '../support/server-process';
import { scanCode, statusIs } from './code-on-page';

/** Resolves with the first status message `socket` receives that says `status`. */
function statusOn(socket: PageSocket, status: string): Promise<unknown> {
  return socket.waitForEvent('framereceived', {
    predicate: (frame) => (JSON.parse(String(frame.payload)) as { status?: string }).status === status,
    timeout: 8000,
  });
}

/**
 * `kill -9` of the instance holding the page's socket while the page waits (scanned): no
 * drain, no 1012, the socket just dies. Through nginx (deploy/nginx/mp-scan-login.conf) the
 * page reconnects by itself, lands on the other instance, resumes from its snapshot, and the
 * phone's confirm (through nginx as well) logs it in. Real processes on Redis and PostgreSQL.
 */
describeWithPostgres('instance fail-over', (databaseUrl) => {
  describeWithRedis('on Redis and PostgreSQL', () => {
    describeWithNginx('behind nginx', () => {
      describeInBrowser('the web login page', (_browser, newContext) => {
        let instances: Instances;
        let nginx: Nginx;

        beforeAll(async () => {
          const port = await freePort();
          instances = await Instances.start({ databaseUrl: databaseUrl(), publicUrl: `http://127.0.0.1:${port}` });
          // A first, B only as the backup: the page's socket is on A, the instance this test kills.
          const upstreams = [{ port: instances.a.port }, { port: instances.b.port, backup: true }];
          nginx = await Nginx.start({ listenPort: port, upstreams });
        }, 120_000);

        afterAll(async () => {
          await nginx?.stop();
          await instances?.stop();
        });

        it('reconnects to B by itself when A is killed after the scan, and the confirm through nginx logs it in', async () => {
          const page = await (await newContext({ locale: 'en-US' })).newPage();
          const sockets: PageSocket[] = [];
          page.on('websocket', (socket) => sockets.push(socket));
          await page.goto(nginx.url);
          const { ticketId } = await scanCode(page);
          const phone = new PhoneSide(nginx.url);
          const scanToken = await phone.scan(ticketId);
          await statusIs(page, 'scanned');
          expect(sockets).toHaveLength(1);

          const reconnected = page.waitForEvent('websocket', { timeout: 8000 });
          await instances.kill(instances.a);
          const second = await reconnected;
          await statusOn(second, 'scanned');
          // nginx tried A first, found it refusing, and moved the socket on to B.
          expect(nginx.errorLog()).toMatch(
            new RegExp(`Connection refused.*"GET /api/login/ws [^"]*", upstream: "http://127\\.0\\.0\\.1:${instances.a.port}/`),
          );

          const confirmedOnSecond = statusOn(second, 'confirmed');
          const user = await phone.confirm(ticketId, { scanToken, user: 'fay' });
          await confirmedOnSecond;
          const loggedIn = page.getByTestId('logged-in');
          await loggedIn.waitFor({ timeout: 8000 });
          expect(await loggedIn.getAttribute('data-user-id')).toBe(user.id);
          expect(sockets).toHaveLength(2);
        }, 60_000);
      });
    });
  });
});
