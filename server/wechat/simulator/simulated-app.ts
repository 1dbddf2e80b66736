/**
 * The one mini-program the simulator knows. README publishes these: they are not secrets,
 * and any other appid or secret gets WeChat's own errcodes.
 */
export const SIMULATED_APPID = 'wx0000000000000001';
export const SIMULATED_SECRET = '0123456789abcdef0123456789abcdef';
/** pages the simulated mini-program has "published" (check_path); the first is the home page */
export const SIMULATED_PAGES = ['pages/index/index', 'pages/confirm/index'];
