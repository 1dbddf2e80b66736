import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { HttpClient } from '../../bench/http-client';

/**
 * A server that answers the first `answered` requests of each connection and closes the
 * connection without an answer on the next: what a server's keepAliveTimeout looks like
 * to a client that wrote its request just as the server closed the idle connection.
 */
async function closingServer(answered: number): Promise<{ server: Server; url: string; connections: () => number; requests: () => number }> {
  let connections = 0;
  let requests = 0;
  const server = createServer((socket: Socket) => {
    connections++;
    let onThis = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        requests++;
        if (onThis++ >= answered) return void socket.destroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, connections: () => connections, requests: () => requests };
}

describe('HttpClient', () => {
  let close: (() => void)[] = [];
  afterEach(() => {
    for (const done of close) done();
    close = [];
  });

  it('sends a request again on a new connection when the kept-alive one it was written to had been closed', async () => {
    const { server, url, connections, requests } = await closingServer(1);
    const client = new HttpClient(url, 1);
    close.push(() => client.close(), () => server.close());
    expect((await client.send('GET', '/')).status).toBe(200);
    const again = await client.send('GET', '/');
    expect(again.status).toBe(200);
    expect(again.body.toString()).toBe('ok');
    expect({ connections: connections(), requests: requests() }).toEqual({ connections: 2, requests: 3 });
  });

  it('fails a request whose fresh connection closes without an answer, once', async () => {
    const { server, url, connections } = await closingServer(0);
    const client = new HttpClient(url, 1);
    close.push(() => client.close(), () => server.close());
    await expect(client.send('GET', '/')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(connections()).toBe(1);
  });
});
