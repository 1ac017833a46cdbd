// Preloaded (`node --import`) into a spawned app by tests: requests to the URL prefixes in
// ECO2_TEST_URL_ROUTES (JSON {"https://public.example/path": "http://127.0.0.1:PORT/path"}) go to
// local stand-ins instead, as a hosts-file entry would send them, so a test can drive URLs the app
// has built in (default news feeds) without the internet. Nothing in the app knows about it.
const routes = Object.entries(JSON.parse(process.env.ECO2_TEST_URL_ROUTES ?? '{}'));
const publicFetch = globalThis.fetch;

globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const route = routes.find(([from]) => url.startsWith(from));
  return route ? publicFetch(route[1] + url.slice(route[0].length), init) : publicFetch(input, init);
};
