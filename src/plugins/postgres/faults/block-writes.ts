/**
 * `postgres.block-writes`: makes the server read-only (`ALTER SYSTEM SET default_transaction_read_only = on`,
 * reload) and terminates open sessions so their next transactions start read-only too: as a primary that lost
 * its disk or was fenced. Revert resets the setting and reloads.
 */
import { defineFault, type InjectContext } from '../../api.js';
import type { PostgresSession } from '../session.js';
import { blockWritesSpec } from '../specs.js';

type BlockState = { host: string; port: number };

export const blockWritesFault = defineFault({
  ...blockWritesSpec,
  async plan(session: PostgresSession) {
    return [{ action: `ALTER SYSTEM SET default_transaction_read_only = on on ${session.shownUrl}, reload, terminate sessions`, target: session.targetName }];
  },
  async inject(session: PostgresSession, _p, ctx: InjectContext<BlockState>) {
    const state: BlockState = { host: session.address.host, port: session.address.port };
    await ctx.record(state);
    await session.withClient(async (c) => {
      await c.query('ALTER SYSTEM SET default_transaction_read_only = on');
      await c.query('SELECT pg_reload_conf()');
      await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
    });
    ctx.logger.info(`made ${session.shownUrl} read-only`);
    return state;
  },
  async revert(session: PostgresSession, _state, ctx) {
    await session.withClient(async (c) => {
      // This session itself started read-only (the fault is on): lift it for this session first.
      await c.query('SET default_transaction_read_only = off');
      await c.query('ALTER SYSTEM RESET default_transaction_read_only');
      await c.query('SELECT pg_reload_conf()');
    });
    ctx.logger.info(`${session.shownUrl} accepts writes again`);
  },
});
