// What the IDE page's other scripts (/ide/react.js, /ide/react-dom.js, /ide/graphiql.js: the UMD
// builds of react 18, react-dom 18 and graphiql 3, served from node_modules) define on `window`,
// as far as ide-app.ts uses it. Declared here rather than imported, since the app is not bundled
// with them: it runs beside them.

/** An operation as GraphiQL hands it to the fetcher. */
interface GraphiQLFetcherParams {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

/** What GraphiQL passes with it; `documentAST` decides between HTTP and WebSocket. */
interface GraphiQLFetcherOpts {
  headers?: Record<string, unknown>;
  documentAST?: {
    kind: 'Document';
    definitions: {
      kind: 'OperationDefinition';
      operation: 'query' | 'mutation' | 'subscription';
      name?: { kind: 'Name'; value: string };
    }[];
  };
  shouldPersistHeaders?: boolean;
}

/** Runs an operation: a promise, or for a subscription an observable or async iterable. */
type GraphiQLFetcher = (params: GraphiQLFetcherParams, opts?: GraphiQLFetcherOpts) => unknown;

/** The GraphiQL component, with @graphiql/toolkit's fetcher factory. */
declare const GraphiQL: {
  createFetcher(options: { url: string; subscriptionUrl?: string }): GraphiQLFetcher;
};

declare const React: {
  createElement(type: unknown, props: Record<string, unknown>): unknown;
};

declare const ReactDOM: {
  createRoot(container: Element): { render(element: unknown): void };
};
