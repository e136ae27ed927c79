import { Field, ID, InputType, Int } from 'type-graphql';
import { CheckScope, CheckType, PupilContact } from '../../domain/enums';

@InputType({ description: 'The fact of a safeguarding check: never the document or its number' })
export class RecordSafeguardingCheckInput {
  @Field(() => ID)
  stakeholderId: string;

  @Field(() => CheckType)
  type: CheckType;

  @Field(() => String, { nullable: true, description: "The check's name: required for OTHER, refused otherwise" })
  label?: string | null;

  @Field(() => CheckScope)
  scope: CheckScope;

  @Field({ description: 'Date issued, YYYY-MM-DD, not in the future' })
  issuedOn: string;
}

@InputType({ description: "A hub's safeguarding policy; absent fields stay" })
export class SafeguardingPolicyInput {
  @Field(() => [PupilContact], {
    nullable: true,
    description: 'Contact levels whose partners need a check (default UNSUPERVISED and REGULAR)',
  })
  contactLevels?: PupilContact[] | null;

  @Field(() => [CheckType], {
    nullable: true,
    description: "Check types that count; empty: the defaults of the hub's country",
  })
  checkTypes?: CheckType[] | null;

  @Field(() => Int, { nullable: true, description: 'How old a check may be, 1 to 120 months (default 36)' })
  maxAgeMonths?: number | null;
}
