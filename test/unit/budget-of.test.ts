import { budgetOf, KEY_RULES, PUBLIC_VIEWER, Role, Viewer } from '../../src/domain/access/role';

const key = (role: Role): Viewer => ({ role, hubIds: [], keyId: `key-of-${role}`, allowedOrigins: [] });

describe('whose budget a request draws on', () => {
  // [who, address, budget]: a key anyone may copy from a page is no identity, so it counts per address.
  it.each<[string, Viewer, string | undefined, string]>([
    ['no key', PUBLIC_VIEWER, '203.0.113.7', 'ip:203.0.113.7'],
    ['no key, no address', PUBLIC_VIEWER, undefined, 'ip:unknown'],
    ['a publishable key', key(Role.PUBLISHABLE), '203.0.113.7', 'ip:203.0.113.7'],
    ['a portal key', key(Role.PORTAL), '203.0.113.7', 'key-of-PORTAL'],
    ['a coordinator key', key(Role.COORDINATOR), '203.0.113.7', 'key-of-COORDINATOR'],
    ['an administrator key', key(Role.ADMIN), undefined, 'key-of-ADMIN'],
  ])('%s from %s', (_, viewer, address, budget) => {
    expect(budgetOf(viewer, address)).toBe(budget);
  });

  it('counts every browser-only key per address, and every other key per key', () => {
    for (const role of Object.values(Role))
      expect([role, budgetOf(key(role), 'a') === 'ip:a']).toEqual([role, KEY_RULES[role].browserOnly]);
  });
});

describe('key kinds', () => {
  it('gives browser-only keys, and only them, a text that says it is not a secret', () => {
    for (const role of Object.values(Role)) {
      const rule = KEY_RULES[role];
      expect([role, rule.prefix === 'pk_']).toEqual([role, rule.publishable]);
      expect([role, rule.browserOnly]).toEqual([role, rule.publishable]);
      // A browser-only key must name where it may be used, and acts for nobody.
      if (rule.browserOnly) expect([role, rule.origins, rule.hubs]).toEqual([role, 'some', 'none']);
    }
  });
});
