import { DROP_IN_BUILD, ensureBuilt, MINIAPP_H5_BUILD, OIDC_PAGE_BUILD, WEB_BUILD } from '../../server/build/front-end-builds';
import { ROOT } from '../../server/server';

/**
 * Browser tests need the built web page, drop-in script, OpenID interaction page and
 * mini-program H5 build, as `npm start` does.
 */
export default async function globalSetup(): Promise<void> {
  await ensureBuilt([WEB_BUILD, DROP_IN_BUILD, OIDC_PAGE_BUILD, MINIAPP_H5_BUILD], ROOT);
}
