import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { ApiKey } from '../../domain/access/api-key.entity';
import { createApiKey, revokeApiKey } from '../../domain/access/api-key.service';
import { Role } from '../../domain/access/role';
import { MUTATION_ROLES, QUERY_ROLES } from '../access';
import { Context } from '../context';

@InputType({
  description:
    'A new API key: secret (osm_…) for an administrator, a coordinator or a partner portal’s server; ' +
    'publishable (pk_…, role PUBLISHABLE) for a public page such as the widget',
})
export class CreateApiKeyInput {
  @Field({ description: 'Who holds it, e.g. "KU Leuven outreach portal"' })
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => [ID], {
    nullable: true,
    description: 'Hubs it acts for; required for COORDINATOR and PORTAL, empty for ADMIN and PUBLISHABLE',
  })
  hubIds?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Browser origins it may be used from, e.g. https://portal.example.org; required for PUBLISHABLE, ' +
      'which is refused without an Origin header or from any other origin',
  })
  allowedOrigins?: string[] | null;
}

@ObjectType({
  description:
    'A new key and its text: store a secret key now, it is never shown again (a publishable one stays in apiKeys)',
})
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'Send as Authorization: Bearer <secret> (a widget takes it as its api-key attribute)' })
  secret: string;
}

@ObjectType({ description: 'Who the current request speaks for' })
export class ViewerInfo {
  @Field({ description: 'ADMIN, COORDINATOR, PORTAL, PUBLISHABLE, or PUBLIC without a key' })
  role: string;

  @Field(() => [ID])
  hubIds: readonly string[];

  @Field(() => ID, { nullable: true })
  apiKeyId?: string;
}

@Resolver()
export class ApiKeyResolver {
  @Query(() => ViewerInfo, { description: 'Who this request speaks for: check a key before using it' })
  viewer(@Ctx() { viewer }: Context): ViewerInfo {
    return { role: viewer.role, hubIds: viewer.hubIds, apiKeyId: viewer.keyId };
  }

  @Authorized(QUERY_ROLES.apiKeys)
  @Query(() => [ApiKey], { description: 'ADMIN: every API key, newest first (secrets are never shown)' })
  apiKeys(@Ctx() { dataSource }: Context): Promise<ApiKey[]> {
    return dataSource.getRepository(ApiKey).find({ order: { createdAt: 'DESC', id: 'ASC' }, take: 1000 });
  }

  @Authorized(MUTATION_ROLES.createApiKey)
  @Mutation(() => CreatedApiKey, { description: 'ADMIN: creates a key; a secret key’s text is in this answer only' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() { dataSource }: Context) {
    return createApiKey(dataSource.manager, input);
  }

  @Authorized(MUTATION_ROLES.revokeApiKey)
  @Mutation(() => ApiKey, { description: 'ADMIN: revokes a key at once, closing its open WebSocket connections' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const key = await revokeApiKey(ctx.dataSource.manager, id);
    return key;
  }
}
