/**
 * The operator's admin CLI, working on the same data directory as the server:
 *   npm run railyard -- <command> [options]
 * Run it on the server's machine with the server's DATA_DIR / RAILYARD_SECRET / PUBLIC_URL.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { exportBoard, exportCsv, importBoard } from '../src/lib/model/porting/index.ts';
import { createAccess } from './auth/access.ts';
import { loadSecret } from './auth/secret.ts';
import { ROLES, type Role } from './auth/tokens.ts';
import { createBoard } from './http/boards.ts';
import { readConfig } from './config.ts';
import { readStoredBoard } from './http/porting.ts';
import { describeStore, openStore } from './storage/open.ts';

const USAGE = `Usage: npm run railyard -- <command> [options]

Commands:
  boards                                  list every board on this server
  create [--title T] [--sample]           create a board and print its owner link
  links <board>                           list a board's share links
  share <board> --role R [--days N] [--label L]
                                          mint a link (R: owner, editor, viewer) and print it
  revoke <board> <link>                   mark a link revoked
  delete <board>                          delete a board, its history and its links
  export <board> [--format json|csv]      print the board as a board file (JSON) or CSV
  import <file>                           create a board from a board file, print its owner link

Options: --json prints machine-readable output.
Environment: DATA_DIR, RAILYARD_SECRET, PUBLIC_URL (default http://HOST:PORT).`;

class UsageError extends Error {}

function publicUrl(env: NodeJS.ProcessEnv, host: string, port: number): string {
	return (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, '');
}

export async function runCli(
	argv: string[],
	env: NodeJS.ProcessEnv = process.env
): Promise<string> {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			title: { type: 'string' },
			sample: { type: 'boolean', default: false },
			role: { type: 'string' },
			days: { type: 'string' },
			label: { type: 'string', default: '' },
			format: { type: 'string', default: 'json' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false }
		}
	});
	const [command, ...args] = positionals;
	if (values.help || !command) return USAGE;
	const config = readConfig(env);
	const store = await openStore(config);
	const access = createAccess({
		store,
		secret: loadSecret({ env: env.RAILYARD_SECRET, dataDir: config.dataDir })
	});
	const base = publicUrl(env, config.host, config.port);
	const linkUrl = (boardId: string, token: string) =>
		`${base}/b/${boardId}#token=${encodeURIComponent(token)}`;
	const out = (json: unknown, text: string) => (values.json ? JSON.stringify(json, null, 2) : text);
	const board = async (id: string | undefined) => {
		if (!id) throw new UsageError('name the board (its id, as `boards` lists it)');
		const info = await store.info(id);
		if (!info) throw new UsageError(`no board ${id} in ${describeStore(config)}`);
		return info;
	};
	const date = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 16));
	try {
		switch (command) {
			case 'boards': {
				const boards = await store.list();
				return out(
					boards,
					boards.length === 0
						? 'No boards yet.'
						: boards.map((b) => `${b.id}  ${date(b.updatedAt)}  ${b.title}`).join('\n')
				);
			}
			case 'create': {
				const created = await createBoard({
					store,
					access,
					template: values.sample ? 'sample' : 'empty',
					title: values.title
				});
				const url = linkUrl(created.id, created.ownerToken);
				return out(
					{ ...created, url },
					`Created "${created.title}" (${created.id}).\nOwner link: ${url}`
				);
			}
			case 'links': {
				const info = await board(args[0]);
				const links = await store.links(info.id);
				return out(
					links,
					links
						.map(
							(l) =>
								`${l.id}  ${l.role.padEnd(6)}  created ${date(l.createdAt)}  expires ${date(l.expiresAt)}` +
								`${l.revokedAt === null ? '' : `  REVOKED ${date(l.revokedAt)}`}  ${l.label}`
						)
						.join('\n') || 'No links.'
				);
			}
			case 'share': {
				const info = await board(args[0]);
				const role = values.role as Role;
				if (!ROLES.includes(role))
					throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
				const days = values.days === undefined ? null : Number(values.days);
				if (days !== null && !(days > 0 && days <= 3650)) {
					throw new UsageError('--days must be a number of days between 0 and 3650');
				}
				const expiresAt = days === null ? null : Date.now() + days * 86_400_000;
				const { link, token } = await access.mint({
					boardId: info.id,
					role,
					label: values.label,
					expiresAt
				});
				const url = linkUrl(info.id, token);
				return out({ ...link, url }, `${role} link ${link.id} for "${info.title}":\n${url}`);
			}
			case 'revoke': {
				const info = await board(args[0]);
				const linkId = args[1];
				const link = linkId ? await store.link(linkId) : null;
				if (!link || link.boardId !== info.id)
					throw new UsageError(`board ${info.id} has no link ${linkId}`);
				const revoked = await store.revokeLink(link.id);
				return out(
					{ revoked },
					revoked ? `Revoked ${link.id}.` : `${link.id} was already revoked.`
				);
			}
			case 'delete': {
				const info = await board(args[0]);
				await store.delete(info.id);
				return out({ deleted: info.id }, `Deleted "${info.title}" (${info.id}).`);
			}
			case 'export': {
				const info = await board(args[0]);
				if (values.format !== 'json' && values.format !== 'csv') {
					throw new UsageError('--format must be json or csv');
				}
				const doc = await readStoredBoard(store, info.id);
				if (!doc) throw new UsageError(`no board ${info.id} in ${describeStore(config)}`);
				return values.format === 'csv'
					? exportCsv(doc)
					: JSON.stringify(exportBoard(doc), null, '\t');
			}
			case 'import': {
				const file = args[0];
				if (!file) throw new UsageError('name the board file to import (from `export`)');
				let json: unknown;
				try {
					json = JSON.parse(fs.readFileSync(file, 'utf8'));
				} catch (err) {
					throw new Error(`${file} is not a readable JSON file: ${(err as Error).message}`, {
						cause: err
					});
				}
				const doc = importBoard(json);
				const created = await createBoard({ store, access, template: 'empty', doc });
				const url = linkUrl(created.id, created.ownerToken);
				return out(
					{ ...created, url },
					`Imported "${created.title}" (${created.id}).\nOwner link: ${url}`
				);
			}
			default:
				throw new UsageError(`unknown command "${command}"`);
		}
	} finally {
		await store.close();
	}
}

if (import.meta.main) {
	runCli(process.argv.slice(2)).then(
		// Written as is: an export must reach a file byte for byte (a CSV ends in CRLF already).
		(text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
		(err: unknown) => {
			console.error(`railyard: ${(err as Error).message}`);
			if (err instanceof UsageError) console.error(`\n${USAGE}`);
			process.exitCode = err instanceof UsageError ? 2 : 1;
		}
	);
}
