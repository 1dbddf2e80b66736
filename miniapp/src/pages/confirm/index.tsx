// The page a code opens (WECHAT_PAGE's default, and the simulator's QR URL) is the
// scan-login folder's, the very one other Taro apps copy in (README: "Add the confirm page
// to your Taro mini-program"), so this app always runs what they get.
export { default } from '../../scan-login/pages/confirm/index';
