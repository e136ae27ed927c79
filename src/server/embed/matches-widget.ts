/**
 * The `<partner-matches>` web component, served as /embed/matches.js. Plain browser JavaScript
 * (no build step, no dependency): GraphQL over fetch, live updates over the graphql-ws protocol
 * spoken directly, styles isolated in a shadow root and themable with CSS custom properties.
 * Its `api-key` is in the page for anyone to read: on a public page, a publishable key (`pk_…`).
 */
export const MATCHES_WIDGET_SCRIPT = String.raw`(() => {
  if (customElements.get('partner-matches')) return;
  const SCRIPT_URL = document.currentScript && document.currentScript.src;
  const LABELS = {
    en: { title: 'Suggested partners', loading: 'Looking for partners…', none: 'No suggestions yet.',
      team: 'Suggest a team',
      teamTitle: 'A team that covers the challenge', missing: 'Still missing', covered: 'Covers', invite: 'Invite',
      invited: 'Invited', shortlist: 'Shortlist', shortlisted: 'Shortlisted', dismiss: 'Not relevant',
      live: 'live', offline: 'reconnecting…', away: 'away', error: 'Could not load suggestions',
      newMatch: 'New', refused: 'refused',
      refusedKey: 'The API key was refused: it is not valid or was revoked. Check the widget\'s api-key attribute.',
      refusedOrigin: 'This site ({origin}) may not show these suggestions: it needs a publishable API key '
        + '(pk_…, api-key attribute) whose allowed origins include {origin}.' },
    fr: { title: 'Partenaires suggérés', loading: 'Recherche de partenaires…', none: 'Pas encore de suggestions.',
      team: 'Proposer une équipe',
      teamTitle: 'Une équipe qui couvre le défi', missing: 'Manque encore', covered: 'Couvre', invite: 'Inviter',
      invited: 'Invité', shortlist: 'Présélectionner', shortlisted: 'Présélectionné', dismiss: 'Pas pertinent',
      live: 'en direct', offline: 'reconnexion…', away: 'absent',
        error: 'Impossible de charger les suggestions',
      newMatch: 'Nouveau', refused: 'refusée',
      refusedKey: 'La clé d\'API a été refusée : elle est invalide ou révoquée. '
        + 'Vérifiez l\'attribut api-key du widget.',
      refusedOrigin: 'Ce site ({origin}) ne peut pas afficher ces suggestions : il faut une clé d\'API '
        + 'publiable (pk_…, attribut api-key) dont les origines autorisées incluent {origin}.' },
    nl: { title: 'Voorgestelde partners', loading: 'Partners zoeken…', none: 'Nog geen suggesties.',
      team: 'Stel een team voor',
      teamTitle: 'Een team dat de uitdaging dekt', missing: 'Nog nodig', covered: 'Dekt', invite: 'Uitnodigen',
      invited: 'Uitgenodigd', shortlist: 'Op de shortlist', shortlisted: 'Op de shortlist ✓',
      dismiss: 'Niet relevant', live: 'live', offline: 'opnieuw verbinden…', away: 'weg',
        error: 'Suggesties laden mislukt',
      newMatch: 'Nieuw', refused: 'geweigerd',
      refusedKey: 'De API-sleutel is geweigerd: hij is ongeldig of ingetrokken. '
        + 'Controleer het attribuut api-key van de widget.',
      refusedOrigin: 'Deze site ({origin}) mag deze suggesties niet tonen: er is een publiceerbare '
        + 'API-sleutel nodig (pk_…, attribuut api-key) waarvan de toegestane origins {origin} bevatten.' },
  };
  const KINDS = {
    en: { SCHOOL: 'School', FAMILY: 'Family', UNIVERSITY: 'University', RESEARCH_INSTITUTE: 'Research institute',
      INDUSTRY: 'Industry',
      ENTREPRENEUR: 'Entrepreneur', MEDIA: 'Media', GOVERNMENT: 'Government', CIVIL_SOCIETY: 'Civil society',
        CULTURAL_INSTITUTION: 'Cultural institution' },
    fr: { SCHOOL: 'École', FAMILY: 'Famille', UNIVERSITY: 'Université', RESEARCH_INSTITUTE: 'Institut de recherche',
      INDUSTRY: 'Entreprise',
      ENTREPRENEUR: 'Entrepreneur', MEDIA: 'Médias', GOVERNMENT: 'Pouvoirs publics', CIVIL_SOCIETY: 'Société civile',
        CULTURAL_INSTITUTION: 'Institution culturelle' },
    nl: { SCHOOL: 'School', FAMILY: 'Gezin', UNIVERSITY: 'Universiteit', RESEARCH_INSTITUTE: 'Onderzoeksinstituut',
      INDUSTRY: 'Bedrijf',
      ENTREPRENEUR: 'Ondernemer', MEDIA: 'Media', GOVERNMENT: 'Overheid', CIVIL_SOCIETY: 'Middenveld',
        CULTURAL_INSTITUTION: 'Cultuurinstelling' },
  };
  // Reasons come in the widget's language (lang attribute), whatever the browser's Accept-Language.
  const MATCH = 'score reasons(lang: $l) eventCursor shortlisted breakdown { distanceKm } ' +
    'stakeholder { id name kind city }';
  const SUGGEST = 'query($c: ID!, $n: Int, $l: Language) { viewer { role } challenge(id: $c) { title } ' +
    'suggestPartners(challengeId: $c, first: $n) { edges { node { ' + MATCH + ' } } } }';
  const TEAM = 'query($c: ID!) { suggestTeam(challengeId: $c, size: 4) { members { stakeholder { id name kind } } ' +
    'coveredExpertise { label } missingExpertise { label } missingKinds } }';
  const LIVE = 'subscription($c: ID!, $a: String, $l: Language) { matchFound(challengeId: $c, after: $a) { ' +
    MATCH + ' } }';
  // A public page carries a publishable key (pk_…): the widget then only reads, as without a key.
  // Behind a login, a portal's or a coordinator's secret key adds the writes its role allows: invite
  // (PORTAL, COORDINATOR, ADMIN); keep a partner in mind or rule one out (COORDINATOR, ADMIN).
  const INVITERS = ['ADMIN', 'COORDINATOR', 'PORTAL'];
  const BROKERS = ['ADMIN', 'COORDINATOR'];
  const SHORTLIST = 'mutation($c: ID!, $s: ID!) { shortlistPartner(challengeId: $c, stakeholderId: $s) { createdAt } }';
  const DISMISS = 'mutation($c: ID!, $s: ID!) { dismissSuggestion(challengeId: $c, stakeholderId: $s, ' +
    'reason: NOT_RELEVANT) { createdAt } }';
  const INVITE = 'mutation($c: ID!, $s: ID!, $k: String) { invitePartner(challengeId: $c, stakeholderId: $s, ' +
    'idempotencyKey: $k) { id status } }';
  // Close codes with which the server refuses a connection for good (graphql-ws's 4401/4403): a
  // retry would be refused again, so the widget says why instead of reconnecting forever.
  const REFUSED_CLOSE_CODES = [4401, 4403];
  /** A refusal of the key or of the page's origin, as opposed to a failure worth retrying. */
  class Refused extends Error {
    constructor(message) {
      super(message);
      this.kind = /origin/i.test(message) ? 'origin' : 'key';
    }
  }
  const CSS = [
    ':host { display: block; font-family: var(--pm-font, system-ui, sans-serif); color: var(--pm-text, #1d2733);',
    '  background: var(--pm-bg, #fff); border: 1px solid var(--pm-border, #d6dde6); border-radius: ' +
      'var(--pm-radius, 10px); padding: 16px; }',
    'h2 { font-size: 1.05rem; margin: 0 0 4px; } .sub { color: var(--pm-muted, #5b6b7c); font-size: .85rem; ' +
      'margin: 0 0 12px; }',
    '.status { float: right; font-size: .75rem; color: var(--pm-muted, #5b6b7c); } .status.live::before { ' +
      'content: "● "; color: var(--pm-accent, #0a7d5a); }',
    'ol { list-style: none; margin: 0; padding: 0; } li.match { padding: 10px 0; border-top: 1px solid ' +
      'var(--pm-border, #d6dde6); }',
    'li.match.new { animation: flash 2s ease-out; } @keyframes flash { from { background: var(--pm-highlight, ' +
      '#e5f6ef); } to { background: transparent; } }',
    '.name { font-weight: 600; } .meta { font-size: .8rem; color: var(--pm-muted, #5b6b7c); } .badge { font-size: ' +
      '.7rem; background: var(--pm-accent, #0a7d5a); color: #fff; border-radius: 8px; padding: 1px 6px; ' +
      'margin-left: 6px; }',
    '.reasons { margin: 4px 0 0; padding-left: 18px; font-size: .8rem; } .score { float: right; ' +
      'font-variant-numeric: tabular-nums; color: var(--pm-accent, #0a7d5a); font-weight: 600; }',
    'button { font: inherit; font-size: .8rem; border: 1px solid var(--pm-accent, #0a7d5a); color: ' +
      'var(--pm-accent, #0a7d5a); background: transparent; border-radius: 6px; padding: 3px 10px; cursor: ' +
      'pointer; margin-top: 6px; }',
    'button:disabled { opacity: .6; cursor: default; } .team { margin-top: 12px; font-size: .85rem; } .error { ' +
      'color: #b3261e; }',
    'li.refused { padding: 10px 0; border-top: 1px solid var(--pm-border, #d6dde6); }',
    '.status.refused { color: #b3261e; }',
  ].join('\n');

  class PartnerMatches extends HTMLElement {
    static get observedAttributes() { return ['challenge-id', 'limit', 'lang', 'api-key', 'endpoint']; }

    constructor() {
      super();
      this.shadow = this.attachShadow({ mode: 'open' });
      this.matches = [];
      this.cursor = null;
      this.retries = 0;
    }

    get t() { return LABELS[this.lang] || LABELS.en; }
    get lang() {
      const wanted = (this.getAttribute('lang') || document.documentElement.lang || 'en').slice(0, 2).toLowerCase();
      return LABELS[wanted] ? wanted : 'en';
    }
    get limit() { return Math.max(1, Math.min(50, Number(this.getAttribute('limit')) || 5)); }
    get endpoint() { return this.getAttribute('endpoint') || new URL('/graphql', SCRIPT_URL || location.href).href; }
    get headers() {
      const h = { 'content-type': 'application/json' };
      const key = this.getAttribute('api-key');
      if (key) h.authorization = 'Bearer ' + key;
      return h;
    }

    connectedCallback() { this.started = true; this.start(); }
    disconnectedCallback() { this.started = false; this.stop(); }
    // A portal may set or change the challenge, the key or the language after the widget started.
    attributeChangedCallback(_name, before,
      after) { if (this.started && before !== after) { this.stop(); this.start(); } }

    async gql(query, variables) {
      const res = await fetch(this.endpoint, { method: 'POST', headers: this.headers, body: JSON.stringify({ query,
        variables }) });
      const body = await res.json().catch(() => ({}));
      const message = body.errors && body.errors.length ? body.errors[0].message : '';
      if (res.status === 401 || res.status === 403) throw new Refused(message);
      if (message) throw new Error(message);
      return body.data;
    }

    // Says why the server will not serve this page, and stops: no retry can change its answer.
    refuse(refusal) {
      this.stop();
      const template = refusal.kind === 'origin' ? this.t.refusedOrigin : this.t.refusedKey;
      const text = template.split('{origin}').join(location.origin);
      this.list.innerHTML = '';
      const li = this.el('li', 'error refused', text);
      li.setAttribute('role', 'alert');
      this.list.append(li);
      this.status.textContent = this.t.refused;
      this.status.className = 'status refused';
    }

    async start() {
      // A restart (a new key, limit or challenge) makes an earlier start's late answer stale.
      const run = (this.run = (this.run || 0) + 1);
      this.matches = [];
      this.cursor = null;
      this.renderShell();
      const id = this.getAttribute('challenge-id');
      if (!id) return;
      try {
        const data = await this.gql(SUGGEST, { c: id, n: this.limit, l: this.lang.toUpperCase() });
        if (run !== this.run) return;
        this.challengeTitle = data.challenge && data.challenge.title;
        const role = data.viewer && data.viewer.role;
        // Buttons follow what the server says the key is, not what the page claims it is.
        this.canInvite = INVITERS.includes(role);
        this.canBroker = BROKERS.includes(role);
        if (this.canInvite) console.warn('<partner-matches>: a secret ' + role + ' key is in this page, and anyone ' +
          'who opens the page can copy it: only behind a login. Public pages use a publishable key (pk_…).');
        this.matches = data.suggestPartners.edges.map((e) => e.node);
        this.renderList();
      } catch (e) {
        if (run !== this.run) return;
        if (e instanceof Refused) return this.refuse(e);
        // A browser hides a cross-origin refusal behind "Failed to fetch"; the WebSocket below
        // hears the reason in its close frame and replaces this message with it.
        this.list.innerHTML = '';
        this.list.append(this.el('li', 'error', this.t.error + ': ' + e.message));
      }
      this.connect();
    }

    stop() {
      this.closed = true;
      if (this.ws) this.ws.close(1000);
      clearTimeout(this.retryTimer);
    }

    // graphql-ws protocol (graphql-transport-ws), spoken directly: no client library to load.
    connect() {
      this.closed = false;
      const ws = new WebSocket(this.endpoint.replace(/^http/, 'ws'), 'graphql-transport-ws');
      this.ws = ws;
      const key = this.getAttribute('api-key');
      ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init',
        payload: key ? { authorization: 'Bearer ' + key } : {} }));
      ws.onmessage = (event) => {
        if (ws !== this.ws) return; // a socket a restart replaced
        const msg = JSON.parse(event.data);
        if (msg.type === 'connection_ack') {
          this.retries = 0;
          this.setStatus(true);
          ws.send(JSON.stringify({ id: 'live', type: 'subscribe', payload: { query: LIVE,
            variables: { c: this.getAttribute('challenge-id'), a: this.cursor, l: this.lang.toUpperCase() } } }));
        } else if (msg.type === 'ping') {
          ws.send(JSON.stringify({ type: 'pong' }));
        } else if (msg.type === 'next' && msg.payload.data) {
          this.addLive(msg.payload.data.matchFound);
        } else if (msg.type === 'error' && this.cursor) {
          // The resume itself was refused (a cursor this service no longer knows, say): start
          // afresh, since the ranking read anew holds every match there is.
          this.stop();
          this.start();
        }
      };
      ws.onclose = (event) => {
        if (this.closed || ws !== this.ws) return;
        if (REFUSED_CLOSE_CODES.includes(event.code)) return this.refuse(new Refused(event.reason));
        this.setStatus(false);
        // Resume after the last event seen: the server replays what was missed.
        this.retryTimer = setTimeout(() => this.connect(), Math.min(15000, 500 * 2 ** this.retries++));
      };
    }

    addLive(match) {
      if (match.eventCursor) this.cursor = match.eventCursor;
      this.matches = this.matches.filter((m) => m.stakeholder.id !== match.stakeholder.id);
      this.matches.push(Object.assign({}, match, { isNew: true }));
      this.matches.sort((a, b) => b.score - a.score);
      // The best "limit" stay: a newcomer that ranks lower is not shown, a higher one pushes the last out.
      this.matches = this.matches.slice(0, this.limit);
      this.renderList();
    }

    el(tag, className, text) {
      const e = document.createElement(tag);
      if (className) e.className = className;
      if (text !== undefined) e.textContent = text;
      return e;
    }

    renderShell() {
      this.shadow.innerHTML = '';
      const style = this.el('style');
      style.textContent = CSS;
      this.status = this.el('span', 'status', this.t.offline);
      const title = this.el('h2', '', this.t.title);
      title.prepend(this.status);
      this.subtitle = this.el('p', 'sub', '');
      this.list = this.el('ol', 'matches');
      this.list.append(this.el('li', 'meta', this.t.loading));
      const teamButton = this.el('button', 'team-button', this.t.team);
      teamButton.onclick = () => this.showTeam(teamButton);
      this.team = this.el('div', 'team');
      this.shadow.append(style, title, this.subtitle, this.list, teamButton, this.team);
    }

    setStatus(live) {
      if (!this.status) return;
      this.status.textContent = live ? this.t.live : this.t.offline;
      this.status.className = 'status' + (live ? ' live' : '');
    }

    renderList() {
      this.subtitle.textContent = this.challengeTitle || '';
      this.list.innerHTML = '';
      if (this.matches.length === 0) this.list.append(this.el('li', 'meta', this.t.none));
      for (const m of this.matches) {
        const li = this.el('li', 'match' + (m.isNew ? ' new' : ''));
        li.dataset.stakeholderId = m.stakeholder.id;
        li.append(this.el('span', 'score', Math.round(m.score * 100) + '%'));
        const name = this.el('span', 'name', m.stakeholder.name);
        if (m.isNew) name.append(this.el('span', 'badge', this.t.newMatch));
        li.append(name);
        const km = m.breakdown.distanceKm;
        const meta = [(KINDS[this.lang] || KINDS.en)[m.stakeholder.kind] || m.stakeholder.kind, m.stakeholder.city,
          km == null ? null : Math.round(km) + ' km'];
        li.append(this.el('div', 'meta', meta.filter(Boolean).join(' · ')));
        const reasons = this.el('ul', 'reasons');
        for (const r of m.reasons) reasons.append(this.el('li', '', r));
        li.append(reasons);
        if (this.canInvite) {
          const invite = this.el('button', 'invite', this.t.invite);
          invite.onclick = async () => {
            invite.disabled = true;
            // One key per click: if the answer is lost and the portal retries, the invitation is sent once.
            const k = crypto.randomUUID();
            try {
              await this.gql(INVITE, { c: this.getAttribute('challenge-id'), s: m.stakeholder.id, k });
              invite.textContent = this.t.invited;
            } catch (e) {
              invite.textContent = e.message;
            }
          };
          li.append(invite);
        }
        if (this.canBroker) li.append(this.shortlistButton(m), this.dismissButton(m));
        this.list.append(li);
      }
    }

    shortlistButton(m) {
      const button = this.el('button', 'shortlist', m.shortlisted ? this.t.shortlisted : this.t.shortlist);
      button.disabled = !!m.shortlisted;
      button.onclick = async () => {
        button.disabled = true;
        try {
          await this.gql(SHORTLIST, { c: this.getAttribute('challenge-id'), s: m.stakeholder.id });
          m.shortlisted = true;
          button.textContent = this.t.shortlisted;
        } catch (e) {
          button.textContent = e.message;
          button.disabled = false;
        }
      };
      return button;
    }

    dismissButton(m) {
      const button = this.el('button', 'dismiss', this.t.dismiss);
      button.onclick = async () => {
        button.disabled = true;
        try {
          await this.gql(DISMISS, { c: this.getAttribute('challenge-id'), s: m.stakeholder.id });
          // Ruled out: it leaves the list now, and is never suggested for this challenge again.
          this.matches = this.matches.filter((x) => x !== m);
          this.renderList();
        } catch (e) {
          button.textContent = e.message;
          button.disabled = false;
        }
      };
      return button;
    }

    async showTeam(button) {
      button.disabled = true;
      try {
        const { suggestTeam: team } = await this.gql(TEAM, { c: this.getAttribute('challenge-id') });
        this.team.innerHTML = '';
        this.team.append(this.el('strong', '', this.t.teamTitle));
        const ul = this.el('ul', 'reasons');
        for (const m of team.members) ul.append(this.el('li', '',
          m.stakeholder.name + ' (' +
            ((KINDS[this.lang] || KINDS.en)[m.stakeholder.kind] || m.stakeholder.kind) + ')'));
        this.team.append(ul);
        if (team.coveredExpertise.length) this.team.append(this.el('div', 'meta',
          this.t.covered + ': ' + team.coveredExpertise.map((e) => e.label).join(', ')));
        const kindLabel = (k) => (KINDS[this.lang] || KINDS.en)[k] || k;
        const missing = team.missingExpertise.map((e) => e.label).concat(team.missingKinds.map(kindLabel));
        if (missing.length) this.team.append(this.el('div', 'meta', this.t.missing + ': ' + missing.join(', ')));
      } catch (e) {
        this.team.textContent = e.message;
      } finally {
        button.disabled = false;
      }
    }
  }

  customElements.define('partner-matches', PartnerMatches);
})();
`;
