/* Admin enhancements, loaded by templates/admin/base_site.html. Every page works
 * without this file:
 * - a comma-separated input (input[data-tags], core/widgets.py) becomes chips with a
 *   small text box; the original input stays the value sent, kept in step with them;
 * - a table of key/value rows (table[data-pairs]) gets an "Add a row" button;
 * - the cells of tabular inlines are labelled with their column's heading, so that on a
 *   phone each row shows as a block of labelled fields (static/css/admin.css) instead
 *   of a table scrolled sideways. */
(function () {
  "use strict";

  function split(text) {
    // The same reading as core.widgets.split_tags: commas separate, "quoted, items" stay.
    var items = [], current = "", quoted = false, i, ch;
    for (i = 0; i < text.length; i++) {
      ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { current += '"'; i++; }
        else if (ch === '"') { quoted = false; }
        else { current += ch; }
      } else if (ch === '"' && current.trim() === "") {
        quoted = true; current = "";
      } else if (ch === ",") {
        items.push(current); current = "";
      } else {
        current += ch;
      }
    }
    items.push(current);
    var seen = [];
    items.forEach(function (item) {
      item = item.trim();
      if (item && seen.indexOf(item) === -1) seen.push(item);
    });
    return seen;
  }

  function join(items) {
    return items.map(function (item) {
      return item.indexOf(",") !== -1 || item.charAt(0) === '"'
        ? '"' + item.replace(/"/g, '""') + '"' : item;
    }).join(", ");
  }

  function enhanceTags(input) {
    var box = document.createElement("div");
    box.className = "tag-box";
    var list = document.createElement("ul");
    list.className = "tag-list";
    var typing = document.createElement("input");
    typing.type = "text";
    typing.className = "tag-typing";
    typing.setAttribute("aria-label", "Add to " + (input.getAttribute("aria-label") ||
      (document.querySelector('label[for="' + input.id + '"]') || {}).textContent || "the list"));
    typing.placeholder = "Type, then Enter or comma";
    box.appendChild(list);
    box.appendChild(typing);
    input.parentNode.insertBefore(box, input.nextSibling);
    input.type = "hidden";

    function render() {
      list.textContent = "";
      split(input.value).forEach(function (item, index, all) {
        var chip = document.createElement("li");
        chip.className = "tag";
        chip.appendChild(document.createTextNode(item));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "tag-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + item);
        remove.addEventListener("click", function () {
          input.value = join(all.filter(function (_, other) { return other !== index; }));
          render();
          typing.focus();
        });
        chip.appendChild(remove);
        list.appendChild(chip);
      });
    }

    function take() {
      var added = split(typing.value);
      if (!added.length) return false;
      input.value = join(split(input.value).concat(added));
      typing.value = "";
      render();
      return true;
    }

    typing.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        // Enter adds the item rather than submitting the form (unless nothing is typed).
        if (take() || event.key === ",") event.preventDefault();
      } else if (event.key === "Backspace" && typing.value === "") {
        var items = split(input.value);
        items.pop();
        input.value = join(items);
        render();
      }
    });
    typing.addEventListener("blur", take);
    typing.addEventListener("paste", function () { window.setTimeout(take, 0); });
    render();
  }

  function enhancePairs(table) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button pairs-add";
    button.textContent = "Add a row";
    button.addEventListener("click", function () {
      var rows = table.tBodies[0].rows;
      var row = rows[rows.length - 1].cloneNode(true);
      Array.prototype.forEach.call(row.querySelectorAll("input"), function (cell) {
        cell.value = "";
        var label = cell.getAttribute("aria-label") || "";
        cell.setAttribute("aria-label", label.replace(/row \d+$/, "row " + (rows.length + 1)));
      });
      table.tBodies[0].appendChild(row);
      row.querySelector("input").focus();
    });
    table.parentNode.insertBefore(button, table.nextSibling);
  }

  function labelInline(group) {
    var table = group.querySelector("table");
    if (!table || !table.tHead) return;
    var headings = Array.prototype.map.call(table.tHead.rows[0].cells, function (cell) {
      return cell.textContent.trim();
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (!row.classList.contains("form-row")) return;
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        if (headings[index] && !cell.classList.contains("original")) {
          cell.setAttribute("data-label", headings[index]);
        }
      });
    });
    group.classList.add("labelled");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-tags]"), enhanceTags);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pairs]"), enhancePairs);
    Array.prototype.forEach.call(
      document.querySelectorAll('.inline-group[data-inline-type="tabular"]'), labelInline);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
