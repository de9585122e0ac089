const EXTENSIONS = { json: 'railyard.json', csv: 'csv', png: 'png' } as const;

/**
 * The file name an export is saved under, from the board title: letters, digits, spaces, dots,
 * dashes and underscores only (no path separators, quotes or control characters), at most 80
 * characters before the extension.
 */
export function exportFileName(title: string, format: keyof typeof EXTENSIONS): string {
	const base = title.replace(/[^\p{L}\p{N} _.-]+/gu, '').trim() || 'board';
	return `${base.slice(0, 80)}.${EXTENSIONS[format]}`;
}
