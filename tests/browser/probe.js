// Layout probe, run in a page by tests/browser.rs at each width once fonts are ready. Returns
// { width, texts, charts, problems }: what is wider than the viewport outside a scroll
// container (.table-scroll), and for every chart the texts that leave its box, overlap one
// another or render smaller than 12 px.
(async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const owner = el.closest('[id]');
    return el.tagName.toLowerCase() + id + cls + (owner && owner !== el ? ' in #' + owner.id : '');
  };
  let wide = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement && el.parentElement.closest('.table-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 0.5 || r.left < -0.5) {
      if (wide++ < 10) problems.push(`wider than the ${width}px viewport: ${name(el)} (${Math.round(r.left)}..${Math.round(r.right)})`);
    }
  }
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways at ${width}px (${document.documentElement.scrollWidth}px)`);
  }
  let texts = 0;
  const charts = document.querySelectorAll('svg.chart-svg');
  for (const svg of charts) {
    const box = svg.getBoundingClientRect();
    const boxes = [];
    for (const t of svg.querySelectorAll('text')) {
      // the other layout's texts (in a `display: none` group) have no box
      const b = t.getBoundingClientRect();
      if (!t.checkVisibility() || (b.width === 0 && b.height === 0)) continue;
      texts++;
      const label = `${svg.id || svg.closest('[id]').id} at ${width}px: «${t.textContent}»`;
      if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1) {
        problems.push(`text outside its chart ${label} (${[b.left, b.right, b.top, b.bottom].map(Math.round)} in ${[box.left, box.right, box.top, box.bottom].map(Math.round)})`);
      }
      const ctm = t.getScreenCTM();
      const size = parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
      if (size < 12 - 0.01) problems.push(`text of ${size.toFixed(1)}px ${label}`);
      // the glyphs' body: the middle 60% of the line box
      boxes.push({ x0: b.left, x1: b.right, y0: b.top + b.height * 0.2, y1: b.bottom - b.height * 0.2, s: t.textContent });
    }
    boxes.sort((a, c) => a.y0 - c.y0);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length && boxes[j].y0 < boxes[i].y1; j++) {
        const a = boxes[i], c = boxes[j];
        const w = Math.min(a.x1, c.x1) - Math.max(a.x0, c.x0), h = Math.min(a.y1, c.y1) - Math.max(a.y0, c.y0);
        if (w > 1 && h > 1) problems.push(`texts overlap in ${svg.closest('[id]').id} at ${width}px: «${a.s}» / «${c.s}»`);
      }
    }
  }
  return { width, texts, charts: charts.length, problems };
})()
