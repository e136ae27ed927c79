/** Runs in the browser: mounts GraphiQL with the example operations as tabs and WebSocket subscriptions. */
export const IDE_APP_SCRIPT = String.raw`
(function () {
  var examples = JSON.parse(document.getElementById('examples').textContent);
  var wsScheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  var fetcher = GraphiQL.createFetcher({
    url: location.origin + '/graphql',
    subscriptionUrl: wsScheme + location.host + '/graphql',
  });
  var tabs = examples.map(function (e) {
    return { query: e.query, variables: e.variables ? JSON.stringify(e.variables, null, 2) : undefined, headers: '{\n  "Authorization": "Bearer "\n}' };
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultTabs: tabs, defaultEditorToolsVisibility: true, shouldPersistHeaders: false }),
  );
})();
`;
