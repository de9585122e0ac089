import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Architecture boundaries (see README "Architecture"): the model is pure, the relay knows
// nothing of Svelte, and IO lives at the edges. These rules make a wrong import a lint error.
const modelMayNotImport = {
	patterns: [
		{
			group: ['svelte', 'svelte/*', '$app/*', '@sveltejs/*'],
			message: 'The model is framework-free.'
		},
		{
			group: ['ws', 'y-websocket', 'y-indexeddb', 'node:*', 'pino'],
			message: 'The model does no IO.'
		},
		{
			group: ['**/sync/**', '**/state/**', '**/components/**', '**/server/**'],
			message: 'The model imports nothing above it.'
		}
	]
};
// Components render state and call model operations; the network, browser storage and Yjs are
// reached through state classes (src/lib/state), as the board page does. Not even a type comes
// from src/lib/sync: the types components name live in src/lib/protocol or src/lib/state.
const componentsMayNotImport = {
	patterns: [
		{
			group: [
				'$lib/sync',
				'$lib/sync/*',
				'**/sync/**',
				'yjs',
				'y-websocket',
				'y-indexeddb',
				'y-protocols',
				'y-protocols/*',
				'lib0',
				'lib0/*'
			],
			message: 'Components reach the network, storage and Yjs through a state class.'
		}
	]
};
const serverMayNotImport = {
	patterns: [
		{
			group: ['svelte', 'svelte/*', '$app/*', '$lib/*', '@sveltejs/kit'],
			message: 'The relay knows nothing of Svelte.'
		},
		{
			// The app's folders, not the relay's own server/sync.
			group: ['**/lib/state/**', '**/lib/components/**', '**/lib/sync/**', '**/routes/**'],
			message: 'The relay imports only the model and the protocol.'
		}
	]
};

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'test-results/',
			'playwright-report/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			],
			'@typescript-eslint/consistent-type-imports': 'error'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{ files: ['src/lib/model/**'], rules: { 'no-restricted-imports': ['error', modelMayNotImport] } },
	// The wire contract the relay and the browser share (close codes): as pure as the model.
	{
		files: ['src/lib/protocol/**'],
		rules: { 'no-restricted-imports': ['error', modelMayNotImport] }
	},
	{ files: ['server/**'], rules: { 'no-restricted-imports': ['error', serverMayNotImport] } },
	{
		files: ['src/lib/components/**'],
		rules: { 'no-restricted-imports': ['error', componentsMayNotImport] }
	}
);
