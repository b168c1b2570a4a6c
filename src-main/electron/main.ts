/**
 * The Electron main process — thin wiring only; every decision lives in electron-free, tested
 * modules under src-main/desktop/ (protocol, guards, ipc, session/lock, scheduler, printing,
 * enrolment). Bundled by esbuild (`npm run build:main`) to dist/electron/main.mjs.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session as electronSession, type MenuItemConstructorOptions } from 'electron';
import electronUpdater from 'electron-updater';
import type { Result } from '../../src-shared/contract/methods';
import type { DesktopEvent } from '../../src-shared/contract/desktop';
import { systemClock } from '../commands/execute';
import { startDesktopJournal } from '../desktop/start-journal';
import { desktopPaths } from '../desktop/paths';
import { APP_INDEX, APP_ORIGIN, APP_SCHEME, handleAppRequest } from '../desktop/protocol';
import { allowNavigation, allowPermission, windowOpenAction } from '../desktop/guards';
import { createIpcHandler, IPC_CHANNEL } from '../desktop/ipc';
import { DesktopSession } from '../desktop/session';
import { computerSignin } from '../desktop/computer-signin';
import { DesktopSync } from '../desktop/sync';
import type { SyncFetch } from '../sync/client';
import { realTimers } from '../desktop/lock';
import { PrintStore, pdfOf, suggestedFileName } from '../desktop/printing';
import { enrolThisComputer, type Enrolment } from '../desktop/enrol';
import { loadEnrolment, saveEnrolment, type Cipher } from '../desktop/device';

const here = dirname(fileURLToPath(import.meta.url)); // dist/electron
const repoRoot = join(here, '..', '..');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  void app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('Электронный журнал', `Программа не запустилась: ${(err as Error).message}`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const paths = desktopPaths({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, userData: app.getPath('userData'), repoRoot });
  // Development: the demo school (`npx ejournal start` makes data/demo.sqlite) becomes this computer's journal.
  const demo = join(repoRoot, 'data', 'demo.sqlite');
  if (!app.isPackaged && !existsSync(paths.journalFile) && existsSync(demo)) copyFileSync(demo, paths.journalFile);
  const cipher: Cipher = {
    encrypt: (s) => safeStorage.encryptString(s),
    decrypt: (b) => safeStorage.decryptString(b),
  };
  // Encrypted with this computer's key, which safeStorage keeps (journal-key.ts).
  let enrolment: Enrolment | null = loadEnrolment(paths.deviceFile, cipher);
  // A damaged journal is repaired from the school's server, its unsent changes kept (start-journal.ts).
  const netFetch = ((url, init) => net.fetch(url, {
    method: init.method, headers: init.headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) }),
  })) as SyncFetch;
  // The first start of a day also begins the day's backup (desktop/backups.ts); the quit makes one more.
  const { journal, backups } = await startDesktopJournal({ journalFile: paths.journalFile, keyFile: paths.journalKeyFile, migrationsDir: paths.migrationsDir, backupsDir: paths.backupsDir }, cipher, { enrolment, fetch: netFetch, clock: systemClock });

  let win: BrowserWindow | null = null;
  const send = (event: DesktopEvent) => win?.webContents.send(IPC_CHANNEL, event);
  const session = new DesktopSession({
    journal, clock: systemClock, fontsDir: paths.fontsDir, onLock: () => send({ type: 'locked' }),
    // A login on an enrolled computer is a sign-in the server must see (docs/security.md).
    online: () => (enrolment ? computerSignin((url, init) => net.fetch(url, init), journal, enrolment) : null),
  });
  const prints = new PrintStore();

  // ── security: every session, every web contents ──
  const ses = electronSession.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, cb) => cb(allowPermission(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));
  ses.on('will-download', (e) => e.preventDefault());
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e) => { if (!allowNavigation(e.url)) e.preventDefault(); });
    contents.on('will-frame-navigate', (e) => { if (!allowNavigation(e.url)) e.preventDefault(); });
    contents.on('will-redirect', (e) => { if (!allowNavigation(e.url)) e.preventDefault(); });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => windowOpenAction(url));
  });
  protocol.handle(APP_SCHEME, async (req) => {
    const r = await handleAppRequest({ root: paths.rendererDir, extra: prints.lookup }, { method: req.method, url: req.url });
    if (r.headers['Content-Type'] === 'application/pdf') r.headers['Content-Security-Policy'] = "default-src 'none'; object-src 'self'; frame-ancestors 'self'";
    return new Response(r.body === null ? null : typeof r.body === 'string' ? r.body : new Uint8Array(r.body), { status: r.status, headers: r.headers });
  });

  // ── sync: the sync client with the device token, on schedule; status to the window ──
  const sync = new DesktopSync({
    journal, clock: systemClock, timers: realTimers,
    // Electron's network stack: the system proxy and certificate store of the school's computer.
    fetch: netFetch,
    enrolment: () => enrolment,
    account: () => session.accountId,
    publish: (status) => send({ type: 'sync', status }),
  });
  let online = net.isOnline();
  const watch = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) void sync.reconnected();
    online = now;
  }, 15_000);

  // ── printing ──
  async function savePdf(parent: BrowserWindow, pdf: Buffer, method: string): Promise<boolean> {
    const r = await dialog.showSaveDialog(parent, { defaultPath: suggestedFileName(method, new Date()), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (r.canceled || !r.filePath) return false;
    await writeFile(r.filePath, pdf);
    return true;
  }
  async function print(method: string, input: unknown, action: 'preview' | 'save'): Promise<Result<unknown>> {
    const r = await session.call(method, input);
    if (!r.ok) return r;
    const pdf = pdfOf(r);
    if (!pdf || !win) return { ok: false, error: { code: 'internal', message: 'Документ не сформирован' } };
    if (action === 'save') return { ok: true, value: { saved: await savePdf(win, pdf, method) } };
    const id = prints.put(pdf);
    const preview = new BrowserWindow({
      parent: win, width: 900, height: 1100, title: suggestedFileName(method, new Date()),
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, plugins: true },
    });
    preview.setMenu(Menu.buildFromTemplate([
      { label: 'Печать…', accelerator: 'CmdOrCtrl+P', click: () => preview.webContents.print({ printBackground: true }) },
      { label: 'Сохранить PDF…', accelerator: 'CmdOrCtrl+S', click: () => void savePdf(preview, pdf, method) },
      { label: 'Закрыть', accelerator: 'Esc', click: () => preview.close() },
    ]));
    preview.on('closed', () => prints.drop(id));
    await preview.loadURL(`${APP_ORIGIN}/print/${id}.pdf`);
    return { ok: true, value: { preview: true } };
  }

  // ── the one IPC channel ──
  let enrolling = false;
  const handler = createIpcHandler({
    windowContentsId: () => win?.webContents.id ?? null,
    session,
    print,
    syncNow: () => void sync.runNow(),
    syncStatus: () => sync.status(),
    dismiss: (seqs) => sync.dismiss(seqs),
    sessionChanged: () => sync.publish(),
    enrol: async (i) => {
      if (enrolment) return { ok: false, error: { code: 'forbidden', message: 'Компьютер уже подключён к школе' } };
      if (enrolling) return { ok: false, error: { code: 'conflict', message: 'Подключение уже выполняется: дождитесь его окончания' } };
      enrolling = true;
      try {
        return await enrol(i);
      } finally {
        enrolling = false;
      }
    },
  });
  async function enrol(i: { serverUrl: string; login: string; password: string; name: string }): Promise<Result<unknown>> {
    const r = await enrolThisComputer({
      fetch: (url, init) => net.fetch(url, init),
      journal: { device: journal.device, meta: (k) => journal.meta(k), setMeta: (k, v) => journal.setMeta(k, v), opCount: () => journal.stmt('SELECT count(*) FROM op_log').pluck().get() as number },
      save: (e) => saveEnrolment(paths.deviceFile, e, cipher),
    }, i);
    if (!r.ok) return r;
    enrolment = r.value;
    await sync.start(); // the first sync brings the school's journal (accounts for the offline login)
    return { ok: true, value: { schoolId: r.value.schoolId, deviceId: r.value.deviceId, name: r.value.name, sync: sync.status() } };
  }
  ipcMain.handle(IPC_CHANNEL, (event, raw) => handler(event, raw));

  // ── menu ──
  const template: MenuItemConstructorOptions[] = [
    { label: 'Журнал', submenu: [
      { label: 'Синхронизировать сейчас', accelerator: 'F5', click: () => void sync.runNow() },
      { label: 'Выйти из учётной записи', click: () => { session.logout(); send({ type: 'logout' }); sync.publish(); } },
      { type: 'separator' },
      { label: 'Закрыть программу', role: 'quit' },
    ] },
    { label: 'Правка', submenu: [{ role: 'undo', label: 'Отменить' }, { role: 'redo', label: 'Повторить' }, { type: 'separator' }, { role: 'cut', label: 'Вырезать' }, { role: 'copy', label: 'Копировать' }, { role: 'paste', label: 'Вставить' }, { role: 'selectAll', label: 'Выделить всё' }] },
    { label: 'Вид', submenu: [{ role: 'zoomIn', label: 'Крупнее' }, { role: 'zoomOut', label: 'Мельче' }, { role: 'resetZoom', label: 'Обычный размер' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions])] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));

  // ── the window ──
  win = new BrowserWindow({
    width: 1280, height: 860, show: false, title: 'Электронный журнал', backgroundColor: '#ffffff',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false,
      webSecurity: true, allowRunningInsecureContent: false, spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => { win = null; });
  app.on('second-instance', () => { if (win) { if (win.isMinimized()) win.restore(); win.focus(); } });
  app.on('window-all-closed', () => app.quit());
  await win.loadURL(APP_INDEX);

  // Not enrolled: the window shows the enrolment form itself (the renderer asks `syncStatus`).
  if (enrolment) {
    void sync.start();
    if (app.isPackaged) {
      const { autoUpdater } = electronUpdater;
      autoUpdater.setFeedURL({ provider: 'generic', url: `${enrolment.serverUrl}/updates/` });
      autoUpdater.autoInstallOnAppQuit = true;
      void autoUpdater.checkForUpdates().catch(() => undefined);
    }
  }

  // ── orderly quit: wait for the running call, back the journal up, then close it ──
  let closed = false;
  let closing = false;
  app.on('before-quit', (e) => {
    if (closed) return;
    e.preventDefault();
    if (closing) return;
    closing = true;
    clearInterval(watch);
    void Promise.all([sync.drain(), session.drain()]).then(() => backups.atQuit()).then(() => {
      journal.close();
      closed = true;
      app.quit();
    });
  });
}
