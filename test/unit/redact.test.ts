import { expect } from 'chai';
import { createRedactor, REDACTED } from '../../src/experiment/redact.js';

describe('redaction of secret values', () => {
  const secret = 'p@ss w/rd"+é';
  const redact = createRedactor([secret]);

  it('hides a secret as written, inside longer strings and in object keys', () => {
    expect(redact({ a: `token=${secret}; again ${secret}`, [secret]: 1 })).to.deep.equal({
      a: `token=${REDACTED}; again ${REDACTED}`,
      [REDACTED]: 1,
    });
  });

  it('hides the forms a secret takes in a URL (userinfo, path, query, form encoding) and in a JSON string', () => {
    const url = new URL('http://h/x');
    url.password = secret;
    url.search = `?t=${secret}`;
    const forms = [
      url.toString(),
      `http://h/${encodeURIComponent(secret)}`,
      `http://h/?${new URLSearchParams({ t: secret }).toString()}`,
      `http://h/?t=${encodeURIComponent(secret).toLowerCase()}`,
      JSON.stringify({ t: secret }),
    ];
    for (const text of forms) {
      const out = redact(text);
      expect(out, text).to.include(REDACTED);
      expect(out, text).to.not.match(/p%40ss|p@ss|w%2Frd|w\/rd/i);
    }
  });

  it('leaves text without secrets alone, and ignores empty values', () => {
    expect(createRedactor(['', secret])('nothing here')).to.equal('nothing here');
    expect(createRedactor([''])('abc')).to.equal('abc');
  });
});
