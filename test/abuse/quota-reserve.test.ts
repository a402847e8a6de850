/** The quota gate keeps `autoscan_reserve` percent of the day budget away from commands and buttons. */
import { describe, expect, it } from 'vitest';
import { QuotaReservedError } from '../../src/vt/quota.js';
import { QuotaExhaustedError } from '../../src/vt/errors.js';
import { openTestGate } from '../support/gate.js';

describe('the gate and autoscan_reserve', () => {
  it('refuses a command its 8th day slot of 10 at a 30% reserve, but not auto-scan, polls or a command without a reserve', async () => {
    const opened = await openTestGate({ perDay: 10 });
    const { gate } = opened;
    try {
      let sent = 0;
      const send = (): Promise<number> => Promise.resolve(++sent);
      for (let i = 0; i < 7; i++) await gate.run(send, { priority: i % 2 === 0 ? 'command' : 'button', reservePercent: 30 });
      const refused = gate.run(send, { priority: 'command', reservePercent: 30 });
      await expect(refused).rejects.toBeInstanceOf(QuotaReservedError);
      await expect(refused).rejects.toBeInstanceOf(QuotaExhaustedError); // callers that stop on a spent day stop here too
      await expect(gate.run(send, { priority: 'button', reservePercent: 30 })).rejects.toBeInstanceOf(QuotaReservedError);
      expect(sent).toBe(7);
      await gate.run(send, { priority: 'autoscan', reservePercent: 30 });
      await gate.run(send, { priority: 'poll' });
      await gate.run(send, { priority: 'command' });
      expect(sent).toBe(10);
      // The day is now spent for everyone: the plain "used up" error, not the reserve's.
      const spent = await gate.run(send, { priority: 'autoscan' }).catch((e: unknown) => e);
      expect(spent).toBeInstanceOf(QuotaExhaustedError);
      expect(spent).not.toBeInstanceOf(QuotaReservedError);
    } finally {
      await opened.close();
    }
  });

  it('serves a command before waiting auto-scans, and refuses it once they have used the unreserved share', async () => {
    const opened = await openTestGate({ perDay: 10, perMinute: 1, windowMs: 200 });
    const { gate } = opened;
    try {
      const send = (): Promise<void> => Promise.resolve();
      const first = gate.run(send, { priority: 'autoscan' });
      const lined = [1, 2, 3, 4, 5, 6].map(() => gate.run(send, { priority: 'autoscan' }));
      const command = gate.run(send, { priority: 'command', reservePercent: 40 });
      await first;
      // The command outranks auto-scan, so it is granted the second slot: 1 used < 6 allowed.
      await expect(command).resolves.toBeUndefined();
      await Promise.all(lined);
      await expect(gate.run(send, { priority: 'command', reservePercent: 40 })).rejects.toBeInstanceOf(QuotaReservedError);
    } finally {
      await opened.close();
    }
  }, 10_000);
});
