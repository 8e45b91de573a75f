// Measures the layout of a page after load; the result goes into body[data-layout].
addEventListener('load', () => {
  const tables = [...document.querySelectorAll('table.map, table.ov-map, table.matrix, table.ov-matrix')];
  let overlaps = 0;
  for (const table of tables) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.getBoundingClientRect());
    for (let i = 1; i < heads.length; i++) if (heads[i].left < heads[i - 1].right - 1) overlaps++;
  }
  const layout = {
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    tables: tables.length,
    empty: tables.filter(t => !t.getBoundingClientRect().width || !t.getBoundingClientRect().height).length,
    overlaps: overlaps,
    clipped: [...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).length,
    steps: [...document.querySelectorAll('thead th[data-step]')].length,
  };
  document.body.setAttribute('data-layout', JSON.stringify(layout));
});
