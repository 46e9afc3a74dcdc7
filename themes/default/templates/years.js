// Written by every build at the site root. A year's pages load it to learn whether a later
// year has been published since, and then say so above their content: the pages themselves
// never change when a year is added. Without JavaScript the year switcher still lists the
// years up to the page's, and the root page every year.
(function () {
  var latest = {{ site.latest | json_encode | safe }};
  var years = { {% for y in site.years %}"{{ y.year }}": {{ y.year | digits | json_encode | safe }}{% if not loop.last %}, {% endif %}{% endfor %} };
  var script = document.currentScript;
  var banner = document.getElementById("year-banner");
  if (!latest || !script || !banner) return;
  var year = Number(script.getAttribute("data-year"));
  if (!(year < latest.year)) return;
  var link = document.createElement("a");
  link.href = new URL(latest.url, script.src).href;
  link.textContent = latest.title;
  banner.textContent = "این صفحه از گزارش سال " + (years[year] || year) + " است. گزارش تازه‌تر: ";
  banner.appendChild(link);
  banner.hidden = false;
})();
