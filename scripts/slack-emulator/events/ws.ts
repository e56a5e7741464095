import { createRequire } from 'node:module';
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';

/**
 * The few parts of the `ws` package the Socket Mode endpoint uses, typed here: the package ships no
 * types and @types/ws is not a dependency.
 */
export interface WsSocket {
  readonly readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

export interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(cb?: () => void): void;
}

export const WS_OPEN = 1;

const load = createRequire(__filename);
const ws = load('ws') as { WebSocketServer: new (opts: { noServer: true }) => WsServer };

export function createWsServer(): WsServer {
  return new ws.WebSocketServer({ noServer: true });
}
