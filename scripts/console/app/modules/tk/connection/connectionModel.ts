/** The connection page's logic: the sign-in form, its validation, and view models for the results. */
import type { CheckReportView, ConnectRequest, ConnectStarted, ConnectionView, VerifyView } from 'tk/contract';
import { formatDateTime } from 'tk/format';
import { LABELS, fill } from 'tk/labels';
import type { FieldView } from 'tk/fieldList';

export type MethodName = ConnectRequest['method'];
export type FormFieldName = 'loginUrl' | 'clientId' | 'clientSecret' | 'username' | 'keyFile' | 'callbackUrl';
export type ConnectForm = { method: MethodName } & Record<FormFieldName, string>;

const L = LABELS.connection;

const METHODS: ReadonlyArray<{ value: MethodName; dataId: string }> = [
  { value: 'client-credentials', dataId: 'method-client-credentials' },
  { value: 'jwt', dataId: 'method-jwt' },
  { value: 'web', dataId: 'method-web' },
];

const ALL_METHODS: MethodName[] = METHODS.map((m) => m.value);

interface FieldSpec {
  name: FormFieldName;
  dataId: string;
  type: 'text' | 'url' | 'password';
  label: string;
  placeholder?: string;
  help?: string;
  /** The methods that show the field; required where listed in `requiredFor`. */
  methods: MethodName[];
  requiredFor: MethodName[];
}

const FIELDS: FieldSpec[] = [
  {
    name: 'loginUrl',
    dataId: 'login-url',
    type: 'url',
    label: L.loginUrl,
    placeholder: L.loginUrlPlaceholder,
    help: L.loginUrlHelp,
    methods: ALL_METHODS,
    requiredFor: ALL_METHODS,
  },
  {
    name: 'clientId',
    dataId: 'client-id',
    type: 'text',
    label: L.clientId,
    methods: ALL_METHODS,
    requiredFor: ALL_METHODS,
  },
  {
    name: 'clientSecret',
    dataId: 'client-secret',
    type: 'password',
    label: L.clientSecret,
    methods: ['client-credentials', 'web'],
    requiredFor: ['client-credentials'],
  },
  { name: 'username', dataId: 'username', type: 'text', label: L.username, methods: ['jwt'], requiredFor: ['jwt'] },
  {
    name: 'keyFile',
    dataId: 'key-file',
    type: 'text',
    label: L.keyFile,
    placeholder: L.keyFilePlaceholder,
    methods: ['jwt'],
    requiredFor: ['jwt'],
  },
  {
    name: 'callbackUrl',
    dataId: 'callback-url',
    type: 'url',
    label: L.callbackUrl,
    placeholder: L.callbackUrlPlaceholder,
    methods: ['web'],
    requiredFor: [],
  },
];

export function emptyForm(): ConnectForm {
  return {
    method: 'client-credentials',
    loginUrl: '',
    clientId: '',
    clientSecret: '',
    username: '',
    keyFile: '',
    callbackUrl: '',
  };
}

function urlProblem(value: string, loopbackHttpAllowed: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return L.errors.loginUrl;
  }
  if (url.protocol === 'https:') return null;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && loopback && loopbackHttpAllowed) return null;
  return url.protocol === 'http:' ? L.errors.loginUrlHttps : L.errors.loginUrl;
}

/** Client-side checks before connecting, keyed by request field; the server checks again. */
export function validateConnect(form: ConnectForm): Partial<Record<FormFieldName, string>> {
  const errors: Partial<Record<FormFieldName, string>> = {};
  for (const field of FIELDS) {
    if (!field.methods.includes(form.method)) continue;
    const value = form[field.name].trim();
    if (!value) {
      if (field.requiredFor.includes(form.method)) errors[field.name] = L.errors.required;
      continue;
    }
    if (field.type === 'url') {
      const problem = urlProblem(value, true);
      if (problem) errors[field.name] = problem;
    }
  }
  return errors;
}

/** The POST /api/connection body: only the fields the chosen method uses, trimmed. */
export function buildConnectRequest(form: ConnectForm): ConnectRequest {
  const req: ConnectRequest = {
    method: form.method,
    loginUrl: form.loginUrl.trim().replace(/\/+$/, ''),
    clientId: form.clientId.trim(),
  };
  for (const field of FIELDS) {
    if (field.name === 'loginUrl' || field.name === 'clientId') continue;
    const value = form[field.name].trim();
    if (field.methods.includes(form.method) && value) req[field.name] = value;
  }
  return req;
}

/** The inputs the chosen method shows, with their values and errors (each a tk-form-field). */
export function fieldViews(form: ConnectForm, errors: Partial<Record<string, string>>): FieldView[] {
  return FIELDS.filter((f) => f.methods.includes(form.method)).map((f) => ({
    name: f.name,
    dataId: f.dataId,
    inputId: `tk-conn-${f.dataId}`,
    type: f.type,
    label: f.label,
    placeholder: f.placeholder ?? null,
    help: f.help ?? '',
    value: form[f.name],
    error: errors[f.name] ?? '',
    required: f.requiredFor.includes(form.method),
    autocomplete: f.type === 'password' ? 'new-password' : 'off',
  }));
}

export function methodOptions(selected: MethodName): Array<{
  value: MethodName;
  dataId: string;
  inputId: string;
  label: string;
  checked: boolean;
}> {
  return METHODS.map((m) => ({
    value: m.value,
    dataId: m.dataId,
    inputId: `tk-conn-${m.dataId}`,
    label: L.methods[m.value],
    checked: m.value === selected,
  }));
}

export function isConnectStarted(answer: { connection: ConnectionView } | ConnectStarted): answer is ConnectStarted {
  return typeof (answer as ConnectStarted).authorizeUrl === 'string';
}

export function summaryRows(c: ConnectionView): Array<{ key: string; label: string; value: string }> {
  const rows = [
    { key: 'org', label: L.orgUrl, value: c.instanceUrl },
    { key: 'user', label: L.user, value: c.username ?? LABELS.common.none },
    { key: 'method', label: L.method, value: L.methods[c.method] ?? c.method },
    { key: 'since', label: L.since, value: formatDateTime(c.connectedAt) },
  ];
  if (c.orgId) rows.push({ key: 'orgId', label: L.orgId, value: c.orgId });
  return rows;
}

export function checkHeadline(report: CheckReportView): string {
  return report.ok ? fill(L.checksOk, { user: report.username ?? LABELS.common.none }) : L.checksProblems;
}

export interface VerifyLine {
  key: string;
  ok: boolean;
  text: string;
  fix: string;
}

/** The package verification as a headline and one line per object and problem. */
export function verifyLines(v: VerifyView): { ok: boolean; headline: string; lines: VerifyLine[] } {
  const headline = v.installed ? fill(L.verifyOk, { ...v.installed, required: v.requiredVersion }) : L.verifyMissing;
  const lines: VerifyLine[] = v.objects.map((o) => ({
    key: `object-${o.name}`,
    ok: o.found && o.missingFields.length === 0,
    text: !o.found
      ? fill(L.verifyObjectNotFound, { name: o.name })
      : o.missingFields.length
        ? fill(L.verifyObjectMissing, { name: o.name, missing: o.missingFields.join(', ') })
        : fill(L.verifyObject, { name: o.name, fields: o.fields }),
    fix: '',
  }));
  for (const p of v.problems) lines.push({ key: `problem-${p.code}`, ok: false, text: p.message, fix: p.fix });
  return { ok: v.ok, headline, lines };
}
