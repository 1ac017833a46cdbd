import { PermanentFailure } from '#platform';

/**
 * The stored object is not an allowed image (wrong real type, undecodable, too large) or no longer
 * exists. Retrying cannot help, so a queue handler that lets it escape dead-letters at once.
 */
export class InvalidImage extends PermanentFailure {
  override readonly name = 'InvalidImage';
}
