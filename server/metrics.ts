/**
 * Prometheus metrics for one relay, in its own Registry (not prom-client's global one), so a
 * process — a test run — can hold many relays. Gauges are read at scrape time from the live
 * objects, so the hot path only ever increments counters.
 *
 * Labels are bounded enums (message type, close reason, error kind): never a board or connection
 * id, which would grow the series without limit.
 */
import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Incoming } from './sync/protocol.ts';

export type MessageType = Incoming['type'];
export type ErrorKind =
	| 'protocol'
	| 'bad_update'
	| 'internal'
	| 'storage'
	| 'socket'
	| 'load'
	/** An update failed half-way through Yjs; the room was dropped and reloaded from the store. */
	| 'room_reset';
export type RefusalReason =
	| 'room_full'
	| 'ip_limit'
	| 'not_found'
	| 'shutting_down'
	| 'load_failed'
	/** No token, or one this server did not sign, or an expired one (401). */
	| 'unauthorized'
	/** A revoked link, a token for another board (403). */
	| 'forbidden'
	/** The Origin header is not on the allow-list (403). */
	| 'origin';
export type AwarenessDrop = 'foreign_id' | 'too_many_ids' | 'state_too_big';

export interface RelayMetrics {
	readonly registry: Registry;
	readonly messagesIn: Counter<'type'>;
	readonly bytesIn: Counter;
	readonly messagesOut: Counter;
	readonly bytesOut: Counter;
	readonly appendSeconds: Histogram;
	readonly compactSeconds: Histogram;
	readonly loadSeconds: Histogram;
	readonly closes: Counter<'reason' | 'initiator'>;
	readonly errors: Counter<'kind'>;
	readonly refused: Counter<'reason'>;
	readonly awarenessDropped: Counter<'reason'>;
	readonly viewerUpdatesDropped: Counter;
	readonly votesRefused: Counter<'reason'>;
	readonly ownership: Counter<'event'>;
	readonly facilitationRefused: Counter<'reason'>;
}

export interface MetricsOptions {
	/** Live readings, taken at scrape time. */
	roomsLoaded: () => number;
	connections: () => number;
	queuedBytes: () => number;
	/** Cluster mode: boards this relay owns, and boards it forwards to their owner elsewhere. */
	cluster?: () => { owned: number; forwarded: number };
	/** Also export process CPU, memory, event-loop lag and GC (once per process: the entry). */
	processMetrics?: boolean;
}

export function createMetrics(opts: MetricsOptions): RelayMetrics {
	const registry = new Registry();
	const registers = [registry];
	if (opts.processMetrics) collectDefaultMetrics({ register: registry });
	new Gauge({
		name: 'railyard_rooms_loaded',
		help: 'Boards currently loaded in memory',
		registers,
		collect() {
			this.set(opts.roomsLoaded());
		}
	});
	new Gauge({
		name: 'railyard_connections',
		help: 'Open WebSocket connections',
		registers,
		collect() {
			this.set(opts.connections());
		}
	});
	new Gauge({
		name: 'railyard_send_queue_bytes',
		help: 'Bytes queued to clients and not yet written to their sockets',
		registers,
		collect() {
			this.set(opts.queuedBytes());
		}
	});
	const cluster = opts.cluster;
	if (cluster) {
		new Gauge({
			name: 'railyard_cluster_boards',
			help: 'Cluster mode: boards this relay owns (role="owner") or forwards to their owner (role="forwarding")',
			labelNames: ['role'],
			registers,
			collect() {
				const { owned, forwarded } = cluster();
				this.set({ role: 'owner' }, owned);
				this.set({ role: 'forwarding' }, forwarded);
			}
		});
	}
	return {
		registry,
		ownership: new Counter({
			name: 'railyard_cluster_ownership_total',
			help: 'Cluster mode: boards taken over (event="taken") and given up (event="given_up")',
			labelNames: ['event'],
			registers
		}),
		messagesIn: new Counter({
			name: 'railyard_messages_received_total',
			help: 'Protocol messages received, by type',
			labelNames: ['type'],
			registers
		}),
		bytesIn: new Counter({
			name: 'railyard_received_bytes_total',
			help: 'WebSocket payload bytes received',
			registers
		}),
		messagesOut: new Counter({
			name: 'railyard_messages_sent_total',
			help: 'Frames sent to clients (one per receiver)',
			registers
		}),
		bytesOut: new Counter({
			name: 'railyard_sent_bytes_total',
			help: 'WebSocket payload bytes sent (counted once per receiver)',
			registers
		}),
		appendSeconds: new Histogram({
			name: 'railyard_store_append_seconds',
			help: 'Durable append of one merged batch of updates',
			buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
			registers
		}),
		compactSeconds: new Histogram({
			name: 'railyard_store_compact_seconds',
			help: 'Compaction of a board into one snapshot, encoding included',
			buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers
		}),
		loadSeconds: new Histogram({
			name: 'railyard_room_load_seconds',
			help: 'Loading a board from the store into memory',
			buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers
		}),
		closes: new Counter({
			name: 'railyard_closes_total',
			help: 'Closed connections, by close-code name and by which side closed',
			labelNames: ['reason', 'initiator'],
			registers
		}),
		errors: new Counter({
			name: 'railyard_errors_total',
			help: 'Errors, by kind',
			labelNames: ['kind'],
			registers
		}),
		refused: new Counter({
			name: 'railyard_upgrades_refused_total',
			help: 'WebSocket upgrades answered with an HTTP error instead, by reason',
			labelNames: ['reason'],
			registers
		}),
		awarenessDropped: new Counter({
			name: 'railyard_awareness_dropped_total',
			help: 'Awareness entries dropped instead of applied, by reason',
			labelNames: ['reason'],
			registers
		}),
		facilitationRefused: new Counter({
			name: 'railyard_facilitation_refused_total',
			help: 'Facilitation commands and locked changes refused (a locked change is reverted), by reason',
			labelNames: ['reason'],
			registers
		}),
		viewerUpdatesDropped: new Counter({
			name: 'railyard_viewer_updates_dropped_total',
			help: 'Document updates sent by read-only (viewer) connections, dropped unapplied',
			registers
		}),
		votesRefused: new Counter({
			name: 'railyard_votes_refused_total',
			help: 'Vote messages refused (viewer, over the limit, vote not open, not a facilitator…), by reason',
			labelNames: ['reason'],
			registers
		})
	};
}

/** Seconds since `startedMs` (a performance.now() reading), for histograms. */
export function secondsSince(startedMs: number): number {
	return (performance.now() - startedMs) / 1000;
}

export async function serveMetrics(metrics: RelayMetrics, res: ServerResponse): Promise<void> {
	const body = await metrics.registry.metrics();
	res.writeHead(200, {
		'content-type': metrics.registry.contentType,
		'cache-control': 'no-store'
	});
	res.end(body);
}
