import { DataSource, EntityManager } from 'typeorm';
import { createApiKey } from '../domain/access/api-key.service';
import { Role } from '../domain/access/role';
import { createChallenge } from '../domain/challenge/challenge.service';
import { ChallengePhase, CheckScope, CheckType, PupilContact, StakeholderKind as K } from '../domain/enums';
import { recordCheck, verifyCheck } from '../domain/safeguarding/safeguarding.service';
import { createHub } from '../domain/hub/hub.service';
import { createMission } from '../domain/mission/mission.service';
import { createStakeholder } from '../domain/stakeholder/stakeholder.service';
import { ACTORS } from './demo-actors';

/** Who the demo's own writes are recorded under (the coordinator of the demo's first hub). */
const DEMO_SEED = { role: 'SEED' };

// The hubs of the demo network and who belongs to them.
const HUBS = [
  {
    name: 'Twente Open Science Hub',
    description: 'Schools, university and water board around Enschede',
    regionCode: 'NL-OV',
    members: [
      'zwering',
      'stedelijk',
      'tubbergen',
      'utwente',
      'saxion',
      'vechtstromen',
      'sensorlab',
      'tubantia',
      'natuurmonumenten',
      'boer',
      'rijksmuseum',
      'family-oldenzaal',
    ],
    coordinators: [{ name: 'Anouk de Vries', email: 'anouk@twente-hub.example.nl' }],
  },
  {
    name: 'Leuven Education Makers',
    description: 'City-wide network of education makers',
    regionCode: 'BE-VBR',
    members: ['sintpieter', 'kessel', 'kuleuven', 'imec', 'stadleuven', 'maakbaar', 'vrt', 'gezondheid', 'vito'],
    coordinators: [{ name: 'Pieter Claes', email: 'pieter@leuvenmakers.example.be' }],
  },
  {
    name: 'Limburg STEM Consortium',
    description: 'Universities, colleges and schools across the Dutch and Belgian Limburg',
    regionCode: 'NL-LI',
    members: ['heerlen', 'maastricht', 'uhasselt', 'kuleuven', 'genk'],
    coordinators: [{ name: 'Sanne Peeters', email: 'sanne@limburgstem.example.nl' }],
  },
];

/** The names of the demo network's hubs: a development start makes demo keys only for one of them. */
export const DEMO_HUB_NAMES: readonly string[] = HUBS.map((h) => h.name);

/** The origins a browser names for this service on `port` of this machine (none for a random port). */
export function demoOrigins(port: number): string[] {
  return port > 0 ? [`http://localhost:${port}`, `http://127.0.0.1:${port}`] : [];
}

/** Options for {@link seedDemo}. */
export interface SeedOptions {
  /**
   * Origins the demo's publishable key allows: the example page at /embed/example.html carries
   * that key when served from one of them. Empty: no key (the page then shows the widget keyless).
   * @default demoOrigins(4000), the origins of `npm start` with the default PORT
   */
  widgetOrigins?: readonly string[];
}

/** What {@link seedDemo} made. */
// A type, not an interface: it is logged as a plain record.
export type Seeded = {
  stakeholders: number;
  challenges: number;
  /** The demo's publishable key (public by design, like any page's, so it may be logged), if one was made. */
  publishableKey?: string;
};

/** Fills an empty database with the demo network; returns how many stakeholders it made. */
export async function seedDemo(dataSource: DataSource, options: SeedOptions = {}): Promise<Seeded> {
  // One transaction: an interrupted seed leaves nothing behind, so the next start seeds again.
  // Its writes go through the domain, so each lands in the outbox: servers relay them like any other.
  return dataSource.transaction((db) => seedInto(db, options.widgetOrigins ?? demoOrigins(4000)));
}

async function seedInto(db: EntityManager, widgetOrigins: readonly string[]): Promise<Seeded> {
  const ids = new Map<string, string>();
  for (const { key, ...input } of ACTORS) {
    // The demo family stands for one whose coordinator recorded their consent.
    ids.set(key, (await createStakeholder(db, { ...input, consentGiven: input.kind === K.FAMILY })).id);
  }
  const hubIds: string[] = [];
  for (const hub of HUBS) {
    const created = await createHub(db, { ...hub, memberIds: hub.members.map((m) => ids.get(m)!) });
    hubIds.push(created.id);
  }
  const climate = await createMission(db, {
    title: 'Climate-proof neighbourhoods',
    description: 'Pupils research how their area copes with heat, drought and floods',
    sdgs: [6, 11, 13],
  });
  const health = await createMission(db, { title: 'Healthy schools, healthy streets', sdgs: [3, 11] });
  const challenges = [
    {
      schoolId: ids.get('zwering')!,
      hubId: hubIds[0],
      missionId: climate.id,
      title: 'Our village floods every winter: what can pupils research?',
      description:
        'Streets near the school flood after heavy rain. Pupils want to measure water levels and propose fixes.',
      sdgs: [13, 6],
      expertiseNeeded: ['Hydrology', 'Sensors', 'Water management'],
      wantedKinds: [K.UNIVERSITY, K.GOVERNMENT, K.ENTREPRENEUR],
      radiusKm: 60,
      phase: ChallengePhase.STARTUP,
    },
    {
      schoolId: ids.get('stedelijk')!,
      hubId: hubIds[0],
      title: 'Solar panels on the gym roof: worth it?',
      sdgs: [7, 11],
      expertiseNeeded: ['Solar energy', 'Electronics'],
      wantedKinds: [K.UNIVERSITY, K.INDUSTRY, K.ENTREPRENEUR],
      phase: ChallengePhase.IDEA,
    },
    {
      schoolId: ids.get('tubbergen')!,
      hubId: hubIds[0],
      missionId: climate.id,
      title: 'Where have the bees gone from our fields?',
      sdgs: [15, 2],
      expertiseNeeded: ['Biodiversity', 'Ecology'],
      radiusKm: 40,
      phase: ChallengePhase.IDEA,
      // Pupils count bees in the fields with a partner, without a teacher: a check is needed.
      pupilContact: PupilContact.UNSUPERVISED,
    },
    {
      schoolId: ids.get('sintpieter')!,
      hubId: hubIds[1],
      missionId: health.id,
      title: 'How clean is the air on our way to school?',
      sdgs: [3, 11],
      expertiseNeeded: ['Air quality', 'Sensors', 'Data science'],
      wantedKinds: [K.RESEARCH_INSTITUTE, K.GOVERNMENT, K.MEDIA],
      radiusKm: 40,
      phase: ChallengePhase.DESIGN,
    },
    {
      schoolId: ids.get('kessel')!,
      hubId: hubIds[1],
      title: 'A repair café for school laptops',
      sdgs: [12, 9],
      expertiseNeeded: ['Electronics', 'Circular economy'],
      phase: ChallengePhase.IDEA,
    },
    {
      schoolId: ids.get('heerlen')!,
      hubId: hubIds[2],
      missionId: health.id,
      title: 'Healthy school canteen, chosen by pupils',
      sdgs: [3, 2],
      expertiseNeeded: ['Nutrition', 'Public health'],
      radiusKm: 80,
      phase: ChallengePhase.RUNNING,
    },
  ];
  for (const c of challenges) await createChallenge(db, c);
  // The nature NGO holds a verified VOG for everyone it sends; the water board holds none, so the
  // bee challenge (unsupervised contact, in a Dutch hub) suggests the one and holds back the other.
  const vog = await recordCheck(
    db,
    {
      stakeholderId: ids.get('natuurmonumenten')!,
      type: CheckType.VOG,
      scope: CheckScope.ORGANISATION,
      issuedOn: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10),
    },
    DEMO_SEED,
  );
  await verifyCheck(db, vog.id, DEMO_SEED);
  // The example portal page's key: publishable, so it may sit in public HTML; it reads only.
  const publishable = widgetOrigins.length
    ? await createApiKey(db, {
        name: 'Demo portal page (widget)',
        role: Role.PUBLISHABLE,
        allowedOrigins: [...widgetOrigins],
      })
    : undefined;
  return { stakeholders: ACTORS.length, challenges: challenges.length, publishableKey: publishable?.secret };
}
