// The generated client of test/contract/client-program.ts against the app, on both runtimes:
// every operation of the contract is called and answers a success status it declares, with a body
// (the harness also checks each response against its schema and declared headers).
import { expect, it } from 'vitest';
import { callEveryOperation } from '../contract/client-program.js';
import { operations, pathMatcher } from '../contract/contract.js';
import { ADMIN_TOKEN, freshApp } from './harness.js';

const matchPath = pathMatcher();

it('a generated client calls every operation of the contract, each answering a declared success with a body', async () => {
  const { request } = await freshApp();
  const answers = new Map<string, { status: number; body: string }[]>();
  await callEveryOperation(async (req) => {
    const res = await request(req);
    const key = `${req.method} ${matchPath(new URL(req.url).pathname)}`;
    answers.set(key, [...answers.get(key) ?? [], { status: res.status, body: await res.clone().text() }]);
    return res;
  }, ADMIN_TOKEN);
  const all = operations();
  const key = (o: (typeof all)[number]) => `${o.method.toUpperCase()} ${o.path}`;
  expect(all.filter((o) => !answers.has(key(o))).map((o) => o.id), 'operations the client program never called').toEqual([]);
  for (const o of all) {
    const successes = Object.keys(o.operation.responses).filter((s) => /^2/.test(s));
    for (const { status, body } of answers.get(key(o)) ?? []) {
      expect(successes, `${o.id} answered ${status}`).toContain(String(status));
      expect(body, `${o.id} answered ${status} without a body`).not.toBe('');
    }
  }
});
