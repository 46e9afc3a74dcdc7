// The search client in node, as a built site ships it: `node client.test.js <output> <command>`.
// tests/search.rs runs it and checks what it prints (one JSON document). Commands:
//   vectors <vectors.json>   the shared folding vectors: { cases, failures }
//   fold <from> <to>         every code point of the range folded: [[code point, folded], ...]
//   queries <queries.json>   each query of the list searched in every year as the header's box
//                            does: [{ query, page, anchor, rank, shown, top }]
//   rows <script>            every row of every table searched by its label and its table's
//                            caption, written in `script` (persian, or arabic letters and
//                            digits): [{ query, page, anchor, shown }] for the rows not shown
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { pathToFileURL } = require('url');

const [out, command, ...args] = process.argv.slice(2);
const client = require(path.resolve(out, 'search.js'));

const site = pathToFileURL(path.resolve(out) + '/').href;

// every year's index of the site, as the browser loads it: a script assigning a global, its
// links resolved against its own address
function indexes() {
  const window = {}, bases = {};
  for (const year of fs.readdirSync(out).filter(name => /^\d+$/.test(name)).sort()) {
    const file = path.resolve(out, year, 'search', 'index.js');
    vm.runInNewContext(fs.readFileSync(file, 'utf8'), { window });
    bases[year] = pathToFileURL(file).href;
  }
  return Object.values(window.karnamehIndex).map(d => Object.assign(new client.Index(d), { base: bases[d.year] }));
}

// the page an index's link names, from the site root as the queries name it: `1400/summary/`
function pageOf(ix, link) {
  const url = new URL(link, ix.base).href;
  if (!url.startsWith(site)) throw new Error(link + ' leaves the site');
  return url.slice(site.length).replace(/index\.html$/, '');
}

// the entries the header's box shows for `query`, in order: { page, anchor }
function shown(ixs, query) {
  return client.shown(client.find(ixs, query), client.BOX).flatMap(({ group, entries }) => {
    const d = group.index.d, page = pageOf(group.index, d.pages[group.page][0]);
    return [{ page, anchor: '' }].concat(entries.map(e => ({
      page,
      anchor: e.kind === 1 ? d.tables[e.at][1] : d.rows[e.at][1]
    })));
  });
}

function vectors(file) {
  const v = JSON.parse(fs.readFileSync(file, 'utf8')), failures = [];
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (const [text, expected] of v.fold) {
    const got = client.fold(text);
    if (got !== expected) failures.push({ fold: text, expected, got });
  }
  for (const [text, expected] of v.words) {
    const got = client.words(text);
    if (!same(got, expected)) failures.push({ words: text, expected, got });
  }
  // the client's own matching, over an index of one text holding the text's terms
  for (const [text, query, expected] of v.matches) {
    const terms = [...new Set(client.terms(text))].sort();
    const ix = new client.Index({
      format: 1, year: 0, terms, texts: [text], textTerms: [terms.map((t, i) => i)],
      pages: [['', 0, '', []]], tables: [], rows: []
    });
    const got = client.find([ix], query).length > 0;
    if (got !== expected) failures.push({ matches: text, query, expected, got });
  }
  return { cases: v.fold.length + v.words.length + v.matches.length, failures };
}

function fold(from, to) {
  const folded = [];
  for (let cp = from; cp <= to; cp++) {
    if (cp < 0xd800 || cp > 0xdfff) folded.push([cp, client.fold(String.fromCodePoint(cp))]);
  }
  return folded;
}

function queries(file) {
  const ixs = indexes();
  return JSON.parse(fs.readFileSync(file, 'utf8')).queries.map(q => {
    const list = shown(ixs, q.query);
    const rank = list.findIndex(e => e.page === q.page && e.anchor === q.anchor);
    return { query: q.query, page: q.page, anchor: q.anchor, rank, top: list.slice(0, 4) };
  });
}

const ARABIC = { 'ی': 'ي', 'ک': 'ك', '۰': '٠', '۱': '١', '۲': '٢', '۳': '٣', '۴': '٤', '۵': '٥', '۶': '٦', '۷': '٧', '۸': '٨', '۹': '٩' };

function rows(script) {
  const misses = [];
  let count = 0;
  for (const ix of indexes()) {
    const d = ix.d, text = x => d.texts[x];
    const labels = r => r[2].map(text).filter(t => !/^[\d-]+$/.test(t)).join(' ');
    const twins = new Map();
    d.rows.forEach(r => twins.set(r[0] + labels(r), (twins.get(r[0] + labels(r)) || 0) + 1));
    d.rows.forEach(r => {
      const table = d.tables[r[0]], page = pageOf(ix, d.pages[table[0]][0]), values = r[3].map(text).filter(Boolean);
      // a row is known by its labels, with a figure where rows share them, or (known only by
      // its number) by its first text; a heading row is not a row of figures
      let name = labels(r);
      if (!values.length) return;
      if (!name) name = values.find(t => /\p{L}/u.test(t)) || '';
      else if (twins.get(r[0] + name) > 1) name += ' ' + values[0];
      if (!name) return;
      let query = name + ' ' + text(table[2]);
      if (script === 'arabic') query = query.replace(/[یک۰-۹]/g, c => ARABIC[c]);
      count++;
      if (!shown([ix], query).some(e => e.page === page && e.anchor === r[1])) misses.push({ query, page, anchor: r[1] });
    });
  }
  return { count, misses };
}

const commands = {
  vectors: () => vectors(args[0]),
  fold: () => fold(Number(args[0]), Number(args[1])),
  queries: () => queries(args[0]),
  rows: () => rows(args[0])
};
process.stdout.write(JSON.stringify(commands[command]()));
