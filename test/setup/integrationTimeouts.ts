/**
 * Integration tests talk to real servers on loopback (jest.config.js): on two cores shared with
 * webpack, Chromium and other builds, one test's requests can take seconds. Jest's 5 s default then
 * fails tests on a busy machine, not on a defect; this is the limit for a hung test instead.
 */
jest.setTimeout(60_000);
