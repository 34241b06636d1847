/**
 * What every part of the language service works over: the injected workspace, the config of a
 * document's folder, and the workspace index (read-only: keeping it current is the façade's job).
 */
import type { EntenteConfig } from '../config';
import type { IndexReader } from '../index/workspaceIndex';
import type { ILogger, IWorkspace } from '../workspace';

export interface ServiceContext {
  readonly workspace: IWorkspace;
  readonly logger: ILogger;
  /** The config of the uri's workspace folder (the global one without a uri). */
  configFor(uri?: string): EntenteConfig;
  readonly index: IndexReader;
  /** Today's date (ISO). */
  today(): string;
  /** Commands the editor runs from links in hovers (`entente.showTerm`): none unless it says so. */
  readonly clientCommands: Set<string>;
}

/** A failure the user must see (a refused rename): the server turns it into a ResponseError. */
export class UserError extends Error {}
