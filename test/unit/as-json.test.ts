/**
 * asJson, the one checked cast to Json: what the compiler refuses is held by `tsc -p test/tsconfig.json`
 * (`@ts-expect-error` fails the type check when the line it marks compiles), what it returns by the tests.
 */
import { expect } from 'chai';
import { asJson } from '../../src/json.js';

interface Finding {
  name: string;
  value: number | null;
  note?: string;
  points: readonly [number, number][];
}

describe('asJson', () => {
  it('takes an interface whose fields are JSON all the way down, optional fields included, unchanged', () => {
    const finding: Finding = { name: 'p95', value: 12.5, points: [[1, 2]] };
    expect(asJson(finding)).to.equal(finding);
  });

  it('is refused by the compiler for a date, a function or a map anywhere inside', () => {
    // @ts-expect-error a Date is not JSON (JSON.stringify would write a string the reader cannot tell from text)
    asJson({ at: new Date(0) });
    // @ts-expect-error a function is not JSON (JSON.stringify drops it)
    asJson({ nested: { call: () => 1 } });
    // @ts-expect-error a Map is not JSON (JSON.stringify writes {})
    asJson([new Map<string, number>()]);
  });
});
