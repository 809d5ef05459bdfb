/**
 * The CRM's own pages, under /app. Hidden from the contract document.
 *
 * - `GET /activities/:id`: the page an activity's `webUrl` points at (SPEC O2 "Open in the CRM").
 *   A real CRM has its own web app there; the reference server has none, so this page only says
 *   which activity was asked for and where the API is. It shows no content: a browser brings no
 *   session, and an activity's subject is not for anyone who guesses an id.
 * - `GET|POST /extranet/sign-in`: where an extranet invitation leads (SPEC O3). The contact person
 *   enters the one-time password; it works once and only until it expires. Attempts are throttled
 *   like API sign-ins (per share and per address, 429 + Retry-After), although ~69 random bits
 *   would outlast guessing anyway. A real CRM then opens the project's extranet; the reference
 *   server has none and says so.
 *
 * Every page carries a Content-Security-Policy that allows nothing but this origin's own form
 * posts: no scripts, styles, images, frames or framing (CSP Level 3, `default-src 'none'`), so
 * whatever a hostile id or field might inject cannot run. Text is escaped besides.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { CrmContext } from './context';
import { type SignInAttempt, SignInLimiter } from './domain/signInLimits';
import { HttpProblem } from './http/problem';
import type { ZodApp } from './http/zodApp';
import { IdSchema } from './schemas/text';

export const PAGE_CSP =
  "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Form bodies are tiny: three short fields. */
const FORM_LIMIT_BYTES = 4096;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1>${body}</html>`,
    );
}

const SignInQuery = z.strictObject({ project: IdSchema, contact: IdSchema });
const SignInForm = z.strictObject({
  project: IdSchema,
  contact: IdSchema,
  password: z.string().min(1).max(100),
});

function signInForm(project: string, contact: string, message = ''): string {
  return (
    message +
    `<form method="post" action="/app/extranet/sign-in">` +
    `<input type="hidden" name="project" value="${escapeHtml(project)}">` +
    `<input type="hidden" name="contact" value="${escapeHtml(contact)}">` +
    `<p><label for="password">One-time password from your invitation</label> ` +
    `<input id="password" name="password" type="password" autocomplete="one-time-code" ` +
    `required maxlength="100"></p><p><button type="submit">Sign in</button></p></form>`
  );
}

export function webAppRoutes(app: ZodApp, ctx: CrmContext): void {
  const limiter = new SignInLimiter(ctx.clock);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', PAGE_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });
  // HTML forms post application/x-www-form-urlencoded; URLSearchParams is the WHATWG parser.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.get('/activities/:id', {
    schema: { hide: true, params: z.strictObject({ id: z.string().min(1).max(200) }) },
    handler: async (request, reply) => {
      const id = escapeHtml(request.params.id);
      return page(
        reply,
        200,
        `Activity ${request.params.id}`,
        `<p>This is the reference CRM server: it has no web app. ` +
          `A real CRM shows the activity ${id} here. The API is documented at <a href="/docs">/docs</a>.</p>`,
      );
    },
  });

  app.get('/extranet/sign-in', {
    schema: { hide: true, querystring: SignInQuery },
    handler: async (request, reply) =>
      page(
        reply,
        200,
        'Extranet sign-in',
        signInForm(request.query.project, request.query.contact),
      ),
  });

  app.post('/extranet/sign-in', {
    schema: { hide: true, body: SignInForm },
    handler: async (request, reply) => {
      const { project, contact, password } = request.body;
      let attempt: SignInAttempt;
      try {
        attempt = limiter.begin(project, contact, request.ip);
      } catch (err) {
        if (!(err instanceof HttpProblem) || err.init.status !== 429) throw err;
        const retryAfter = err.init.headers?.['Retry-After'] ?? '900';
        reply.header('Retry-After', retryAfter);
        return page(
          reply,
          429,
          'Extranet sign-in',
          `<p role="alert">Too many attempts. Try again in ${escapeHtml(retryAfter)} seconds.</p>`,
        );
      }
      const result = ctx.extranet.redeem(project, contact, password, ctx.clock.now());
      if (result.ok) attempt.succeeded();
      if (!result.ok) {
        // One message for every reason: a guess learns nothing. The reason goes to the log.
        request.log.info({ project, contact, reason: result.reason }, 'extranet sign-in refused');
        return page(
          reply,
          401,
          'Extranet sign-in',
          signInForm(
            project,
            contact,
            '<p role="alert">That one-time password does not work: it is wrong, was used ' +
              'already or has expired. Ask for a new invitation.</p>',
          ),
        );
      }
      return page(
        reply,
        200,
        'Signed in to the extranet',
        `<p>Your one-time password was accepted. A real CRM opens the shared project here; ` +
          `the reference server has no extranet.</p>`,
      );
    },
  });
}
