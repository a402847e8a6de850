/**
 * The settings a moderator can change with `/vt-config set`, as users see them (snake_case), and
 * the parsing of what they type. Errors are short and show a valid example.
 */
import { LOCALES, translator, type LocaleCode } from '../core/i18n.js';

export type Action = 'none' | 'react' | 'reply' | 'delete';
const ACTIONS: readonly Action[] = ['none', 'react', 'reply', 'delete'];

/** Each setting's value type, by the name users see. */
export interface SettingValues {
  autoscan_links: boolean;
  autoscan_attachments: boolean;
  upload_files: boolean;
  submit_urls: boolean;
  malicious_threshold: number;
  action: Action;
  report_clean: boolean;
  log_channel: string | null;
  member_rate: number;
  autoscan_reserve: number;
  language: LocaleCode | null;
}

export type SettingName = keyof SettingValues;
export type SettingValue<N extends SettingName> = SettingValues[N];

export interface SettingMeta<N extends SettingName = SettingName> {
  name: N;
  /** The GuildSettings field it sets. */
  field: 'autoscanLinks' | 'autoscanAttachments' | 'uploadFiles' | 'submitUrls' | 'maliciousThreshold' | 'action' | 'reportClean' | 'logChannel'
    | 'memberRate' | 'autoscanReserve' | 'language';
  type: 'boolean' | 'number' | 'choice' | 'channel' | 'language';
  /** For numbers: the smallest and largest whole number accepted. */
  range?: readonly [number, number];
  description: string;
  example: string;
  /** Whether a (stored) value is acceptable for this setting. */
  valid(value: unknown): value is SettingValues[N];
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const wholeIn = (min: number, max: number) => (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isThreshold = wholeIn(1, 70);
const isAction = (v: unknown): v is Action => typeof v === 'string' && (ACTIONS as readonly string[]).includes(v);
const isChannel = (v: unknown): v is string | null => v === null || (typeof v === 'string' && /^\d{15,22}$/.test(v));
const isLanguage = (v: unknown): v is LocaleCode | null => v === null || (typeof v === 'string' && (LOCALES as readonly string[]).includes(v));

/** Every changeable setting, in the order `/vt-config set` offers them. */
export const SETTINGS: { readonly [N in SettingName]: SettingMeta<N> } = Object.freeze({
  autoscan_links: { name: 'autoscan_links', field: 'autoscanLinks', type: 'boolean', description: 'Scan links, domains and IPs in new messages', example: 'on', valid: isBoolean },
  autoscan_attachments: { name: 'autoscan_attachments', field: 'autoscanAttachments', type: 'boolean', description: 'Look attachments up by their hash', example: 'on', valid: isBoolean },
  upload_files: { name: 'upload_files', field: 'uploadFiles', type: 'boolean', description: "Upload files VirusTotal hasn't seen (they become visible to VirusTotal's customers)", example: 'off', valid: isBoolean },
  submit_urls: { name: 'submit_urls', field: 'submitUrls', type: 'boolean', description: "Submit links VirusTotal hasn't seen", example: 'on', valid: isBoolean },
  malicious_threshold: { name: 'malicious_threshold', field: 'maliciousThreshold', type: 'number', range: [1, 70], description: 'Engines saying malicious before the verdict is malicious (1–70)', example: '3', valid: isThreshold },
  action: { name: 'action', field: 'action', type: 'choice', description: 'What to do with a flagged message: none, react, reply or delete', example: 'reply', valid: isAction },
  report_clean: { name: 'report_clean', field: 'reportClean', type: 'boolean', description: 'Also answer when everything is clean', example: 'off', valid: isBoolean },
  log_channel: { name: 'log_channel', field: 'logChannel', type: 'channel', description: 'Where flagged items and votes are logged (a channel, or none)', example: '#mod-log', valid: isChannel },
  member_rate: { name: 'member_rate', field: 'memberRate', type: 'number', range: [1, 100], description: 'Look-ups one member may start with commands, the context menu and Rescan per 10 minutes (Manage Messages: no limit)', example: '5', valid: wholeIn(1, 100) },
  autoscan_reserve: { name: 'autoscan_reserve', field: 'autoscanReserve', type: 'number', range: [0, 100], description: "Percent of the day's VirusTotal quota commands cannot spend, kept for auto-scan (0–100)", example: '30', valid: wholeIn(0, 100) },
  language: { name: 'language', field: 'language', type: 'language', description: "Language of what the bot posts on its own (auto-scan, log channel): a locale such as de, fr, pt-BR, or auto for the server's", example: 'de', valid: isLanguage },
});

export type ParseResult<V> = { ok: true; value: V } | { ok: false; error: string };

/** Whether `name` is a setting users can change. */
export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

/** Parses what a moderator typed for `name`; the error is in `locale` (a Discord locale; English by default). */
export function parseSettingValue<N extends SettingName>(name: N, raw: string, locale?: string): ParseResult<SettingValue<N>> {
  const value = parseRaw(SETTINGS[name].type, raw.trim().toLowerCase());
  if (value === undefined || !SETTINGS[name].valid(value)) return { ok: false, error: errorFor(name, locale) };
  return { ok: true, value };
}

function parseRaw(type: SettingMeta['type'], text: string): unknown {
  switch (type) {
    case 'boolean':
      if (['on', 'true', 'yes', 'enable', 'enabled', '1'].includes(text)) return true;
      if (['off', 'false', 'no', 'disable', 'disabled', '0'].includes(text)) return false;
      return undefined;
    case 'number':
      return /^\d+$/.test(text) ? Number(text) : undefined;
    case 'choice':
      return text;
    case 'channel': {
      if (text === 'none' || text === 'off') return null;
      const id = /^(?:<#)?(\d{15,22})>?$/.exec(text)?.[1];
      return id;
    }
    case 'language':
      if (text === 'auto' || text === 'none') return null;
      return LOCALES.find((l) => l.toLowerCase() === text);
  }
}

function errorFor(name: SettingName, locale: string | undefined): string {
  const tr = translator(locale);
  const example = SETTINGS[name].example;
  switch (SETTINGS[name].type) {
    case 'boolean': return tr('settingErrors.boolean', { name, example });
    case 'number': {
      const [min, max] = SETTINGS[name].range ?? [1, 70];
      return tr('settingErrors.number', { name, example, min, max });
    }
    case 'choice': return tr('settingErrors.choice', { name });
    case 'channel': return tr('settingErrors.channel', { name });
    case 'language': return tr('settingErrors.language', { name, locales: LOCALES.join(', ') });
  }
}
