/**
 * The pages behind the links the service mails: an invitation's accept and decline links, a
 * digest's confirmation and unsubscribe links. Opening a link (GET) only shows what it would do
 * and asks to confirm — mail scanners open links, and must not answer for anyone; the confirming
 * POST does it. One-click unsubscribe (RFC 8058) is that POST. Requests are metered per address
 * by the one pipeline, as any keyless caller's; tokens never leave in a Referer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { PUBLIC_VIEWER } from '../domain/access/role';
import { DomainError, DomainErrorCode } from '../domain/errors';
import { Language } from '../domain/language';
import { escapeHtml } from '../domain/text';
import { answerWithToken, readAnswerLink } from '../domain/partnership/answer-link.service';
import type { Pipeline } from '../graphql/pipeline';
import { Logger } from '../log/logger';
import { languageFor } from '../notify/invitation-mail';
import { DigestLinkAction, followDigestLink, readDigestLink } from '../notify/digests';
import { LINK_WORDS, LinkRefusal } from './link-words';

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
};

function page(lang: Language, title: string, body: string): string {
  return `<!doctype html><html lang="${lang.toLowerCase()}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1d2733}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#0b6e4f;color:#fff;cursor:pointer}
.decline button{background:#8a1c1c}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Options for {@link registerLinkPages}. */
export interface LinkPagesOptions {
  dataSource: DataSource;
  pipeline: Pipeline;
  log: Logger;
  facts(req: FastifyRequest): Parameters<Pipeline['meter']>[1];
}

/** Registers GET and POST for /answer/:token, /digest/confirm/:token and /digest/unsubscribe/:token. */
export function registerLinkPages(app: FastifyInstance, options: LinkPagesOptions): void {
  const { dataSource, pipeline } = options;
  const html = (reply: FastifyReply, status: number, text: string) =>
    reply.code(status).type('text/html; charset=utf-8').headers(HEADERS).send(text);
  // Metered as any keyless caller: a flood of guessed tokens spends its address's budget.
  const metered = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const refusal = await pipeline.meter(PUBLIC_VIEWER, options.facts(req));
    if (!refusal) return true;
    const w = LINK_WORDS[Language.EN];
    await html(reply.headers(refusal.headers), refusal.status, page(Language.EN, w.tooMany, `<p>${w.tryLater}</p>`));
    return false;
  };
  const tokenOf = (req: FastifyRequest) => String((req.params as Record<string, unknown>).token ?? '');

  const answer = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!(await metered(req, reply))) return;
    const token = tokenOf(req);
    const link = await readAnswerLink(dataSource.manager, token);
    const lang = link ? languageFor(link.partner.languages) : Language.EN;
    const w = LINK_WORDS[lang];
    const refused = (why: LinkRefusal, status: number) =>
      html(reply, status, page(lang, w.cannotAnswer, `<p>${escapeHtml(w.why[why])}</p>`));
    if (!link) return refused('unknown', 404);
    if (link.state !== 'open') return refused(link.state, 410);
    const what = `<p>${escapeHtml(w.invitation(link.challenge.title, link.schoolName))}</p>`;
    if (req.method === 'GET') {
      const button = link.accept ? w.confirmAccept : w.confirmDecline;
      return html(
        reply,
        200,
        page(
          lang,
          link.accept ? w.acceptTitle : w.declineTitle,
          `${what}<form method="post" class="${link.accept ? 'accept' : 'decline'}">` +
            `<button>${escapeHtml(button)}</button></form>`,
        ),
      );
    }
    try {
      const done = await answerWithToken(dataSource.manager, token);
      return html(
        reply,
        200,
        page(lang, w.thanks, `${what}<p>${escapeHtml(done.accept ? w.accepted : w.declined)}</p>`),
      );
    } catch (error) {
      // Answered or closed by someone else between the page and the click, or no room: said in words.
      if (!(error instanceof DomainError) || error.code !== DomainErrorCode.Conflict) throw error;
      const now = await readAnswerLink(dataSource.manager, token);
      return refused(now && now.state !== 'open' ? now.state : 'full', 409);
    }
  };
  app.get('/answer/:token', answer);
  app.post('/answer/:token', answer);

  for (const action of ['confirm', 'unsubscribe'] as DigestLinkAction[]) {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      if (!(await metered(req, reply))) return;
      const token = tokenOf(req);
      const link = await readDigestLink(dataSource.manager, action, token);
      const lang = link?.lang ?? Language.EN;
      const w = LINK_WORDS[lang];
      if (!link) return html(reply, 404, page(lang, w.unknownLink, `<p>${escapeHtml(w.unknownLinkText)}</p>`));
      const about = `<p>${escapeHtml(w.digestOf(link.hubName, link.email))}</p>`;
      if (req.method === 'GET') {
        const [title, button] = action === 'confirm' ? [w.confirmTitle, w.confirmButton] : [w.stopTitle, w.stopButton];
        return html(
          reply,
          200,
          page(lang, title, `${about}<form method="post"><button>${escapeHtml(button)}</button></form>`),
        );
      }
      await followDigestLink(dataSource.manager, action, token);
      return html(reply, 200, page(lang, action === 'confirm' ? w.confirmed : w.stopped, about));
    };
    app.get(`/digest/${action}/:token`, handler);
    app.post(`/digest/${action}/:token`, handler);
  }
}
