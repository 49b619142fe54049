// Reload the page when the preview server (python build.py serve) finishes a build that changed it.
// Only the preview server adds this script to pages; built sites never contain it.
(function () {
  "use strict";
  var script = document.currentScript;
  // The build this page came from: the server answers at once if a newer one finished meanwhile.
  var build = script ? script.getAttribute("data-build") || "" : "";
  // The built file this page shows: a build that changed only other files leaves it alone.
  var file = script ? script.getAttribute("data-file") || "" : "";

  function listen() {
    var events = new EventSource("/__reload?since=" + encodeURIComponent(build));
    events.addEventListener("reload", function (event) {
      var news = JSON.parse(event.data);
      events.close();
      if (news.files === null || news.files.indexOf(file) !== -1) {
        window.location.reload();
      } else {
        build = String(news.build); // this page is up to date with that build
        listen();
      }
    });
  }
  listen();
})();
