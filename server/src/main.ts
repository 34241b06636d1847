/**
 * `entente-language-server`: the process entry. `--stdio`, `--node-ipc` or `--socket=N`
 * choose the transport (vscode-languageserver reads them from argv).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, VERSION } from './server';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`entente-language-server ${VERSION}\n`);
} else if (args.includes('--help') || args.includes('-h') || !args.some((a) => /^--(stdio|node-ipc|socket|pipe|clientProcessId)/.test(a))) {
  process.stdout.write(
    'Usage: entente-language-server --stdio | --node-ipc | --socket=<port>\n' +
      'The Entente language server: citation completion and hover for Markdown/Quarto and LaTeX.\n',
  );
  process.exitCode = args.length === 0 || args.includes('--help') || args.includes('-h') ? 0 : 2;
} else {
  startServer(createConnection(ProposedFeatures.all));
}
