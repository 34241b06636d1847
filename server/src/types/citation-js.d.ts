// citation-js ships no type declarations; these cover what Entente uses.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: { forceType?: string });
    data: unknown[];
    format(format: 'bibliography' | 'citation' | 'data' | 'bibtex' | 'biblatex', options?: Record<string, unknown>): string;
  }
  export const plugins: {
    config: { get(name: string): unknown };
    input: unknown;
    output: unknown;
  };
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-csl';
declare module '@citation-js/plugin-ris';
