/**
 * A Chromium CPU profile of one `bench:ui` scenario on the big board, for finding where the
 * time goes rather than guessing: `node tests/bench-ui/profile.ts <scenario> [out.cpuprofile]`
 * against the current build (`npx vite build --minify false` keeps the function names).
 *
 * Scenarios: first (navigation to the complete first screen), repeat (the same, on a second
 * visit from this browser's IndexedDB copy), carddrag, linepaint, filter; and dom, which instead
 * counts the page's nodes and which kinds of element hold them. Prints the functions
 * with the most self time and the most total time; the .cpuprofile opens in Chrome's DevTools.
 * TRACE=1: a timeline of the main thread instead (script, style, layout, paint, GC, task by task),
 * its raw trace written as <out>.trace.json; TRACE_CATEGORIES=a,b widens what it records.
 */
import fs from 'node:fs';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { readBoard } from '../../src/lib/model/index.ts';
import { startRelayProcess } from '../helpers/relay-process.ts';
import { createBoardOver, ownerToken } from '../helpers/relay.ts';
import { BIG, buildBoard } from './board.ts';
import {
	cardDragFrames,
	filterAndFind,
	firstRender,
	remoteLinePaint,
	watchSyncArrivals,
	repeatVisit
} from './measure.ts';
import { watchedDependency } from './watched.ts';

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
}

function summarise(profile: Profile, top = 35): string {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const label = (n: Node) =>
		`${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	profile.samples.forEach((id, i) => {
		const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		const node = byId.get(id)!;
		self.set(label(node), (self.get(label(node)) ?? 0) + dt);
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const l = label(byId.get(at)!);
			if (seen.has(l)) continue;
			seen.add(l);
			total.set(l, (total.get(l) ?? 0) + dt);
		}
	});
	const sum = [...self.values()].reduce((a, b) => a + b, 0);
	const list = (m: Map<string, number>) =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`)
			.join('\n');
	return `sampled ${sum.toFixed(0)} ms\n\nself:\n${list(self)}\n\ntotal:\n${list(total)}`;
}

async function profiled<T>(page: Page, run: () => Promise<T>): Promise<[T, Profile]> {
	if (process.env.TRACE) {
		// The timeline is printed; the empty profile below is neither written nor summarised.
		return [await traced(page, run), { nodes: [], samples: [], timeDeltas: [] }];
	}
	const cdp: CDPSession = await page.context().newCDPSession(page);
	await cdp.send('Profiler.enable');
	await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
	await cdp.send('Profiler.start');
	const result = await run();
	const { profile } = await cdp.send('Profiler.stop');
	return [result, profile as unknown as Profile];
}

/**
 * With TRACE=1: a timeline instead of a profile, for what the main thread did (script, style,
 * layout, paint), task by task; the raw trace is written next to the profile's name.
 */
async function traced<T>(page: Page, run: () => Promise<T>): Promise<T> {
	await page
		.context()
		.browser()!
		.startTracing(page, {
			categories: process.env.TRACE_CATEGORIES?.split(',') ?? [
				'devtools.timeline',
				'disabled-by-default-devtools.timeline',
				'blink.user_timing'
			]
		});
	const result = await run();
	const trace = JSON.parse((await page.context().browser()!.stopTracing()).toString()) as {
		traceEvents: {
			name: string;
			ph: string;
			ts: number;
			dur?: number;
			tid: number;
			args?: unknown;
		}[];
	};
	fs.writeFileSync(out.replace(/cpuprofile$/, 'trace.json'), JSON.stringify(trace));
	const main = trace.traceEvents.find(
		(e) => e.name === 'thread_name' && (e.args as { name?: string })?.name === 'CrRendererMain'
	);
	const events = trace.traceEvents.filter((e) => e.ph === 'X' && (!main || e.tid === main.tid));
	const origin = Math.min(...events.filter((e) => e.name === 'RunTask').map((e) => e.ts));
	const byName = new Map<string, number>();
	for (const e of events)
		if (e.name !== 'RunTask') byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
	console.log(
		[...byName]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 20)
			.map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`)
			.join('\n')
	);
	console.log('\ntasks over 15 ms (start, duration, what):');
	for (const task of events.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 15000)) {
		const inside = events.filter(
			(e) =>
				e.ts >= task.ts && e.ts < task.ts + task.dur! && e.name !== 'RunTask' && (e.dur ?? 0) > 3000
		);
		const parts = new Map<string, number>();
		for (const e of inside)
			parts.set(e.name, Math.max(parts.get(e.name) ?? 0, (e.dur ?? 0) / 1000));
		console.log(
			`${((task.ts - origin) / 1000).toFixed(0).padStart(6)} ${(task.dur! / 1000).toFixed(0).padStart(5)}  ${[...parts].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`
		);
	}
	return result;
}

/**
 * Runs in the page: how many DOM nodes the board holds, and which kinds of element (the nearest
 * classed ancestor: a card, a cell, a lane's header...) hold them, most first.
 */
function domCensus(): string {
	const counts = new Map<string, number>();
	const all = document.querySelectorAll('*');
	let texts = 0;
	const walker = document.createTreeWalker(
		document.body,
		NodeFilter.SHOW_TEXT | NodeFilter.SHOW_COMMENT
	);
	while (walker.nextNode()) texts++;
	for (const el of all) {
		const owner = el.closest('[class]');
		const key = owner
			? `${owner.tagName.toLowerCase()}.${[...owner.classList].filter((c) => !c.startsWith('svelte-')).join('.')}`
			: el.tagName;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return [
		`${all.length} elements, ${texts} text and comment nodes`,
		...[...counts]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 40)
			.map(([k, v]) => `${String(v).padStart(8)}  ${k}`)
	].join('\n');
}

const scenario = process.argv[2] ?? 'first';
const out = process.argv[3] ?? `/tmp/uispeed-${scenario}.cpuprofile`;
const relay = await startRelayProcess({ env: { LOG_LEVEL: 'warn' } }).catch(() =>
	startRelayProcess()
);
const syncUrl = `${relay.url.replace(/^http/, 'ws')}/sync`;
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
});
try {
	const id = await createBoardOver(relay.url, 'empty', 'Big board');
	const client = await buildBoard(syncUrl, id, BIG);
	const snapshot = readBoard(client.doc);
	const lanes = snapshot.programs.flatMap((p) => p.lanes).length;
	const url = `${relay.url}/b/${id}#token=${encodeURIComponent(ownerToken(id))}`;
	if (scenario === 'times') {
		// No profiler: the bench's own first-screen and repeat-visit measures, alternated.
		const lane = snapshot.programs[0]!.lanes[1]!;
		for (let i = 0; i < Number(process.env.RUNS ?? 3); i++) {
			const first = await firstRender(browser, url, lanes);
			const repeat = await repeatVisit(browser, url, lanes, {
				client,
				laneId: lane.id,
				laneName: lane.name,
				progress: i + 1
			});
			console.log(
				`first screen ${first.screen.toFixed(0)} ms; repeat: screen ${repeat.screen.toFixed(0)}, cache ${repeat.cacheLoaded.toFixed(0)}, synced ${repeat.synced.toFixed(0)}, merged ${repeat.merged.toFixed(0)} ms, first lane ${repeat.laneAt.toFixed(0)}, same lane ${repeat.sameLane}, shift ${repeat.shift.toFixed(3)}`
			);
		}
		process.exit(0);
	}
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await watchSyncArrivals(context);
	const screenDone = (page: Page) =>
		page.waitForFunction(
			() => {
				if (!document.querySelector('.lane[role="row"]')) return false;
				return ![...document.querySelectorAll('.unbuilt')].some(
					(el) => el.getBoundingClientRect().top < innerHeight
				);
			},
			null,
			{ timeout: 60_000, polling: 'raf' }
		);
	let page = await context.newPage();
	if (scenario === 'repeat') {
		await page.goto(url);
		await page.waitForFunction(
			(n) => document.querySelectorAll('.lane[role="row"]').length >= n,
			lanes,
			{ timeout: 60_000 }
		);
		await page.waitForTimeout(2000);
		await page.close();
		page = await context.newPage();
	}
	let profile: Profile;
	if (process.env.TRACE && (scenario === 'first' || scenario === 'repeat')) {
		const start = Date.now();
		await traced(page, async () => {
			await page.goto(url.replace(/#.*/, scenario === 'repeat' ? '' : url.slice(url.indexOf('#'))));
			await screenDone(page);
		});
		console.log(`first screen after ${Date.now() - start} ms (traced)`);
		process.exit(0);
	}
	if (scenario === 'first' || scenario === 'repeat') {
		const start = Date.now();
		[, profile] = await profiled(page, async () => {
			await page.goto(url.replace(/#.*/, scenario === 'repeat' ? '' : url.slice(url.indexOf('#'))));
			await screenDone(page);
		});
		console.log(`first screen after ${Date.now() - start} ms (profiled)`);
	} else {
		await page.goto(url);
		await page.waitForFunction(
			(n) => document.querySelectorAll('.lane[role="row"]').length >= n,
			lanes,
			{ timeout: 60_000 }
		);
		const line = watchedDependency(snapshot);
		if (scenario === 'dom') {
			console.log(await page.evaluate(domCensus));
			process.exit(0);
		}
		if (scenario === 'carddrag') {
			let frames: number[];
			[{ frames }, profile] = await profiled(page, () =>
				cardDragFrames(page, line.card.id, line.card.laneId, line.lastPeriod)
			);
			console.log('frames', frames.map((f) => f.toFixed(0)).join(' '));
		} else if (scenario === 'linepaint') {
			// As in bench:ui: after the card drag, which leaves the card selected (its lines shown).
			await cardDragFrames(page, line.card.id, line.card.laneId, line.lastPeriod);
			let paints: { fromSend: number[]; fromReceipt: number[] };
			[paints, profile] = await profiled(page, () =>
				remoteLinePaint(page, client, line.card, line.dep.id, 10)
			);
			console.log('from send', paints.fromSend.map((f) => f.toFixed(0)).join(' '));
			console.log('from receipt', paints.fromReceipt.map((f) => f.toFixed(0)).join(' '));
		} else {
			let typed: { filter: number[]; find: number[] };
			[typed, profile] = await profiled(page, () =>
				filterAndFind(page, ['b', 'bi', 'bil', 'bill', 'billing', 'lane 1', 'x'])
			);
			console.log('filter', typed.filter.map((f) => f.toFixed(0)).join(' '));
			console.log('find', typed.find.map((f) => f.toFixed(0)).join(' '));
		}
	}
	if (!process.env.TRACE) {
		fs.writeFileSync(out, JSON.stringify(profile));
		console.log(summarise(profile));
		console.log(`\nprofile written to ${out}`);
	}
	client.destroy();
} finally {
	await browser.close();
	await relay.stop();
	fs.rmSync(relay.dataDir, { recursive: true, force: true });
}
