/**
 * Issue 11 item 5: two installations ("devices") of one mailbox present two holder ids, so the
 * CRM lease excludes one while the other writes; a run renews its lease while it holds it, and
 * only the holder gives it back. Real CRM sandbox on loopback, its clock moved by the test.
 */
import 'fake-indexeddb/auto';
import { createCrmActivities } from '../../../src/crm/crmActivities';
import { installationHolderId } from '../../../src/shared/installationId';
import { LeaseHeld, lazyLease } from '../../../src/sync/engine/lease';
import type { CrmActivities } from '../../../src/sync/ports';
import { startCrm, type Crm } from '../crm-adapter/harness';

let crm: Crm;
let api: CrmActivities;

beforeAll(async () => {
  crm = await startCrm();
  api = createCrmActivities(await crm.signIn());
});

afterAll(async () => {
  await crm?.close();
});

/** Polls `check` until it holds or the deadline passes (no fixed sleeps). */
async function eventually(check: () => Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('each installation has its own holder id, kept across loads', async () => {
  const pc = await installationHolderId('install-pc');
  const mac = await installationHolderId('install-mac');
  expect(pc).not.toBe(mac);
  expect(await installationHolderId('install-pc')).toBe(pc);
  expect(pc).toMatch(/^[A-Za-z0-9_.:-]{1,100}$/);
});

test('two devices never hold the lease at once; the run renews it and only the holder frees it', async () => {
  const pcId = await installationHolderId('lease-pc');
  const macId = await installationHolderId('lease-mac');
  // 6 s TTL: renewed every 2 s of real time while held. The PC's requests are counted.
  let pcRequests = 0;
  const pcCrm: CrmActivities = Object.create(api) as CrmActivities;
  pcCrm.acquireLease = (holder, ttl) => {
    pcRequests += 1;
    return api.acquireLease(holder, ttl);
  };
  const pc = lazyLease({ crm: pcCrm, holderId: pcId, leaseSeconds: 6 });
  const mac = lazyLease({ crm: api, holderId: macId, leaseSeconds: 6 });
  await pc.ensure(); // granted at t0, until t0 + 6 s
  expect(pcRequests).toBe(1);
  await expect(mac.ensure()).rejects.toBeInstanceOf(LeaseHeld);

  // At t0 + 5 s the PC's run renews by itself (until t0 + 11 s); at t0 + 10 s, past the first
  // grant's expiry, the Mac is still refused.
  crm.clock.ms += 5_000;
  await eventually(async () => pcRequests >= 2);
  crm.clock.ms += 5_000;
  await expect(lazyLease({ crm: api, holderId: macId, leaseSeconds: 6 }).ensure()).rejects.toThrow(
    LeaseHeld,
  );

  // The Mac cannot free the PC's lease; it lapses only when the PC gives it back.
  await api.releaseLease(macId);
  await expect(lazyLease({ crm: api, holderId: macId, leaseSeconds: 6 }).ensure()).rejects.toThrow(
    LeaseHeld,
  );
  await pc.release();
  const macRun = lazyLease({ crm: api, holderId: macId, leaseSeconds: 6 });
  await macRun.ensure();
  await expect(lazyLease({ crm: api, holderId: pcId, leaseSeconds: 6 }).ensure()).rejects.toThrow(
    LeaseHeld,
  );
  await macRun.release();
  await mac.release();
});

test('a run whose renewal is refused ends at its next write point', async () => {
  const pcId = await installationHolderId('lost-pc');
  const pc = lazyLease({ crm: api, holderId: pcId, leaseSeconds: 6 });
  await pc.ensure();
  // The lease lapses on the CRM (its clock jumps past the TTL) and another device takes it.
  crm.clock.ms += 60_000;
  const other = await api.acquireLease('other-device', 600);
  expect(other?.holderId).toBe('other-device');
  await eventually(async () => {
    try {
      await pc.ensure();
      return false;
    } catch (error) {
      return error instanceof LeaseHeld;
    }
  });
  await pc.release();
  // The PC's release gave nothing away: the other device still holds it.
  expect(await api.acquireLease(pcId, 6)).toBeNull();
  await api.releaseLease('other-device');
});
