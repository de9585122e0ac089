/** Hands `text` to the browser as a file download named `name`. */
export function download(opts: { name: string; type: string; text: string }): void {
	const url = URL.createObjectURL(new Blob([opts.text], { type: opts.type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = opts.name;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// After the click has been handled: revoking at once can cancel the download in some browsers.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}
