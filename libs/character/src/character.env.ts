import type { EnvVarSpec } from '#platform';

export const CHARACTER_ENV: readonly EnvVarSpec[] = [
  {
    name: 'CHARACTER_IMAGE_BASE_URL',
    kind: 'url',
    description: 'base URL of character artwork (`<base>/character/<cdn_code>.png`); unset → image_url null',
  },
];
