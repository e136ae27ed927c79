/**
 * The IDE page's own script, bundled into /ide/app.js: mounts GraphiQL (loaded before it from
 * /ide/graphiql.js) with the example operations as tabs, and subscriptions over WebSocket.
 */

/** An example operation, as the page carries it in `<body data-examples>` (src/server/ide/ide.ts). */
interface Example {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

type OperationType = 'query' | 'mutation' | 'subscription';

const examples = JSON.parse(document.body.dataset.examples ?? '[]') as Example[];
const wsScheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
const baseFetcher = GraphiQL.createFetcher({
  url: `${location.origin}/graphql`,
  subscriptionUrl: `${wsScheme}${location.host}/graphql`,
});

// After a tab switch GraphiQL may hand the fetcher the previous tab's operation name and parsed
// document, which sends a subscription over HTTP. Work both out from the text that runs.
const fetcher: GraphiQLFetcher = (params, options) => {
  const ops: { type: OperationType; name?: string }[] = [];
  for (const m of params.query.matchAll(/(^|\n)\s*(query|mutation|subscription)\b\s*(\w*)/g))
    ops.push({ type: m[2] as OperationType, name: m[3] || undefined });
  const chosen = ops.find((o) => o.name !== undefined && o.name === params.operationName) ?? ops[0];
  if (!chosen) return baseFetcher(params, options);
  const documentAST: GraphiQLFetcherOpts['documentAST'] = {
    kind: 'Document',
    definitions: [
      {
        kind: 'OperationDefinition',
        operation: chosen.type,
        name: chosen.name ? { kind: 'Name', value: chosen.name } : undefined,
      },
    ],
  };
  return baseFetcher({ ...params, operationName: chosen.name }, { ...options, documentAST });
};

// A tab carries headers only when its example needs a role and the page brought a key for it: an
// empty "Authorization: Bearer " would be refused as a bad key. Other keys go in the Headers tab.
const json = (value: Record<string, unknown> | undefined) => (value ? JSON.stringify(value, null, 2) : undefined);
const tabs = examples.map((e) => ({ query: e.query, variables: json(e.variables), headers: json(e.headers) }));
const root = document.getElementById('graphiql');
if (!root) throw new Error('The IDE page has no #graphiql element');
ReactDOM.createRoot(root).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultTabs: tabs,
    // GraphiQL fills the first tab's editors from these props, not from defaultTabs.
    query: tabs[0]?.query,
    variables: tabs[0]?.variables,
    headers: tabs[0]?.headers,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }),
);
