export { LoginClient, type LoginClientOptions } from './login-client';
export { LoginError } from './login-error';
export { fetchCurrentUser } from './current-user';
export { parseSavedTicket } from './saved-ticket';
export { DEFAULT_PREFIX } from './endpoints';
export type {
  FetchLike,
  LoginEvents,
  LoginTicket,
  LoginUser,
  RequestInitLike,
  ResponseLike,
  SavedTicket,
  TicketStatus,
  Transport,
  WebSocketConstructorLike,
  WebSocketLike,
  WeChatMode,
} from './types';
