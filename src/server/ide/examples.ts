/** An operation the IDE opens with, ready to run on the demo data. */
export interface ExampleOperation {
  query: string;
  variables?: Record<string, unknown>;
  /** The tab's own headers: the demo key its operation needs, when a development start made one. */
  headers?: Record<string, string>;
}

/** Ids from the database that make the examples runnable as they open. */
export interface ExampleIds {
  challengeId?: string;
  stakeholderId?: string;
  /** The example challenge's hub, for the coordinator's tabs. */
  hubId?: string;
  /** The example challenge's school, for posting another challenge under the hub. */
  schoolId?: string;
}

/** The secrets the tabs that need a role carry (a development start's demo keys, src/db/demo-keys.ts). */
export interface ExampleKeys {
  coordinator: string;
  portal: string;
}

const PLACEHOLDER = 'paste-an-id-from-the-challenges-query';

/** What a tab that needs a role says about its key, and the headers it carries. */
function keyed(role: 'COORDINATOR' | 'PORTAL', secret: string | undefined) {
  return {
    note: secret
      ? `# Runs with the demo hub's ${role} key, made by this development start, in this tab's Headers.`
      : `# Needs the hub's ${role} key (or ADMIN): {"Authorization": "Bearer <key>"} in the Headers tab.`,
    headers: secret ? { Authorization: `Bearer ${secret}` } : undefined,
  };
}

/**
 * The IDE's tabs: one per everyday use, then the main writes. Given `keys`, the tabs that need
 * a role carry that role's key in their own headers; without, they say which key to put there.
 */
export function exampleOperations(ids: ExampleIds = {}, keys?: ExampleKeys): ExampleOperation[] {
  const coordinator = keyed('COORDINATOR', keys?.coordinator);
  const portal = keyed('PORTAL', keys?.portal);
  return [
    {
      query: `# Partners worth asking for a challenge, best first, with the reasons.
# Reads need no key; the tabs that write or need a role carry their key in their own Headers tab.
query FindPartners($challengeId: ID!) {
  challenge(id: $challengeId) { title school { name city } sdgs { code title } expertiseNeeded { label } }
  suggestPartners(challengeId: $challengeId, first: 5) {
    totalCount
    edges {
      node {
        score
        reasons
        breakdown { sdg expertise proximity kind inclusion distanceKm }
        stakeholder { name kind city }
      }
    }
  }
}`,
      variables: { challengeId: ids.challengeId ?? PLACEHOLDER },
    },
    {
      query: `# A whole team that covers what the challenge needs
query BuildTeam($challengeId: ID!) {
  suggestTeam(challengeId: $challengeId, size: 4) {
    members { score stakeholder { name kind } reasons }
    coveredExpertise { label }
    missingExpertise { label }
    coveredKinds
    missingKinds
  }
}`,
      variables: { challengeId: ids.challengeId ?? PLACEHOLDER },
    },
    {
      query: `# The reverse view: open challenges a partner fits best
query ChallengesForPartner($stakeholderId: ID!) {
  suggestChallenges(stakeholderId: $stakeholderId, first: 5) {
    edges { node { score reasons challenge { title school { name } } } }
  }
}`,
      variables: { stakeholderId: ids.stakeholderId ?? PLACEHOLDER },
    },
    {
      query: `# Live: new partners that fit the challenge (keep it running; run RegisterPartner in a second window)
subscription NewMatches($challengeId: ID!) {
  matchFound(challengeId: $challengeId, minScore: 0.5) {
    score
    reasons
    eventCursor
    stakeholder { name kind city }
  }
}`,
      variables: { challengeId: ids.challengeId ?? PLACEHOLDER },
    },
    {
      query: `# Live: every new university or research institute within 30 km of Leuven
subscription NewPartnersNearby {
  partnerJoined(filter: { kinds: [UNIVERSITY, RESEARCH_INSTITUTE], near: { latitude: 50.8798, longitude: 4.7005,
    radiusKm: 30 } }) {
    name
    kind
    city
    expertise { label }
  }
}`,
    },
    {
      query: `# Open challenges posed by schools, with what they need
query OpenChallenges {
  challenges(first: 10, filter: { phases: [IDEA, STARTUP, DESIGN] }) {
    totalCount
    edges {
      node { id title phase school { id name city } sdgs { code title } expertiseNeeded { label } wantedKinds radiusKm }
    }
  }
}`,
    },
    {
      query: `# Partners near Enschede that work on climate action (SDG 13)
query PartnersNearby($near: NearInput!) {
  stakeholders(first: 20, filter: { sdgs: [13], near: $near }) {
    totalCount
    edges { node { id name kind city region { code name } expertise { label } } }
  }
}`,
      variables: { near: { latitude: 52.2215, longitude: 6.8937, radiusKm: 60 } },
    },
    {
      query: `# The 17 Sustainable Development Goals, in English and Dutch
query Goals {
  sdgs { id code title titleNl }
}`,
    },
    {
      query: `# The coordinator's board: what is open, waiting, missing, full and quiet in a hub.
${coordinator.note}
query HubBoard($hubId: ID!) {
  hubBoard(hubId: $hubId) {
    hub { name requiresApproval }
    openChallenges { challenge { title phase } shortlistSize invitations { status count } }
    waitingLongest { daysWaiting partnership { status stakeholder { name } challenge { title } } }
    teamGaps { challenge { title } missingExpertise { label } missingKinds }
    nearCapacity { stakeholder { name } accepted capacity }
    quietChallenges { challenge { title } daysQuiet }
  }
}`,
      variables: { hubId: ids.hubId ?? PLACEHOLDER },
      headers: coordinator.headers,
    },
    {
      query: `# The brokering loop: a challenge's shortlist and dismissals, and who did what in the hub.
# Shortlist with shortlistPartner, rule out with dismissSuggestion, draft with invitationDraft,
# introduce with invitePartner, close with completePartnership.
${coordinator.note}
query BrokeringLoop($hubId: ID!, $challengeId: ID!, $stakeholderId: ID!) {
  challenge(id: $challengeId) {
    title
    shortlist { stakeholder { name } note createdBy }
    dismissals { stakeholder { name } reason createdBy }
  }
  invitationDraft(challengeId: $challengeId, stakeholderId: $stakeholderId, lang: NL)
  activity(hubId: $hubId, first: 10) {
    edges { node { at action actorName challenge { title } stakeholder { name } } }
  }
}`,
      variables: {
        hubId: ids.hubId ?? PLACEHOLDER,
        challengeId: ids.challengeId ?? PLACEHOLDER,
        stakeholderId: ids.stakeholderId ?? PLACEHOLDER,
      },
      headers: coordinator.headers,
    },
    {
      query: `# Webhooks: a signed POST to a portal's URL for each new match, partner, challenge or partnership move.
# Register one (its secret is shown once; verify deliveries with any Standard Webhooks library):
#   mutation { createWebhookEndpoint(input: { url: "https://portal.example.org/hooks", events: [MATCH_FOUND] })
#     { secret endpoint { id } } }
# Needs a key: ADMIN, or a COORDINATOR or PORTAL key (which sees the endpoints it registered).
${coordinator.note}
query Webhooks {
  webhookEndpoints(first: 10) {
    edges {
      node {
        url events hubIds enabled disabledReason
        deliveries(first: 5) { edges { node { eventType status attempts lastStatusCode lastError nextAttemptAt } } }
      }
    }
  }
}`,
      headers: coordinator.headers,
    },
    ...writes(ids, coordinator, portal),
  ];
}

/** The main writes: register a partner, post a challenge under a hub, invite a partner. */
function writes(ids: ExampleIds, coordinator: ReturnType<typeof keyed>, portal: ReturnType<typeof keyed>) {
  return [
    {
      query: `# Register a partner into the hub; its city is geocoded offline and its region derived.
# Run the NewMatches tab in another window first: this partner fits its challenge, and arrives there.
${coordinator.note}
mutation RegisterPartner($hubId: ID!) {
  createStakeholder(input: {
    kind: ENTREPRENEUR, name: "Repair Café Leuven", city: "Leuven", countryCode: "BE",
    sdgs: [12, 9], expertise: ["Electronics", "Circular economy"], languages: ["nl", "en"], hubIds: [$hubId]
  }) { id name region { code name } location { latitude longitude } expertise { label } }
}`,
      variables: { hubId: ids.hubId ?? PLACEHOLDER },
      headers: coordinator.headers,
    },
    {
      query: `# Post a challenge for a school of the hub, filed under the hub (so it shows on the hub's board).
# Required: schoolId, title, sdgs, expertiseNeeded (may be empty). The radius and region follow the school.
${coordinator.note}
mutation PostChallenge($schoolId: ID!, $hubId: ID!) {
  createChallenge(input: {
    schoolId: $schoolId, hubId: $hubId, title: "A weather station on the school roof", sdgs: [13, 4],
    expertiseNeeded: ["Sensors", "Data science"], wantedKinds: [RESEARCH_INSTITUTE, UNIVERSITY]
  }) { id title hub { name } radiusKm region { code } }
}`,
      variables: { schoolId: ids.schoolId ?? PLACEHOLDER, hubId: ids.hubId ?? PLACEHOLDER },
      headers: coordinator.headers,
    },
    {
      query: `# Invite a suggested partner to a challenge of the hub: it is mailed accept and decline links.
# Once per partner and challenge (a second live invitation is a CONFLICT).
${portal.note}
mutation InvitePartner($challengeId: ID!, $stakeholderId: ID!) {
  invitePartner(challengeId: $challengeId, stakeholderId: $stakeholderId, message: "Would you join our project?") {
    id
    status
    challenge { title }
    stakeholder { name }
  }
}`,
      variables: { challengeId: ids.challengeId ?? PLACEHOLDER, stakeholderId: ids.stakeholderId ?? PLACEHOLDER },
      headers: portal.headers,
    },
  ];
}
