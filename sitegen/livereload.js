// Reload the page when the preview server (python build.py serve) finishes a build.
// Only the preview server adds this script to pages; built sites never contain it.
(function () {
  "use strict";
  var script = document.currentScript;
  // The build this page came from: the server answers at once if a newer one finished meanwhile.
  var build = script ? script.getAttribute("data-build") || "" : "";
  var events = new EventSource("/__reload?since=" + encodeURIComponent(build));
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
