/**
 * Details (anyone, ephemeral): every engine that said something other than "undetected", the
 * latest VirusTotal comments and, for files, the sandbox behaviour summary and the domains and IPs
 * the file contacted (VirusTotal relationships).
 *
 * Details is open to everyone, so what it fetches beyond the report is cached like reports are:
 * pressing Details again, or on another message about the same object, costs no quota until
 * CACHE_TTL_MINUTES pass. Failures are not cached.
 */
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { AppContext } from '../context.js';
import { objectKey } from '../core/objects.js';
import { outcomeWord, type Indicator, type ScanOutcome } from '../scan/outcome.js';
import type { Report } from '../vt/report.js';
import { NotAvailableOnV2Error, NotFoundError } from '../vt/errors.js';
import { clampEmbeds, codeSpan, defang, revealBidi, safeText, truncate } from '../discord/render/defang.js';
import { discordTime, kindLabel, targetLine, verdictLabel } from '../discord/render/card-facts.js';
import { COLOURS, outcomeEmbed } from '../discord/render/card.js';
import { userMessageFor } from '../discord/present-error.js';
import { translator, type Translate } from '../core/i18n.js';

async function cachedExtra<T>(ctx: AppContext, key: string, load: () => Promise<T>): Promise<T> {
  const cacheKey = `details:${key}`;
  const hit = await ctx.store.cache.get<{ value: T }>(cacheKey);
  if (hit !== undefined && typeof hit === 'object' && 'value' in hit) return hit.value;
  const value = await load();
  const ttl = ctx.config.cacheTtlMinutes * 60_000;
  if (ttl > 0) await ctx.store.cache.set(cacheKey, { value }, ttl);
  return value;
}

const ORDER: Readonly<Record<string, number>> = Object.freeze({ malicious: 0, suspicious: 1, harmless: 2 });

/** A fixed-width table; backticks are replaced so the code block cannot be closed from inside. */
export function engineTable(report: Report, max = 3500, locale?: string): string {
  const tr = translator(locale);
  const rows = report.engines
    .filter((e) => e.category !== 'undetected')
    .sort((a, b) => (ORDER[a.category] ?? 3) - (ORDER[b.category] ?? 3) || a.engine.localeCompare(b.engine));
  if (rows.length === 0) return tr('details.noEngine');
  const lines: string[] = [];
  let size = 0;
  for (const [i, e] of rows.entries()) {
    const line = revealBidi(`${e.engine.slice(0, 20).padEnd(21)}${e.category.slice(0, 16).padEnd(17)}${(e.result ?? '').slice(0, 40)}`).replace(/`/g, 'ˋ');
    if (size + line.length > max) {
      lines.push(tr('buttons.more', { count: rows.length - i }));
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}

async function commentsField(ctx: AppContext, report: Report, tr: Translate, locale: string | undefined): Promise<APIEmbedField> {
  try {
    const page = await cachedExtra(ctx, `comments:${objectKey(report)}`, () => ctx.vt.getComments(report.kind, report.id, { limit: 5 }, { priority: 'button' }));
    const lines = page.items.map((c) => `• ${discordTime(c.date) ?? ''} ${safeText(c.text.replace(/\s+/g, ' '), 180)}`);
    return { name: tr('details.latestComments'), value: lines.length === 0 ? tr('details.noneYet') : truncate(lines.join('\n'), 1024) };
  } catch (err) {
    if (err instanceof NotAvailableOnV2Error) return { name: tr('details.comments'), value: tr('details.notOnV2') };
    return { name: tr('details.comments'), value: tr('details.couldNotLoadThem', { why: userMessageFor(err, locale) ?? tr('details.badAnswer') }) };
  }
}

async function behaviourFields(ctx: AppContext, report: Report, tr: Translate, locale: string | undefined): Promise<APIEmbedField[]> {
  if (report.kind !== 'file') return [];
  try {
    const b = await cachedExtra(ctx, `behaviour:${report.id}`, () => ctx.vt.getBehaviourSummary(report.id, { priority: 'button' }));
    const none = tr('details.none');
    const list = (values: readonly string[], n: number): string => values.length === 0 ? none : values.slice(0, n).map((v) => codeSpan(defang(v), 80)).join(', ');
    return [
      { name: tr('details.sandboxVerdicts'), value: b.verdicts.length === 0 ? none : safeText(b.verdicts.join(', '), 300), inline: true },
      { name: tr('details.tags'), value: b.tags.length === 0 ? none : safeText(b.tags.slice(0, 10).join(', '), 300), inline: true },
      { name: 'MITRE ATT&CK', value: list(b.mitreTechniques, 8), inline: false },
      { name: tr('details.dns'), value: list(b.dnsLookups, 8), inline: false },
      { name: tr('details.processes'), value: list(b.processesCreated, 5), inline: false },
    ];
  } catch (err) {
    const name = tr('details.sandbox');
    if (err instanceof NotFoundError) return [{ name, value: tr('details.noSandbox') }];
    if (err instanceof NotAvailableOnV2Error) return [{ name, value: tr('details.notOnV2') }];
    return [{ name, value: tr('details.couldNotLoadIt', { why: userMessageFor(err, locale) ?? tr('details.badAnswer') }) }];
  }
}

/** Domains and IPs the file contacted, as VirusTotal relates them (object ids only: cheap). */
async function contactedField(ctx: AppContext, report: Report, tr: Translate, locale: string | undefined): Promise<APIEmbedField[]> {
  if (report.kind !== 'file' || ctx.vt.apiVersion === 2) return [];
  try {
    const related = await Promise.all(
      (['contacted_domains', 'contacted_ips'] as const).map((rel) =>
        cachedExtra(ctx, `${rel}:${report.id}`, () => ctx.vt.getRelationship('file', report.id, rel, { limit: 5 }, { priority: 'button' })),
      ),
    );
    const ids = related.flatMap((page) => page.items.map((item) => item.id));
    return [{ name: tr('details.contacted'), value: ids.length === 0 ? tr('details.noneKnown') : ids.slice(0, 10).map((id) => codeSpan(defang(id), 80)).join(', ') }];
  } catch (err) {
    return [{ name: tr('details.contacted'), value: tr('details.couldNotLoadIt', { why: userMessageFor(err, locale) ?? tr('details.badAnswer') }) }];
  }
}

/** The outcome (usually from the cache) and the detail embed for it. */
export async function detailsFor(ctx: AppContext, indicator: Indicator, threshold: number, locale?: string): Promise<{ outcome: ScanOutcome; embeds: APIEmbed[] }> {
  const outcome = await ctx.scanner.scan(indicator, { priority: 'button', policy: { submitUrls: false, uploadFiles: false } });
  if (outcome.status !== 'found') return { outcome, embeds: [outcomeEmbed(outcome, { threshold, locale })] };
  const { report } = outcome;
  const tr = translator(locale);
  const [comments, behaviour, contacted] = await Promise.all([
    commentsField(ctx, report, tr, locale), behaviourFields(ctx, report, tr, locale), contactedField(ctx, report, tr, locale),
  ]);
  const word = outcomeWord(outcome, threshold);
  const embed: APIEmbed = {
    title: `${tr('buttons.details')} · ${kindLabel(report.kind, locale)} · ${verdictLabel(word, locale)}`,
    color: word === 'malicious' || word === 'suspicious' || word === 'clean' || word === 'unknown' ? COLOURS[word] : COLOURS.problem,
    description: `${targetLine(outcome.indicator, outcome.lookedUpAs !== undefined, locale)}\n${engineTable(report, undefined, locale)}`,
    fields: [comments, ...behaviour, ...contacted],
  };
  return { outcome, embeds: clampEmbeds([embed]) };
}
