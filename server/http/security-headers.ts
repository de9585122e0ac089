/**
 * Headers every HTTP response carries. The app's pages get their full Content-Security-Policy
 * from SvelteKit (`kit.csp` in svelte.config.js, with a nonce per page), which replaces the
 * default set here; everything else (built assets, the service worker, API answers, probes) gets
 * at least `frame-ancestors 'none'`, which only works as a header. The default stays that narrow
 * on purpose: a service worker's script runs under its own response's CSP, so a stricter one
 * there would stop it from fetching.
 */
import type { ServerResponse } from 'node:http';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'x-frame-options': 'DENY',
	'content-security-policy': "frame-ancestors 'none'"
};

/** Sets the defaults; a handler's own `writeHead` headers still take precedence. */
export function setSecurityHeaders(res: ServerResponse): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
