import { Initial1795400000000 } from '../../migrations/1795400000000-Initial';
import { ReferenceData1795400000001 } from '../../migrations/1795400000001-ReferenceData';
import { Matching1795400000002 } from '../../migrations/1795400000002-Matching';
import { MatchEvents1795400000003 } from '../../migrations/1795400000003-MatchEvents';
import { ExternalIds1795400000004 } from '../../migrations/1795400000004-ExternalIds';
import { Access1795400000005 } from '../../migrations/1795400000005-Access';
import { IdempotencyArguments1795400000010 } from '../../migrations/1795400000010-IdempotencyArguments';
import { Brokering1795400000011 } from '../../migrations/1795400000011-Brokering';
import { FrenchTitles1795400000012 } from '../../migrations/1795400000012-FrenchTitles';
import { ServiceArea1795400000013 } from '../../migrations/1795400000013-ServiceArea';
import { Outbox1795400000014 } from '../../migrations/1795400000014-Outbox';
import { MatchHighWater1795400000015 } from '../../migrations/1795400000015-MatchHighWater';
import { TrackEvidence1795400000023 } from '../../migrations/1795400000023-TrackEvidence';
import { PublishableKeys1795400000030 } from '../../migrations/1795400000030-PublishableKeys';
import { OpaqueActivityIds1795400000230 } from '../../migrations/1795400000230-OpaqueActivityIds';
import { Webhooks1795400000260 } from '../../migrations/1795400000260-Webhooks';
import { InvitationMail1795400000270 } from '../../migrations/1795400000270-InvitationMail';
import { TagLabels1795400000280 } from '../../migrations/1795400000280-TagLabels';
import { Safeguarding1795400000290 } from '../../migrations/1795400000290-Safeguarding';
import { ForgivingEntry1795400000300 } from '../../migrations/1795400000300-ForgivingEntry';
import { PointIndex1795400000310 } from '../../migrations/1795400000310-PointIndex';
import { MatchRowsCascade1795400000320 } from '../../migrations/1795400000320-MatchRowsCascade';
import { PendingChallenges1795400000330 } from '../../migrations/1795400000330-PendingChallenges';
import { DistinctEnumLists1795400000340 } from '../../migrations/1795400000340-DistinctEnumLists';
import { ErasedExternalIds1795400000350 } from '../../migrations/1795400000350-ErasedExternalIds';

/** Migrations in order, by reference: no globbing, so ts-jest and the compiled build agree. */
export const MIGRATIONS = [
  Initial1795400000000,
  ReferenceData1795400000001,
  Matching1795400000002,
  MatchEvents1795400000003,
  ExternalIds1795400000004,
  Access1795400000005,
  IdempotencyArguments1795400000010,
  Brokering1795400000011,
  FrenchTitles1795400000012,
  ServiceArea1795400000013,
  Outbox1795400000014,
  MatchHighWater1795400000015,
  TrackEvidence1795400000023,
  PublishableKeys1795400000030,
  OpaqueActivityIds1795400000230,
  Webhooks1795400000260,
  InvitationMail1795400000270,
  TagLabels1795400000280,
  Safeguarding1795400000290,
  ForgivingEntry1795400000300,
  PointIndex1795400000310,
  MatchRowsCascade1795400000320,
  PendingChallenges1795400000330,
  DistinctEnumLists1795400000340,
  ErasedExternalIds1795400000350,
];
