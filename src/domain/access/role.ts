import { registerEnumType } from 'type-graphql';

/** What an API key may do. A request without a key is a public reader (no role). */
export enum Role {
  /** Everything, including keys and imports. */
  ADMIN = 'ADMIN',
  /** Manages the stakeholders, challenges and invitations of its hubs; sees their contact details. */
  COORDINATOR = 'COORDINATOR',
  /** A partner portal: public reads, suggestions, subscriptions; invites and responds for its hubs. */
  PORTAL = 'PORTAL',
}

registerEnumType(Role, { name: 'Role', description: 'What an API key may do' });

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

export const PUBLIC_VIEWER: Viewer = Object.freeze({ role: 'PUBLIC', hubIds: [], allowedOrigins: [] });

/** The key id of the bootstrap administrator (ADMIN_API_KEY). */
export const BOOTSTRAP_ADMIN_ID = 'env:ADMIN_API_KEY';

export const BOOTSTRAP_ADMIN: Viewer = Object.freeze({
  role: Role.ADMIN,
  hubIds: [],
  keyId: BOOTSTRAP_ADMIN_ID,
  allowedOrigins: [],
});
