function (files) {
  "use strict";
  // Once the page has loaded: fetch everything the page's hydration needs at once (the main
  // module, the split modules' loader, the modules of the page's group), then hydrate.
  function start() {
    var head = document.head;
    files.modules.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = href;
      head.appendChild(link);
    });
    files.fetches.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "preload";
      link.as = "fetch";
      link.type = "application/wasm";
      link.crossOrigin = "anonymous";
      link.href = href;
      head.appendChild(link);
    });
    // The page's messages (its language only) at the same time. Without them the page is not
    // hydrated and stays as the server sent it, whose links and forms work.
    var messages = fetch(files.messages).then(function (res) {
      if (!res.ok) throw new Error("messages: " + res.status);
      return res.text();
    });
    // The data files (rule sets, calendar, divisions, categories), parsed by the server.
    var data = fetch(files.data).then(function (res) {
      if (!res.ok) throw new Error("data: " + res.status);
      return res.arrayBuffer();
    });
    // Hydration in a task of its own, after the module's instantiation: two shorter tasks
    // rather than one long one, so that a tap in between is answered.
    import(files.js).then(function (mod) {
      return Promise.all([messages, data, mod.default({ module_or_path: files.wasm })]).then(function (got) {
        setTimeout(function () { mod.hydrate(got[0], new Uint8Array(got[1])); }, 0);
      });
    });
  }
  // At the page's `load` event, or at the latest 5 s from now if something the page names (an
  // image, a font) never finishes loading: once.
  var started = false;
  function once() {
    if (!started) {
      started = true;
      setTimeout(start, 0);
    }
  }
  if (document.readyState === "complete") {
    once();
  } else {
    window.addEventListener("load", once);
    setTimeout(once, 5000);
  }
}
