// Keeps every [data-poll] job progress block current until its run finishes.
(function () {
  "use strict";
  function summary(p) {
    var parts = [p.status.charAt(0).toUpperCase() + p.status.slice(1)];
    if (p.stage) parts.push(p.stage);
    if (p.total !== null) {
      parts.push(p.processed.toLocaleString("en") + " of " + p.total.toLocaleString("en") +
        (p.percent !== null ? " (" + p.percent + "%)" : ""));
    }
    if (p.rejected) parts.push(p.rejected.toLocaleString("en") + " rejected");
    return parts.join(" · ");
  }
  function poll(block) {
    fetch(block.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (p) {
        var bar = block.querySelector("progress");
        if (p.percent !== null) bar.value = p.percent; else bar.removeAttribute("value");
        bar.textContent = (p.percent || 0) + "%";
        block.querySelector("[data-field=summary]").textContent = summary(p);
        var message = document.querySelector("[data-field=message]");
        if (message) message.textContent = p.message || "";
        if (p.finished) {
          // The page's other parts (outcome, report link) come from the server: reload once.
          if (document.querySelector("[data-field=message]")) window.location.reload();
          return;
        }
        setTimeout(function () { poll(block); }, 2000);
      })
      .catch(function () { setTimeout(function () { poll(block); }, 10000); });
  }
  document.querySelectorAll(".job-progress[data-poll]").forEach(function (block) {
    setTimeout(function () { poll(block); }, 1000);
  });
})();
