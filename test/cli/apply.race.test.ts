/**
 * Two applies racing on one object: both plan against version 1, one write wins, the other is
 * refused with 412 and reported as a conflict naming the object; the winner's value stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyHarness, codesManifest, seedCode } from './applyHarness.js';

let h: ApplyHarness;
beforeAll(async () => {
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});

describe('two applies racing on one object', () => {
  it('one wins, the other reports a conflict, nothing is silently overwritten', async () => {
    h.reset({ wrapUpCodes: [seedCode('RACE', { duration: 60 })] });
    // Writes wait before being processed, so both applies have read version 1 by then.
    h.sim.setFaults({ rules: [{ method: 'PUT', action: 'delay', delayMs: 300 }] });
    const first = h.project({
      'manifests/codes.yaml': codesManifest([['RACE', { duration: 111 }]]),
    });
    const second = h.project({
      'manifests/codes.yaml': codesManifest([['RACE', { duration: 222 }]]),
    });
    const [a, b] = await Promise.all(
      [first, second].map((cwd) => h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd })),
    );
    expect([a!.code, b!.code].sort()).toEqual([0, 1]);
    const [winner, loser] = a!.code === 0 ? [a!, b!] : [b!, a!];
    const winnerDuration = winner === a ? 111 : 222;
    expect(loser.stdout).toMatch(
      /conflict: update wrap-up code RACE failed: it changed since it was read \(version 1, now 2\)/,
    );
    expect(loser.stdout).toContain(
      'Apply failed: 0 created, 0 updated, 0 deleted; 1 failed, 0 skipped.',
    );
    expect(winner.stdout).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
    expect(h.sim.state().wrapUpCodes[0]).toMatchObject({ duration: winnerDuration, version: 2 });
    expect(
      h.sim.requests().counts['PUT /api/v2/contact-center/interaction-config/wrap-up-codes/{id}'],
    ).toBe(2);
  });
});
