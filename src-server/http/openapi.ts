/**
 * GET /api/v1/openapi.json — generated from the contract (src-shared/contract/methods.ts): one
 * path per method, its zod input as the request body and the envelope around its zod output as
 * the answer; plus every other route the server registers (sessions, school computers, sync,
 * health, the update feed), each with its security scheme and error statuses. openapi.test.ts
 * holds it to `server.routes`.
 */
import { z } from 'zod';
import { DEPRECATED_METHODS, ERROR_CODES, METHOD_NAMES, methods } from '../../src-shared/contract/methods';
import { isQueryName } from '../../src-shared/policy/queries';
import { PushBodySchema } from '../../src-shared/sync/protocol';
import { PURPOSE } from '../../src-shared/contract/purpose';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** The envelope's error codes, the contract's and those only HTTP says (errors.ts: `upgrade_required`, `unavailable`). */
const HTTP_ERROR_CODES = [...ERROR_CODES, 'upgrade_required', 'unavailable'];

const ErrorBody: Json = {
  type: 'object', required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: {
      type: 'object', required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: HTTP_ERROR_CODES },
        message: { type: 'string', description: 'По-русски, для человека' },
        reason: { type: 'string', description: 'Уточнение, по которому действует программа: device_revoked — компьютер отключён администратором' },
        requirement: { type: 'string' }, clause: { type: 'string' }, notices: { type: 'array', items: { type: 'object' } },
      },
    },
  },
};

const ok = (value: Json): Json => ({ type: 'object', required: ['ok', 'value'], properties: { ok: { const: true }, value } });
const json = (schema: Json) => ({ 'application/json': { schema } });
const str = { type: 'string' };
const int = { type: 'integer' };
const obj = (properties: Json, required: string[] = Object.keys(properties), extra: Json = {}): Json => ({ type: 'object', required, properties, ...extra });

/** What each status of the envelope means (errors.ts: code → status). */
const ERROR_TEXT: Record<number, string> = {
  400: 'Неверные данные запроса (bad_input)',
  401: 'Нет сеанса или токена, он истёк или отозван (unauthenticated; reason device_revoked — компьютер отключён администратором)',
  403: 'Нет права на это действие (forbidden) или учётная запись заблокирована (blocked)',
  404: 'Не найдено (not_found, unknown_method)',
  409: 'Конфликт (conflict)',
  413: 'Слишком большой запрос (too_large)',
  415: 'Тело не JSON или сжато не gzip (unsupported_media_type)',
  416: 'Диапазон за концом снимка: Content-Range: bytes */размер',
  422: 'Отказ по правилу Положения (refused): requirement и clause называют правило',
  426: 'Версия протокола или журнала вне окна сервера (upgrade_required): обновите программу',
  429: 'Слишком часто или слишком много (rate_limited): повторите после Retry-After',
  500: 'Внутренняя ошибка сервера: в сообщении номер инцидента',
  503: 'Копия журнала школы перестраивается или хранилище недоступно (unavailable): повторите после Retry-After',
};
const RETRY_AFTER = { 'Retry-After': { description: 'Через сколько секунд повторить', schema: int } };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), {
  description: ERROR_TEXT[c] ?? 'Ошибка (конверт)', content: json({ $ref: '#/components/schemas/Error' }),
  ...(c === 429 || c === 503 ? { headers: RETRY_AFTER } : {}),
}]));

/** A person's session: the browser's cookie or a bearer token from a login with session: "bearer". */
const SESSION = [{ cookie: [] }, { bearer: [] }];
/** A school computer's device token (POST /api/v1/devices): the only key to /api/v1/sync/*; a person's session is refused there (403). */
const DEVICE = [{ device: [] }];
const PUBLIC: Json[] = [];
/** The roles that may call an operation, beyond holding the security scheme (the policy decides, src-shared/policy). */
const roles = (...r: string[]) => ({ 'x-roles': r });
const ADMIN_ONLY = 'Только ответственный за техподдержку (роль admin) своей школы (п. 9.6).';
const deviceIdParam = { name: 'deviceId', in: 'path', required: true, description: 'Идентификатор компьютера в школе', schema: { type: 'string', maxLength: 64 } };
const emptyBody = { required: true, description: 'Пустой JSON-объект: POST на API принимает только application/json', content: json({ type: 'object' }) };

// ── school computers ───────────────────────────────────────────────────────────
const DeviceRow = obj({
  deviceId: str, name: str, enrolledBy: str, enrolledAt: str, lastSeenAt: { type: ['string', 'null'] }, lastOpAt: { type: ['string', 'null'] },
  revokedAt: { type: ['string', 'null'] }, allowed: { type: ['array', 'null'], items: str, description: 'null — все работники школы' },
  held: { ...int, description: 'Сколько операций после отзыва отложено на проверку' },
  signins: { type: 'array', items: obj({ accountId: str, at: str, method: { type: 'string', enum: ['online', 'offline'] } }) },
}, ['deviceId', 'name', 'enrolledAt', 'held', 'signins']);
const Enrolled = obj({ schoolId: str, deviceId: str, name: str, token: { ...str, description: 'Токен устройства d.<школа>.<…>: показывается один раз' }, accountId: str, key: { ...str, description: 'Ключ учётной записи для входа на этом компьютере без сети' } });
const HeldOp = obj({ deviceId: str, seq: int, author: str, kind: str, hlc: str, payload: {}, receivedAt: str, reason: { ...str, const: 'device_revoked' } });

// ── sync (docs/sync.md) ────────────────────────────────────────────────────────
const WireOp = obj({ device: str, seq: int, author: str, kind: str, version: int, hlc: { ...str, description: 'ISO-время-счётчик (HLC)' }, payload: { description: 'Упакованные данные операции (src-shared/ops/pack.ts)' } });
const PushBody = schemaOf(PushBodySchema, 'input');
(PushBody.properties as Json).ops = { type: 'array', maxItems: 5000, items: WireOp };
const PushAck = {
  oneOf: [
    obj({ seq: int, status: { const: 'accepted' }, serverSeq: int, hlc: { ...str, description: 'Время, которым сервер засчитал операцию, если оно отличается от присланного' }, overwrote: { type: 'array', items: { type: 'object' } } }, ['seq', 'status', 'serverSeq']),
    obj({ seq: int, status: { const: 'duplicate' }, serverSeq: int }),
    obj({ seq: int, status: { const: 'rejected' }, code: str, message: str, requirement: str, clause: str }, ['seq', 'status', 'code', 'message']),
    obj({ seq: int, status: { const: 'resend_from' }, from: int }),
  ],
};
const PushAnswer = obj({ acks: { type: 'array', items: PushAck }, head: int });
const PullAnswer = obj({ ops: { type: 'array', items: { ...WireOp, properties: { ...(WireOp.properties as Json), s: { ...int, description: 'Номер операции на сервере' } } } }, cursor: int, head: int, checksum: { ...str, description: 'Контрольная сумма копии сервера на курсоре (proto ≥ 3)' } }, ['ops', 'cursor', 'head']);
const PrivateData = obj({
  verifiers: { type: 'array', items: obj({ id: str, verifier: str }), description: 'Проверочные значения паролей учётных записей, допущенных на этот компьютер' },
  messages: { type: 'array', items: obj({ id: str, from: str, to: str, at: str, body: str, readAt: { type: ['string', 'null'] } }), description: 'Сообщения, где допущенная учётная запись — автор или адресат' },
});
const Credentials = obj({ login: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 256 } }, ['login', 'password'], { additionalProperties: false });
const query = (name: string, description: string, schema: Json = int, required = false) => ({ name, in: 'query', required, description, schema });
const header = (name: string, description: string, schema: Json = str) => ({ name, in: 'header', required: false, description, schema });
const SNAPSHOT_HEADERS = {
  'X-Snapshot-Seq': { description: 'S — номер последней операции сервера, вошедшей в снимок', schema: int },
  'X-Snapshot-Sha256': { description: 'sha256 файла снимка (= ETag)', schema: str },
  'X-Snapshot-Encoding': { description: 'Сжатие файла: br', schema: str },
  'X-Snapshot-Schema': { description: 'Версия журнала (число миграций) в снимке', schema: int },
  'X-Snapshot-Raw-Bytes': { description: 'Размер после распаковки', schema: int },
  'X-Device-Last-Seq': { description: 'Последний номер операции этого компьютера на сервере', schema: int },
  ETag: { description: '"<sha256>"', schema: str },
  'Accept-Ranges': { description: 'bytes', schema: str },
};

export function openApi(version: string): Json {
  const paths: Json = {};
  for (const m of METHOD_NAMES) {
    paths[`/api/v1/rpc/${m}`] = {
      post: {
        operationId: m, summary: PURPOSE[m] ?? m, tags: [isQueryName(m) ? 'чтение' : 'изменение'],
        ...(Object.hasOwn(DEPRECATED_METHODS, m) ? { deprecated: true } : {}),
        description: 'Кто может — решает политика (src-shared/policy, docs/policy.md); токен компьютера здесь не действует (401).',
        security: SESSION,
        requestBody: { required: true, content: json(schemaOf(methods[m].input, 'input')) },
        responses: { 200: { description: 'Выполнено', content: json(ok(schemaOf(methods[m].output, 'output'))) }, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 500, 503) },
      },
    };
  }
  const Login = { ...Credentials, properties: { ...(Credentials.properties as Json), session: { type: 'string', enum: ['cookie', 'bearer'], default: 'cookie' } } };
  paths['/api/v1/auth/login'] = { post: { operationId: 'auth.login', tags: ['сеанс'], summary: 'Вход: cookie сеанса (браузер) или токен сеанса (session: "bearer")', security: PUBLIC, requestBody: { required: true, content: json(Login) }, responses: { 200: { description: 'Вход выполнен' }, ...errors(400, 401, 403, 415, 429) } } };
  paths['/api/v1/auth/logout'] = { post: { operationId: 'auth.logout', tags: ['сеанс'], summary: 'Выход: сеанс закрывается', security: SESSION, requestBody: emptyBody, responses: { 200: { description: 'Сеанс закрыт' }, ...errors(401, 415) } } };
  paths['/api/v1/auth/me'] = { get: { operationId: 'auth.me', tags: ['сеанс'], summary: 'Кто вошёл: учётная запись, роли, школа, свои дети', security: SESSION, responses: { 200: { description: 'Текущий сеанс' }, ...errors(401, 403) } } };

  paths['/api/v1/accounts/{accountId}/signins'] = {
    get: {
      operationId: 'accounts.signins', tags: ['сеанс'], summary: 'История входов учётной записи: попытки входа (когда, откуда, чем кончились) и входы на компьютерах школы',
      description: 'Ответственный за техподдержку и директор — любой учётной записи школы; каждый — своей (п. 9.6, 10.3). Последние 100 каждого вида.',
      parameters: [{ name: 'accountId', in: 'path', required: true, schema: { type: 'string' } }], security: SESSION,
      responses: {
        200: {
          description: 'История входов',
          content: json(ok(obj({
            logins: { type: 'array', items: obj({ at: str, kind: { type: 'string', enum: ['cookie', 'bearer', 'computer'] }, address: str, outcome: { type: 'string', enum: ['ok', 'wrong_password', 'blocked', 'breach'] } }) },
            computers: { type: 'array', items: obj({ at: str, deviceId: str, deviceName: { type: ['string', 'null'] }, method: { type: 'string', enum: ['online', 'offline'] } }) },
          }))),
        },
        ...errors(401, 403, 404),
      },
    },
  };

  paths['/api/v1/devices'] = {
    get: {
      operationId: 'devices.list', tags: ['компьютеры школы'], summary: 'Компьютеры школы: кто зарегистрировал, когда были на связи, кто входил, отложенные операции', description: ADMIN_ONLY,
      security: SESSION, ...roles('admin'), responses: { 200: { description: 'Список компьютеров', content: json(ok({ type: 'array', items: DeviceRow })) }, ...errors(401, 403) },
    },
    post: {
      operationId: 'devices.enroll', tags: ['компьютеры школы'], summary: 'Зарегистрировать компьютер школы: токен устройства; зарегистрировавший сразу входит на нём',
      description: 'Работник школы с ролью из настройки sync.enrolRoles (по умолчанию — все роли работников); родители и обучающиеся — никогда (п. 9.6).',
      security: SESSION, ...roles('director', 'deputy', 'methodist', 'class_teacher', 'teacher', 'admin'),
      requestBody: { required: true, content: json(obj({ name: { type: 'string', maxLength: 120 }, deviceId: { type: 'string', pattern: '^(?!srv-)[A-Za-z0-9_-]{1,32}$' } }, ['name'])) },
      responses: { 200: { description: 'Токен устройства (показывается один раз)', content: json(ok(Enrolled)) }, ...errors(400, 401, 403, 409, 415) },
    },
  };
  paths['/api/v1/devices/{deviceId}/revoke'] = {
    post: {
      operationId: 'devices.revoke', tags: ['компьютеры школы'], summary: 'Отозвать токен компьютера: он больше не синхронизируется, присланное после отзыва откладывается на проверку', description: ADMIN_ONLY,
      parameters: [deviceIdParam], security: SESSION, ...roles('admin'), requestBody: emptyBody,
      responses: { 200: { description: 'Отозван', content: json(ok({ type: 'object' })) }, ...errors(401, 403, 404, 415) },
    },
  };
  paths['/api/v1/devices/{deviceId}/accounts'] = {
    put: {
      operationId: 'devices.accounts', tags: ['компьютеры школы'], summary: 'Кто может работать на компьютере: список учётных записей работников или null — все работники школы', description: `${ADMIN_ONLY} Учётные записи родителей и обучающихся в список не входят (400).`,
      parameters: [deviceIdParam], security: SESSION, ...roles('admin'),
      requestBody: { required: true, content: json(obj({ accounts: { type: ['array', 'null'], maxItems: 500, items: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } } })) },
      responses: { 200: { description: 'Список записан', content: json(ok({ type: 'object' })) }, ...errors(400, 401, 403, 404, 415) },
    },
  };
  paths['/api/v1/devices/{deviceId}/held'] = {
    get: {
      operationId: 'devices.held', tags: ['компьютеры школы'], summary: 'Операции, присланные компьютером после отзыва: отложены на проверку, не применены', description: ADMIN_ONLY,
      parameters: [deviceIdParam], security: SESSION, ...roles('admin'),
      responses: { 200: { description: 'Отложенные операции', content: json(ok({ type: 'array', items: HeldOp })) }, ...errors(401, 403, 404) },
    },
  };
  paths['/api/v1/devices/self'] = {
    get: {
      operationId: 'devices.self', tags: ['компьютеры школы'], summary: 'Проверка токена устройства: какой это компьютер и какой школы', security: DEVICE,
      responses: { 200: { description: 'Компьютер', content: json(ok(obj({ schoolId: str, deviceId: str, name: str, enrolledAt: str }))) }, ...errors(401) },
    },
  };

  const sync = (o: Json) => ({ tags: ['синхронизация'], security: DEVICE, description: 'Только зарегистрированный компьютер школы с живым токеном устройства (docs/sync.md); сеанс человека — 403, отозванный токен — 401 с reason device_revoked.', ...o });
  paths['/api/v1/sync/push'] = {
    post: sync({
      operationId: 'sync.push', summary: 'Отправить операции компьютера: по каждой — принята, повтор, отклонена или «пришлите с номера»',
      parameters: [header('Content-Encoding', 'gzip или без сжатия; на проводе не больше 64 КБ, после распаковки не больше 1 МБ', { type: 'string', enum: ['gzip', 'identity'] })],
      requestBody: { required: true, description: 'JSON (обычно сжатый gzip): proto, schema, device — свой идентификатор компьютера, ops, clock — время компьютера в мс, signins — входы без сети с доказательством', content: json(PushBody) },
      responses: { 200: { description: 'Ответ по каждой операции', content: json(ok(PushAnswer)) }, ...errors(400, 401, 403, 413, 415, 426, 429, 500, 503) },
    }),
  };
  paths['/api/v1/sync/pull'] = {
    get: sync({
      operationId: 'sync.pull', summary: 'Получить операции школы после курсора, по порядку сервера',
      parameters: [
        query('after', 'Курсор: номер последней полученной операции сервера (по умолчанию 0)', { type: 'integer', minimum: 0, default: 0 }),
        query('limit', 'Сколько операций за раз (по умолчанию 1000, не больше 5000)', { type: 'integer', minimum: 1, maximum: 5000, default: 1000 }),
        query('proto', 'Версия протокола синхронизации (v2+; без неё — v1)'),
        query('schema', 'Версия журнала на компьютере (число применённых миграций)'),
      ],
      responses: { 200: { description: 'Страница операций, новый курсор, контрольная сумма', content: json(ok(PullAnswer)) }, ...errors(400, 401, 403, 426, 503) },
    }),
  };
  paths['/api/v1/sync/snapshot'] = {
    get: sync({
      operationId: 'sync.snapshot', summary: 'Снимок состояния школы (сжатый файл SQLite) для первой загрузки и восстановления; докачка по Range',
      parameters: [
        query('min', 'Снимок не старше этой операции сервера', { type: 'integer', minimum: 0 }),
        header('Range', 'Один диапазон bytes=a-[b] — докачка'),
        header('If-Range', '"<sha256>" начатого снимка: он, пока хранится, иначе весь текущий (200)'),
      ],
      responses: {
        200: { description: 'Весь файл снимка (brotli)', headers: SNAPSHOT_HEADERS, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        206: { description: 'Часть файла снимка', headers: { ...SNAPSHOT_HEADERS, 'Content-Range': { description: 'bytes a-b/размер', schema: str } }, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        ...errors(400, 401, 403, 416, 503),
      },
    }),
  };
  paths['/api/v1/sync/private'] = {
    get: sync({
      operationId: 'sync.private', summary: 'Доля компьютера в том, чего нет в снимке: проверочные значения паролей допущенных учётных записей и их сообщения',
      responses: { 200: { description: 'Личные данные, нужные этому компьютеру', content: json(ok(PrivateData)) }, ...errors(401, 403, 503) },
    }),
  };
  paths['/api/v1/sync/signin'] = {
    post: sync({
      operationId: 'sync.signin', summary: 'Вход работника на компьютере при связи с сервером: сервер проверяет пароль и выдаёт ключ учётной записи для этого компьютера',
      requestBody: { required: true, content: json(Credentials) },
      responses: {
        200: { description: 'Вход записан', content: json(ok(obj({ accountId: str, key: { ...str, description: 'Ключ для входа без сети (base64url)' }, at: str }))) },
        ...errors(400, 401, 403, 415, 429),
      },
    }),
  };

  paths['/api/v1/openapi.json'] = { get: { operationId: 'openapi', tags: ['сервер'], summary: 'Это описание API (OpenAPI 3.1)', security: PUBLIC, responses: { 200: { description: 'Документ OpenAPI', content: json({ type: 'object' }) } } } };
  paths['/api/v1/health'] = {
    get: {
      operationId: 'health', tags: ['сервер'], summary: 'Состояние сервера: хранилище, число школ, версия', security: PUBLIC,
      responses: {
        200: { description: 'Работает', content: json(ok(obj({ status: { const: 'ok' }, store: str, schools: int, version: str }))) },
        503: { description: 'Копия журнала школы перестраивается (degraded, со списком школ) или хранилище недоступно', headers: RETRY_AFTER, content: json({}) },
      },
    },
  };
  paths['/updates/{file}'] = {
    get: {
      operationId: 'updates.file', tags: ['обновления'], summary: 'Обновления настольной программы (electron-updater): latest.yml, установщики, .blockmap', security: PUBLIC,
      parameters: [{ name: 'file', in: 'path', required: true, description: 'Путь файла внутри папки обновлений (без «..» и скрытых файлов)', schema: str }],
      responses: {
        200: { description: 'Файл: latest*.yml — без кеширования, установщики — на сутки', content: { 'text/yaml': { schema: str }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        400: { description: 'Неверный путь', content: { 'text/plain': { schema: str } } },
        404: { description: 'Обновление не найдено', content: { 'text/plain': { schema: str } } },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'ejournal — электронный журнал и дневник', version, description: 'Тот же контракт, что у настольного приложения (docs/api.md): POST /api/v1/rpc/{метод} с JSON, ответ — конверт { ok, value } или { ok: false, error }.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: ErrorBody },
      securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'ej_session', description: 'Сеанс человека в браузере (HttpOnly, SameSite=Strict)' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Токен сеанса человека s.<школа>.<…> (вход с session: "bearer"); для синхронизации не действует' },
        device: { type: 'http', scheme: 'bearer', description: 'Токен компьютера школы d.<школа>.<…> (POST /api/v1/devices): только /api/v1/sync/* и /api/v1/devices/self' },
      },
    },
  };
}
