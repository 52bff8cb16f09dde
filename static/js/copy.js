/* Copy buttons: <button data-copy-target="ID" data-copy-status="ID" hidden>, or
 * <button data-copy-url="URL" data-copy-status="ID" hidden>.
 *
 * A button copies the text of the element named by data-copy-target, or the text of the
 * file at data-copy-url (a paper's .bib or .ris, fetched when clicked: list rows carry
 * no citation text of their own), and says so in the live region named by
 * data-copy-status. Buttons stay hidden without JavaScript (the text is there to select
 * by hand, or the file to download). No inline handlers, so a strict
 * Content-Security-Policy (script-src 'self') allows it.
 */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function fetchText(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    });
  }

  function copyFromUrl(url) {
    var text = fetchText(url);
    // Safari keeps the click's permission to write only for a write started at once:
    // a ClipboardItem may take the text as a promise.
    if (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem && window.isSecureContext) {
      var item = new ClipboardItem({
        "text/plain": text.then(function (value) {
          return new Blob([value], { type: "text/plain" });
        })
      });
      return navigator.clipboard.write([item]).catch(function () {
        return text.then(copyText);
      });
    }
    return text.then(copyText);
  }

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function announce(status, message) {
    if (!status) {
      return;
    }
    // Clear first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function setUp(button) {
    var url = button.getAttribute("data-copy-url");
    var target = url ? null : document.getElementById(button.getAttribute("data-copy-target"));
    if ((!url && !target) || (url && !window.fetch) || button.getAttribute("data-copy-ready")) {
      return;
    }
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    button.setAttribute("data-copy-ready", "true");
    button.hidden = false;
    button.addEventListener("click", function () {
      (url ? copyFromUrl(url) : copyText(target.textContent.trim())).then(
        function () {
          button.setAttribute("data-copied", "true");
          announce(status, button.getAttribute("data-copied-message") || "Copied.");
        },
        function () {
          if (!target) {
            announce(status, "Copying is blocked here: use the download link instead.");
            return;
          }
          selectContents(target);
          announce(status, "Copying is blocked here: the text is selected, press Ctrl+C (⌘C) to copy it.");
        }
      );
    });
  }

  function init() {
    document.querySelectorAll("button[data-copy-target], button[data-copy-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
