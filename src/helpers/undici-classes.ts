import type * as Undici from 'undici';

/*
 * undici's Agent, ProxyAgent and Dispatcher, each required from its own
 * module: undici's index loads the whole library (fetch, WebSocket, cookies,
 * caches, mocks), 100-110 ms of every `devlake run`'s start on a 2-core
 * machine, against 45 ms for these and the request methods. They are the
 * index's very classes, so undici's types and `instanceof` apply unchanged.
 * The paths can be required (undici has no `exports` map) but are not its
 * documented API: the lockfile pins the version, and
 * test/helpers/undici-classes.test.ts fails an upgrade that moves them.
 */

/** undici's `Agent`. */
export const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
/** undici's `ProxyAgent`. */
export const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent;
/** undici's `Dispatcher`, the base class of a custom dispatcher. */
export const Dispatcher = require('undici/lib/dispatcher/dispatcher') as typeof Undici.Dispatcher;

// What undici's index does on load besides exporting: give every dispatcher request(), stream(), pipeline(),
// upgrade() and connect(). ProxyAgent's own connections call connect(). The same functions either way, so loading
// the index as well (a plugin may) changes nothing.
Object.assign(Dispatcher.prototype, require('undici/lib/api') as object);
