/**
 * `entente-language-server`: the process entry. `--stdio`, `--node-ipc`, `--socket=N` or `--pipe=name`
 * choose the transport (vscode-languageserver reads them from argv). Without one it starts nothing:
 * `--help` prints the usage (exit 0), anything else prints it on stderr (exit 2).
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer, VERSION } from './server';
import { FramingGuard } from './framing';

const usage =
  'Usage: entente-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n' +
  'The Entente language server: citations, cross-references and the alliance glossary for Markdown/Quarto and LaTeX.\n' +
  'Editors start it; to check files from a terminal, use `entente check`.\n';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`entente-language-server ${VERSION}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(usage);
} else if (!args.some((a) => /^--(stdio|node-ipc|socket|pipe)\b/.test(a))) {
  process.stderr.write(args.length ? `entente-language-server: no transport in '${args.join(' ')}'\n${usage}` : usage);
  process.exitCode = 2;
} else if (args.includes('--stdio')) {
  // Over stdio, a malformed frame ends the process with a reason instead of wedging it (`framing.ts`).
  const input = process.stdin.pipe(
    new FramingGuard((reason) => {
      process.stderr.write(`entente-language-server: the client sent ${reason}; exiting so that the editor can start the server again.\n`);
      process.exit(1);
    }),
  );
  startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(input), new StreamMessageWriter(process.stdout)));
} else {
  startServer(createConnection(ProposedFeatures.all));
}
