// Gatehouse's Node.js runtime bootstrap. It loads the handler named by
// _HANDLER ("dir/file.function") from LAMBDA_TASK_ROOT and serves events from
// the Lambda Runtime API (2018-06-01) at AWS_LAMBDA_RUNTIME_API, supporting
// async handlers and callback-style handlers (event, context, callback).
// Errors are reported as Lambda's Node.js runtime reports them:
// {"errorType","errorMessage","trace"}.
'use strict';

const net = require('net');
const path = require('path');
const fs = require('fs');
const util = require('util');
const { pathToFileURL } = require('url');

const api = process.env.AWS_LAMBDA_RUNTIME_API || '';
const sep = api.lastIndexOf(':');
const host = api.slice(0, sep);
const port = Number(api.slice(sep + 1));
const base = '/2018-06-01/runtime';

// The Runtime API client: one keep-alive connection and a minimal HTTP/1.1
// exchange (the runtime makes one request at a time, and the Runtime API
// answers with a Content-Length). Node's http module costs several times
// more per request, and an invocation is two requests. After an invocation
// the response (or error) and the next poll are pipelined, sent in one write:
// the runner answers them in order, so the process wakes once per invocation
// instead of twice.
let sock = null;
const pending = []; // { resolve, reject } of each request sent, oldest first
let inbuf = null;
const CRLFCRLF = Buffer.from('\r\n\r\n');

function connect() {
  const s = net.createConnection({ host, port });
  s.setNoDelay(true);
  s.on('data', (chunk) => {
    inbuf = inbuf === null ? chunk : Buffer.concat([inbuf, chunk]);
    parse();
  });
  s.on('error', (err) => gone(s, err));
  s.on('close', () => gone(s));
  return s;
}

// gone fails every request still waiting on connection s.
function gone(s, err) {
  if (sock !== s) return; // an old connection closing: not the requests in flight
  sock = null;
  inbuf = null;
  s.destroy();
  const e = err || new Error('Runtime API connection closed');
  for (const p of pending.splice(0)) p.reject(e);
}

function parse() {
  while (pending.length && inbuf !== null) {
    const end = inbuf.indexOf(CRLFCRLF);
    if (end < 0) return;
    const head = inbuf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const headers = {};
    for (let i = head.indexOf('\r\n'); i >= 0;) {
      const j = head.indexOf('\r\n', i + 2);
      const line = j < 0 ? head.slice(i + 2) : head.slice(i + 2, j);
      const c = line.indexOf(':');
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
      i = j;
    }
    const total = end + 4 + Number(headers['content-length'] || 0);
    if (inbuf.length < total) return;
    const body = inbuf.subarray(end + 4, total);
    inbuf = inbuf.length === total ? null : inbuf.subarray(total);
    pending.shift().resolve({ status, headers, body });
    if (headers.connection === 'close') gone(sock);
  }
}

// request renders one request; body is a string (UTF-8 on the wire).
// extra holds further header lines, each ending in CRLF.
function request(method, p, body, extra) {
  let head = `${method} ${base}${p} HTTP/1.1\r\nHost: ${api}\r\n`;
  if (body === undefined) return head + '\r\n';
  return `${head}${extra || ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

// send writes the requests in one write and returns a promise of each answer.
function send(...reqs) {
  if (!sock) sock = connect();
  const answers = reqs.map(() => new Promise((resolve, reject) => pending.push({ resolve, reject })));
  sock.write(reqs.join(''));
  return answers;
}

const NEXT = request('GET', '/invocation/next');
const JSON_TYPE = 'Content-Type: application/json\r\n';

function errorDocument(err, fallbackType) {
  if (err instanceof Error) {
    return {
      errorType: err.name && err.name !== 'Error' ? err.name : (err.constructor && err.constructor.name) || 'Error',
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  return { errorType: fallbackType || 'string', errorMessage: typeof err === 'string' ? err : util.inspect(err), trace: [] };
}

// errorRequest renders the POST of an error document.
function errorRequest(p, doc, errType) {
  // The type comes from user code (an error's name): no control characters.
  const extra = errType ? `${JSON_TYPE}Lambda-Runtime-Function-Error-Type: ${String(errType).replace(/[\x00-\x1f\x7f]/g, ' ')}\r\n` : JSON_TYPE;
  return request('POST', p, JSON.stringify(doc), extra);
}

function postJSON(p, doc, errType) {
  return send(errorRequest(p, doc, errType))[0];
}

// Log lines carry the request id, as in Lambda's text log format.
let currentRequestId = undefined;
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [name, level] of Object.entries(levels)) {
    console[name] = (...args) => {
      const msg = util.format(...args).replace(/\n/g, '\r');
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${level}\t${msg}\n`);
    };
  }
}

class ImportModuleError extends Error { constructor(m) { super(m); this.name = 'Runtime.ImportModuleError'; } }
class HandlerNotFound extends Error { constructor(m) { super(m); this.name = 'Runtime.HandlerNotFound'; } }
class MalformedHandlerName extends Error { constructor(m) { super(m); this.name = 'Runtime.MalformedHandlerName'; } }
class UserCodeSyntaxError extends Error { constructor(m) { super(m); this.name = 'Runtime.UserCodeSyntaxError'; } }

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const spec = process.env._HANDLER || '';
  const slash = spec.lastIndexOf('/');
  const dir = spec.slice(0, slash + 1);
  const rest = spec.slice(slash + 1);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) throw new MalformedHandlerName(`Bad handler ${spec}`);
  const moduleName = dir + rest.slice(0, dot);
  const fnPath = rest.slice(dot + 1).split('.');
  const candidates = ['.js', '.mjs', '.cjs'].map((ext) => path.resolve(root, moduleName + ext));
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) {
    throw new ImportModuleError(`Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${__filename}`);
  }
  let mod;
  try {
    mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(String(e.stack || e));
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) throw new ImportModuleError(String(e));
    throw e;
  }
  let fn = mod;
  for (const part of fnPath) fn = fn == null ? undefined : fn[part];
  if (typeof fn !== 'function' && mod && mod.default && typeof mod.default === 'object') {
    fn = mod.default;
    for (const part of fnPath) fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== 'function') throw new HandlerNotFound(`${spec} is undefined or not exported`);
  return fn;
}

function makeContext(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  let clientContext;
  if (headers['lambda-runtime-client-context']) {
    try { clientContext = JSON.parse(headers['lambda-runtime-client-context']); } catch (_) { /* ignored */ }
  }
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext,
    identity: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

// invoke runs the handler; it settles with the result or rejects with the
// error, whichever way (promise or callback) the handler answers.
function invoke(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err, result) => {
      if (settled) return;
      settled = true;
      if (err !== undefined && err !== null) reject(err); else resolve(result);
    };
    context.done = done;
    context.succeed = (r) => done(null, r);
    context.fail = (e) => done(e === undefined || e === null ? 'handled' : e);
    let ret;
    try {
      ret = handler(event, context, done);
    } catch (e) {
      done(e);
      return;
    }
    if (ret && typeof ret.then === 'function') {
      ret.then((r) => done(null, r), (e) => done(e === undefined || e === null ? new Error('undefined') : e));
    } else if (handler.length < 3) {
      done(null, ret);
    }
  });
}

async function main() {
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    console.error(`${e.name}: ${e.message}`);
    await postJSON('/init/error', errorDocument(e), e.name).catch(() => {});
    process.exit(129);
  }
  process.on('uncaughtException', async (e) => {
    console.error('Uncaught Exception', e);
    if (currentRequestId) {
      await postJSON(`/invocation/${currentRequestId}/error`, errorDocument(e), 'Runtime.UncaughtException').catch(() => {});
    }
    process.exit(129);
  });
  process.on('unhandledRejection', async (reason) => {
    const e = reason instanceof Error ? reason : new Error(String(reason));
    console.error('Unhandled Promise Rejection', e);
    if (currentRequestId) {
      await postJSON(`/invocation/${currentRequestId}/error`, errorDocument(e), 'Runtime.UnhandledPromiseRejection').catch(() => {});
    }
    process.exit(128);
  });
  // answered: the next event, or the pipelined poll sent with the last
  // result. The runner closes the connection after a response it could not
  // read whole (over 6 MB), which loses the poll sent with it: it is sent
  // again once on a new connection.
  let answered = send(NEXT)[0];
  for (;;) {
    let next;
    try {
      next = await answered;
    } catch (_) {
      next = await send(NEXT)[0];
    }
    if (next.status !== 200) process.exit(1);
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] || '';
    let done;
    let event;
    try {
      event = next.body.length ? JSON.parse(next.body.toString('utf8')) : null;
    } catch (e) {
      done = errorRequest(`/invocation/${id}/error`, { errorType: 'Runtime.UnmarshalError', errorMessage: String(e.message), trace: [] }, 'Runtime.UnmarshalError');
    }
    if (done === undefined) {
      try {
        const result = await invoke(handler, event, makeContext(next.headers));
        done = request('POST', `/invocation/${id}/response`, JSON.stringify(result === undefined ? null : result), JSON_TYPE);
      } catch (e) {
        const doc = errorDocument(e);
        console.error(`${doc.errorType}: ${doc.errorMessage}`);
        done = errorRequest(`/invocation/${id}/error`, doc, doc.errorType);
      }
    }
    currentRequestId = undefined;
    const [posted, polled] = send(done, NEXT);
    posted.catch(() => {}); // its failure fails the poll too, which is retried
    answered = polled;
  }
}

main().catch((e) => {
  process.stderr.write(`gatehouse node bootstrap: ${e && e.stack || e}\n`);
  process.exit(1);
});
