/**
 * Discord's documented message limits, enforced the way Discord reports them (400, code 50035
 * "Invalid Form Body" with an `errors` tree, or 50006 for an empty message), so an embed the real
 * API would reject also fails against the double.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { MessageBody } from './store.js';

export interface FormError {
  status: 400;
  body: { message: string; code: number; errors?: Record<string, unknown> };
}

type Problem = { path: (string | number)[]; code: string; message: string };

const EMBED_LIMITS: [keyof APIEmbed | 'footer.text' | 'author.name', number][] = [
  ['title', 256], ['description', 4096], ['footer.text', 2048], ['author.name', 256],
];

/** Checks a create body (`requireContent`) or an edit body. */
export function validateMessageBody(body: MessageBody, fileCount: number, requireContent: boolean): FormError | undefined {
  const empty = !body.content && !body.embeds?.length && !body.components?.length && fileCount === 0 && !body.attachments?.length;
  if (requireContent && empty) {
    return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
  }
  const problems: Problem[] = [];
  const maxLength = (path: (string | number)[], value: string | undefined, max: number): void => {
    if (value !== undefined && value.length > max) {
      problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
    }
  };
  maxLength(['content'], body.content ?? undefined, 2000);
  if ((body.embeds?.length ?? 0) > 10) {
    problems.push({ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  }
  let total = 0;
  body.embeds?.forEach((embed, i) => {
    for (const [key, max] of EMBED_LIMITS) {
      const value = key === 'footer.text' ? embed.footer?.text : key === 'author.name' ? embed.author?.name : embed[key];
      if (typeof value === 'string') {
        total += value.length;
        maxLength(['embeds', i, ...key.split('.')], value, max);
      }
    }
    if ((embed.fields?.length ?? 0) > 25) {
      problems.push({ path: ['embeds', i, 'fields'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    }
    embed.fields?.forEach((f, j) => {
      total += f.name.length + f.value.length;
      if (f.name.length === 0 || f.value.length === 0) {
        problems.push({ path: ['embeds', i, 'fields', j, f.name ? 'value' : 'name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      }
      maxLength(['embeds', i, 'fields', j, 'name'], f.name, 256);
      maxLength(['embeds', i, 'fields', j, 'value'], f.value, 1024);
    });
    if (embed.url !== undefined && !/^https?:\/\//.test(embed.url)) {
      problems.push({ path: ['embeds', i, 'url'], code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' });
    }
  });
  if (total > 6000) {
    problems.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  }
  validateComponents(body, problems);
  return problems.length === 0 ? undefined : { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: tree(problems) } };
}

function validateComponents(body: MessageBody, problems: Problem[]): void {
  const rows = body.components ?? [];
  if (rows.length > 5) problems.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  rows.forEach((row, i) => {
    if (!('components' in row) || !Array.isArray(row.components)) return;
    row.components.forEach((c: unknown, j: number) => {
      const button = c as { style?: number; custom_id?: string; url?: string; label?: string };
      if (button.style === 5 && button.url !== undefined && !/^https?:\/\//.test(button.url)) {
        problems.push({ path: ['components', i, 'components', j, 'url'], code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' });
      }
      if (button.custom_id !== undefined && button.custom_id.length > 100) {
        problems.push({ path: ['components', i, 'components', j, 'custom_id'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
      }
      if (button.label !== undefined && button.label.length > 80) {
        problems.push({ path: ['components', i, 'components', j, 'label'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 80 or fewer in length.' });
      }
    });
  });
}

/** `{ embeds: { 0: { title: { _errors: [...] } } } }`, as Discord nests them. */
function tree(problems: Problem[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of problems) {
    let node = root;
    for (const key of p.path) {
      const child = (node[String(key)] ?? {}) as Record<string, unknown>;
      node[String(key)] = child;
      node = child;
    }
    const list = (node['_errors'] ?? []) as unknown[];
    list.push({ code: p.code, message: p.message });
    node['_errors'] = list;
  }
  return root;
}

/** The locales Discord accepts as keys of `name_localizations` / `description_localizations`. */
export const DISCORD_LOCALES: ReadonlySet<string> = new Set([
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro', 'fi',
  'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko',
]);

/** Discord's rule for chat-input command and option names, in every locale. */
const LOCALIZED_CHAT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface CommandNode {
  name?: string;
  description?: string;
  type?: number;
  name_localizations?: Record<string, string | null> | null;
  description_localizations?: Record<string, string | null> | null;
  options?: CommandNode[];
  choices?: { name?: string; value?: unknown; name_localizations?: Record<string, string | null> | null }[];
}

/**
 * The localization rules Discord applies when a command is registered: known locale keys; names
 * 1–32 characters of letters, digits, `-`, `_`, `'` (Devanagari and Thai too), lower case where the
 * script has case (context menus: any 1–32 characters); descriptions and choice names 1–100; and
 * option names unique among their siblings in every locale. Each problem as [path, code].
 */
export function commandLocalizationProblems(command: CommandNode): [string, string][] {
  const problems: [string, string][] = [];
  const chat = (command.type ?? 1) === 1;
  const checkName = (name: string, path: string, chatRules: boolean): void => {
    const ok = chatRules ? LOCALIZED_CHAT_NAME.test(name) && name === name.toLowerCase() : name.length >= 1 && name.length <= 32;
    if (!ok) problems.push([path, 'APPLICATION_COMMAND_INVALID_NAME']);
  };
  const checkMap = (map: Record<string, string | null> | null | undefined, path: string, each: (text: string, p: string) => void): void => {
    for (const [locale, text] of Object.entries(map ?? {})) {
      if (!DISCORD_LOCALES.has(locale)) problems.push([`${path}.${locale}`, 'LOCALE_INVALID']);
      else if (text !== null) each(text, `${path}.${locale}`);
    }
  };
  const length = (max: number) => (text: string, path: string): void => {
    if (text.length < 1 || text.length > max) problems.push([path, 'BASE_TYPE_BAD_LENGTH']);
  };
  const node = (n: CommandNode, path: string, chatRules: boolean): void => {
    checkMap(n.name_localizations, `${path}name_localizations`, (text, p) => checkName(text, p, chatRules));
    if (!chatRules && n.description_localizations) problems.push([`${path}description_localizations`, 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION']);
    checkMap(n.description_localizations, `${path}description_localizations`, length(100));
    n.choices?.forEach((c, i) => checkMap(c.name_localizations, `${path}choices.${i}.name_localizations`, length(100)));
    const siblings = n.options ?? [];
    const locales = new Set(siblings.flatMap((o) => Object.keys(o.name_localizations ?? {})));
    for (const locale of locales) {
      const names = siblings.map((o) => o.name_localizations?.[locale] ?? o.name ?? '');
      if (new Set(names).size !== names.length) problems.push([`${path}options`, 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS']);
    }
    siblings.forEach((o, i) => node(o, `${path}options.${i}.`, true));
  };
  node(command, '', chat);
  return problems;
}
