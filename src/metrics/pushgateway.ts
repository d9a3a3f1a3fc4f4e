/**
 * `--pushgateway URL`: pushes a run's final metrics to a Prometheus Pushgateway, grouped by job `chaosdrill` and
 * `instance` (the host) and `experiment`, replacing that group's previous values (PUT), so each experiment on each
 * host keeps its latest run.
 */
import { Pushgateway, type Registry } from 'prom-client';
import { ChaosError, ExitCode, messageOf } from '../errors.js';

export const PUSH_JOB = 'chaosdrill';

export async function pushMetrics(registry: Registry, url: string, grouping: { instance: string; experiment: string }): Promise<void> {
  const gateway = new Pushgateway(url, { timeout: 10_000 }, registry);
  try {
    const { resp } = await gateway.push({ jobName: PUSH_JOB, groupings: grouping });
    const status = (resp as { statusCode?: number } | undefined)?.statusCode;
    if (status !== undefined && (status < 200 || status >= 300)) throw new Error(`the Pushgateway answered ${status}`);
  } catch (error) {
    throw new ChaosError(`cannot push metrics to ${url}: ${messageOf(error)}`, {
      code: 'E_PUSHGATEWAY',
      exitCode: ExitCode.Failed,
      hint: 'check the --pushgateway URL (e.g. http://127.0.0.1:9091); the run itself and its reports are not affected',
      cause: error,
    });
  }
}
