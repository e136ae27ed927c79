/** An operation the IDE opens with, ready to run on the demo data. */
export interface ExampleOperation {
  query: string;
  variables?: Record<string, unknown>;
}

/** Ids from the database that make the examples runnable as they open. */
export interface ExampleIds {
  challengeId?: string;
  stakeholderId?: string;
  /** The example challenge's hub, for the coordinator's tabs. */
  hubId?: string;
}

const PLACEHOLDER = 'paste-an-id-from-the-challenges-query';

/** The IDE's first tabs: one per everyday use. */
export function exampleOperations(ids: ExampleIds = {}): ExampleOperation[] {
  return [
    {
      query: `# Partners worth asking for a challenge, best first, with the reasons.
# Reads need no key; for writes put {"Authorization": "Bearer <your key>"} in the Headers tab below.
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
      query: `# Live: new partners that fit the challenge (keep this tab running, then add a partner)
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
# Needs the hub's COORDINATOR key (or ADMIN): {"Authorization": "Bearer <key>"} in the Headers tab.
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
    },
    {
      query: `# The brokering loop: a challenge's shortlist and dismissals, and who did what in the hub.
# Shortlist with shortlistPartner, rule out with dismissSuggestion, draft with invitationDraft,
# introduce with invitePartner, close with completePartnership. Needs the hub's COORDINATOR key.
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
    },
  ];
}
