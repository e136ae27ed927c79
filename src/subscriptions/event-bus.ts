import { BusMessage } from './topics';

/**
 * Carries small messages to every instance of the service (including the sender). Transports:
 * in-process (one instance), PostgreSQL LISTEN/NOTIFY (default), Redis pub/sub (REDIS_URL).
 */
export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  /** Listens to every message; returns the way to stop listening. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  /** Called after the transport reconnected: messages may have been missed meanwhile. */
  onReconnect(listener: () => void): void;
  /**
   * A deliberate stop has begun: losing the connection from now on (an embedded database stops
   * on the same signal) is expected, so it is neither warned about nor retried.
   */
  stopping(): void;
  close(): Promise<void>;
}

/** Fan-out shared by the transports. */
export class Listeners {
  private readonly listeners = new Set<(m: BusMessage) => void>();
  private readonly reconnects = new Set<() => void>();

  add(listener: (m: BusMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addReconnect(listener: () => void): void {
    this.reconnects.add(listener);
  }

  emit(message: BusMessage): void {
    for (const l of this.listeners) l(message);
  }

  reconnected(): void {
    for (const l of this.reconnects) l();
  }
}

/** One process, no network: for a single instance and for tests. */
export function createLocalBus(): EventBus {
  const listeners = new Listeners();
  return {
    publish: async (m) => {
      queueMicrotask(() => listeners.emit(m));
    },
    subscribe: (l) => listeners.add(l),
    onReconnect: (l) => listeners.addReconnect(l),
    stopping: () => undefined,
    close: async () => undefined,
  };
}
