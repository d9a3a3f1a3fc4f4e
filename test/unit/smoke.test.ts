import { expect } from 'chai';
import { ExitCode } from '../../src/errors.js';

describe('exit codes', () => {
  it('are the six documented values', () => {
    expect([ExitCode.Ok, ExitCode.Failed, ExitCode.InvalidInput, ExitCode.Aborted, ExitCode.RevertFailed, ExitCode.Infrastructure]).to.deep.equal([0, 1, 2, 3, 4, 5]);
  });
});
