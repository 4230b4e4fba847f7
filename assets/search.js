/* The search page: Pagefind's Component UI over the bundle in pagefind/ (written at build time by
   factsheet/search.py). The index is cut into shards: pagefind/ is the first, and
   pagefind/shards.json lists them all; the others are merged into it (Pagefind's mergeIndex),
   so one search and one set of filters cover them all. Every address is worked out from this
   script's own, assets/search.js, so the site searches the same at the root of a host or under
   any sub-path. Opened from disk (file://) a browser blocks the index requests, so the page says
   so and loads nothing. The query comes from ?q=, which the search box in every page's header
   sends. */
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  var script = document.currentScript;
  if (!app || !script) return;
  if (location.protocol === "file:") {
    document.getElementById("search-from-disk").hidden = false;
    return;
  }
  var root = new URL("../", script.src);
  var bundle = new URL("pagefind/", root);

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("pagefind-component-ui.css", bundle).href;
  // Before the site's own stylesheet, so that style.css adjusts Pagefind's look, not the reverse.
  document.head.insertBefore(style, document.querySelector('link[rel="stylesheet"]'));

  // The list of shards and the UI's script are fetched side by side; either missing: no index.
  var missing = function () {
    document.getElementById("search-missing").hidden = false;
  };
  var shards = fetch(new URL("shards.json", bundle), { cache: "no-cache" }).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  });
  var ui = document.createElement("script");
  ui.src = new URL("pagefind-component-ui.js", bundle).href;
  var loaded = new Promise(function (resolve, reject) {
    ui.onload = resolve;
    ui.onerror = reject;
  });
  Promise.all([shards, loaded]).then(function (both) {
    var components = window.PagefindComponents;
    if (!components) return missing();
    var merged = both[0].shards.filter(function (shard) { return shard.bundle; });
    components.configureInstance("default", {
      bundlePath: bundle.pathname,
      baseUrl: root.pathname,
      mergeIndex: merged.map(function (shard) {
        return { bundlePath: new URL(shard.bundle, bundle).pathname, baseUrl: root.pathname };
      })
    });
    app.appendChild(document.getElementById("search-ui").content.cloneNode(true));
    app.hidden = false;
    var query = new URLSearchParams(location.search).get("q") || "";
    var input = app.querySelector("pagefind-input input");
    if (input) {
      input.value = query;
      input.focus();
    }
    if (query.trim()) {
      components.getInstanceManager().getInstance("default").triggerSearch(query);
    }
  }, missing);
  document.head.appendChild(ui);
})();
