/**
 * The bot of test/support/bot.ts plus the helpers command tests need: the REST calls made for an interaction, and its latest reply.
 */
import type { APIEmbed, APIMessage } from 'discord-api-types/v10';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { startBot } from './bot.js';
import type { DiscordDouble, DiscordDoubleOptions, InteractionHandle, RecordedCall } from './discord-double.js';
import { SEED, type VtDouble } from './vt-double.js';

export interface CommandHarness {
  discord: DiscordDouble;
  vt: VtDouble;
  app: App;
  logs: Record<string, unknown>[];
  /** Resolves with the first body sent for `handle` (callback, edit or follow-up) that `match` accepts. */
  sent(handle: InteractionHandle, match: (body: MessageBody) => boolean, timeoutMs?: number): Promise<RecordedCall & { body: MessageBody }>;
  /** Stops the bot and starts a new one on the same store and doubles. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id?: string; url?: string; label?: string; type: number }[] }[];
  flags?: number;
  allowed_mentions?: { parse?: string[] };
  type?: number;
  data?: MessageBody;
}

/** The message fields of a callback (`{type, data}`) or of a webhook edit/follow-up. */
export function messageOf(body: unknown): MessageBody {
  const b = (body ?? {}) as MessageBody;
  return b.data !== undefined && typeof b.type === 'number' ? b.data : b;
}

export function embedText(body: MessageBody): string {
  return JSON.stringify(body.embeds ?? []);
}

export interface HarnessOptions {
  beforeStart?: (discord: DiscordDouble) => void;
  /** Options of the Discord double (e.g. a short `interactionTokenTtlMs`). */
  discord?: DiscordDoubleOptions;
  /** Extra environment for the bot (e.g. `VT_API_VERSION: '2'`). */
  env?: Record<string, string>;
  /**
   * The guild's `member_rate` (default 100): files that run many commands as one member test
   * commands, not the per-member limit, which test/abuse/member-limits.test.ts covers at its default.
   */
  memberRate?: number;
}

export async function startCommandHarness(options: HarnessOptions = {}): Promise<CommandHarness> {
  const bot = await startBot({
    vt: { pollsUntilComplete: 2 },
    ...(options.beforeStart ? { beforeStart: options.beforeStart } : {}),
    ...(options.discord ? { discord: options.discord } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const { discord } = bot;
  await bot.app.ctx.store.settings.set(discord.guild.id, 'member_rate', options.memberRate ?? 100);
  const h: CommandHarness = {
    ...bot,
    get app() {
      return bot.app;
    },
    async sent(handle, match, timeoutMs = 8000) {
      const call = await discord.waitFor((c) => discord.callsFor(handle).includes(c) && match(messageOf(c.body)), timeoutMs);
      return { ...call, body: messageOf(call.body) };
    },
    restart: () => bot.restart(),
    close: () => bot.close(),
  };
  return h;
}

/** The message an interaction's response created or edited (from the double's answer). */
export function responseMessage(call: RecordedCall): APIMessage {
  const answer = call.response as { resource?: { message?: APIMessage } } & Partial<APIMessage>;
  const message = answer.resource?.message ?? (answer.id === undefined ? undefined : (answer as APIMessage));
  if (message === undefined) throw new Error(`Expected a message in the answer to ${call.method} ${call.path}`);
  return message;
}

/** Every REST body the bot sent with content or embeds carried `allowed_mentions.parse: []`. */
export function expectNoPings(h: CommandHarness): void {
  const sent = h.discord.calls.map((c) => ({ c, m: messageOf(c.body) })).filter(({ m }) => m.content !== undefined || m.embeds !== undefined);
  expect(sent.length).toBeGreaterThan(3);
  for (const { c, m } of sent) expect(m.allowed_mentions, `${c.method} ${c.path}`).toMatchObject({ parse: [] });
}

/** The public `/vt hash` answer about EICAR that button tests press on: its body and message id. */
export async function eicarResult(h: CommandHarness): Promise<{ result: MessageBody; resultId: string }> {
  const handle = await h.discord.runCommand({ member: h.discord.members.member, name: 'vt', subcommand: 'hash', options: { hash: SEED.eicar.sha256 } });
  const call = await h.sent(handle, (b) => b.embeds?.[0]?.title === 'File · malicious');
  return { result: call.body, resultId: responseMessage(call).id };
}

/** The custom_id of the button labelled `label` on a result. */
export function buttonId(body: MessageBody, label: string): string {
  return body.components?.[0]?.components.find((c) => c.label === label)?.custom_id ?? 'missing';
}
