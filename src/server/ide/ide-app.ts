/** Runs in the browser: mounts GraphiQL with the example operations as tabs and WebSocket subscriptions. */
export const IDE_APP_SCRIPT = String.raw`
(function () {
  var examples = JSON.parse(document.getElementById('examples').textContent);
  var wsScheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  var baseFetcher = GraphiQL.createFetcher({
    url: location.origin + '/graphql',
    subscriptionUrl: wsScheme + location.host + '/graphql',
  });
  // After a tab switch GraphiQL may hand the fetcher the previous tab's operation name and parsed
  // document, which sends a subscription over HTTP. Work both out from the text that runs.
  var fetcher = function (params, options) {
    var ops = [];
    var re = /(^|\n)\s*(query|mutation|subscription)\b\s*(\w*)/g;
    var m;
    while ((m = re.exec(params.query))) ops.push({ type: m[2], name: m[3] || undefined });
    var chosen = ops.filter(function (o) { return o.name && o.name === params.operationName; })[0] || ops[0];
    if (!chosen) return baseFetcher(params, options);
    var documentAST = { kind: 'Document', definitions: [{ kind: 'OperationDefinition', operation: chosen.type,
      name: chosen.name ? { kind: 'Name', value: chosen.name } : undefined }] };
    return baseFetcher(Object.assign({}, params, { operationName: chosen.name }), Object.assign({}, options,
      { documentAST: documentAST }));
  };
  // Tabs open with no headers: the examples are reads anyone may run, and an empty
  // "Authorization: Bearer " would be refused as a bad key. A key goes in the Headers tab.
  var tabs = examples.map(function (e) {
    return { query: e.query, variables: e.variables ? JSON.stringify(e.variables, null, 2) : undefined };
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      // GraphiQL fills the first tab's editors from these props, not from defaultTabs.
      query: tabs[0].query,
      variables: tabs[0].variables,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    }),
  );
})();
`;
