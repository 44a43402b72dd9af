import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Real network peers for channel tests: nothing about the network is mocked. */

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
}

export type PeerReply = { status: number; body?: unknown; headers?: Record<string, string> };

export interface RecordingServer {
  url: string;
  calls: RecordedRequest[];
  /** What the next requests get; the default answers 200 `{}`. */
  respond(fn: (req: RecordedRequest, index: number) => PeerReply | Promise<PeerReply>): void;
  /** Resolves once `n` requests have arrived (or rejects after `ms`). */
  waitForCalls(n: number, ms?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 at a free port that records every request and answers as told. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const calls: RecordedRequest[] = [];
  let responder: (req: RecordedRequest, index: number) => PeerReply | Promise<PeerReply> = () => ({
    status: 200,
    body: {},
  });
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        json: () => JSON.parse(body.toString('utf8')) as unknown,
      };
      const index = calls.length;
      calls.push(recorded);
      for (const w of waiters.filter((w) => calls.length >= w.n)) w.resolve();
      void Promise.resolve(responder(recorded, index)).then((reply) => {
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          ...(reply.headers ?? {}),
        });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    respond(fn) {
      responder = fn;
    },
    waitForCalls(n, ms = 10_000) {
      if (calls.length >= n) return Promise.resolve(calls.slice(0, n));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${calls.length} of ${n} requests arrived`)),
          ms,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(calls.slice(0, n));
          },
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  user: string | undefined;
}

export interface LocalSmtpServer {
  port: number;
  received: ReceivedMail[];
  /** SMTP reply for the next messages: null accepts; otherwise e.g. { code: 550, message }. */
  reject(fn: ((index: number) => { code: number; message: string } | null) | null): void;
  waitForMail(n: number, ms?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 at a free port. Plain SMTP (no TLS) so
 * the test needs no certificate; with `auth`, AUTH PLAIN/LOGIN must match.
 */
export async function startSmtpServer(
  opts: { auth?: { user: string; pass: string } } = {},
): Promise<LocalSmtpServer> {
  const received: ReceivedMail[] = [];
  let rejecter: ((index: number) => { code: number; message: string } | null) | null = null;
  let attempts = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const index = attempts++;
        const rejection = rejecter?.(index) ?? null;
        if (rejection) {
          const err = new Error(rejection.message) as Error & { responseCode: number };
          err.responseCode = rejection.code;
          cb(err);
          return;
        }
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            parsed,
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          cb();
          for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    reject(fn) {
      rejecter = fn;
    },
    waitForMail(n, ms = 10_000) {
      if (received.length >= n) return Promise.resolve(received.slice(0, n));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received.length} of ${n} mails arrived`)),
          ms,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.slice(0, n));
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
