/**
 * The lab's parts behave like the systems it stands for: the router retries a killed instance's requests on the
 * region's other instance, the supervisor restarts the instance after its restart delay, replication ships a
 * write to the standby after the configured lag (and not before), and the router promotes the standby after
 * `failoverAfter` failed checks, with failback as an action. Real instance processes, proxies and SQLite files.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../../src/os/process-identity.js';
import { labAdmin } from '../../src/lab/contract/admin-client.js';
import type { LabEvent } from '../../src/lab/event-log.js';
import { waitFor } from '../support/cli.js';
import { postOrder, startLabInProcess, type LabInProcess } from '../support/lab-in-process.js';

describe('the lab’s router, supervisor and replicator', function () {
  this.timeout(60_000);
  let lab: LabInProcess | null = null;
  afterEach(async () => {
    const instances = lab?.lab.supervisor.list() ?? [];
    await lab?.stop();
    lab = null;
    for (const i of instances) expect(isProcessAlive(i), `instance ${i.name} stopped with the lab`).to.equal(false);
  });
  const event = (name: string) => lab!.events().find((e) => e.event === name);

  it('retries a killed instance’s requests on the other instance (none fails), and restarts it after the delay', async () => {
    lab = await startLabInProcess({ restartDelay: '500ms' });
    const victim = lab.lab.supervisor.list().find((i) => i.name === 'a-1')!;
    process.kill(victim.pid, 'SIGKILL');
    const statuses: number[] = [];
    // Bounded: 40 requests over ~1 s, while a-1 is dead and not yet restarted.
    for (let i = 0; i < 40; i++) {
      statuses.push(await postOrder(lab.info.url, `retry-${i}`));
      await sleep(20);
    }
    expect(statuses.filter((s) => s !== 201), 'failed requests').to.deep.equal([]);
    const restarted = (await waitFor('a-1 to be restarted', () => event('instance-restarted'), 10_000)) as LabEvent & { pid: number };
    const exited = event('instance-exited')!;
    expect(exited.pid).to.equal(victim.pid);
    expect(restarted.pid).to.not.equal(victim.pid);
    // The delay is a timer in the lab: never shorter; longer by the new process's start (up to ~2 s on a busy machine).
    expect(restarted.at - exited.at).to.be.within(500, 500 + 2_500);
    expect(lab.lab.supervisor.list().filter((i) => i.region === 'a' && i.running)).to.have.length(2);
  });

  it('ships a write to the standby after the replication lag, not before', async () => {
    lab = await startLabInProcess({ replicationLag: '600ms' });
    expect(await postOrder(lab.info.url, 'lagged')).to.equal(201);
    const written = lab.lab.dbs.a.get('lagged')!;
    await sleep(300);
    expect(lab.lab.dbs.b.get('lagged'), 'on the standby before the lag passed').to.equal(null);
    await waitFor('the write on the standby', () => lab!.lab.dbs.b.get('lagged'), 5_000);
    const seen = Date.now();
    // Shipped once 600 ms old; the replicator looks every tick, and the poll here every 50 ms (+ scheduling).
    expect(seen - written.createdAt).to.be.within(600, 600 + 1_000);
    expect(lab.lab.dbs.b.get('lagged')!.createdAt, 'the commit time travels with the row').to.equal(written.createdAt);
  });

  it('promotes region B after failoverAfter failed checks, serves from B, and fails back on request', async () => {
    lab = await startLabInProcess({ healthInterval: '100ms', failoverAfter: 3, promotionTime: '200ms' });
    const url = lab.info.url;
    await labAdmin(url, 'POST', '/admin/regions/a/outage', { down: true });
    const promoted = await waitFor('the promotion', () => event('promoted'), 10_000);
    const outage = event('region-outage')!;
    // 3 failed checks 100 ms apart, then 200 ms of promotion: the first failing check may be one in flight when
    // the region went down, or one up to an interval later; +500 ms for a busy machine's timers.
    expect(promoted.at - outage.at).to.be.within(1 * 100 + 200, 3 * 100 + 200 + 500);
    const res = await fetch(`${url}/orders/health`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-lab-region')).to.equal('b');
    expect(event('first-request-served')!.region).to.equal('b');

    await labAdmin(url, 'POST', '/admin/regions/a/outage', { down: false });
    await waitFor('region A healthy again', () => lab!.lab.router.regionHealthy('a'), 5_000);
    expect(await labAdmin(url, 'POST', '/admin/failback', { region: 'a' })).to.deep.equal({ primary: 'a', changed: true });
    const back = await fetch(`${url}/orders/health`);
    expect(back.headers.get('x-lab-region')).to.equal('a');
  });
});
