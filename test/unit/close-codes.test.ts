/**
 * WebSocket close codes come from one table: graphql-ws's own where it has a word for the reason
 * (its client treats those as final), ours only outside its range, and refusals at admission
 * derived from the domain's error codes.
 */
import { CloseCode } from 'graphql-ws';
import { DomainErrorCode } from '../../src/domain/errors';
import { closeCodeOf, closeReason, WsCloseCode } from '../../src/server/close-codes';

const ours = Object.values(WsCloseCode).filter((v): v is number => typeof v === 'number');
const theirs = new Set(Object.values(CloseCode).filter((v): v is number => typeof v === 'number'));

describe('WebSocket close codes', () => {
  it.each(ours)('%i is graphql-ws’s own, or outside graphql-ws’s 4400–4599 range', (code) => {
    expect(theirs.has(code) || code < 4400 || code > 4599).toBe(true);
  });

  it('never reuses a graphql-ws code for another meaning (4429 is its "too many initialisation requests")', () => {
    for (const code of ours)
      if (theirs.has(code)) expect([CloseCode.Unauthorized, CloseCode.Forbidden]).toContain(code);
    expect(ours).not.toContain(CloseCode.TooManyInitialisationRequests);
  });

  it.each([
    [DomainErrorCode.Unauthenticated, CloseCode.Unauthorized],
    [DomainErrorCode.Forbidden, CloseCode.Forbidden],
    [DomainErrorCode.ServiceUnavailable, WsCloseCode.TryAgainLater],
    [DomainErrorCode.RateLimited, WsCloseCode.TryAgainLater],
  ])('a refusal at admission with %s closes with %i', (code, close) => {
    expect(closeCodeOf(code)).toBe(close);
  });

  it('cuts a reason to the 123 bytes a close frame holds, whole characters only', () => {
    expect(Buffer.byteLength(closeReason('é'.repeat(100)))).toBeLessThanOrEqual(123);
    expect(closeReason('short')).toBe('short');
  });
});
