// Wraps the test apps' `request` so that every response is checked against the contract: a
// response the contract does not declare throws, and fails the test that made the request.
import { inject } from 'vitest';
import { contract, pathMatcher } from './contract.js';
import { contractChecker } from './response-validator.js';

declare module 'vitest' {
  interface ProvidedContext { contractReportOnly: boolean }
}

/**
 * Set by test/vitest.config.ts from CONTRACT_VALIDATION=report: print the mismatches and go on,
 * to list every gap at once while fixing the contract. Never set in CI: the default is strict.
 */
const reportOnly = inject('contractReportOnly') === true;

const contractMismatches = contractChecker(contract);
const matchPath = pathMatcher(contract);

type Send = (input: string | Request, init?: RequestInit) => Response | Promise<Response>;

export function checkedAgainstContract(send: Send): (input: string | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const response = await send(input, init);
    const request = typeof input === 'string' ? undefined : input;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const url = new URL(request?.url ?? (input as string), 'http://localhost');
    const requestHeaders = new Headers(init?.headers ?? request?.headers);
    const mismatches = await contractMismatches({ method, url, requestHeaders, response });
    if (mismatches.length === 0) return response;
    const operation = matchPath(url.pathname);
    const message = `Contract violation: ${method} ${url.pathname}${url.search} answered ${response.status}`
      + `${operation ? ` (operation ${method} ${operation})` : ' (no path of the contract)'}:\n  - ${mismatches.join('\n  - ')}`;
    if (!reportOnly) throw new Error(message);
    console.warn(`[contract] ${message}`);
    return response;
  };
}
