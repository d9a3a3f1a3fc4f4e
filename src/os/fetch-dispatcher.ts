/**
 * Which connection pool Node's global `fetch` uses in this process: undici's Agent, from the undici chaosdrill
 * depends on (7.x), rather than the older one bundled with Node 20. Node's fetch sends through the dispatcher set on
 * globalThis, and importing undici installs its Agent there when none is set (undici/lib/global.js).
 *
 * It matters for faults: Node 20's bundled pool waits forever on a server that closes its side without answering
 * (a reset_peer or limit_data toxic, a dying instance), where undici 7's reports "other side closed" at once. Every
 * module of ours that fetches imports this file for that effect, so a probe behaves the same whatever else the
 * process happened to load (before commands loaded on demand, every process imported undici at start).
 */
import 'undici';
