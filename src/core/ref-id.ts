/** Reference ids: shown to a user (or written once) and logged with the details, so the two meet. */
import { randomBytes } from 'node:crypto';

export function newRefId(): string {
  return randomBytes(4).toString('hex');
}
