/**
 * GET /api/v1/openapi.json — generated from the contract (src-shared/contract/methods.ts): one
 * path per method, its zod input as the request body and the envelope around its zod output as
 * the answer; plus the auth, device and health endpoints.
 */
import { z } from 'zod';
import { ERROR_CODES, METHOD_NAMES, methods } from '../../src-shared/contract/methods';
import { isQueryName } from '../../src-shared/policy/queries';
import { PURPOSE } from '../../src-main/cli/api-doc';

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const ErrorBody: Json = {
  type: 'object', required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: {
      type: 'object', required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string', description: 'По-русски, для человека' },
        requirement: { type: 'string' }, clause: { type: 'string' }, notices: { type: 'array', items: { type: 'object' } },
      },
    },
  },
};

const ok = (value: Json): Json => ({ type: 'object', required: ['ok', 'value'], properties: { ok: { const: true }, value } });
const json = (schema: Json) => ({ 'application/json': { schema } });
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: 'Ошибка (конверт)', content: json({ $ref: '#/components/schemas/Error' }) }]));

export function openApi(version: string): Json {
  const paths: Json = {};
  for (const m of METHOD_NAMES) {
    paths[`/api/v1/rpc/${m}`] = {
      post: {
        operationId: m, summary: PURPOSE[m] ?? m, tags: [isQueryName(m) ? 'чтение' : 'изменение'],
        security: [{ cookie: [] }, { bearer: [] }],
        requestBody: { required: true, content: json(schemaOf(methods[m].input, 'input')) },
        responses: { 200: { description: 'Выполнено', content: json(ok(schemaOf(methods[m].output, 'output'))) }, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 500) },
      },
    };
  }
  const Login = { type: 'object', required: ['login', 'password'], additionalProperties: false, properties: { login: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 256 }, session: { type: 'string', enum: ['cookie', 'bearer'], default: 'cookie' } } };
  paths['/api/v1/auth/login'] = { post: { operationId: 'auth.login', summary: 'Вход: cookie сеанса (браузер) или токен (компьютер школы)', requestBody: { required: true, content: json(Login) }, responses: { 200: { description: 'Вход выполнен' }, ...errors(400, 401, 403, 415, 429) } } };
  paths['/api/v1/auth/logout'] = { post: { operationId: 'auth.logout', summary: 'Выход: сеанс закрывается', security: [{ cookie: [] }, { bearer: [] }], requestBody: { content: json({ type: 'object' }) }, responses: { 200: { description: 'Сеанс закрыт' }, ...errors(401) } } };
  paths['/api/v1/auth/me'] = { get: { operationId: 'auth.me', summary: 'Кто вошёл: учётная запись, роли, школа, свои дети', security: [{ cookie: [] }, { bearer: [] }], responses: { 200: { description: 'Текущий сеанс' }, ...errors(401) } } };
  paths['/api/v1/devices'] = {
    get: { operationId: 'devices.list', summary: 'Компьютеры школы (ответственный за техподдержку)', security: [{ cookie: [] }, { bearer: [] }], responses: { 200: { description: 'Список' }, ...errors(401, 403) } },
    post: { operationId: 'devices.enroll', summary: 'Зарегистрировать компьютер школы: токен устройства', security: [{ cookie: [] }, { bearer: [] }], requestBody: { required: true, content: json({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, deviceId: { type: 'string' } } }) }, responses: { 200: { description: 'Токен устройства (показывается один раз)' }, ...errors(400, 401, 403, 409) } },
  };
  paths['/api/v1/devices/{deviceId}/revoke'] = { post: { operationId: 'devices.revoke', summary: 'Отозвать токен компьютера', parameters: [{ name: 'deviceId', in: 'path', required: true, schema: { type: 'string' } }], security: [{ cookie: [] }, { bearer: [] }], responses: { 200: { description: 'Отозван' }, ...errors(401, 403, 404) } } };
  paths['/api/v1/devices/self'] = { get: { operationId: 'devices.self', summary: 'Проверка токена устройства', security: [{ device: [] }], responses: { 200: { description: 'Компьютер' }, ...errors(401) } } };
  paths['/api/v1/health'] = { get: { operationId: 'health', summary: 'Состояние сервера', responses: { 200: { description: 'Работает' }, 503: { description: 'Хранилище недоступно' } } } };
  return {
    openapi: '3.1.0',
    info: { title: 'ejournal — электронный журнал и дневник', version, description: 'Тот же контракт, что у настольного приложения (docs/api.md): POST /api/v1/rpc/{метод} с JSON, ответ — конверт { ok, value } или { ok: false, error }.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: ErrorBody },
      securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'ej_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'Токен сеанса s.<школа>.<…> (вход с session: "bearer")' },
        device: { type: 'http', scheme: 'bearer', description: 'Токен компьютера d.<школа>.<…>' },
      },
    },
  };
}
