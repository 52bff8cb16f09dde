/* Small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Filter forms: leave empty fields out of the URL, so a shared link shows only
  // the filters in force (?kind=preprint, not ?q=&year_min=&kind=preprint&...).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-omit-empty")) return;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value === "" && field.type !== "submit") {
        field.disabled = true;
        // Re-enable after the navigation starts, so going back shows the form intact.
        window.setTimeout(function () { field.disabled = false; }, 0);
      }
    });
  });

  // Printing unfolds what the screen folds (authors past the first three, co-authors
  // past the first twelve), and folds them back afterwards. The print stylesheet does
  // the same where ::details-content is supported, and without JavaScript.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.more-authors:not([open]), details.more-coauthors:not([open])")
      .forEach(function (details) { details.open = true; unfolded.push(details); });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (details) { details.open = false; });
    unfolded = [];
  });

  // "Load more": fetch the next page of a list as an HTML fragment (a template
  // partial) and append it in place. Without JavaScript the same link loads the
  // page with more entries shown.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-load-more]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var list = document.querySelector(link.getAttribute("data-load-more"));
    var more = link.closest(".load-more");
    if (!list || !more || !window.fetch) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    link.setAttribute("aria-busy", "true");
    var status = more.querySelector(".status");
    if (status) status.textContent = "Loading…";

    fetch(link.getAttribute("data-fragment-url"), {
      headers: { "Accept": "text/html" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      var template = document.createElement("template");
      template.innerHTML = html;
      var items = template.content.querySelectorAll("ol > li");
      var first = null;
      Array.prototype.forEach.call(items, function (item) {
        item.classList.add("is-new");
        list.appendChild(item);
        if (!first) first = item;
      });
      var nextMore = template.content.querySelector(".load-more");
      if (nextMore) more.replaceWith(nextMore);
      if (first) {
        if (!first.hasAttribute("tabindex")) first.setAttribute("tabindex", "-1");
        first.focus({ preventScroll: false });
      }
      // Keep the address shareable: it now shows what the page shows.
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", link.getAttribute("href"));
      }
    }).catch(function () {
      // Fall back to the plain link: the server renders the longer page.
      window.location.href = link.href;
    });
  });
})();
