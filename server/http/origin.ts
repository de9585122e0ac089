/**
 * Which pages may open a WebSocket to the relay. Browsers send `Origin` with every WebSocket
 * handshake and do not apply the same-origin policy to it, so without this check any site a
 * board member visits could open the board with a link token it got hold of. Non-browser clients
 * (scripts, a stock y-websocket client in Node) send no Origin and are let through: the token is
 * what guards them.
 */
import type { IncomingMessage } from 'node:http';

/**
 * With an allow-list, the Origin must be on it. Without one, its host must be the host the
 * request was sent to (the page and the relay are one server).
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[] | null): boolean {
	const origin = req.headers.origin;
	if (origin === undefined) return true;
	let parsed: URL;
	try {
		parsed = new URL(origin);
	} catch {
		return false; // "null" (a sandboxed frame, a file:// page) or garbage
	}
	if (allowed) return allowed.includes(parsed.origin);
	const host = req.headers.host;
	return host !== undefined && parsed.host.toLowerCase() === host.toLowerCase();
}
