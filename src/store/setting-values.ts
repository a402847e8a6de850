/**
 * The settings a moderator can change with `/vt-config set`, as users see them (snake_case), and
 * the parsing of what they type. Errors are short and show a valid example.
 */
import { LOCALES, resolveLocale, translator, type LocaleCode } from '../core/i18n.js';

export type Action = 'none' | 'react' | 'reply' | 'delete';
const ACTIONS: readonly Action[] = ['none', 'react', 'reply', 'delete'];
/** `ask`: a file VirusTotal has never seen gets a card with an Upload button in the log channel. */
export type UploadMode = 'off' | 'on' | 'ask';
const UPLOAD_MODES: readonly UploadMode[] = ['off', 'on', 'ask'];
/** The longest `appeal_text`: it goes into a DM next to the server's name and the reason. */
export const APPEAL_TEXT_MAX = 300;

/** Each setting's value type, by the name users see. */
export interface SettingValues {
  autoscan_links: boolean;
  autoscan_attachments: boolean;
  upload_files: UploadMode;
  submit_urls: boolean;
  malicious_threshold: number;
  action: Action;
  report_clean: boolean;
  log_channel: string | null;
  member_rate: number;
  autoscan_reserve: number;
  // Review cards (README.md "Review cards"): one block, so other settings merge beside it.
  timeout_minutes: number;
  quorum: number;
  appeal_text: string;
  escalation: number;
  language: LocaleCode | null;
  // Scope and memory (issue 9 part B): AutoMod sync and how long the audit trail is kept.
  automod_sync: boolean;
  history_days: number;
}

export type SettingName = keyof SettingValues;
export type SettingValue<N extends SettingName> = SettingValues[N];

export interface SettingMeta<N extends SettingName = SettingName> {
  name: N;
  /** The GuildSettings field it sets. */
  field: 'autoscanLinks' | 'autoscanAttachments' | 'uploadMode' | 'submitUrls' | 'maliciousThreshold' | 'action' | 'reportClean' | 'logChannel'
    | 'memberRate' | 'autoscanReserve' | 'language'
    | 'timeoutMinutes' | 'quorum' | 'appealText' | 'escalation'
    | 'automodSync' | 'historyDays';
  type: 'boolean' | 'number' | 'choice' | 'channel' | 'text' | 'language';
  /** For numbers: the smallest and largest whole number accepted. */
  range?: readonly [number, number];
  /** For numbers: `off` is accepted and stored as 0. */
  offIsZero?: boolean;
  /** For choices: the values accepted. */
  choices?: readonly string[];
  description: string;
  example: string;
  /** Whether a (stored) value is acceptable for this setting. */
  valid(value: unknown): value is SettingValues[N];
}

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const wholeIn = (min: number, max: number) => (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isThreshold = wholeIn(1, 70);
const isAction = (v: unknown): v is Action => typeof v === 'string' && (ACTIONS as readonly string[]).includes(v);
const isUploadMode = (v: unknown): v is UploadMode => typeof v === 'string' && (UPLOAD_MODES as readonly string[]).includes(v);
const isAppealText = (v: unknown): v is string => typeof v === 'string' && v.length <= APPEAL_TEXT_MAX;
const isChannel = (v: unknown): v is string | null => v === null || (typeof v === 'string' && /^\d{15,22}$/.test(v));
const isLanguage = (v: unknown): v is LocaleCode | null => v === null || (typeof v === 'string' && (LOCALES as readonly string[]).includes(v));

/** Every changeable setting, in the order `/vt-config set` offers them. */
export const SETTINGS: { readonly [N in SettingName]: SettingMeta<N> } = Object.freeze({
  autoscan_links: { name: 'autoscan_links', field: 'autoscanLinks', type: 'boolean', description: 'Scan links, domains and IPs in new messages', example: 'on', valid: isBoolean },
  autoscan_attachments: { name: 'autoscan_attachments', field: 'autoscanAttachments', type: 'boolean', description: 'Look attachments up by their hash', example: 'on', valid: isBoolean },
  upload_files: { name: 'upload_files', field: 'uploadMode', type: 'choice', choices: UPLOAD_MODES, description: "Files VirusTotal hasn't seen: off, on (upload them; they become visible to VirusTotal's customers) or ask (a moderator decides in the log channel)", example: 'ask', valid: isUploadMode },
  submit_urls: { name: 'submit_urls', field: 'submitUrls', type: 'boolean', description: "Submit links VirusTotal hasn't seen", example: 'on', valid: isBoolean },
  malicious_threshold: { name: 'malicious_threshold', field: 'maliciousThreshold', type: 'number', range: [1, 70], description: 'Engines saying malicious before the verdict is malicious (1–70)', example: '3', valid: isThreshold },
  action: { name: 'action', field: 'action', type: 'choice', choices: ACTIONS, description: 'What to do with a flagged message: none, react, reply or delete', example: 'reply', valid: isAction },
  report_clean: { name: 'report_clean', field: 'reportClean', type: 'boolean', description: 'Also answer when everything is clean', example: 'off', valid: isBoolean },
  log_channel: { name: 'log_channel', field: 'logChannel', type: 'channel', description: 'Where flagged items and votes are logged (a channel, or none)', example: '#mod-log', valid: isChannel },
  member_rate: { name: 'member_rate', field: 'memberRate', type: 'number', range: [1, 100], description: 'Look-ups one member may start with commands, the context menu and Rescan per 10 minutes (Manage Messages: no limit)', example: '5', valid: wholeIn(1, 100) },
  autoscan_reserve: { name: 'autoscan_reserve', field: 'autoscanReserve', type: 'number', range: [0, 100], description: "Percent of the day's VirusTotal quota commands cannot spend, kept for auto-scan (0–100)", example: '30', valid: wholeIn(0, 100) },
  timeout_minutes: { name: 'timeout_minutes', field: 'timeoutMinutes', type: 'number', range: [1, 40_320], description: 'How long the Timeout button (and escalation) times a member out, in minutes (up to 28 days)', example: '60', valid: wholeIn(1, 40_320) },
  quorum: { name: 'quorum', field: 'quorum', type: 'number', range: [1, 10], description: 'Distinct moderators who must press Kick or Ban on a review card before it happens', example: '1', valid: wholeIn(1, 10) },
  appeal_text: { name: 'appeal_text', field: 'appealText', type: 'text', description: 'How to appeal, sent in the DM before a kick or ban (or none)', example: 'Write to appeals@example.com', valid: isAppealText },
  escalation: { name: 'escalation', field: 'escalation', type: 'number', range: [0, 50], offIsZero: true, description: "Time a member out automatically on their N-th flagged post within 24 hours (off or N)", example: '3', valid: wholeIn(0, 50) },
  language: { name: 'language', field: 'language', type: 'language', description: "Language of what the bot posts on its own (auto-scan, log channel): a locale such as de, fr, pt-BR, or auto for the server's", example: 'de', valid: isLanguage },
  automod_sync: { name: 'automod_sync', field: 'automodSync', type: 'boolean', description: "Keep a Discord AutoMod rule blocking the domains this server's moderators confirmed malicious (needs Manage Server)", example: 'on', valid: isBoolean },
  history_days: { name: 'history_days', field: 'historyDays', type: 'number', range: [1, 365], description: 'Days the audit trail (scans, actions, votes) is kept, and a departed server\'s data (1–365)', example: '30', valid: wholeIn(1, 365) },
});

export type ParseResult<V> = { ok: true; value: V } | { ok: false; error: string };

/** Whether `name` is a setting users can change. */
export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

/** Parses what a moderator typed for `name`; the error is in `locale` (a Discord locale; English by default). */
export function parseSettingValue<N extends SettingName>(name: N, raw: string, locale?: string): ParseResult<SettingValue<N>> {
  const meta: SettingMeta = SETTINGS[name];
  // Free text keeps its case; everything else is a keyword or a number.
  const value = meta.type === 'text' ? parseText(raw) : parseRaw(meta, raw.trim().toLowerCase());
  if (value === undefined || !SETTINGS[name].valid(value)) return { ok: false, error: errorFor(name, locale) };
  return { ok: true, value };
}

function parseText(raw: string): string {
  const text = raw.trim();
  return ['none', 'off'].includes(text.toLowerCase()) ? '' : text;
}

function parseRaw(meta: SettingMeta, text: string): unknown {
  switch (meta.type) {
    case 'boolean':
      if (['on', 'true', 'yes', 'enable', 'enabled', '1'].includes(text)) return true;
      if (['off', 'false', 'no', 'disable', 'disabled', '0'].includes(text)) return false;
      return undefined;
    case 'number':
      if (meta.offIsZero === true && text === 'off') return 0;
      return /^\d+$/.test(text) ? Number(text) : undefined;
    case 'choice':
    case 'text':
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
    case 'choice': {
      const choices = new Intl.ListFormat(resolveLocale(locale), { type: 'disjunction' }).format(SETTINGS[name].choices ?? []);
      return tr('settingErrors.choice', { name, choices, example });
    }
    case 'text': return tr('settingErrors.text', { name, max: APPEAL_TEXT_MAX, example });
    case 'channel': return tr('settingErrors.channel', { name });
    case 'language': return tr('settingErrors.language', { name, locales: LOCALES.join(', ') });
  }
}
