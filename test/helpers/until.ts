/** How long {@link until} waits, and what its time-out says it waited for. */
export interface UntilOptions {
  /** @default 5000 */
  timeoutMs?: number;
  /**
   * The condition in words, for the time-out's message (a function: asked at the time-out, so it
   * can tell what was there instead).
   * @default the check's own source text
   */
  what?: string | (() => string);
  /**
   * Stops the asking once aborted (rejecting with the signal's reason): a wait raced against
   * another outcome that came first must not poll on after its test, keeping the worker alive.
   * @default undefined
   */
  signal?: AbortSignal;
}

/**
 * Resolves as soon as `check` holds (it is asked again every 20 ms); rejects after the time-out
 * with a message that names the condition. For what happens elsewhere (on the server, in another
 * process) and has no event of its own to await: a subscription registered, a socket seen closed.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  options: number | UntilOptions = {},
): Promise<void> {
  const {
    timeoutMs = 5000,
    what = sourceOf(check),
    signal,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const end = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (await check()) return;
    if (Date.now() > end)
      throw new Error(`waited ${timeoutMs} ms until ${typeof what === 'function' ? what() : what}, in vain`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits `ms` in which nothing is expected to happen, for a test that shows something does NOT
 * happen (no further read, no further event): an absence has no event to await. The call says in
 * a comment what must not happen. Wherever a later event would come after the unwanted one, await
 * that event instead: it proves the absence without a guess at how long is long enough.
 */
export async function quiet(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function sourceOf(check: () => unknown): string {
  const source = check
    .toString()
    .replace(/^(async\s*)?\(\)\s*=>\s*/, '')
    .replace(/\s+/g, ' ');
  return source.length > 200 ? `${source.slice(0, 200)}…` : source;
}
