/** Issue 16, item 3: how the adapter splits work to a CRM's announced bulk limits (src/crm/bulk.ts). */
import { packInto } from '../../../src/crm/bulk';

describe('packInto', () => {
  it('fills calls up to maxItems, in order', () => {
    const { calls, alone } = packInto(Array(7).fill(10), { maxItems: 3, maxBodyBytes: 10_000 });
    expect(calls).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(alone).toEqual([]);
  });

  it('starts a new call before the body would pass maxBodyBytes, envelope included', () => {
    // 16 bytes of envelope, each item its size plus a comma: 16 + 3 × 31 = 109 fits 110, a 4th not.
    const { calls } = packInto([30, 30, 30, 30, 30], { maxItems: 100, maxBodyBytes: 110 });
    expect(calls).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('leaves an item too large for any bulk call to its single call', () => {
    const { calls, alone } = packInto([10, 500, 10], { maxItems: 100, maxBodyBytes: 100 });
    expect(calls).toEqual([[0, 2]]);
    expect(alone).toEqual([1]);
  });
});
