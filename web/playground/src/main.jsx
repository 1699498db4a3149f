// The coopgraph playground: GraphiQL bundled with everything it needs, so
// that it works with no internet and under a Content-Security-Policy of
// default-src 'self' (no inline script, no data: fonts; see build.mjs).
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import 'graphiql/style.css';
import './page.css';
import { defaultTabs, withCredits } from './examples.js';

// operationName corrects the operation name GraphiQL sends: right after a
// switch of tab it can still be the previous tab's (graphql/graphiql#2311,
// #3632), which the server refuses as "operation … not found". A document of
// one operation runs that operation; otherwise the name is left as chosen.
function operationName(query, name) {
  let ops;
  try {
    ops = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return name; // a syntax error: the server reports it
  }
  if (ops.some((op) => op.name?.value === name)) return name;
  return ops.length === 1 ? (ops[0].name?.value ?? null) : name;
}

// fetcher posts to the API of the server that served the page. Answers that
// are not GraphQL JSON (a body over the size limit, a timeout) are shown as
// an error with their status instead of a JSON parse failure.
async function fetcher(params, opts) {
  params = { ...params, operationName: operationName(params.query, params.operationName) };
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...(opts && opts.headers),
    },
    body: JSON.stringify(params),
    credentials: 'same-origin',
  });
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.trim()}` }] };
  }
}

// credits asks for the sources' credit lines; without an answer the
// examples go without them rather than not at all.
async function credits() {
  try {
    const res = await fetcher({ query: 'query Sources { credits }', operationName: 'Sources' });
    return res.data?.credits ?? [];
  } catch {
    return [];
  }
}

credits().then((lines) =>
  createRoot(document.getElementById('graphiql')).render(
    <GraphiQL fetcher={fetcher} defaultTabs={withCredits(defaultTabs, lines)} defaultEditorToolsVisibility />,
  ),
);
