import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

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
