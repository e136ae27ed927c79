import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { CONTEXT_LABELS, KIND_LABELS } from '../../domain/labels';
import { Expertise } from '../../domain/expertise/expertise.entity';
import { searchExpertise } from '../../domain/expertise/expertise.service';
import { Region } from '../../domain/region/region.entity';
import { listRegions } from '../../domain/region/region.service';
import { Sdg } from '../../domain/sdg/sdg.entity';
import { Context } from '../context';
import { loadOrNull } from '../loaders';
import { Language } from '../../domain/language';
import { pageSize } from '../list-bounds';

/** An SDG's title in a language. */
export function sdgTitle(s: Sdg, lang: Language): string {
  return lang === Language.NL ? s.titleNl : lang === Language.FR ? s.titleFr : s.title;
}

@Resolver(() => Sdg)
export class SdgResolver {
  @FieldResolver(() => String, { description: "Title (default: the request's Accept-Language, else English)" })
  title(
    @Root() s: Sdg,
    @Ctx() ctx: Context,
    @Arg('lang', () => Language, { nullable: true }) lang?: Language | null,
  ): string {
    return sdgTitle(s, lang ?? ctx.lang);
  }

  @Query(() => [Sdg], { description: 'The 17 UN Sustainable Development Goals' })
  sdgs(@Ctx() { dataSource }: Context): Promise<Sdg[]> {
    return dataSource.getRepository(Sdg).find({ order: { id: 'ASC' } });
  }
}

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], {
    description: 'Countries and subdivisions; give a country code for one country and its subdivisions',
  })
  regions(
    @Ctx() { dataSource }: Context,
    @Arg('countryCode', () => String, { nullable: true }) countryCode?: string | null,
  ): Promise<Region[]> {
    return listRegions(dataSource.manager, countryCode);
  }

  @Query(() => Region, { nullable: true })
  region(@Ctx() { loaders }: Context, @Arg('code', () => String) code: string): Promise<Region | null> {
    return loadOrNull(loaders.region, code.trim().toUpperCase());
  }

  @FieldResolver(() => Region, {
    nullable: true,
    description: 'The country a subdivision belongs to, or the larger subdivision',
  })
  parent(@Root() region: Region, @Ctx() { loaders }: Context): Promise<Region> | null {
    return region.parentCode ? loaders.region.load(region.parentCode) : null;
  }
}

@Resolver(() => Expertise)
export class ExpertiseResolver {
  @Query(() => [Expertise], { description: 'Expertise tags, best match first when searching' })
  expertise(
    @Ctx() { dataSource }: Context,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first = 50,
  ): Promise<Expertise[]> {
    return searchExpertise(dataSource.manager, search ?? undefined, pageSize('Query.expertise', first, 1));
  }

  @FieldResolver(() => Expertise, { nullable: true, description: 'The broader tag, e.g. "Water" for "Hydrology"' })
  parent(@Root() e: Expertise, @Ctx() { loaders }: Context): Promise<Expertise> | null {
    return e.parentId ? loaders.expertise.load(e.parentId) : null;
  }
}

@ObjectType({ description: 'A value and how people read it' })
export class Label {
  @Field()
  value: string;

  @Field()
  label: string;
}

@ObjectType({ description: 'Labels of stakeholder kinds and underserved contexts in one language' })
export class Labels {
  @Field(() => Language)
  lang: Language;

  @Field(() => [Label])
  kinds: Label[];

  @Field(() => [Label])
  contexts: Label[];
}

@Resolver()
export class LabelResolver {
  @Query(() => Labels, {
    description: "Labels for kinds and contexts (default: the request's Accept-Language, else English)",
  })
  labels(@Ctx() ctx: Context, @Arg('lang', () => Language, { nullable: true }) lang?: Language | null): Labels {
    const l = lang ?? ctx.lang;
    const table = (t: Record<string, Record<Language, string>>) =>
      Object.entries(t).map(([value, words]) => ({ value, label: words[l] }));
    return { lang: l, kinds: table(KIND_LABELS), contexts: table(CONTEXT_LABELS) };
  }
}
