/**
 * The page an activity's `webUrl` points at (SPEC O2 "Open in the CRM"). A real CRM has its own
 * web app there; the reference server has none, so this page only says which activity was asked
 * for and where the API is. It shows no content: a browser brings no session, and an activity's
 * subject is not for anyone who guesses an id. Hidden from the contract document.
 */
import { z } from 'zod';
import type { ZodApp } from './http/zodApp';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function webAppRoutes(app: ZodApp): void {
  app.get('/activities/:id', {
    schema: { hide: true, params: z.strictObject({ id: z.string().min(1).max(200) }) },
    handler: async (request, reply) => {
      const id = escapeHtml(request.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('Content-Security-Policy', "default-src 'none'")
        .send(
          `<!doctype html><html lang="en"><meta charset="utf-8"><title>Activity ${id}</title>` +
            `<h1>Activity ${id}</h1><p>This is the reference CRM server: it has no web app. ` +
            `A real CRM shows the activity here. The API is documented at <a href="/docs">/docs</a>.</p></html>`,
        );
    },
  });
}
