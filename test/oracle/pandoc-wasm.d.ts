/** The part of `pandoc-wasm`'s API the oracle test uses (the package ships no types). */
declare module 'pandoc-wasm' {
  export function convert(options: object, stdin: string | null, files: object): Promise<{ stdout: string; stderr: string }>;
  export function query(options: { query: string; format?: string }): Promise<unknown>;
}
