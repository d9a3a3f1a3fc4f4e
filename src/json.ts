/** A plain JSON value: what may go into the ledger, the journal and reports. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
