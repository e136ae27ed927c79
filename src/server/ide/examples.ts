/** An operation the IDE opens with, ready to run on the demo data. */
export interface ExampleOperation {
  query: string;
  variables?: Record<string, unknown>;
}

/** The IDE's first tabs: one per everyday use. */
export const EXAMPLE_OPERATIONS: ExampleOperation[] = [
  {
    query: `# Open challenges posed by schools, with what they need
query OpenChallenges {
  challenges(first: 10, filter: { phases: [IDEA, STARTUP, DESIGN] }) {
    totalCount
    edges {
      node {
        id
        title
        phase
        school { name city }
        sdgs { code title }
        expertiseNeeded { label }
        wantedKinds
        radiusKm
      }
    }
  }
}`,
  },
  {
    query: `# Partners near Enschede that work on climate action (SDG 13)
query PartnersNearby($near: NearInput!) {
  stakeholders(first: 20, filter: { sdgs: [13], near: $near }) {
    totalCount
    edges {
      node { name kind city region { code name } expertise { label } }
    }
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
    query: `# Hubs and their members
query Hubs {
  hubs {
    name
    region { name }
    members { name kind }
  }
}`,
  },
];
