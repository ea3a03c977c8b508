/* The profile page's one script; everything works without it.

   Footnote markers: on a narrow screen a tap on a marker shows its reference entry (the quote,
   its source and locator) right under the marker, without leaving the line; on a wide screen,
   and without this script, the marker leads to the entry in the References, which links back.

   The "≈" mark of a claim that sources give less (or more) precisely: a toggle that unfolds the
   note in place. Without this script it is a link to the note, which CSS shows as the target. */
(function () {
  "use strict";

  var PANEL_ID = "footnote-panel";
  var narrow = window.matchMedia("(max-width: 50rem)");

  function close() {
    var panel = document.getElementById(PANEL_ID);
    if (!panel) {
      return null;
    }
    var opener = document.querySelector("sup.footnote a[aria-expanded=true]");
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.removeAttribute("aria-controls");
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
    var source = reference && reference.querySelector("a.source-link");
    if (source) {
      var publisher = reference.querySelector(".publisher");
      var kind = reference.querySelector(".source-kind");
      var title = document.createElement("a");
      title.className = "panel-source";
      title.href = source.href;
      title.rel = "noopener noreferrer";
      title.textContent = source.textContent + (publisher ? ", " + publisher.textContent : "") +
        (kind ? " (" + kind.textContent + ")" : "");
      panel.appendChild(title);
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
    return panel;
  }

  function openFootnote(link, entry) {
    var opener = close();
    if (opener === link) {
      return;  // a second tap closes it
    }
    link.closest("sup").after(panelFor(link, entry));
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", PANEL_ID);
  }

  function togglePrecision(mark) {
    var open = mark.parentNode.classList.toggle("open");
    mark.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.querySelectorAll("a.precision-mark").forEach(function (mark) {
    mark.setAttribute("role", "button");
    mark.setAttribute("aria-expanded", "false");
    mark.setAttribute("aria-controls", mark.getAttribute("href").slice(1));
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var mark = event.target.closest("a.precision-mark");
    if (mark) {
      event.preventDefault();
      togglePrecision(mark);
      return;
    }
    var link = event.target.closest("sup.footnote a");
    if (!link || !narrow.matches) {
      return;
    }
    var entry = document.getElementById(link.getAttribute("href").slice(1));
    if (entry) {
      event.preventDefault();
      openFootnote(link, entry);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === " " && event.target.matches && event.target.matches("a.precision-mark")) {
      event.preventDefault();  // a button answers the space bar too
      togglePrecision(event.target);
    } else if (event.key === "Escape") {
      var opener = close();
      if (opener) {
        opener.focus();
      }
    }
  });
})();
