import { ApiKey } from '../domain/access/api-key.entity';
import { Challenge } from '../domain/challenge/challenge.entity';
import { Expertise } from '../domain/expertise/expertise.entity';
import { Hub, HubCoordinator, HubMember } from '../domain/hub/hub.entity';
import { Mission } from '../domain/mission/mission.entity';
import { Partnership, PartnershipEvent } from '../domain/partnership/partnership.entity';
import { Region } from '../domain/region/region.entity';
import { Sdg } from '../domain/sdg/sdg.entity';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { Activity, Dismissal, ShortlistEntry } from '../domain/brokering/brokering.entity';
import { WebhookDelivery, WebhookEndpoint } from '../domain/webhook/webhook.entity';
import { SafeguardingCheck } from '../domain/safeguarding/safeguarding-check.entity';

/** Every TypeORM entity, listed by reference so compiled and ts-jest runs see the same set. */
export const ENTITIES = [
  Sdg,
  Region,
  Expertise,
  Stakeholder,
  Hub,
  HubMember,
  HubCoordinator,
  Mission,
  Challenge,
  Partnership,
  PartnershipEvent,
  ApiKey,
  ShortlistEntry,
  Dismissal,
  Activity,
  WebhookEndpoint,
  WebhookDelivery,
  SafeguardingCheck,
];
