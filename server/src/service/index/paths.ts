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
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return URI.file(p).toString();
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(p)) return URI.parse(p).toString();
  return Utils.resolvePath(URI.parse(folderUri), p.replace(/\\/g, '/')).toString();
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
