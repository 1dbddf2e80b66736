// Where the confirm page finds your login server. Edit this file after copying the folder
// into your mini-program (it is the only file of the folder meant to be edited; keep it
// when you copy a newer build over the rest).
module.exports = {
  // The server's address, as the phone reaches it: https and listed under 开发管理 → 开发设置
  // → 服务器域名 → request合法域名 for a released mini-program. Empty: http://localhost:3000,
  // a server on the machine that runs WeChat devtools (with 不校验合法域名 ticked).
  apiBase: '',
  // The prefix the server library mounts its routes under: createScanLogin({ prefix }).
  // Empty: /api/login, the standalone server's.
  prefix: '',
};
