export { LoginClient, type LoginClientOptions } from './login-client';
export { LoginError } from './login-error';
export { fetchCurrentUser } from './current-user';
export type {
  FetchLike,
  LoginEvents,
  LoginTicket,
  LoginUser,
  TicketStatus,
  Transport,
  WebSocketConstructorLike,
  WebSocketLike,
  WeChatMode,
} from './types';
