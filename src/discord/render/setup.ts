/** `/vt-config setup`'s report: one line per check (✅ / ⚠️ / ❌) and, first, exactly what to fix. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Translate } from '../../core/i18n.js';
import { COLOURS } from './card.js';

export interface Check {
  name: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do about it, when it is not ok. */
  fix?: string;
}

const MARK: Readonly<Record<Check['state'], string>> = Object.freeze({ ok: '✅', warn: '⚠️', fail: '❌' });

export function setupEmbed(checks: readonly Check[], tr: Translate): APIEmbed {
  const fixes = checks.filter((c) => c.state !== 'ok' && c.fix !== undefined).map((c, i) => `${String(i + 1)}. ${c.fix ?? ''}`);
  const failed = checks.some((c) => c.state === 'fail');
  const lines = checks.map((c) => `${MARK[c.state]} **${c.name}**: ${c.detail}`);
  const head = fixes.length === 0 ? tr('setup.allGood') : `**${tr('setup.toFix')}**\n${fixes.join('\n')}`;
  return {
    title: tr('setup.title'), color: failed ? COLOURS.malicious : fixes.length > 0 ? COLOURS.suspicious : COLOURS.clean,
    description: `${head}\n\n${lines.join('\n')}`.slice(0, 4096),
  };
}
