import { DataSource, EntityManager } from 'typeorm';
import { createChallenge } from '../domain/challenge/challenge.service';
import { ChallengePhase, StakeholderKind as K, UnderservedContext as U } from '../domain/enums';
import { createHub } from '../domain/hub/hub.service';
import { createMission } from '../domain/mission/mission.service';
import { createStakeholder } from '../domain/stakeholder/stakeholder.service';
import type { CreateStakeholderCommand } from '../domain/commands';

type Actor = Omit<CreateStakeholderCommand, 'kind'> & { kind: K; key: string };

const NL = 'NL';
const BE = 'BE';

// A small, plausible network around Twente (NL), Leuven (BE) and Limburg (NL/BE): enough for
// every query in the IDE to return something worth reading.
const ACTORS: Actor[] = [
  {
    key: 'zwering',
    kind: K.SCHOOL,
    name: 'Het Zweringcollege',
    city: 'Oldenzaal',
    countryCode: NL,
    sdgs: [6, 13],
    expertise: [],
    languages: ['nl'],
    educationLevels: [2, 3],
    underservedContexts: [U.GEOGRAPHIC_ISOLATION],
    contactEmail: 'info@zwering.example.nl',
  },
  {
    key: 'stedelijk',
    kind: K.SCHOOL,
    name: 'Stedelijk Lyceum Enschede',
    city: 'Enschede',
    countryCode: NL,
    sdgs: [7, 11],
    expertise: [],
    languages: ['nl', 'en'],
    educationLevels: [2, 3],
  },
  {
    key: 'tubbergen',
    kind: K.SCHOOL,
    name: 'Basisschool De Esch',
    city: 'Tubbergen',
    countryCode: NL,
    sdgs: [15, 2],
    expertise: [],
    languages: ['nl'],
    educationLevels: [1],
    underservedContexts: [U.GEOGRAPHIC_ISOLATION],
  },
  {
    key: 'sintpieter',
    kind: K.SCHOOL,
    name: 'Sint-Pieterscollege Leuven',
    city: 'Leuven',
    countryCode: BE,
    sdgs: [3, 11],
    expertise: [],
    languages: ['nl'],
    educationLevels: [2, 3],
    underservedContexts: [U.SOCIO_ECONOMIC, U.ETHNIC_MINORITY],
  },
  {
    key: 'kessel',
    kind: K.SCHOOL,
    name: 'GO! Atheneum Kessel-Lo',
    city: 'Leuven',
    countryCode: BE,
    sdgs: [7, 12],
    expertise: [],
    languages: ['nl', 'fr'],
    educationLevels: [2, 3],
  },
  {
    key: 'heerlen',
    kind: K.SCHOOL,
    name: 'Bernardinuscollege Heerlen',
    city: 'Heerlen',
    countryCode: NL,
    sdgs: [3, 8],
    expertise: [],
    languages: ['nl', 'de'],
    educationLevels: [2, 3],
    underservedContexts: [U.SOCIO_ECONOMIC],
  },

  {
    key: 'utwente',
    kind: K.UNIVERSITY,
    name: 'University of Twente – Water Engineering',
    city: 'Enschede',
    countryCode: NL,
    sdgs: [6, 13, 9],
    expertise: ['Hydrology', 'Water management', 'Sensors'],
    languages: ['nl', 'en'],
    educationLevels: [2, 3, 6, 7],
    capacity: 5,
  },
  {
    key: 'saxion',
    kind: K.UNIVERSITY,
    name: 'Saxion University of Applied Sciences',
    city: 'Deventer',
    countryCode: NL,
    sdgs: [7, 9, 11],
    expertise: ['Solar energy', 'Electronics', 'Urban planning'],
    languages: ['nl', 'en'],
    educationLevels: [2, 3, 6],
  },
  {
    key: 'vechtstromen',
    kind: K.GOVERNMENT,
    name: 'Waterschap Vechtstromen',
    city: 'Almelo',
    countryCode: NL,
    sdgs: [6, 13, 15],
    expertise: ['Water management', 'Flood protection', 'Biodiversity'],
    languages: ['nl'],
    capacity: 4,
  },
  {
    key: 'sensorlab',
    kind: K.ENTREPRENEUR,
    name: 'SensorLab Twente',
    city: 'Hengelo',
    countryCode: NL,
    sdgs: [9, 13],
    expertise: ['Sensors', 'Programming', 'Data science'],
    languages: ['nl', 'en'],
    educationLevels: [2, 3],
    capacity: 2,
  },
  {
    key: 'tubantia',
    kind: K.MEDIA,
    name: 'Tubantia regional newsroom',
    city: 'Enschede',
    countryCode: NL,
    sdgs: [11, 16],
    expertise: ['Journalism', 'Science communication'],
    languages: ['nl'],
  },
  {
    key: 'natuurmonumenten',
    kind: K.CIVIL_SOCIETY,
    name: 'Natuur en Milieu Overijssel',
    city: 'Zwolle',
    countryCode: NL,
    sdgs: [13, 15, 6],
    expertise: ['Ecology', 'Biodiversity', 'Citizen science'],
    languages: ['nl'],
  },
  {
    key: 'boer',
    kind: K.INDUSTRY,
    name: 'Twentse Melkveehouderij Coöperatie',
    city: 'Almelo',
    countryCode: NL,
    sdgs: [2, 12, 15],
    expertise: ['Urban agriculture', 'Soil science'],
    languages: ['nl'],
    capacity: 1,
  },
  {
    key: 'rijksmuseum',
    kind: K.CULTURAL_INSTITUTION,
    name: 'Rijksmuseum Twenthe',
    city: 'Enschede',
    countryCode: NL,
    sdgs: [4, 11],
    expertise: ['Local history', 'Graphic design'],
    languages: ['nl', 'en'],
  },
  {
    key: 'family-oldenzaal',
    kind: K.FAMILY,
    name: 'Familie Jansen',
    city: 'Oldenzaal',
    countryCode: NL,
    sdgs: [6, 13],
    expertise: ['Civil engineering'],
    languages: ['nl'],
    capacity: 1,
  },

  {
    key: 'kuleuven',
    kind: K.UNIVERSITY,
    name: 'KU Leuven – Department of Earth and Environmental Sciences',
    city: 'Leuven',
    countryCode: BE,
    sdgs: [6, 13, 15],
    expertise: ['Hydrology', 'Soil science', 'Climate adaptation'],
    languages: ['nl', 'en'],
    educationLevels: [2, 3, 6, 7, 8],
    capacity: 6,
  },
  {
    key: 'imec',
    kind: K.RESEARCH_INSTITUTE,
    name: 'imec',
    city: 'Leuven',
    countryCode: BE,
    sdgs: [3, 9],
    expertise: ['Sensors', 'Electronics', 'Artificial intelligence'],
    languages: ['nl', 'en'],
    educationLevels: [2, 3],
    capacity: 3,
  },
  {
    key: 'vito',
    kind: K.RESEARCH_INSTITUTE,
    name: 'VITO – Flemish Institute for Technological Research',
    city: 'Mol',
    countryCode: BE,
    sdgs: [7, 12, 13],
    expertise: ['Energy efficiency', 'Circular economy', 'Air quality'],
    languages: ['nl', 'en'],
  },
  {
    key: 'stadleuven',
    kind: K.GOVERNMENT,
    name: 'Stad Leuven – Klimaat en Duurzaamheid',
    city: 'Leuven',
    countryCode: BE,
    sdgs: [11, 13, 7],
    expertise: ['Urban planning', 'Mobility', 'Climate adaptation'],
    languages: ['nl', 'fr', 'en'],
  },
  {
    key: 'maakbaar',
    kind: K.ENTREPRENEUR,
    name: 'Maakbaar Leuven FabLab',
    city: 'Leuven',
    countryCode: BE,
    sdgs: [9, 12],
    expertise: ['3D printing', 'Robotics', 'Programming'],
    languages: ['nl', 'en'],
    educationLevels: [1, 2, 3],
  },
  {
    key: 'vrt',
    kind: K.MEDIA,
    name: 'Karrewiet (VRT youth news)',
    city: 'Brussels',
    countryCode: BE,
    sdgs: [4, 16],
    expertise: ['Video production', 'Journalism'],
    languages: ['nl'],
  },
  {
    key: 'gezondheid',
    kind: K.CIVIL_SOCIETY,
    name: 'Gezond Leven Vlaanderen',
    city: 'Brussels',
    countryCode: BE,
    sdgs: [3, 2],
    expertise: ['Public health', 'Nutrition', 'Mental health'],
    languages: ['nl'],
  },
  {
    key: 'maastricht',
    kind: K.UNIVERSITY,
    name: 'Maastricht University – Health, Medicine and Life Sciences',
    city: 'Maastricht',
    countryCode: NL,
    sdgs: [3, 10],
    expertise: ['Public health', 'Nutrition', 'Data science'],
    languages: ['nl', 'en', 'de'],
    educationLevels: [3, 6, 7],
  },
  {
    key: 'uhasselt',
    kind: K.UNIVERSITY,
    name: 'UHasselt – Energy Ville',
    city: 'Genk',
    countryCode: BE,
    sdgs: [7, 9],
    expertise: ['Solar energy', 'Energy efficiency'],
    languages: ['nl', 'en'],
  },
];

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
    members: ['heerlen', 'maastricht', 'uhasselt', 'kuleuven'],
    coordinators: [{ name: 'Sanne Peeters', email: 'sanne@limburgstem.example.nl' }],
  },
];

/** Fills an empty database with the demo network; returns how many stakeholders it made. */
export async function seedDemo(dataSource: DataSource): Promise<{ stakeholders: number; challenges: number }> {
  // One transaction: an interrupted seed leaves nothing behind, so the next start seeds again.
  return dataSource.transaction((db) => seedInto(db));
}

async function seedInto(db: EntityManager): Promise<{ stakeholders: number; challenges: number }> {
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
  return { stakeholders: ACTORS.length, challenges: challenges.length };
}
