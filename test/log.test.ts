import { Writable } from 'node:stream';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { startDiscordDouble } from './support/discord-double.js';

const KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789';

function memorySink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('never writes the VirusTotal key or the bot token, wherever they appear', () => {
    const sink = memorySink();
    const log = createLogger({ level: 'trace', secrets: [KEY, TOKEN], destination: sink.stream });
    log.info({ config: { vtApiKey: KEY, discordToken: TOKEN } }, 'config dump');
    log.info({ headers: { 'x-apikey': KEY, authorization: `Bot ${TOKEN}` } }, 'request headers');
    log.warn({ url: `https://www.virustotal.com/vtapi/v2/file/report?apikey=${KEY}&resource=abc` }, 'v2 url');
    log.error({ err: new Error(`request failed for key ${KEY}`) }, `message with ${TOKEN} inside`);
    log.child({ module: 'vt' }).debug(`form body apikey=otherkey123456&url=x`);
    const out = sink.text();
    expect(out).not.toContain(KEY);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain('otherkey123456');
    expect(out).toContain('[REDACTED]');
    expect(out.trim().split('\n')).toHaveLength(5);
  });

  it('keeps ordinary fields readable', () => {
    const sink = memorySink();
    const log = createLogger({ level: 'info', secrets: [KEY], destination: sink.stream });
    log.info({ guildId: '123', verdict: 'malicious' }, 'scan answered');
    const line = JSON.parse(sink.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ guildId: '123', verdict: 'malicious', msg: 'scan answered' });
  });
});

describe('errors from Discord', () => {
  const INTERACTION_TOKEN = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldHRva2Vu';

  it('never writes a webhook or interaction token, nor the request body, of a real DiscordAPIError', async () => {
    const discord = await startDiscordDouble();
    const rest = new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token);
    try {
      const errors: unknown[] = [];
      const body = { type: 4, data: { content: 'private reply text about hxxps://evil[.]example' } };
      await rest.post(Routes.interactionCallback('123456789012345678', INTERACTION_TOKEN), { body }).catch((e: unknown) => errors.push(e));
      await rest.patch(Routes.webhookMessage(discord.applicationId, INTERACTION_TOKEN), { body: { content: 'edited text' } }).catch((e: unknown) => errors.push(e));
      expect(errors).toHaveLength(2);
      for (const error of errors) expect(error).toBeInstanceOf(DiscordAPIError);
      // The raw error really carries what must not be logged.
      expect((errors[0] as DiscordAPIError).url).toContain(INTERACTION_TOKEN);
      expect(JSON.stringify((errors[0] as DiscordAPIError).requestBody)).toContain('private reply text');

      const sink = memorySink();
      const log = createLogger({ level: 'info', secrets: [discord.token], destination: sink.stream });
      log.error({ err: errors[0] }, 'interaction failed');
      log.warn({ error: errors[1], refId: 'abc' }, 'could not edit');
      log.error(errors[1] as Error);
      log.error({ err: new Error('wrapped', { cause: errors[0] }) }, 'wrapped');
      const out = sink.text();
      expect(out).not.toContain(INTERACTION_TOKEN);
      expect(out).not.toContain('private reply text');
      expect(out).not.toContain('edited text');
      expect(out).not.toContain('requestBody');
      const first = JSON.parse(out.split('\n')[0] ?? '') as { err: { url: string; status: number; code: number; method: string } };
      // Still useful: which route, which status, which Discord error code.
      expect(first.err.url).toMatch(/\/interactions\/123456789012345678\/\[REDACTED\]\/callback/);
      expect(first.err).toMatchObject({ method: 'POST', status: (errors[0] as DiscordAPIError).status, code: (errors[0] as DiscordAPIError).code });
      expect(out).toMatch(new RegExp(`/webhooks/${discord.applicationId}/\\[REDACTED\\]/messages/@original`));
    } finally {
      await discord.close();
    }
  });

  it('scrubs webhook and interaction tokens in any string, keeping the route readable', () => {
    const sink = memorySink();
    const log = createLogger({ level: 'info', secrets: [], destination: sink.stream });
    log.info(`POST https://discord.com/api/v10/interactions/111111111111111111/${INTERACTION_TOKEN}/callback failed`);
    log.info({ target: `https://discord.com/api/webhooks/222222222222222222/${INTERACTION_TOKEN}?wait=true` }, 'webhook');
    const out = sink.text();
    expect(out).not.toContain(INTERACTION_TOKEN);
    expect(out).toContain('/interactions/111111111111111111/[REDACTED]/callback');
    expect(out).toContain('/webhooks/222222222222222222/[REDACTED]?wait=true');
  });
});
