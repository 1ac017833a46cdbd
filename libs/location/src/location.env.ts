import type { EnvVarSpec } from '#platform';

export const LOCATION_ENV: readonly EnvVarSpec[] = [
  {
    name: 'KAKAO_REST_API_KEY',
    kind: 'string',
    secret: true,
    description:
      'Kakao Local REST key: when set, /locations/search and /suggest merge in Kakao keyword results',
  },
  {
    name: 'KAKAO_LOCAL_BASE_URL',
    kind: 'url',
    default: 'https://dapi.kakao.com',
    description: 'base URL of the Kakao Local API (tests point it at a local stub)',
  },
  {
    name: 'KAKAO_TIMEOUT_MS',
    kind: 'int',
    default: '2000',
    min: 100,
    max: 30000,
    description: 'timeout of one Kakao Local request; on timeout or error search answers from our data alone',
  },
  {
    name: 'LOCATION_IMPORT_SHIPPED_SITES',
    kind: 'bool',
    default: 'true',
    description:
      'import the KECO sites file shipped in data/locations at boot when that exact file was never imported',
  },
  {
    name: 'LOCATION_INDEX_REFRESH_SECONDS',
    kind: 'int',
    default: '30',
    min: 1,
    max: 86400,
    description:
      'embedded default: how often the in-memory site index checks whether another process imported sites',
  },
];
