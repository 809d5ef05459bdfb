/**
 * Unit tests wait for real rendering, not for clocks (jest.config.js): on two cores shared with
 * the integration servers, webpack and Chromium, rendering Fluent UI in jsdom can take seconds, so
 * the limits are generous — a test fails on a defect, not on a busy machine. Measured: with eight
 * engineers' builds on the machine (load average 26), single pane tests took over 30 s.
 */
import { configure } from '@testing-library/react';

jest.setTimeout(120_000);
// findBy* / waitFor give up after this long (Testing Library's default is 1 s).
configure({ asyncUtilTimeout: 30_000 });
