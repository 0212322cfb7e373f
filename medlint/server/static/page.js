// The review page's form: read a pasted or uploaded draft, POST it to /v1/check with
// "html": true, and show the highlighted view the server rendered (the same renderer as
// `medlint check --format html`, which escapes every character of the draft). Messages
// from the server are set as text, never parsed as HTML.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  var draft = document.getElementById("draft");
  var format = document.getElementById("format");
  var file = document.getElementById("file");
  var status = document.getElementById("status");
  var result = document.getElementById("result");
  var tokenRow = document.getElementById("token-row");
  var token = document.getElementById("token");
  var versions = document.getElementById("versions");

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "status error" : "status";
  }

  file.addEventListener("change", function () {
    var f = file.files && file.files[0];
    if (!f) { return; }
    var name = f.name.toLowerCase();
    if (/\.html?$/.test(name)) { format.value = "html"; }
    else if (/\.txt$/.test(name)) { format.value = "text"; }
    else { format.value = "markdown"; }
    var reader = new FileReader();
    reader.onload = function () { draft.value = String(reader.result); say("Loaded " + f.name + "."); };
    reader.onerror = function () { say("Could not read " + f.name + ".", true); };
    reader.readAsText(f);
  });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (window.medlintHidePopover) { window.medlintHidePopover(); }
    var headers = { "Content-Type": "application/json" };
    if (token.value) { headers.Authorization = "Bearer " + token.value; }
    say("Checking…");
    fetch("v1/check", {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ text: draft.value, format: format.value, html: true })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; },
        function () { return { status: response.status, body: null }; });
    }).then(function (answer) {
      if (answer.status === 401) {
        tokenRow.hidden = false;
        say("This server needs a token: enter it and check again.", true);
        return;
      }
      if (answer.status !== 200 || !answer.body) {
        var message = answer.body && answer.body.error ? answer.body.error.message : "HTTP " + answer.status;
        say("Not checked: " + message, true);
        return;
      }
      var b = answer.body;
      // server-rendered and escaped by medlint.report.html (see the module's docstring)
      result.innerHTML = b.html;
      var n = b.summary.total;
      say(n + " finding" + (n === 1 ? "" : "s") + ".");
      var v = b.versions;
      versions.textContent = "medlint " + v.medlint + " · rules " + v.rules.hash +
        (v.facts ? " · facts " + v.facts.hash + " (newest fact " + v.facts.latest + ")" : "");
    }).catch(function (err) {
      say("Not checked: " + err, true);
    });
  });
})();
