/// <reference types="@tarojs/taro" />

declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production';
    TARO_ENV: 'weapp' | 'h5';
    /** From the .env files; empty means the platform default (see src/platform.ts). */
    TARO_APP_API_BASE?: string;
  }
}
