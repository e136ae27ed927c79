import { DomainError } from '../../src/domain/errors';
import {
  closeSpellings,
  geocodeCity,
  loadGazetteer,
  MAX_PLACE_SUGGESTIONS,
  nearestPlace,
  suggestPlaces,
  wordMatches,
} from '../../src/domain/geo/gazetteer';
import { editDistance, foldText } from '../../src/domain/text';

describe('offline gazetteer', () => {
  it.each([
    ['Leuven', 'BE', 50.88, 4.7, 'BE-VBR'],
    ['leuven', 'be', 50.88, 4.7, 'BE-VBR'],
    ['Enschede', 'NL', 52.22, 6.9, 'NL-OV'],
    ['Namur', 'BE', 50.47, 4.87, 'BE-WNA'],
    ['Brussels', 'BE', 50.85, 4.35, 'BE-BRU'],
    ['Maastricht', 'NL', 50.85, 5.69, 'NL-LI'],
    ['Antwerpen', 'BE', 51.22, 4.4, 'BE-VAN'],
    ['Gent', 'BE', 51.05, 3.72, 'BE-VOV'],
    ['Lyon', 'FR', 45.75, 4.85, 'FR'],
  ])('%s, %s', (city, country, lat, lon, region) => {
    const place = geocodeCity(city, country);
    expect(place.latitude).toBeCloseTo(lat, 0);
    expect(place.longitude).toBeCloseTo(lon, 0);
    expect(place.regionCode).toBe(region);
  });

  it('resolves a shared name to the most populous place in that country', () => {
    // Two Dutch towns are called Hengelo: the city in Overijssel (~80,000) and a village in Gelderland.
    const place = geocodeCity('Hengelo', 'NL');
    expect(place.regionCode).toBe('NL-OV');
    expect(place.population).toBeGreaterThan(50000);
    expect(geocodeCity('Rijswijk', 'NL').regionCode).toBe('NL-ZH');
  });

  it('names close spellings of an unknown city', () => {
    let error: unknown;
    try {
      geocodeCity('Leuvn', 'BE', 'input.city');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).field).toBe('input.city');
    expect((error as DomainError).message).toMatch(
      /^input\.city "Leuvn" is not a known city in BE; did you mean .*"Leuven"/,
    );
  });

  it.each([
    ['Leuvn', 'BE'],
    ['Enschde', 'NL'],
    ['Maastrict', 'NL'],
    ['Brusels', 'BE'],
    ['Gant', 'BE'],
    ['x', 'BE'],
    ['Sint-Truiden-aan-de-Maas', 'BE'],
    ['Hengelo (Gelderland)', 'NL'],
    ['A'.repeat(100), 'NL'],
  ])('suggests for %j in %s exactly what a full comparison with every name would', (name, country) => {
    // The reference: every name of the country, full edit distance, same bound and order.
    const folded = foldText(name);
    const bound = Math.max(2, Math.floor(folded.length / 3));
    const names = [
      ...new Set(
        loadGazetteer()
          .places.filter((p) => p.country === country)
          .map((p) => p.name),
      ),
    ];
    const expected = names
      .map((n) => [n, editDistance(folded, foldText(n))] as const)
      .filter(([, d]) => d <= bound)
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([n]) => n);
    expect(closeSpellings(name, country)).toEqual(expected);
  });

  it.each([
    // A part of a town that the gazetteer does not list: the town named after it, nearby.
    ['Heverlee', 'BE', ['Oud-Heverlee']],
    ['heverlee', 'BE', ['Oud-Heverlee']],
    // A start of a name; accents and case do not count.
    ['Leuv', 'BE', ['Leuven']],
    ['LIÈG', 'BE', ['Liège', 'Mons-lez-Liège']],
    // A name with more to it than the listed one.
    ['Kessel-Lo', 'NL', ['Kessel']],
    ['Amsterdam Zuidoost', 'NL', ['Amsterdam']],
  ])('suggests for %j in %s names that share its words: %j', (name, country, expected) => {
    expect(wordMatches(name, country)).toEqual(expected);
    expect(suggestPlaces(name, country)).toEqual(expect.arrayContaining(expected));
  });

  it.each([
    ['Heverlee', 'BE', 'input.city', 'input.location { latitude, longitude } instead of the city', /Oud-Heverlee/],
    ['Leuvn', 'BE', 'city', 'the latitude and longitude columns instead of the city', /"Leuven"/],
    ['Qqqqqqq', 'NL', 'input.city', 'input.location { latitude, longitude } instead of the city', /check the spelling/],
  ])(
    'an unknown %j in %s names %s, suggestions and the coordinates to give instead',
    (city, cc, field, instead, hint) => {
      let error: unknown;
      try {
        geocodeCity(city, cc, field, instead);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      const { message, field: at } = error as DomainError;
      expect(at).toBe(field);
      expect(message.startsWith(`${field} "${city}" is not a known city in ${cc}; `)).toBe(true);
      expect(message).toMatch(hint);
      expect(message.endsWith(`give ${instead}`)).toBe(true);
    },
  );

  it('bounds suggestions: at most five names, and a long name is cut before any work', () => {
    for (const name of ['Sint', 'Heer', 'Berg', 'A'.repeat(100_000), `${'Leuven '.repeat(5000)}x`]) {
      expect(suggestPlaces(name, 'BE').length).toBeLessThanOrEqual(MAX_PLACE_SUGGESTIONS);
    }
    expect(suggestPlaces('Sint', 'BE')).toHaveLength(MAX_PLACE_SUGGESTIONS);
    expect(() => geocodeCity('Q'.repeat(100_000), 'NL')).toThrow(/^city "Q{100}…" is not a known city in NL; /);
  });

  it('finds the nearest place to a point', () => {
    expect(nearestPlace(52.2215, 6.8937).name).toBe('Enschede');
  });
});

describe('nearestPlace', () => {
  it('agrees with a scan of every place, at points across Europe and beyond', () => {
    const { places } = loadGazetteer();
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    // Dense Europe, the whole world (oceans too: the 1° search after the 0.1° one), and points on
    // the lines between 0.1° cells.
    for (let i = 0; i < 400; i++) {
      const world = i >= 250 && i < 350;
      let lat = world ? -60 + random() * 120 : 35 + random() * 35;
      let lon = world ? -180 + random() * 360 : -10 + random() * 40;
      if (i >= 350) [lat, lon] = [Math.round(lat * 10) / 10, Math.round(lon * 10) / 10];
      const cos = Math.cos((lat * Math.PI) / 180);
      let best = places[0];
      let bestD = Infinity;
      for (const p of places) {
        const d = (p.latitude - lat) ** 2 + ((p.longitude - lon) * cos) ** 2;
        if (d < bestD) {
          bestD = d;
          best = p;
        }
      }
      const found = nearestPlace(lat, lon);
      const foundD = (found.latitude - lat) ** 2 + ((found.longitude - lon) * cos) ** 2;
      expect(foundD).toBeCloseTo(bestD, 9);
      expect(best).toBeDefined();
    }
  });
});
