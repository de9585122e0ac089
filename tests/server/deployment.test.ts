/**
 * compose.yaml and the Dockerfile cannot be built here (no Docker engine on these machines), so
 * this keeps them in step with what the cluster tests really start: the same entry, the same
 * cluster settings, the relays HAProxy's configuration (docs/haproxy.cfg) names, and only
 * variables the relay reads (a typo would be silently ignored in production).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clusterRelayEnv } from '../helpers/cluster.ts';
import { HAPROXY_CFG } from '../helpers/haproxy.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
	image?: string;
	build?: string;
	environment: Record<string, string>;
	ports: string[];
	volumes: string[];
}

/** Reads compose.yaml's services: the plain two-space YAML that file is written in. */
function composeServices(text: string): Map<string, Service> {
	const services = new Map<string, Service>();
	let section: 'services' | null = null;
	let service: Service | null = null;
	let list: 'environment' | 'ports' | 'volumes' | null = null;
	for (const raw of text.split('\n')) {
		const line = raw.replace(/\s+#.*$/, '');
		if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
		const indent = line.length - line.trimStart().length;
		const body = line.trim();
		if (indent === 0) {
			section = body === 'services:' ? 'services' : null;
			service = null;
			continue;
		}
		if (section !== 'services') continue;
		if (indent === 2) {
			service = { environment: {}, ports: [], volumes: [] };
			services.set(body.replace(/:$/, ''), service);
			list = null;
			continue;
		}
		if (!service) continue;
		if (indent === 4) {
			const [key, ...rest] = body.split(':');
			const value = rest.join(':').trim();
			list = key === 'environment' || key === 'ports' || key === 'volumes' ? key : null;
			if (key === 'image') service.image = value;
			if (key === 'build') service.build = value;
			if (key === '<<' && value === '*relay') service.build = '.';
			continue;
		}
		if (list === 'environment') {
			const at = body.indexOf(':');
			service.environment[body.slice(0, at)] = body
				.slice(at + 1)
				.trim()
				.replace(/^'|'$/g, '');
		} else if (list) {
			service[list].push(body.replace(/^- /, '').replace(/^'|'$/g, ''));
		}
	}
	return services;
}

/** Every environment variable the relay reads (server/config.ts). */
function variablesRead(): Set<string> {
	const source = read('server/config.ts');
	const names = [
		...source.matchAll(/env\.([A-Z_]+)/g),
		...source.matchAll(/(?:int|bool)\(env, '([A-Z_]+)'/g)
	].map((m) => m[1]!);
	return new Set(names);
}

describe('deployment files', () => {
	const services = composeServices(read('compose.yaml'));
	const relays = [...services].filter(([, s]) => s.build === '.');

	it('compose.yaml runs three relays, PostgreSQL, Redis and HAProxy', () => {
		expect(relays.map(([name]) => name)).toEqual(['relay-1', 'relay-2', 'relay-3']);
		expect(services.get('postgres')?.image).toMatch(/^postgres:15/);
		expect(services.get('redis')?.image).toMatch(/^redis:7/);
		expect(services.get('haproxy')?.image).toMatch(/^haproxy:/);
	});

	it('every relay is a cluster member the way the cluster tests start one', () => {
		const wanted = Object.keys(
			clusterRelayEnv({ databaseUrl: 'x', redisUrl: 'x', nodeId: 'x', secret: 'x' })
		).sort();
		const read = variablesRead();
		const ids = new Set<string>();
		for (const [name, relay] of relays) {
			const env = relay.environment;
			for (const key of wanted) expect(env, `${name} sets ${key}`).toHaveProperty(key);
			for (const key of Object.keys(env)) expect(read.has(key), `${name}: ${key}`).toBe(true);
			expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
			expect(env.REDIS_URL).toBe('redis://redis:6379');
			expect(env.HOST).toBe('0.0.0.0');
			expect(env.TRUST_PROXY).toBe('true');
			ids.add(env.RAILYARD_NODE_ID!);
		}
		expect(ids.size).toBe(relays.length);
	});

	it("HAProxy's configuration is docs/haproxy.cfg, naming exactly the relays and their port", () => {
		const cfg = fs.readFileSync(HAPROXY_CFG, 'utf8');
		const servers = [...cfg.matchAll(/^\s*server (\S+) (\S+):(\d+)/gm)].map((m) => ({
			name: m[1],
			host: m[2],
			port: m[3]
		}));
		expect(servers.map((s) => s.host)).toEqual(relays.map(([name]) => name));
		for (const [name, relay] of relays) {
			expect(servers.find((s) => s.host === name)?.port).toBe(relay.environment.PORT);
		}
		const haproxy = services.get('haproxy')!;
		expect(haproxy.volumes).toContain('./docs/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
		const bind = /^\s*bind :(\d+)/m.exec(cfg)?.[1];
		expect(haproxy.ports).toContain(`${bind}:${bind}`);
	});

	it('the image runs the entry the relay tests start', () => {
		const cmd = /^CMD (.*)$/m.exec(read('Dockerfile'))?.[1];
		expect(JSON.parse(cmd!)).toEqual(['node', 'server/index.ts']);
		expect(read('tests/helpers/relay-process.ts')).toContain("path.join(root, 'server/index.ts')");
	});
});
