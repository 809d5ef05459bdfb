/**
 * String primitives shared by every request schema. The rules are written as JSON Schema
 * `pattern`s (not only as code) so that the published contract carries them to CRM vendors.
 */
import { z } from 'zod';

/** C0 controls, DEL, and the bidi controls that can disguise text (Trojan Source, CVE-2021-42574). */
const FORBIDDEN_CHARS = '\\u0000-\\u001F\\u007F\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const NO_CONTROL = new RegExp(`^[^${FORBIDDEN_CHARS}]*$`);
/** A `<` followed by a letter, `/`, `!` or `?` starts an HTML tag, comment or declaration. */
const NO_MARKUP = /^(?![\s\S]*<[A-Za-z/!?])/;
/** Multi-line text may hold TAB, LF and CR but no other C0 control (e.g. NUL). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const MULTILINE_OK = new RegExp('^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$');

const SINGLE_LINE_RULES =
  'Single-line plain text. Rejected with 400: C0 control characters and DEL; the bidirectional ' +
  'control characters U+200E, U+200F, U+202A–U+202E and U+2066–U+2069; and HTML markup ' +
  '(a `<` followed by a letter, `/`, `!` or `?`). A lone `<` as in "a < b" is allowed.';

/** Subject, location, names: one line of plain text, 1..max characters. */
export function singleLine(max: number, what: string): z.ZodString {
  return z
    .string()
    .min(1)
    .max(max)
    .regex(NO_CONTROL, 'must not contain control or bidirectional control characters')
    .regex(NO_MARKUP, 'must not contain HTML markup')
    .describe(`${what}. ${SINGLE_LINE_RULES} At most ${max} characters.`);
}

/** Description-like text: newlines and tabs allowed, other control characters are not. */
export function multiLine(max: number, what: string): z.ZodString {
  return z
    .string()
    .max(max)
    .regex(MULTILINE_OK, 'must not contain control characters other than tab, LF and CR')
    .describe(
      `${what}. Plain text (never HTML: clients must escape it when they render it); tab, LF ` +
        `and CR are the only control characters allowed. At most ${max} characters.`,
    );
}

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
  .describe('An opaque identifier: 1–64 characters from A–Z, a–z, 0–9, `_` and `-`.');

export const EmailSchema = z
  .email()
  .max(254)
  .describe('An e-mail address (RFC 5321 length limit: 254 characters).');

export const LanguageSchema = z
  .enum(['en', 'fi', 'sv', 'it', 'de'])
  .describe('A language the CRM and the add-in support (SPEC L1): en, fi, sv, it or de.');

export const SearchQuery = z
  .string()
  .max(100)
  .optional()
  .describe('Case-insensitive substring search (names, e-mail addresses). At most 100 characters.');
