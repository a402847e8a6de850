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
