export default defineAppConfig({
  pages: ['pages/index/index', 'pages/confirm/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '扫码登录',
    navigationBarTextStyle: 'black',
  },
});
