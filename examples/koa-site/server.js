// node examples/koa-site/server.js: the site on PORT (default 4000), with the WeChat
// simulator unless WECHAT_APPID and WECHAT_SECRET are set. Ctrl-C or SIGTERM closes it.
const { createSite } = require('./site');

async function main() {
  const port = Number(process.env.PORT ?? 4000);
  const wechat = process.env.WECHAT_APPID ? { appid: process.env.WECHAT_APPID, secret: process.env.WECHAT_SECRET } : undefined;
  const site = await createSite({
    dataDir: process.env.DATA_DIR ?? './data',
    publicUrl: process.env.PUBLIC_URL,
    wechat,
    // Signs the session cookie; set your own in production.
    keys: [process.env.COOKIE_KEY ?? 'development key, change me'],
  });
  await new Promise((resolve) => site.server.listen(port, '127.0.0.1', resolve));
  console.log(`listening on http://127.0.0.1:${site.server.address().port}`);
  const stop = () => site.close().then(() => console.log('closed'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
