// Times renders of the benchmark templates with velocityjs, for
// bench/vtl/run.sh. $input and $util mirror VelocityBench.java: the body is
// parsed once per render, $input.path walks definite paths ($.a.b[0]).
//
// Usage: node velocityjs_bench.js DIR SECONDS NAME...
// Prints one line per template: "NAME RENDERS_PER_SECOND OUTPUT_BYTES",
// the median of five rounds after a warm-up of SECONDS.
'use strict';
const fs = require('fs');
const path = require('path');
const { parse, Compile } = require('velocityjs');

function walk(v, p) {
  const re = /\.([^.[]+)|\[(\d+)\]/g;
  let m;
  while (v != null && (m = re.exec(p.slice(1))) !== null) {
    v = m[1] !== undefined ? v[m[1]] : v[Number(m[2])];
  }
  return v;
}

function makeInput(body) {
  let doc;
  const get = () => (doc === undefined ? (doc = JSON.parse(body)) : doc);
  return {
    body,
    path: (p) => walk(get(), p),
    json: (p) => JSON.stringify(walk(get(), p)),
    params: (name) => (name === 'source' ? 'web' : ''),
  };
}

function escapeJavaScript(s) {
  let out = '';
  for (const ch of String(s)) {
    const c = ch.codePointAt(0);
    if (ch === "'" || ch === '"' || ch === '\\' || ch === '/') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7f) {
      for (let i = 0; i < ch.length; i++) out += '\\u' + ch.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
    } else out += ch;
  }
  return out;
}

const util = { escapeJavaScript };

function render(compiled, body) {
  return compiled.render({
    input: makeInput(body),
    util,
    context: { requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', stage: 'prod' },
  });
}

function run(compiled, body, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < 16; i++) render(compiled, body);
    n += 16;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  return (n * ms) / elapsed;
}

const [dir, seconds, ...names] = process.argv.slice(2);
for (const name of names) {
  const src = fs.readFileSync(path.join(dir, name + '.vtl'), 'utf8');
  const body = fs.readFileSync(path.join(dir, name + '.json'), 'utf8');
  const compiled = new Compile(parse(src));
  const bytes = Buffer.byteLength(render(compiled, body));
  const ms = Number(seconds) * 1000;
  run(compiled, body, ms); // warm-up
  // Median of five rounds, as VelocityBench.java does.
  const rates = [];
  for (let r = 0; r < 5; r++) rates.push(run(compiled, body, ms / 5) / (ms / 5 / 1000));
  rates.sort((a, b) => a - b);
  console.log(`${name} ${rates[2].toFixed(1)} ${bytes}`);
}
