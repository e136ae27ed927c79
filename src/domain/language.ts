import { registerEnumType } from 'type-graphql';

/** Languages reasons and labels are written in: the seed networks work in Dutch, French and English. */
export enum Language {
  EN = 'EN',
  NL = 'NL',
  FR = 'FR',
}

registerEnumType(Language, { name: 'Language', description: 'A language reasons and labels are written in' });

/**
 * The language a request asks for in `Accept-Language` (highest quality first, e.g.
 * "nl-BE,nl;q=0.9,en;q=0.8"), or English when none of ours is named.
 */
export function languageOf(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return Language.EN;
  const ranked = acceptLanguage
    .slice(0, 200)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { code: tag.trim().slice(0, 2).toUpperCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0 && x.code in Language)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.code as Language | undefined) ?? Language.EN;
}
