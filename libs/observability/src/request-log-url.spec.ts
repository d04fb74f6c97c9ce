import { requestLogUrl, serializeRequestForLog } from './request-log-url';

describe('requestLogUrl', () => {
  it.each([
    ['/accounts', '/accounts'],
    ['/accounts?', '/accounts'],
    ['/accounts?limit=5&api_key=k1', '/accounts?limit=[redacted]&api_key=[redacted]'],
    ['/a?access_token=x&access_token=y', '/a?access_token=[redacted]&access_token=[redacted]'],
    ['/a?flag', '/a?flag=[redacted]'],
    ['/a?we%20ird=v#frag', '/a?we%20ird=[redacted]'],
  ])('logs %s as %s', (url, logged) => {
    expect(requestLogUrl(url)).toBe(logged);
  });

  it('drops the parsed query of the standard serializer and keeps the rest', () => {
    expect(serializeRequestForLog({ id: 'r-1', method: 'GET', url: '/a?key=v', query: { key: 'v' } })).toEqual({
      id: 'r-1',
      method: 'GET',
      url: '/a?key=[redacted]',
    });
  });
});
