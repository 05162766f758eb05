// muragat job pages: poll the job and draw its progress, reloading the page once it is done;
// upload forms: send the files with a progress bar, then open the job's page. No inline
// script anywhere (the CSP forbids it); without JavaScript the forms post as usual.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (job && (job.dataset.state === "queued" || job.dataset.state === "running")) {
    var bar = document.getElementById("job-bar");
    var said = document.getElementById("job-said");
    var poll = function () {
      fetch(job.dataset.url, {headers: {accept: "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (j) {
          bar.max = Math.max(j.progress.total, 1);
          bar.value = j.progress.done;
          said.textContent = j.progress.done + " / " + j.progress.total;
          job.dataset.polled = j.state;  // what the last poll saw (the browser tests read it)
          if (j.state === "done" || j.state === "failed") { window.location.reload(); }
          else { setTimeout(poll, 400); }
        })
        .catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 200);
  }
  var form = document.querySelector("form[data-upload]");
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var sent = document.getElementById("send-bar");
      var xhr = new XMLHttpRequest();
      sent.hidden = false;
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { sent.max = e.total; sent.value = e.loaded; }
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 202 && body && body.page) { window.location.assign(body.page); }
        else { form.submit(); }  // the server's own page says what went wrong
      };
      xhr.open("POST", form.action);
      xhr.setRequestHeader("accept", "application/json");
      xhr.send(new FormData(form));
    });
  }
})();
