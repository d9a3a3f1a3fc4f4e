import { expect } from 'chai';
import type { z } from 'zod';
import { durationSchema, formatDuration, parseDuration } from '../../src/units/duration.js';
import { percentSchema } from '../../src/units/percent.js';
import { createRedactor } from '../../src/experiment/redact.js';

function issueCode(result: z.ZodSafeParseResult<unknown>): unknown {
  const issue = result.error?.issues[0];
  return issue?.code === 'custom' ? (issue.params as { code?: string } | undefined)?.code : issue?.code;
}

describe('durations', () => {
  it('turns strings with a unit into milliseconds', () => {
    expect(['250ms', '1.5s', '30s', '5m', '1h', '0s'].map((d) => durationSchema.parse(d))).to.deep.equal([
      250, 1500, 30_000, 300_000, 3_600_000, 0,
    ]);
  });

  it('rejects a bare number with E_DURATION and the hint to add a unit', () => {
    const result = durationSchema.safeParse(30);
    expect(result.success).to.equal(false);
    expect(issueCode(result)).to.equal('E_DURATION');
    expect(parseDuration(30)).to.deep.include({ ok: false, hint: 'add a unit, e.g. 30s' });
    expect(parseDuration('30')).to.deep.include({ ok: false, code: 'E_DURATION', hint: 'add a unit, e.g. 30s' });
  });

  it('rejects unknown units and text with E_DURATION', () => {
    for (const text of ['30 parsecs', 'soon', '', '1m30s']) {
      expect(issueCode(durationSchema.safeParse(text)), text).to.equal('E_DURATION');
    }
  });

  it('rejects negative durations with E_NEGATIVE_DURATION', () => {
    expect(issueCode(durationSchema.safeParse('-5s'))).to.equal('E_NEGATIVE_DURATION');
    expect(issueCode(durationSchema.safeParse(-5))).to.equal('E_NEGATIVE_DURATION');
  });

  it('formats milliseconds for people', () => {
    expect([250, 1500, 30_000, 90_000, 300_000, 3_600_000, 1234].map(formatDuration)).to.deep.equal([
      '250ms', '1.5s', '30s', '1.5m', '5m', '1h', '1.234s',
    ]);
  });
});

describe('percentages', () => {
  it('reads "99%" as the fraction 0.99', () => {
    expect(percentSchema.parse('99%')).to.be.closeTo(0.99, 1e-12);
    expect(percentSchema.parse('0.5%')).to.be.closeTo(0.005, 1e-12);
    expect(percentSchema.parse('0%')).to.equal(0);
    expect(percentSchema.parse('100%')).to.equal(1);
  });

  it('rejects values outside 0..100% with E_PERCENT', () => {
    for (const value of ['150%', 1.5, -0.1, '-1%', 'lots']) {
      const result = percentSchema.safeParse(value);
      expect(result.success, String(value)).to.equal(false);
      expect(issueCode(result), String(value)).to.equal('E_PERCENT');
    }
  });

  it('refuses a bare number, whichever scale was meant, and says how to write it', () => {
    for (const [value, hint] of [[0.99, '99% (a fraction) or 0.99%'], [25, '25%'], [1, '100% (a fraction) or 1%']] as const) {
      const result = percentSchema.safeParse(value);
      expect(result.success, String(value)).to.equal(false);
      expect(issueCode(result), String(value)).to.equal('E_PERCENT');
      expect(JSON.stringify(result.error?.issues), String(value)).to.include(hint);
    }
  });
});

describe('redaction', () => {
  it('replaces every occurrence of a secret inside strings, keys and nested values', () => {
    const redact = createRedactor(['s3cret', 'tok']);
    expect(redact({ url: 'http://x/?t=s3cret&u=s3cret', list: ['a tok b', 1, null, true], s3cret: { n: 'tok' } })).to.deep.equal({
      url: 'http://x/?t=[redacted]&u=[redacted]',
      list: ['a [redacted] b', 1, null, true],
      '[redacted]': { n: '[redacted]' },
    });
  });

  it('hides a secret that contains another secret whole', () => {
    expect(createRedactor(['abc', 'abcdef'])('x abcdef y')).to.equal('x [redacted] y');
  });

  it('leaves values unchanged when there are no secrets, and ignores empty secret values', () => {
    const redact = createRedactor(['']);
    expect(redact('nothing secret here')).to.equal('nothing secret here');
  });
});
