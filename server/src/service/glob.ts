/** Glob patterns as regular expressions (pure: used by the service and the file-system adapter). */

/** `**` any folders, `*` and `?` within a name, `{a,b}` alternatives, `[...]` classes. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, end).split(',').map(escapeRe).join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const compiled = new Map<string, RegExp>();

/**
 * Whether `relativePath` (a path inside a workspace folder, `/`-separated) matches one of the settings' `globs`
 * (relative to that folder; a leading `./` is allowed). Each glob is compiled once.
 */
export function matchesAnyGlob(relativePath: string, globs: readonly string[]): boolean {
  return globs.some((glob) => {
    let re = compiled.get(glob);
    if (!re) {
      if (compiled.size >= 1024) compiled.clear();
      compiled.set(glob, (re = globToRegExp(glob.replace(/^\.\//, ''))));
    }
    return re.test(relativePath);
  });
}
