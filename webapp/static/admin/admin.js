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

  function choose(name, value) {
    var select = input(name);
    if (!value || !select || !select.querySelector) { return false; }
    var option = Array.prototype.find.call(select.options || [], function (o) { return o.value === value; });
    if (option) { select.value = value; return true; }
    return false;
  }

  function fillIfEmpty(name, value) {
    var el = input(name);
    if (el && !el.value && value) { el.value = String(value); }
  }

  // The page behind the link: pick the known source, else fill the "add a source" inputs.
  function fillSource(body) {
    if (choose("source", body.source)) { return; }
    var page = body.page;
    if (!page) { return; }
    fillIfEmpty("new_source_title", page.title);
    fillIfEmpty("new_source_url", page.url);
    fillIfEmpty("new_source_published_on", page.published_on);
    if (page.kind) { choose("new_source_kind", page.kind); }
    var details = input("new_source_title") && input("new_source_title").closest("details");
    if (details) { details.open = true; }
  }

  function fillForecast(body) {
    var f = body.forecast;
    set("kind", f.kind);
    set("year_low", f.year_low);
    set("year_high", f.kind === "point" ? null : f.year_high);
    set("probability", f.probability);
    set("confidence", f.confidence);
    set("points", (f.points || []).map(function (p) { return p.year + ", " + p.probability; }).join("\n"));
    set("relative_phrase", body.relative_phrase);
    choose("milestone", body.milestone);
    var group = form.querySelector("[data-forecast]");
    if (group) { toggleKinds(group); }
  }

  function csrfToken() {
    var token = input("csrf_token");
    return token ? token.value : "";
  }

  button.addEventListener("click", function () {
    var quote = input("quote").value;
    var link = input("link") ? input("link").value : "";
    var saidOn = input("said_on").value;
    if (!quote.trim()) {
      quoteOut.textContent = "";
      show("Paste the quote first.");
      return;
    }
    button.disabled = true;
    fetch(button.getAttribute("data-parse-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ quote: quote, said_on: saidOn || null, link: link || null }),
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
      fillIfEmpty("said_on", body.said_on);
      choose("speaker", body.speaker);
      fillSource(body);
      var notes = [body.explanation || "No forecast found in this quote."];
      if (body.link_error) { notes.push("Link: " + body.link_error + "."); }
      if (body.forecast) { fillForecast(body); }
      show(notes.join(" "));
    }).catch(function () {
      quoteOut.textContent = "";
      show("The suggestion service did not answer.");
    }).then(function () { button.disabled = false; });
  });
})();
