import { describe, expect, it } from 'vitest';
import { OutboundHttpError } from '#platform';
import { dataGoKrBody } from './data-go-kr-response.js';

const answer = (body: string, status = 200) => ({ status, headers: new Headers(), body, truncated: false });
const envelope = (resultCode: string, body?: unknown) =>
  JSON.stringify({ response: { header: { resultCode, resultMsg: 'MSG' }, ...(body ? { body } : {}) } });

describe('data.go.kr answers', () => {
  it('gives the body of a NORMAL_SERVICE answer', () => {
    expect(dataGoKrBody('svc', answer(envelope('00', { items: [{ a: 1 }] })))).toEqual({ items: [{ a: 1 }] });
  });

  it('reads NODATA_ERROR (03) as nothing found, not a failure', () => {
    expect(dataGoKrBody('svc', answer(envelope('03')))).toBeNull();
  });

  it('fails on any other result code, on HTTP errors and on the XML the portal sends for key errors', () => {
    expect(() => dataGoKrBody('svc', answer(envelope('30')))).toThrow(/svc: 30 MSG/);
    expect(() => dataGoKrBody('svc', answer('', 502))).toThrow(OutboundHttpError);
    const xml =
      '<OpenAPI_ServiceResponse><cmmMsgHeader><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR' +
      '</returnAuthMsg></cmmMsgHeader></OpenAPI_ServiceResponse>';
    expect(() => dataGoKrBody('svc', answer(xml))).toThrow(/not JSON/);
  });
});
