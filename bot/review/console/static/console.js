// The console's only script: refresh the overview's figures (every 30 seconds by default). The server renders
// the fragment (escaped); nothing from the log is ever built into markup here.
"use strict";
(function () {
  var box = document.getElementById("figures");
  if (!box) return;
  var url = box.getAttribute("data-refresh");
  function refresh() {
    fetch(url, { credentials: "same-origin", redirect: "error" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        box.replaceChildren.apply(box, Array.prototype.slice.call(doc.body.childNodes));
      })
      .catch(function () { clearInterval(timer); });
  }
  var every = parseInt(box.getAttribute("data-every"), 10) || 30000;
  var timer = setInterval(refresh, Math.max(every, 1000));
})();
