/**
 * The README's typed-client example, runnable as it stands: with the service running
 * (`npm start`), `npm run client:example -- <challenge id> [url]` prints the best partners for
 * the challenge, then each new one as it arrives, until Ctrl-C.
 */
import WebSocket from 'ws'; // in browsers, leave webSocketImpl out
import { createMatchmakerClient } from './client';
import { PortalMatchFoundDocument, PortalSuggestPartnersDocument } from './generated';

const [challengeId, url = 'http://localhost:4000/graphql'] = process.argv.slice(2);

async function main(): Promise<void> {
  const client = createMatchmakerClient({ url, webSocketImpl: WebSocket });
  const { suggestPartners } = await client.request(PortalSuggestPartnersDocument, { challengeId, first: 5 });
  for (const { node } of suggestPartners.edges) console.log(node.score, node.stakeholder.name, node.reasons);

  const stop = client.subscribe(PortalMatchFoundDocument, { challengeId }, ({ matchFound }) =>
    console.log('new partner', matchFound.stakeholder.name, matchFound.eventCursor),
  );
  process.once('SIGINT', () => {
    stop();
    void client.dispose();
  });
}

if (!challengeId) {
  process.stderr.write('usage: npm run client:example -- <challenge id> [url]\n');
  process.stderr.write('challenge ids: query { challenges { edges { node { id title } } } }\n');
  process.exit(2);
}
main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
