/* The claims filter form: drop empty fields from the address on submit (so a shared link shows
   only the filters in use) and apply a choice from a menu at once. */
(function () {
  "use strict";
  var form = document.getElementById("claim-filters");
  if (!form) return;
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (el) {
      if (el.name && el.value === "") el.disabled = true;
    });
  });
  form.querySelectorAll("select").forEach(function (el) {
    el.addEventListener("change", function () { form.requestSubmit(); });
  });
  window.addEventListener("pageshow", function () {
    form.querySelectorAll("[disabled]").forEach(function (el) { el.disabled = false; });
  });
})();
