// Admin pages: show only the inputs a forecast kind needs, and "Suggest from the quote".
// No inline scripts (the Content-Security-Policy forbids them): everything is wired up here.
(function () {
  "use strict";

  function toggleKinds(group) {
    var select = group.querySelector("[data-role=kind]");
    if (!select) { return; }
    group.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kinds").split(" ").indexOf(select.value) < 0;
    });
  }

  document.querySelectorAll("[data-forecast]").forEach(function (group) {
    toggleKinds(group);
    var select = group.querySelector("[data-role=kind]");
    if (select) { select.addEventListener("change", function () { toggleKinds(group); }); }
  });

  var button = document.getElementById("suggest");
  if (!button) { return; }
  var form = button.form;
  var box = document.getElementById("suggestion");
  var quoteOut = document.getElementById("suggestion-quote");
  var textOut = document.getElementById("suggestion-text");

  function input(name) { return form.elements.namedItem(name); }

  function set(name, value) {
    var el = input(name);
    if (el) { el.value = value === null || value === undefined ? "" : String(value); }
  }

  // Show the quote with the words the rules read marked; built from text nodes, never as HTML.
  function highlight(quote, spans) {
    quoteOut.textContent = "";
    var at = 0;
    spans.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (s) {
      if (s.start < at) { return; }
      quoteOut.appendChild(document.createTextNode(quote.slice(at, s.start)));
      var mark = document.createElement("mark");
      mark.textContent = quote.slice(s.start, s.end);
      mark.title = s.role;
      quoteOut.appendChild(mark);
      at = s.end;
    });
    quoteOut.appendChild(document.createTextNode(quote.slice(at)));
  }

  function show(message) {
    box.hidden = false;
    textOut.textContent = message;
  }

  button.addEventListener("click", function () {
    var quote = input("quote").value;
    var saidOn = input("said_on").value;
    if (!quote.trim() || !saidOn) {
      quoteOut.textContent = "";
      show("Enter the quote and the date it was said first.");
      return;
    }
    button.disabled = true;
    fetch(button.getAttribute("data-parse-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ quote: quote, said_on: saidOn }),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      var body = result.body;
      if (!result.ok) {
        quoteOut.textContent = "";
        show(body.error ? body.error.message : "The suggestion failed.");
        return;
      }
      highlight(quote, body.spans || []);
      if (!body.forecast) {
        show(body.explanation || "No forecast found in this quote.");
        return;
      }
      var f = body.forecast;
      set("kind", f.kind);
      set("year_low", f.year_low);
      set("year_high", f.kind === "point" ? null : f.year_high);
      set("probability", f.probability);
      set("confidence", f.confidence);
      set("points", (f.points || []).map(function (p) { return p.year + ", " + p.probability; }).join("\n"));
      set("relative_phrase", body.relative_phrase);
      var milestone = input("milestone");
      if (body.milestone && milestone && milestone.querySelector("option[value='" + body.milestone + "']")) {
        milestone.value = body.milestone;
      }
      var group = form.querySelector("[data-forecast]");
      if (group) { toggleKinds(group); }
      show(body.explanation || "");
    }).catch(function () {
      quoteOut.textContent = "";
      show("The suggestion service did not answer.");
    }).then(function () { button.disabled = false; });
  });
})();
