import { Client, CloseCode, createClient } from 'graphql-ws';
import { KINDS, LABELS, Labels, Language, languageOf } from './labels';
import {
  BROKERS,
  DISMISS,
  INVITE,
  INVITERS,
  LIVE,
  LiveData,
  Match,
  SHORTLIST,
  SUGGEST,
  SuggestData,
  TEAM,
  TeamData,
} from './operations';
import { CSS } from './styles';

// Read while the script runs (later there is no current script): by default the widget talks to
// the service it was loaded from.
const SCRIPT_URL = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : undefined;

// Close codes with which the server refuses a connection for good (graphql-ws's 4401 and 4403): a
// retry would be refused again, so the widget says why instead of reconnecting forever.
const REFUSED_CLOSE_CODES: readonly number[] = [CloseCode.Unauthorized, CloseCode.Forbidden];

/** A refusal of the key or of the page's origin, as opposed to a failure worth retrying. */
class Refused extends Error {
  readonly kind: 'origin' | 'key';

  constructor(message: string) {
    super(message);
    this.kind = /origin/i.test(message) ? 'origin' : 'key';
  }
}

/** A close frame as graphql-ws passes it on (a browser `CloseEvent`). */
function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A match as the list shows it: one that arrived live is marked new. */
type Shown = Match & { isNew?: boolean };

/** A new element with a class and, if given, a text. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * `<partner-matches challenge-id="…" limit="5" lang="nl" api-key="…" endpoint="…">`: the suggested
 * partners of a challenge, updated live over graphql-ws, with the buttons the key's role allows.
 */
export class PartnerMatches extends HTMLElement {
  static readonly observedAttributes = ['challenge-id', 'limit', 'lang', 'api-key', 'endpoint'];

  private readonly shadow = this.attachShadow({ mode: 'open' });
  private shown: Shown[] = [];
  /** The last live event's cursor: a reconnection resumes after it. */
  private cursor: string | null = null;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  /** Counts starts: a restart (a new key, limit or challenge) makes an earlier start's late answer stale. */
  private runs = 0;
  private client: Client | undefined;
  private challengeTitle = '';
  private canInvite = false;
  private canBroker = false;
  private status = el('span', 'status');
  private subtitle = el('p', 'sub');
  private list = el('ol', 'matches');
  private team = el('div', 'team');

  private get language(): Language {
    return languageOf(this.getAttribute('lang') || document.documentElement.lang || 'en') ?? 'en';
  }
  private get t(): Labels {
    return LABELS[this.language];
  }
  private get limit(): number {
    return Math.max(1, Math.min(50, Number(this.getAttribute('limit')) || 5));
  }
  private get endpoint(): string {
    return this.getAttribute('endpoint') || new URL('/graphql', SCRIPT_URL || location.href).href;
  }
  private get challengeId(): string | null {
    return this.getAttribute('challenge-id');
  }
  private kindLabel(kind: string): string {
    return KINDS[this.language][kind] ?? kind;
  }

  connectedCallback(): void {
    this.started = true;
    void this.start();
  }
  disconnectedCallback(): void {
    this.started = false;
    this.stop();
  }
  // A portal may set or change the challenge, the key or the language after the widget started.
  attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
    if (!this.started || before === after) return;
    this.stop();
    void this.start();
  }

  private async gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = this.getAttribute('api-key');
    if (key) headers.authorization = `Bearer ${key}`;
    const res = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
    const message = body.errors?.length ? body.errors[0].message : '';
    if (res.status === 401 || res.status === 403) throw new Refused(message);
    if (message) throw new Error(message);
    return body.data as T;
  }

  // Says why the server will not serve this page, and stops: no retry can change its answer.
  private refuse(refusal: Refused): void {
    this.stop();
    const template = refusal.kind === 'origin' ? this.t.refusedOrigin : this.t.refusedKey;
    const li = el('li', 'error refused', template.split('{origin}').join(location.origin));
    li.setAttribute('role', 'alert');
    this.list.replaceChildren(li);
    this.status.textContent = this.t.refused;
    this.status.className = 'status refused';
  }

  private async start(): Promise<void> {
    const run = ++this.runs;
    this.shown = [];
    this.cursor = null;
    this.renderShell();
    const id = this.challengeId;
    if (!id) return;
    try {
      const data = await this.gql<SuggestData>(SUGGEST, { c: id, n: this.limit, l: this.language.toUpperCase() });
      if (run !== this.runs) return;
      this.challengeTitle = data.challenge
        ? `${data.challenge.title} · ${this.t.contact[data.challenge.pupilContact] ?? data.challenge.pupilContact}`
        : '';
      const role = data.viewer?.role ?? '';
      // Buttons follow what the server says the key is, not what the page claims it is.
      this.canInvite = INVITERS.includes(role);
      this.canBroker = BROKERS.includes(role);
      if (this.canInvite)
        console.warn(
          `<partner-matches>: a secret ${role} key is in this page, and anyone who opens the page can copy it: ` +
            'only behind a login. Public pages use a publishable key (pk_…).',
        );
      this.shown = data.suggestPartners.edges.map((e) => e.node);
      this.renderList();
    } catch (e) {
      if (run !== this.runs) return;
      if (e instanceof Refused) return this.refuse(e);
      // A browser hides a cross-origin refusal behind "Failed to fetch"; the WebSocket below
      // hears the reason in its close frame and replaces this message with it.
      this.list.replaceChildren(el('li', 'error', `${this.t.error}: ${messageOf(e)}`));
    }
    this.connect();
  }

  private stop(): void {
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    void client?.dispose();
  }

  // The protocol is graphql-ws's; reconnecting is the widget's own (retryAttempts: 0), because a
  // resumed subscription must carry the cursor of the last event seen, and graphql-ws would send
  // the first subscription's variables again.
  private connect(): void {
    const key = this.getAttribute('api-key');
    const client = createClient({
      url: this.endpoint.replace(/^http/, 'ws'),
      connectionParams: key ? { authorization: `Bearer ${key}` } : {},
      retryAttempts: 0,
      on: {
        connected: () => {
          if (client !== this.client) return; // a client a restart replaced
          this.retries = 0;
          this.setStatus(true);
        },
      },
    });
    this.client = client;
    this.subscribe(client);
  }

  private subscribe(client: Client): void {
    const variables = { c: this.challengeId, a: this.cursor, l: this.language.toUpperCase() };
    client.subscribe<LiveData>(
      { query: LIVE, variables },
      {
        next: ({ data }) => {
          if (client === this.client && data) this.addLive(data.matchFound);
        },
        error: (error) => {
          if (client === this.client) this.dropped(client, error);
        },
        complete: () => undefined,
      },
    );
  }

  /** The subscription ended with an error: the server's GraphQL errors, a socket error, or a close frame. */
  private dropped(client: Client, error: unknown): void {
    if (Array.isArray(error)) {
      // The resume itself was refused (a cursor this service no longer knows, say): start
      // afresh, since the ranking read anew holds every match there is.
      if (this.cursor) {
        this.stop();
        void this.start();
      }
      return;
    }
    if (isCloseEvent(error) && REFUSED_CLOSE_CODES.includes(error.code)) return this.refuse(new Refused(error.reason));
    this.setStatus(false);
    // Resume after the last event seen: the server replays what was missed.
    this.retryTimer = setTimeout(() => this.subscribe(client), Math.min(15_000, 500 * 2 ** this.retries++));
  }

  private addLive(match: Match): void {
    if (match.eventCursor) this.cursor = match.eventCursor;
    const others = this.shown.filter((m) => m.stakeholder.id !== match.stakeholder.id);
    const ranked = [...others, { ...match, isNew: true }].sort((a, b) => b.score - a.score);
    // The best "limit" stay: a newcomer that ranks lower is not shown, a higher one pushes the last out.
    this.shown = ranked.slice(0, this.limit);
    this.renderList();
  }

  private renderShell(): void {
    const style = el('style');
    style.textContent = CSS;
    this.status = el('span', 'status', this.t.offline);
    const title = el('h2', '', this.t.title);
    title.prepend(this.status);
    this.subtitle = el('p', 'sub', '');
    this.list = el('ol', 'matches');
    this.list.append(el('li', 'meta', this.t.loading));
    const teamButton = el('button', 'team-button', this.t.team);
    teamButton.addEventListener('click', () => void this.showTeam(teamButton));
    this.team = el('div', 'team');
    this.shadow.replaceChildren(style, title, this.subtitle, this.list, teamButton, this.team);
  }

  private setStatus(live: boolean): void {
    this.status.textContent = live ? this.t.live : this.t.offline;
    this.status.className = live ? 'status live' : 'status';
  }

  private renderList(): void {
    this.subtitle.textContent = this.challengeTitle;
    this.list.replaceChildren();
    if (this.shown.length === 0) this.list.append(el('li', 'meta', this.t.none));
    for (const m of this.shown) {
      const li = el('li', m.isNew ? 'match new' : 'match');
      li.dataset.stakeholderId = m.stakeholder.id;
      li.append(el('span', 'score', `${Math.round(m.score * 100)}%`));
      const name = el('span', 'name', m.stakeholder.name);
      if (m.isNew) name.append(el('span', 'badge', this.t.newMatch));
      li.append(name);
      const km = m.breakdown.distanceKm;
      const meta = [this.kindLabel(m.stakeholder.kind), m.stakeholder.city, km == null ? null : `${Math.round(km)} km`];
      li.append(el('div', 'meta', meta.filter(Boolean).join(' · ')));
      const reasons = el('ul', 'reasons');
      for (const r of m.reasons) reasons.append(el('li', '', r));
      li.append(reasons);
      if (this.canInvite) li.append(this.inviteButton(m));
      if (this.canBroker) li.append(this.shortlistButton(m), this.dismissButton(m));
      this.list.append(li);
    }
  }

  /** A button that runs `action` once per click, disabled while it runs; a failure shows on the button. */
  private actionButton(className: string, text: string, action: (button: HTMLButtonElement) => Promise<void>) {
    const button = el('button', className, text);
    button.addEventListener('click', () => {
      button.disabled = true;
      action(button).catch((e: unknown) => {
        button.textContent = messageOf(e);
        button.disabled = false;
      });
    });
    return button;
  }

  private inviteButton(m: Shown): HTMLButtonElement {
    return this.actionButton('invite', this.t.invite, async (button) => {
      // One key per click: if the answer is lost and the portal retries, the invitation is sent once.
      const k = crypto.randomUUID();
      try {
        await this.gql(INVITE, { c: this.challengeId, s: m.stakeholder.id, k });
        button.textContent = this.t.invited;
      } catch (e) {
        // Stays disabled: the invitation may have gone out with only its answer lost, and another
        // click, with a new key, would send a second one.
        button.textContent = messageOf(e);
      }
    });
  }

  private shortlistButton(m: Shown): HTMLButtonElement {
    const button = this.actionButton('shortlist', m.shortlisted ? this.t.shortlisted : this.t.shortlist, async (b) => {
      await this.gql(SHORTLIST, { c: this.challengeId, s: m.stakeholder.id });
      m.shortlisted = true;
      b.textContent = this.t.shortlisted;
    });
    button.disabled = m.shortlisted;
    return button;
  }

  private dismissButton(m: Shown): HTMLButtonElement {
    return this.actionButton('dismiss', this.t.dismiss, async () => {
      await this.gql(DISMISS, { c: this.challengeId, s: m.stakeholder.id });
      // Ruled out: it leaves the list now, and is never suggested for this challenge again.
      this.shown = this.shown.filter((x) => x !== m);
      this.renderList();
    });
  }

  private async showTeam(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const { suggestTeam: team } = await this.gql<TeamData>(TEAM, { c: this.challengeId });
      const members = el('ul', 'reasons');
      for (const m of team.members)
        members.append(el('li', '', `${m.stakeholder.name} (${this.kindLabel(m.stakeholder.kind)})`));
      this.team.replaceChildren(el('strong', '', this.t.teamTitle), members);
      if (team.coveredExpertise.length)
        this.team.append(
          el('div', 'meta', `${this.t.covered}: ${team.coveredExpertise.map((e) => e.label).join(', ')}`),
        );
      const missing = [
        ...team.missingExpertise.map((e) => e.label),
        ...team.missingKinds.map((k) => this.kindLabel(k)),
      ];
      if (missing.length) this.team.append(el('div', 'meta', `${this.t.missing}: ${missing.join(', ')}`));
    } catch (e) {
      this.team.textContent = messageOf(e);
    } finally {
      button.disabled = false;
    }
  }
}
