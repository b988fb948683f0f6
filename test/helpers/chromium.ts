// A headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3
// in, fd 4 out, NUL-terminated JSON), so no WebSocket client or npm package is needed. Opens a
// page, records console errors, exceptions, failed loads and every network request, and takes
// screenshots of page regions.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The chromium binary, or null when it is not installed. */
export function findChromium(): string | null {
  for (const name of [process.env.CHROMIUM_BIN, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean) as string[]) {
    const found = spawnSync('sh', ['-c', `command -v "${name}"`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim() !== '') return found.stdout.trim();
  }
  return null;
}

/** Flags this machine (and CI, as root in a container) needs for a clean headless start. */
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-extensions', '--hide-scrollbars', '--mute-audio', '--remote-debugging-pipe',
];

/** What a page did while it loaded. */
export interface PageLog {
  /** Console messages of level error, uncaught exceptions, and log entries of level error. */
  errors: string[];
  /** URLs the page requested. */
  requests: string[];
}

/** A region of the page in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

export class Browser {
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private listeners: Array<(m: Message) => void> = [];
  private buffer = '';
  private readonly userDataDir: string;

  private constructor(
    private readonly child: ChildProcess,
    userDataDir: string,
  ) {
    this.userDataDir = userDataDir;
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined && this.pending.has(message.id)) {
          const p = this.pending.get(message.id)!;
          this.pending.delete(message.id);
          if (message.error) p.reject(new Error(message.error.message));
          else p.resolve(message.result ?? {});
        } else {
          for (const l of this.listeners) l(message);
        }
      }
    });
  }

  /** Starts a headless browser with a fresh profile directory. */
  static launch(binary: string): Browser {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-chromium-'));
    const child = spawn(binary, [...FLAGS, `--user-data-dir=${userDataDir}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    child.stderr!.resume();
    return new Browser(child, userDataDir);
  }

  /** Sends a protocol command (to a page session when given). */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Opens `url` in a new page of the given size, waits for its load event (and a settle time), and returns the session and log. */
  async open(url: string, width: number, height: number): Promise<{ session: string; log: PageLog }> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const log: PageLog = { errors: [], requests: [] };
    let loaded: () => void = () => {};
    const load = new Promise<void>((resolve) => (loaded = resolve));
    this.listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) log.errors.push(`console.${String(p.type)}: ${JSON.stringify(p.args)}`);
      if (m.method === 'Runtime.exceptionThrown') log.errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      if (m.method === 'Log.entryAdded' && (p.entry as { level?: string })?.level === 'error') log.errors.push(`log: ${JSON.stringify(p.entry)}`);
      if (m.method === 'Network.requestWillBeSent') log.requests.push(String((p.request as { url?: string })?.url));
      if (m.method === 'Network.loadingFailed') log.errors.push(`load failed: ${JSON.stringify(p)}`);
      if (m.method === 'Page.loadEventFired') loaded();
    });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    await load;
    await new Promise((r) => setTimeout(r, 300));
    return { session: sessionId, log };
  }

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(session: string, expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true }, session)) as { result: { value: T } };
    return r.result.value;
  }

  /** PNG screenshot of a page region (beyond the viewport too). */
  async screenshot(session: string, clip: Box): Promise<Buffer> {
    const r = (await this.send('Page.captureScreenshot', { format: 'png', clip: { ...clip, scale: 1 }, captureBeyondViewport: true }, session)) as { data: string };
    return Buffer.from(r.data, 'base64');
  }

  /** Ends the browser and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // the pipe may close before the answer arrives
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
