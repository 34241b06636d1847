/** URI helpers over `file:` URIs (vscode-uri), so that the service never imports `path` for URIs. */
import { URI, Utils } from 'vscode-uri';

export function extname(uri: string): string {
  return Utils.extname(URI.parse(uri)).toLowerCase();
}

export function basename(uri: string): string {
  return Utils.basename(URI.parse(uri));
}

export function dirname(uri: string): string {
  return Utils.dirname(URI.parse(uri)).toString();
}

/** Resolves `relative` (a path as a writer wrote it: `refs.bib`, `../lib/x.bib`, `/abs/x.bib`, `~/x.bib`) against a folder URI. */
export function resolvePath(folderUri: string, relative: string, home?: string): string {
  const p = relative.trim();
  if (home && (p === '~' || p.startsWith('~/'))) return URI.file(home + p.slice(1)).toString();
  // `//host/share/x.bib`, `\\host\share\x.bib`: a network path, kept as one (with its host) so that it is refused.
  if (/^[\\/]{2}[^\\/]/.test(p)) return URI.file(p.replace(/\\/g, '/')).with({ authority: p.slice(2).split(/[\\/]/)[0] }).toString();
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return URI.file(p).toString();
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(p)) return URI.parse(p).toString();
  return Utils.resolvePath(URI.parse(folderUri), p.replace(/\\/g, '/')).toString();
}

/** A file on another machine (`file://host/...`, a UNC path): never read (on Windows, opening one sends the user's credentials). */
export function isNetworkPath(uri: string): boolean {
  const u = URI.parse(uri);
  return u.scheme === 'file' && u.authority !== '' && u.authority !== 'localhost';
}

export function fsPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

export function fileUri(path: string): string {
  return URI.file(path).toString();
}

/** Is `uri` inside (or equal to) `folderUri`? */
export function isInside(uri: string, folderUri: string): boolean {
  const f = folderUri.endsWith('/') ? folderUri : folderUri + '/';
  return uri === folderUri || uri.startsWith(f);
}

/** A short, readable path for messages: relative to the folder when inside it. */
export function displayPath(uri: string, folderUri?: string): string {
  if (folderUri && isInside(uri, folderUri)) {
    const f = folderUri.endsWith('/') ? folderUri : folderUri + '/';
    return decodeURIComponent(uri.slice(f.length));
  }
  return fsPath(uri);
}

/** `uri` as a path relative to the folder `folderUri` (`refs.bib`, `../lib/x.bib`); undefined for another scheme or host. */
export function relativePath(folderUri: string, uri: string): string | undefined {
  const [from, to] = [URI.parse(folderUri), URI.parse(uri)];
  if (from.scheme !== to.scheme || from.authority !== to.authority) return undefined;
  const a = from.path.split('/').filter(Boolean);
  const b = to.path.split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}
