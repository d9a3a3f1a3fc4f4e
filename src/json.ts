import { z } from 'zod';

/** A plain JSON value: what may go into the ledger, the journal and reports. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Any JSON value, one schema for every place that takes one: the JSON Schema of experiments defines it once (`json`)
 * instead of once per use.
 */
export const jsonValueSchema = z.json();
