import { registerEnumType } from 'type-graphql';

/** What an API key may do. A request without a key is a public reader (no role). */
export enum Role {
  /** Everything, including keys and imports. */
  ADMIN = 'ADMIN',
  /** Manages the stakeholders, challenges and invitations of its hubs; sees their contact details. */
  COORDINATOR = 'COORDINATOR',
  /** A partner portal's server: public reads, suggestions, subscriptions; invites and responds for its hubs. */
  PORTAL = 'PORTAL',
  /**
   * A public page's key (`pk_…`), bound to browser origins: exactly what a keyless caller may do,
   * from those origins only. It acts for no hub and never writes.
   */
  PUBLISHABLE = 'PUBLISHABLE',
}

registerEnumType(Role, { name: 'Role', description: 'What an API key may do' });

/** What a role asks of the key itself; what the key may do is in src/graphql/access.ts. */
export interface KeyRule {
  /** How the key's text begins, so that anyone reading a page or a log knows which kind it is. */
  prefix: string;
  /** Whether the key names hubs it acts for: `none` or at least one. */
  hubs: 'none' | 'some';
  /** Whether the key must list at least one browser origin. */
  origins: 'optional' | 'some';
  /**
   * Whether only browsers may use it: every request must carry an `Origin` among the key's
   * `allowedOrigins`. A non-browser can forge that header, which is why such a key must grant
   * nothing beyond a keyless caller's rights: the binding keeps other sites' pages from using it.
   */
  browserOnly: boolean;
  /** Whether its text is public by design (shown again in `apiKeys`), as opposed to a secret. */
  publishable: boolean;
}

/** The one table of key kinds: validation, the Origin rule and the docs derive from it. */
export const KEY_RULES: Readonly<Record<Role, KeyRule>> = {
  [Role.ADMIN]: { prefix: 'osm_', hubs: 'none', origins: 'optional', browserOnly: false, publishable: false },
  [Role.COORDINATOR]: { prefix: 'osm_', hubs: 'some', origins: 'optional', browserOnly: false, publishable: false },
  [Role.PORTAL]: { prefix: 'osm_', hubs: 'some', origins: 'optional', browserOnly: false, publishable: false },
  [Role.PUBLISHABLE]: { prefix: 'pk_', hubs: 'none', origins: 'some', browserOnly: true, publishable: true },
};

/** Who is asking, resolved once per HTTP request or WebSocket connection. */
export interface Viewer {
  role: Role | 'PUBLIC';
  /** Hubs a COORDINATOR or PORTAL key acts for. */
  hubIds: readonly string[];
  /** Id of the API key; `env:ADMIN_API_KEY` for the bootstrap key; undefined for public readers. */
  keyId?: string;
  /** Browser origins (scheme://host[:port]) the key may be used from. */
  allowedOrigins: readonly string[];
}

/**
 * Whose budgets (requests per minute, expensive work, open sockets) a request draws on. A key
 * anyone may copy out of a page is no identity: publishable keys count per address, as keyless
 * callers do, so one abuser can neither drain a portal's visitors' share nor widen their own.
 */
export function budgetOf(viewer: Viewer, address: string | undefined): string {
  if (viewer.keyId && viewer.role !== Role.PUBLISHABLE) return viewer.keyId;
  return `ip:${address ?? 'unknown'}`;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ role: 'PUBLIC', hubIds: [], allowedOrigins: [] });

/** The key id of the bootstrap administrator (ADMIN_API_KEY). */
export const BOOTSTRAP_ADMIN_ID = 'env:ADMIN_API_KEY';

export const BOOTSTRAP_ADMIN: Viewer = Object.freeze({
  role: Role.ADMIN,
  hubIds: [],
  keyId: BOOTSTRAP_ADMIN_ID,
  allowedOrigins: [],
});
