/**
 * The `<partner-matches>` web component, bundled into /embed/matches.js: GraphQL over fetch, live
 * updates over graphql-ws, styles isolated in a shadow root and themable with CSS custom
 * properties. Its `api-key` is in the page for anyone to read: on a public page, a publishable
 * key (`pk_…`).
 */
import { PartnerMatches } from './partner-matches';

// A page that loads the script twice keeps the first definition: a second one would throw.
if (!customElements.get('partner-matches')) customElements.define('partner-matches', PartnerMatches);
