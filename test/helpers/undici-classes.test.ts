import * as undici from 'undici';
import { Agent, Dispatcher, ProxyAgent } from '../../src/helpers/undici-classes';

// The classes are required from undici's own modules to spare a run loading all of undici: they must stay the
// index's classes, or an upgrade that moved them would break requests (or instanceof) far from here.
describe('undici classes', () => {
  it('are the classes undici exports', () => {
    expect(Agent).toBe(undici.Agent);
    expect(ProxyAgent).toBe(undici.ProxyAgent);
    expect(Dispatcher).toBe(undici.Dispatcher);
    expect(new Agent()).toBeInstanceOf(undici.Dispatcher);
  });

  it("give dispatchers undici's request methods without undici's index loaded (ProxyAgent connects with them)", () => {
    jest.isolateModules(() => {
      const own = require('../../src/helpers/undici-classes') as typeof import('../../src/helpers/undici-classes');
      for (const method of ['request', 'stream', 'pipeline', 'upgrade', 'connect']) {
        expect(typeof (own.Dispatcher.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
      }
      // The index was not needed for that (its classes would be other objects in this registry).
      expect(own.Agent).not.toBe(undici.Agent);
    });
  });
});
