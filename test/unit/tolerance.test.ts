import { expect } from 'chai';
import { toleranceSchema, type Tolerance } from '../../src/units/tolerance-schema.js';
import { checkTolerance } from '../../src/plugins/shared/tolerance.js';

function check(tolerance: unknown, value: unknown) {
  return checkTolerance(toleranceSchema.parse(tolerance), value);
}

describe('tolerance', () => {
  describe('exact values', () => {
    it('passes an equal scalar and fails a different one, saying what was found and expected', () => {
      expect(check(200, 200).ok).to.equal(true);
      const result = check(200, 503);
      expect(result).to.deep.equal({ ok: false, message: '503, expected 200' });
    });

    it('does not treat the string "200" as the number 200', () => {
      expect(check(200, '200').ok).to.equal(false);
    });

    it('compares objects and arrays deeply, ignoring key order', () => {
      expect(check({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }).ok).to.equal(true);
      expect(check({ a: 1 }, { a: 1, extra: true }).ok).to.equal(false);
      expect(check([1, 2], [2, 1]).ok).to.equal(false);
    });
  });

  describe('oneOf', () => {
    it('passes any of the listed values', () => {
      expect(check({ oneOf: [200, 204] }, 204).ok).to.equal(true);
      expect(check({ oneOf: [200, 204] }, 500)).to.deep.equal({ ok: false, message: '500, expected one of 200, 204' });
    });
  });

  describe('range', () => {
    it('is inclusive at both ends', () => {
      expect(check({ range: [200, 399] }, 200).ok).to.equal(true);
      expect(check({ range: [200, 399] }, 399).ok).to.equal(true);
      expect(check({ range: [200, 399] }, 400)).to.deep.equal({ ok: false, message: '400, expected 200..399' });
    });

    it('accepts numeric strings (command output) and rejects other values', () => {
      expect(check({ range: [0, 10] }, ' 7\n').ok).to.equal(true);
      expect(check({ range: [0, 10] }, 'seven').ok).to.equal(false);
      expect(check({ range: [0, 10] }, null).ok).to.equal(false);
    });

    it('rejects a range whose min is above its max', () => {
      const result = toleranceSchema.safeParse({ range: [10, 1] });
      expect(result.success).to.equal(false);
      expect(result.error?.issues[0]?.message).to.match(/min <= max/);
    });
  });

  describe('regex', () => {
    it('matches the string form of the value', () => {
      expect(check({ regex: '^ok \\d+$' }, 'ok 42').ok).to.equal(true);
      expect(check({ regex: '^5' }, 503).ok).to.equal(true);
      expect(check({ regex: 'healthy' }, 'degraded')).to.deep.equal({
        ok: false,
        message: '"degraded", expected a match for /healthy/',
      });
    });

    it('rejects an invalid regular expression when validating', () => {
      const result = toleranceSchema.safeParse({ regex: '(' });
      expect(result.success).to.equal(false);
      expect(JSON.stringify(result.error?.issues)).to.match(/invalid regular expression/);
    });
  });

  describe('jsonPath', () => {
    const body = JSON.stringify({ status: 'up', replicas: [{ ok: true }, { ok: true }], count: 3 });

    it('parses a string as JSON and requires the path to match something when no value is given', () => {
      expect(check({ jsonPath: '$.status' }, body).ok).to.equal(true);
      expect(check({ jsonPath: '$.missing' }, body)).to.deep.equal({
        ok: false,
        message: '$.missing matched nothing, expected $.missing to exist',
      });
    });

    it('checks the matched value against a nested tolerance', () => {
      expect(check({ jsonPath: '$.status', value: 'up' }, body).ok).to.equal(true);
      expect(check({ jsonPath: '$.count', value: { range: [1, 2] } }, body)).to.deep.equal({
        ok: false,
        message: '$.count is 3, expected $.count 1..2',
      });
    });

    it('requires every match to hold when the path matches several values', () => {
      expect(check({ jsonPath: '$.replicas[*].ok', value: true }, body).ok).to.equal(true);
      const mixed = JSON.stringify({ replicas: [{ ok: true }, { ok: false }] });
      expect(check({ jsonPath: '$.replicas[*].ok', value: true }, mixed).ok).to.equal(false);
    });

    it('works on an already parsed object and fails clearly on text that is not JSON', () => {
      expect(check({ jsonPath: '$.a.b', value: 1 }, { a: { b: 1 } }).ok).to.equal(true);
      const result = check({ jsonPath: '$.a' }, '<html>');
      expect(result.ok).to.equal(false);
      expect(result.message).to.match(/^not JSON/);
    });
  });

  describe('validation', () => {
    it('rejects a malformed operator with a message naming its form', () => {
      const result = toleranceSchema.safeParse({ regex: 5 });
      expect(result.success).to.equal(false);
      expect(result.error?.issues[0]?.message).to.equal('a `regex` tolerance is written { regex: "pattern" }, and nothing else');
    });

    it('rejects extra keys next to an operator', () => {
      expect(toleranceSchema.safeParse({ range: [1, 2], oneOf: [1] }).success).to.equal(false);
    });

    it('accepts plain objects without operator keys as exact values', () => {
      const parsed: Tolerance = toleranceSchema.parse({ status: 'up' });
      expect(parsed).to.deep.equal({ status: 'up' });
    });
  });
});
