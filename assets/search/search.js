// karnameh search client: folds the query exactly as src/search/fold.rs folds the index (both
// run tests/search/vectors.json), finds the entries whose words start with the query's words
// and lists them grouped by page. Its only requests are the index scripts, so it works from
// file://. terser minifies it into search.min.js (see the README); the build writes the site's
// settings (its years, links to their indexes and search pages) in place of
// KARNAMEH_SEARCH_SETTINGS on the last line. Every link
// is as the build made it from the file that holds it: the settings' from this script, an
// index's from that index, so each is resolved against its own file's address.
(settings => {
  'use strict';
  const FORMAT = 1, ZWNJ = '\u200c', DIGITS = '۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩';
  const MAP = { 'ي': 'ی', 'ى': 'ی', 'ك': 'ک', 'ڪ': 'ک', 'ة': 'ه', 'ۃ': 'ه', 'ە': 'ه', 'ھ': 'ه', 'ٱ': 'ا' };
  const DROP = /[\p{M}\u0640\u00ad\u061c\u200d-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;
  const SWAP = /[A-Z\u0629\u0643\u0649\u064a\u0660-\u0669\u0671\u06aa\u06be\u06c3\u06d5\u06f0-\u06f9]/g;
  const WORD = /[\p{Alphabetic}0-9]/u, DIGIT = /[0-9]/;
  // what a list shows: the header's panel its best matches, the search page all (each page's
  // first ones, and how many more)
  const BOX = { entries: 8, each: 8 }, PAGE = { entries: 1e4, each: 20 };

  const fold = text => text.normalize('NFKD').replace(DROP, '').replace(SWAP, c => {
    const digit = DIGITS.indexOf(c);
    return digit >= 0 ? String(digit % 10) : MAP[c] || c.toLowerCase();
  });

  // the words of a text, each as its parts (several when written with ZWNJ)
  function words(text) {
    const cs = Array.from(fold(text)), out = [];
    let parts = [], part = '';
    const end = () => {
      if (part) parts.push(part);
      if (parts.length) out.push(parts);
      part = '';
      parts = [];
    };
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i], between = i > 0 && DIGIT.test(cs[i - 1]) && DIGIT.test(cs[i + 1] || '');
      if (WORD.test(c)) part += c;
      else if (between && (c === ',' || c === '\u066c')) continue;
      else if (between && (c === '.' || c === '\u066b')) part += '.';
      else if (c === ZWNJ && part) {
        let n = i;
        while (cs[n] === ZWNJ) n++;
        if (n < cs.length && WORD.test(cs[n])) {
          parts.push(part);
          part = '';
          i = n - 1;
        } else end();
      } else end();
    }
    end();
    return out;
  }

  // the terms the index stores for a text: each word, and a word of several parts each part
  const terms = text => words(text).flatMap(w => w.length > 1 ? [w.join(''), ...w] : w);

  // a query: its words, each whole and (when written with ZWNJ) as its parts
  const query = text => words(text).map(parts => ({ text: parts.join(''), parts: parts.length > 1 ? parts : [] }));

  class Index {
    constructor(d) {
      if (d.format !== FORMAT) throw new Error('search index format ' + d.format);
      this.d = d;
      this.byTerm = d.terms.map(() => []);
      d.textTerms.forEach((ts, x) => ts.forEach(t => this.byTerm[t].push(x)));
      // each entry's own texts (pages, tables, rows), and the entries of each kind a text is in
      this.own = [
        d.pages.map(p => [p[1], ...p[3]]),
        d.tables.map(t => [t[2], ...t[3], ...t[4]]),
        d.rows.map(r => [...r[2], ...r[3]])
      ];
      this.of = this.own.map(lists => {
        const of = d.texts.map(() => []);
        lists.forEach((texts, e) => texts.forEach(x => {
          if (of[x][of[x].length - 1] !== e) of[x].push(e);
        }));
        return of;
      });
    }

    // the texts with a term that starts with q: 2 where a term is q, 1 where one only starts so
    hits(q) {
      const terms = this.d.terms, hit = new Uint8Array(this.d.texts.length), list = [];
      let lo = 0, hi = terms.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (terms[mid] < q) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < terms.length && terms[i].startsWith(q); i++) {
        const level = terms[i] === q ? 2 : 1;
        for (const x of this.byTerm[i]) {
          if (!hit[x]) list.push(x);
          if (hit[x] < level) hit[x] = level;
        }
      }
      return { hit, list };
    }

    // the pages with a match: { index, page, score, entries: [{ kind (0 page, 1 table, 2 row), at, score }] }
    find(q) {
      const d = this.d, groups = new Map(), seen = [new Set(), new Set(), new Set()];
      const ws = q.map(w => ({ whole: this.hits(w.text), parts: w.parts.map(p => this.hits(p)) }));
      // how well each page and table matches each word by itself: the context of its entries
      const pages = ws.map(w => this.own[0].map(texts => level(w, texts)));
      const tables = ws.map(w => this.own[1].map(texts => level(w, texts)));
      const pageOf = (kind, at) => kind === 0 ? at : kind === 1 ? d.tables[at][0] : d.tables[d.rows[at][0]][0];
      const consider = (kind, at) => {
        if (seen[kind].has(at)) return;
        seen[kind].add(at);
        const page = pageOf(kind, at), table = kind === 2 ? d.rows[at][0] : -1;
        let s = 0, owned = false;
        for (let i = 0; i < ws.length; i++) {
          const l = level(ws[i], this.own[kind][at]);
          if (l) owned = true;
          else if (!(kind && pages[i][page]) && !(kind === 2 && tables[i][table])) return;
          // a word in the entry's own texts counts 3 (exactly) or 2, in its table or page 1
          s += l ? l + 1 : 1;
        }
        if (!owned) return;
        if (!groups.has(page)) groups.set(page, { index: this, page, score: 0, entries: [] });
        const g = groups.get(page);
        // a page's or table's own match ranks above the same match in one of its rows
        s += 2 - kind;
        g.entries.push({ kind, at, score: s });
        g.score = Math.max(g.score, s);
      };
      for (const w of ws) {
        for (const h of [w.whole, ...w.parts]) {
          for (const x of h.list) this.of.forEach((of, kind) => of[x].forEach(at => consider(kind, at)));
        }
      }
      const found = [...groups.values()];
      found.forEach(g => g.entries.sort((a, b) => b.score - a.score || a.kind - b.kind || a.at - b.at));
      return found;
    }
  }

  const best = (h, texts) => texts.reduce((b, x) => Math.max(b, h.hit[x]), 0);

  // how well texts match a query word: 2 exactly, 1 by a prefix, 0 not (its parts: each must)
  const level = (w, texts) => best(w.whole, texts) ||
    (w.parts.length ? Math.min(...w.parts.map(p => best(p, texts))) : 0);

  // one list over several years: best first, then the latest year, then the report's order
  function find(indexes, text) {
    const q = query(text);
    if (!q.length) return [];
    return indexes.flatMap(ix => ix.find(q))
      .sort((a, b) => b.score - a.score || b.index.d.year - a.index.d.year || a.page - b.page);
  }

  // what a list shows: its `limits.entries` best matches grouped by page, the groups in order
  // of their best (a page's own match shows as its group's heading)
  function shown(groups, limits) {
    const picked = new Map(), all = groups.flatMap((group, g) => group.entries.map(e => ({ group, g, e })));
    all.sort((a, b) => b.e.score - a.e.score || a.g - b.g);
    for (const { group, e } of all.slice(0, limits.entries)) {
      if (!picked.has(group)) picked.set(group, []);
      if (e.kind) picked.get(group).push(e);
    }
    return [...picked].map(([group, entries]) => ({ group, entries }));
  }

  const api = { fold, words, terms, query, Index, find, shown, BOX };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;
  window.karnamehSearch = api;

  // ---- in the page ----
  const doc = document, script = doc.currentScript, years = settings.years || [];
  const here = script ? script.src : location.href, loading = {}, indexes = {};
  const on = (target, type, handler) => target.addEventListener(type, handler);
  const has = text => words(text).length > 0;

  // a link of the file at `base`, as an address; with `anchor`, to that element of the page
  const url = (link, base, anchor) => new URL(link, base).href + (anchor ? '#' + anchor : '');

  function digits(n) {
    const latin = settings.digits === 'latin', s = String(n).replace(/\B(?=(\d{3})+$)/g, latin ? ',' : '\u066c');
    return latin ? s : s.replace(/[0-9]/g, c => DIGITS[c]);
  }

  const load = y => loading[y.year] || (loading[y.year] = new Promise((resolve, reject) => {
    const s = el('script');
    s.src = url(y.index, here);
    s.onload = () => {
      try {
        const ix = new Index(window.karnamehIndex[y.year]);
        ix.base = s.src;
        resolve(indexes[y.year] = ix);
      } catch (e) {
        reject(e);
      }
    };
    s.onerror = reject;
    doc.head.append(s);
  }));

  // the years a form searches: its page's year, or every year
  function scope(form, all) {
    const own = years.filter(y => String(y.year) === form.dataset.year);
    return all || !own.length ? years : own;
  }

  function el(tag, cls, text) {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // the text, each of its words that matches the query marked
  function marked(tag, cls, text, q) {
    const e = el(tag, cls), atoms = q.flatMap(w => [w.text, ...w.parts]);
    for (const chunk of text.split(/(\s+)/)) {
      const hit = terms(chunk).some(t => atoms.some(a => t.startsWith(a)));
      e.append(hit ? el('mark', '', chunk) : chunk);
    }
    return e;
  }

  // one table or row: a link to it with its caption, labels and values
  function entry(g, e, q) {
    const d = g.index.d, page = d.pages[g.page][0], base = g.index.base, text = x => d.texts[x];
    const a = el('a', 'search-hit'), li = el('li');
    if (e.kind === 1) {
      const t = d.tables[e.at];
      a.href = url(page, base, t[1]);
      a.append(marked('span', 'search-hit-title', text(t[2]), q), el('span', 'search-hit-table', 'جدول ' + t[1]),
        marked('span', 'search-hit-values', t[4].map(text).join(' · '), q));
    } else {
      const r = d.rows[e.at], table = d.tables[r[0]], values = el('span', 'search-hit-values');
      a.href = url(page, base, r[1]);
      r[3].forEach((x, i) => {
        if (!text(x)) return;
        const v = el('span', 'search-value');
        v.append(el('span', 'search-column', text(table[4][i]) + ': '), marked('bdi', '', text(x), q));
        values.append(v);
      });
      a.append(marked('span', 'search-hit-title', r[2].map(text).join(' › '), q),
        el('span', 'search-hit-table', text(table[2])), values);
    }
    li.append(a);
    return li;
  }

  // a page's matches: its title (a heading on the search page), then its tables and rows
  function group(g, entries, limit, q, heading, many) {
    const d = g.index.d, page = d.pages[g.page], list = el('ul'), a = el('a');
    const box = el(heading === 'h2' ? 'section' : 'div', 'search-group'), h = el(heading, 'search-group-title');
    const where = [...(many ? years.filter(y => y.year === d.year).map(y => y.label) : []), page[2]].filter(Boolean);
    a.href = url(page[0], g.index.base);
    a.append(marked('span', '', d.texts[page[1]], q));
    h.append(a);
    if (where.length) h.append(el('span', 'search-where', ' ' + where.join('، ')));
    box.append(h);
    entries.slice(0, limit).forEach(e => list.append(entry(g, e, q)));
    if (entries.length) box.append(list);
    if (entries.length > limit) box.append(el('p', 'search-more', 'و ' + digits(entries.length - limit) + ' مورد دیگر در این صفحه'));
    return box;
  }

  // searches `text` in `ys` (loading their indexes first) and shows the groups in `list`
  function show(text, ys, list, status, limits, heading, done) {
    list.textContent = status.textContent = '';
    if (!has(text)) return;
    const ready = ys.map(y => indexes[y.year]);
    if (!ready.every(Boolean)) {
      status.textContent = 'در حال آماده‌سازی جستجو…';
      Promise.all(ys.map(load)).then(() => show(text, ys, list, status, limits, heading, done),
        () => { status.textContent = 'نمایه جستجو بارگیری نشد.'; });
      return;
    }
    const groups = find(ready, text), q = query(text), count = groups.reduce((n, g) => n + g.entries.length, 0);
    shown(groups, limits).slice(0, 100)
      .forEach(s => list.append(group(s.group, s.entries, limits.each, q, heading, ys.length > 1)));
    status.textContent = count
      ? digits(count) + ' نتیجه در ' + digits(groups.length) + ' صفحه'
      : 'نتیجه‌ای برای «' + text.trim() + '» یافت نشد.';
    if (done) done(groups);
  }

  function searchPage(ys, text, all) {
    all = all || ys.length > 1;
    return url((all ? years[years.length - 1] : ys[0]).page, here) + '?q=' + encodeURIComponent(text) + (all ? '&scope=all' : '');
  }

  // arrow keys move between the input and the links of `list`; Escape calls `close`
  function arrows(box, input, list, close) {
    on(box, 'keydown', e => {
      const links = [...list.querySelectorAll('a, button')], focused = doc.activeElement, i = links.indexOf(focused);
      if (i < 0 && focused !== input) return;
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && links.length) {
        e.preventDefault();
        const next = e.key === 'ArrowDown' ? Math.min(i + 1, links.length - 1) : i - 1;
        (next < 0 ? input : links[next]).focus();
      } else if (e.key === 'Escape' && close) {
        close();
        input.focus();
      }
    });
  }

  // the header's box: results in a panel under it as the reader types
  function setupBox(form) {
    const input = form.querySelector('[type=search]'), ys = scope(form, false);
    const panel = el('div', 'search-panel'), status = el('p', 'search-status'), list = el('div'), foot = el('p', 'search-foot');
    const open = yes => { panel.hidden = !yes; };
    const link = (text, all) => {
      const a = el('a', '', text);
      a.href = searchPage(ys, input.value, all);
      return a;
    };
    panel.id = input.id + '-panel';
    status.setAttribute('role', 'status');
    panel.append(status, list, foot);
    form.append(panel);
    input.setAttribute('aria-controls', panel.id);
    open(false);
    on(input, 'focus', () => ys.forEach(load));
    on(input, 'input', () => {
      foot.textContent = '';
      open(has(input.value));
      show(input.value, ys, list, status, BOX, 'p', groups => {
        if (groups.length) foot.append(link('همه نتایج در صفحه جستجو', false));
        if (groups.length && years.length > ys.length) foot.append(' · ', link('جستجو در همه سال‌ها', true));
      });
    });
    on(form, 'submit', e => {
      e.preventDefault();
      if (has(input.value)) location.href = searchPage(ys, input.value, false);
    });
    on(form, 'focusout', e => form.contains(e.relatedTarget) || open(false));
    on(panel, 'click', e => e.target.closest('a') && open(false));
    arrows(form, input, panel, () => open(false));
  }

  // the search page: every result, its address kept in step with the query
  function setupPage(form) {
    const input = form.querySelector('[type=search]'), every = form.querySelector('[name=scope]');
    const list = doc.getElementById('search-results'), status = doc.getElementById('search-status');
    const params = new URLSearchParams(location.search);
    doc.querySelectorAll('.search-fallback').forEach(f => { f.hidden = true; });
    if (every) {
      every.checked = params.get('scope') === 'all';
      every.parentElement.hidden = years.length < 2;
    }
    input.value = params.get('q') || '';
    const update = () => {
      const all = !!every && every.checked;
      show(input.value, scope(form, all), list, status, PAGE, 'h2');
      try {
        history.replaceState(null, '', '?q=' + encodeURIComponent(input.value) + (all ? '&scope=all' : ''));
      } catch (e) {
        // a page opened from disk may not change its address
      }
    };
    on(input, 'input', update);
    if (every) on(every, 'change', update);
    on(form, 'submit', e => {
      e.preventDefault();
      update();
    });
    arrows(doc.querySelector('main') || doc.body, input, list);
    if (input.value) update();
  }

  // a row reached by a link (a search result, the review page) takes the focus, so keyboard
  // and screen reader users land on it; `:target` in the stylesheet highlights it
  function arrive() {
    const id = decodeURIComponent(location.hash.slice(1)), target = id && doc.getElementById(id);
    if (!target || !/^(TR|TH|FIGURE)$/.test(target.tagName)) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }

  function start() {
    doc.querySelectorAll('[data-search=box]').forEach(setupBox);
    doc.querySelectorAll('[data-search=page]').forEach(setupPage);
    arrive();
    on(window, 'hashchange', arrive);
  }

  if (doc.readyState === 'loading') on(doc, 'DOMContentLoaded', start);
  else start();
})(KARNAMEH_SEARCH_SETTINGS);
