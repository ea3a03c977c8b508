/* Citation rows of the admin (issue 13): a new row starts with the source of the citation above
 * it, since most of a profile cites a few sources. The row says so beside the source, so the
 * editor who quotes another source sees it and changes it; nothing is copied into a row that
 * already has a source. Works for rows added after the page loaded, at any nesting depth.
 */
(function () {
  "use strict";

  function isTemplate(select) {
    return select.name.indexOf("__prefix__") !== -1 || /(^|-)empty-/.test(select.name);
  }

  function sourceAbove(row) {
    var form = row.closest("form");
    var chosen = null;
    if (!form) return null;
    form.querySelectorAll("select[id$='-source']").forEach(function (select) {
      if (isTemplate(select) || !select.value || select.selectedIndex < 0) return;
      // Only rows that come before the new one, in reading order.
      if (row.compareDocumentPosition(select) & Node.DOCUMENT_POSITION_PRECEDING) chosen = select;
    });
    return chosen;
  }

  function copySource(row) {
    var select = document.getElementById("id_" + row.id + "-source");
    if (!select || select.value || isTemplate(select)) return;
    var above = sourceAbove(row);
    if (!above) return;
    var option = above.options[above.selectedIndex];
    select.append(new Option(option.text, option.value, true, true));
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).trigger("change"); // select2 shows it; suggest.js hears it
    } else {
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var note = document.createElement("span");
    note.className = "citation-source-copied";
    note.textContent = "Same source as the citation above: change it if this quote is from another.";
    var box = select.closest(".flex-container") || select.parentNode;
    box.insertAdjacentElement("afterend", note);
  }

  document.addEventListener("formset:added", function (event) {
    var name = (event.detail && event.detail.formsetName) || "";
    if (!/(^|-)citations$/.test(name)) return;
    var row = event.target;
    // After the admin has made the row's autocomplete a select2.
    window.setTimeout(function () {
      copySource(row);
    }, 0);
  });
})();
