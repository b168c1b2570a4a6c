/**
 * A real school from zero, as a person runs it (real processes through bin/ejournal.js): `init`
 * makes a journal that `check` passes; `school create` adds a school to a server's data folder,
 * and `serve` on that folder, without --demo, lets its administrator log in over real HTTP.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, removeTempDirs } from './support/stores';
import { killAll, serveProcess } from './support/child';

afterAll(removeTempDirs);

const BIN = fileURLToPath(new URL('../bin/ejournal.js', import.meta.url));
const env = { ...process.env, DATABASE_URL: '', EJOURNAL_PASSWORD: '', LOG_LEVEL: 'warn' };

afterAll(killAll);

const ejournal = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });

const serve = (args: string[]) => serveProcess(BIN, args, env);

describe('first run of a real school (real processes)', () => {
  it('init makes a journal that check passes, and refuses to make it twice', () => {
    const dir = tempDir('ejournal-init-');
    const db = join(dir, 'school.sqlite');
    const pw = join(dir, 'password.txt');
    writeFileSync(pw, 'Тундра-2026\n');
    const made = ejournal(['init', '--db', db, '--school', 'МБОУ «СОШ с. Находка»', '--admin', 'director.n', '--password-file', pw]);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^Создан журнал школы «МБОУ «СОШ с\. Находка»»/);
    const check = ejournal(['check', db]);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/Журнал в порядке: 4 операций воспроизведены/);
    const again = ejournal(['init', '--db', db, '--school', 'Другая', '--admin', 'other', '--password-file', pw]);
    expect(again.status).toBe(2);
    expect(again.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Файл «.*school\.sqlite» уже существует/)]);
    expect(again.stdout).toBe('');
  }, 120_000);

  it('school create, then serve without --demo: the administrator logs in over HTTP', async () => {
    const data = tempDir('ejournal-school-');
    const pw = join(tempDir('ejournal-pw-'), 'password.txt');
    writeFileSync(pw, 'Тундра-2026\n');
    const created = ejournal(['school', 'create', '--data', data, '--id', 'nahodka', '--name', 'МБОУ «СОШ с. Находка»', '--admin', 'director.n', '--timezone', 'Asia/Yekaterinburg', '--password-file', pw]);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Школа «nahodka» создана на сервере/);
    const twice = ejournal(['school', 'create', '--data', data, '--id', 'nahodka', '--name', 'Другая', '--admin', 'other', '--password-file', pw]);
    expect(twice.status).toBe(2);
    expect(twice.stderr.trim()).toBe('Школа «nahodka» на этом сервере уже есть: выберите другой идентификатор');

    const s = await serve(['--port', '0', '--data', data]);
    expect(s.out()).toMatch(/Школа «nahodka»: 4 операций/);
    const login = await fetch(`${s.url}api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'director.n', password: 'Тундра-2026' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = (await (await fetch(`${s.url}api/v1/auth/me`, { headers: { cookie } })).json()) as { value: { schoolName: string; roles: string[] } };
    expect(me.value).toMatchObject({ schoolName: 'МБОУ «СОШ с. Находка»', roles: ['admin'] });
    const stopped = new Promise((resolve) => s.proc.once('exit', resolve));
    s.proc.kill('SIGTERM');
    expect(await stopped).toBe(0);
  }, 120_000);
});
