// docgate's static site: the search box (an index per version and language,
// loaded as a script so it works from file://) and, under `docgate serve`,
// live reload. No external requests.
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var indexFile = document.documentElement.getAttribute("data-search");
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  var records = null;
  var loading = false;
  var pending = false;

  function load() {
    if (records || loading || !indexFile) return;
    loading = true;
    var s = document.createElement("script");
    s.src = root + indexFile;
    s.onload = function () {
      records = window.DOCGATE_SEARCH || [];
      if (pending) run();
    };
    s.onerror = function () {
      records = [];
      show([], "The search index is missing: rebuild the site.");
    };
    document.head.appendChild(s);
  }

  function score(r, terms, phrase) {
    var t = r.t.toLowerCase(), i = r.i.toLowerCase(), x = r.x.toLowerCase();
    var total = 0;
    for (var k = 0; k < terms.length; k++) {
      var w = terms[k], s = 0;
      if (t.indexOf(w) >= 0) s += 10;
      if (i.indexOf(w) >= 0) s += 3;
      if (x.indexOf(w) >= 0) s += 1;
      if (s === 0) return 0;
      total += s;
    }
    if (terms.length > 1) {
      if (t.indexOf(phrase) >= 0) total += 20;
      if (i.indexOf(phrase) >= 0 || x.indexOf(phrase) >= 0) total += 5;
    }
    return total;
  }

  function show(hits, message) {
    list.innerHTML = "";
    if (message) {
      var li = document.createElement("li");
      li.className = "none";
      li.textContent = message;
      list.appendChild(li);
    }
    hits.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.u;
      a.textContent = r.t;
      li.appendChild(a);
      if (r.i) {
        var p = document.createElement("p");
        p.textContent = r.i;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function run() {
    var q = box.value.trim().toLowerCase();
    if (!q) { list.hidden = true; return; }
    if (!records) { pending = true; load(); return; }
    var terms = q.split(/\s+/);
    var hits = records
      .map(function (r) { return { r: r, s: score(r, terms, q) }; })
      .filter(function (h) { return h.s > 0; })
      .sort(function (a, b) { return b.s - a.s; })
      .slice(0, 10)
      .map(function (h) { return h.r; });
    show(hits, hits.length ? "" : "No page matches “" + box.value.trim() + "”.");
  }

  if (box && list) {
    box.addEventListener("focus", load);
    box.addEventListener("input", run);
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        var first = list.querySelector("a");
        if (first) window.location.href = first.href;
      } else if (e.key === "Escape") {
        list.hidden = true;
      }
    });
  }

  // On a phone the sidebar starts folded, so the page comes first.
  var nav = document.querySelector(".sidebar details");
  if (nav && window.matchMedia && window.matchMedia("(max-width: 760px)").matches) nav.open = false;

  var live = document.documentElement.getAttribute("data-live-reload");
  if (live && window.EventSource) {
    var events = new EventSource(live);
    events.addEventListener("reload", function () { window.location.reload(); });
  }
})();
