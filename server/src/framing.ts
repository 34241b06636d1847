/**
 * A guard on the stdio stream of LSP messages (`Content-Length: n\r\n\r\n` + n bytes). vscode-jsonrpc waits
 * forever on a malformed frame (garbage, a wrong length, a header that never ends), and an editor can
 * restart a server that exits, not one that hangs: so a broken frame ends the process with one clear line
 * on stderr (issue 15). The bytes pass through unchanged; only their framing is followed.
 */
import { Transform, type TransformCallback } from 'node:stream';

export interface FramingLimits {
  /** Most bytes of one message's headers. */
  maxHeaderBytes: number;
  /** Largest body a message may announce. */
  maxBodyBytes: number;
  /** How long a message may stay incomplete once begun. */
  stallMs: number;
}

export const defaultFramingLimits: FramingLimits = { maxHeaderBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 * 1024, stallMs: 30_000 };

export class FramingGuard extends Transform {
  private header = '';
  /** Where the header line being read starts in `header`, and whether its name has ended (its `:` was read). */
  private lineStart = 0;
  private inValue = false;
  /** Body bytes still to come (0: between messages, or reading headers). */
  private body = 0;
  private stall: NodeJS.Timeout | undefined;
  private failed = false;

  constructor(
    private readonly onViolation: (reason: string) => void,
    private readonly limits: FramingLimits = defaultFramingLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.failed) this.follow(chunk);
    if (!this.failed) this.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.stall);
    done();
  }

  private follow(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length && !this.failed) {
      if (this.body > 0) {
        const n = Math.min(this.body, chunk.length - i);
        this.body -= n;
        i += n;
        continue;
      }
      // Headers are ASCII and short: read byte by byte up to the blank line (it may fall across chunks).
      const c = String.fromCharCode(chunk[i++]);
      // A header's name is a token (`Content-Length`): anything else there is no header (`{"jso` after a short length).
      if (!this.inValue && c !== ':' && c !== '\r' && c !== '\n' && !/[A-Za-z0-9-]/.test(c)) {
        return this.fail(`a malformed message header (${JSON.stringify((this.header.slice(this.lineStart) + c).slice(-40))})`);
      }
      this.header += c;
      if (c === ':') this.inValue = true;
      else if (c === '\n') {
        this.lineStart = this.header.length;
        this.inValue = false;
      }
      if (this.header.length > this.limits.maxHeaderBytes) return this.fail(`a message header longer than ${this.limits.maxHeaderBytes} bytes`);
      if (this.header.endsWith('\r\n\r\n')) this.readHeader();
    }
    this.watchStall();
  }

  private readHeader(): void {
    let length: number | undefined;
    for (const line of this.header.slice(0, -4).split('\r\n')) {
      const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(line);
      if (!m) return this.fail(`a malformed header line ${JSON.stringify(line.slice(0, 80))}`);
      if (m[1].toLowerCase() === 'content-length') length = /^\d{1,10}$/.test(m[2].trim()) ? Number(m[2].trim()) : NaN;
    }
    if (length === undefined || Number.isNaN(length)) return this.fail('a message without a valid Content-Length');
    if (length > this.limits.maxBodyBytes) return this.fail(`a message of ${length} bytes`);
    this.header = '';
    this.lineStart = 0;
    this.body = length;
  }

  /** A message begun and not finished within `stallMs`: the client sent a wrong length, or died mid-message. */
  private watchStall(): void {
    clearTimeout(this.stall);
    if (this.failed || (this.body === 0 && this.header === '')) return;
    this.stall = setTimeout(() => this.fail(`a message left incomplete for ${this.limits.stallMs / 1000} s (a wrong Content-Length?)`), this.limits.stallMs);
    this.stall.unref();
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    clearTimeout(this.stall);
    this.onViolation(reason);
  }
}
