import { CloseCode } from 'graphql-ws';
import { DomainErrorCode } from '../domain/errors';

/**
 * Why the service closes a WebSocket, and with which code: graphql-ws's own where it has one
 * (its client takes 4401 and 4403 as final rather than retrying the same key), ours in 4000–4099,
 * outside graphql-ws's 4400–4599, where it has none (its 4429 means "too many connection_init
 * messages" and is final to its client, so it is never used for our "try again later"), and
 * WebSocket's own 1013 for "try again later".
 */
export enum WsCloseCode {
  /** The API key is not valid, was revoked, or is a publishable key used without an Origin. */
  Unauthorized = CloseCode.Unauthorized,
  /** The key does not allow this origin, or was revoked while connected. */
  Forbidden = CloseCode.Forbidden,
  /** More than `WS_MAX_SOCKETS_PER_KEY` open connections for one key or address: close one first. */
  TooManyConnections = 4029,
  /**
   * More than `WS_MAX_QUEUED_EVENTS` events of one subscription unread (WebSocket's 1008, policy,
   * in our range): reconnect and resume with the last `eventCursor`.
   */
  TooSlow = 4008,
  /** The service cannot check the key right now (database away, or too many unknown keys): retry later. */
  TryAgainLater = 1013,
}

/** The close code for a refusal at admission, from its error code (one table: the domain's enum). */
export function closeCodeOf(code: unknown): WsCloseCode {
  switch (code) {
    case DomainErrorCode.Unauthenticated:
      return WsCloseCode.Unauthorized;
    case DomainErrorCode.Forbidden:
      return WsCloseCode.Forbidden;
    default:
      return WsCloseCode.TryAgainLater;
  }
}

const WORD: Partial<Record<WsCloseCode, string>> = {
  [WsCloseCode.Unauthorized]: 'Unauthorized',
  [WsCloseCode.Forbidden]: 'Forbidden',
};

/** How a refusal at admission closes the socket: its code's close code, and its own message as the reason. */
export function refusalClose(code: unknown, message: string): { code: WsCloseCode; reason: string } {
  const close = closeCodeOf(code);
  return { code: close, reason: closeReason(`${WORD[close] ?? 'Retry later'}: ${message}`) };
}

/** A close frame's reason: at most 123 bytes, so the message is cut to fit. */
export function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}
