// Every page reads the relay's API (/api/*, served next to this app, not by SvelteKit), which a
// server-side load could only reach by calling itself over the network. The pages render in the
// browser instead; the server sends the shell.
export const ssr = false;
