// An ESM host: the named export, a ticket, and a clean exit after close().
import { createScanLogin, ScanLoginOptionsError } from 'mp-scan-login';
import { createServer } from 'node:http';
import pino from 'pino';

const scanLogin = await createScanLogin({ dataDir: process.argv[2], logger: pino({ level: 'silent' }) });
const server = createServer((req, res) => scanLogin.handler(req, res));
scanLogin.attach(server);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const created = await fetch(`http://127.0.0.1:${server.address().port}/api/login/tickets`, { method: 'POST' });
let refused = false;
try {
  await createScanLogin({ prefix: 'no-slash' });
} catch (error) {
  refused = error instanceof ScanLoginOptionsError;
}
await scanLogin.close();
server.closeAllConnections();
server.close();
console.log(JSON.stringify({ status: created.status, refused }));
