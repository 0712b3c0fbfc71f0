// Download PDF reports without a frozen page: say what is happening while the server builds the
// file, then save it. Without this script the links are plain downloads.
(function () {
  "use strict";
  function filenameFrom(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : fallback;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.getElementById("download-status");
    if (!status || !window.fetch || !window.URL || !URL.createObjectURL) return;
    var busy = false;
    document.querySelectorAll("a[data-report-download]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (busy) return;
        busy = true;
        var started = Date.now();
        link.setAttribute("aria-busy", "true");
        link.setAttribute("aria-disabled", "true");
        status.textContent = status.dataset.preparing;
        var timer = window.setInterval(function () {
          var seconds = Math.round((Date.now() - started) / 1000);
          status.textContent = status.dataset.elapsed.replace("{seconds}", seconds);
        }, 3000);
        function done(message) {
          window.clearInterval(timer);
          link.removeAttribute("aria-busy");
          link.removeAttribute("aria-disabled");
          status.textContent = message;
          busy = false;
        }
        fetch(link.href, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            var name = filenameFrom(response, "report.pdf");
            return response.blob().then(function (blob) {
              var url = URL.createObjectURL(blob);
              var save = document.createElement("a");
              save.href = url;
              save.download = name;
              document.body.appendChild(save);
              save.click();
              save.remove();
              window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
              done(status.dataset.ready);
            });
          })
          .catch(function () { done(status.dataset.failed); });
      });
    });
  });
})();
