// The build variables the scan-login folder reads (platform.ts), declared here so the folder
// type-checks in any Taro project it is copied into. Taro fills them in from `.env` files.
declare namespace NodeJS {
  interface ProcessEnv {
    /** The login server, e.g. https://example.com; empty: the platform default. */
    TARO_APP_SCAN_LOGIN_API_BASE?: string;
    /** The prefix the server library mounts its routes under; empty: /api/login. */
    TARO_APP_SCAN_LOGIN_PREFIX?: string;
  }
}
