/* Footnotes on the profile page: a tap or click on a marker shows its reference entry (the
   quote, its source and locator) right under the marker, without leaving the line. Without
   this script the marker still leads to the entry in the References, which links back. */
(function () {
  "use strict";

  var PANEL_ID = "footnote-panel";

  function close() {
    var panel = document.getElementById(PANEL_ID);
    if (!panel) {
      return null;
    }
    var opener = document.querySelector("sup.footnote a[aria-expanded=true]");
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
    }
    panel.remove();
    return opener;
  }

  function panelFor(link, entry) {
    var panel = document.createElement("span");
    panel.id = PANEL_ID;
    panel.className = "footnote-panel";
    panel.setAttribute("role", "note");
    var reference = entry.closest("ol.references > li");
    var cite = reference && reference.querySelector("cite");
    if (cite) {
      var source = document.createElement("span");
      source.className = "panel-source";
      source.textContent = cite.textContent + (reference.querySelector(".source-kind") ?
        " (" + reference.querySelector(".source-kind").textContent + ")" : "");
      panel.appendChild(source);
    }
    var copy = entry.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    var body = document.createElement("span");
    body.className = "panel-entry";
    while (copy.firstChild) {
      body.appendChild(copy.firstChild);
    }
    panel.appendChild(body);
    var more = document.createElement("a");
    more.href = "#" + entry.id;
    more.className = "panel-more";
    more.textContent = "In the references";
    panel.appendChild(more);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "panel-close";
    button.setAttribute("aria-label", "Close");
    button.textContent = "×";
    button.addEventListener("click", function () {
      var opener = close();
      if (opener) {
        opener.focus();
      }
    });
    panel.appendChild(button);
    link.setAttribute("aria-controls", PANEL_ID);
    return panel;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("sup.footnote a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var entry = document.getElementById(link.getAttribute("href").slice(1));
    if (!entry) {
      return;
    }
    event.preventDefault();
    var opener = close();
    if (opener === link) {
      return;  // a second tap closes it
    }
    var panel = panelFor(link, entry);
    link.closest("sup").after(panel);
    link.setAttribute("aria-expanded", "true");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var opener = close();
      if (opener) {
        opener.focus();
      }
    }
  });
})();
