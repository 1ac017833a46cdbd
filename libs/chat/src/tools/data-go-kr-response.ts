import { OutboundHttpError, type OutboundResponse } from '#platform';

interface Envelope<Body> {
  response?: {
    header?: { resultCode?: string; resultMsg?: string };
    body?: Body;
  };
}

/** data.go.kr's NODATA_ERROR: the query matched nothing (not a failure). */
const NO_DATA = '03';

/**
 * The `body` of a data.go.kr JSON answer (`{response: {header: {resultCode, resultMsg}, body}}`),
 * or null when the query matched nothing. The portal answers key and quota errors as XML with
 * HTTP 200 (`OpenAPI_ServiceResponse`), whatever format was asked for: those throw too.
 */
export function dataGoKrBody<Body>(service: string, response: OutboundResponse): Body | null {
  if (response.status !== 200) throw new OutboundHttpError(`${service}: HTTP ${response.status}`);
  if (!response.body.trimStart().startsWith('{')) throw new OutboundHttpError(`${service}: not JSON`);
  const { header, body } = (JSON.parse(response.body) as Envelope<Body>).response ?? {};
  if (header?.resultCode === NO_DATA) return null;
  if (header?.resultCode !== '00') {
    throw new OutboundHttpError(`${service}: ${header?.resultCode} ${header?.resultMsg ?? ''}`.trim());
  }
  return body ?? null;
}
