/* The profile page's one script; everything works without it.

   Footnote markers: with a mouse or a keyboard, hovering over a marker (after a short delay) or
   tabbing to it shows a card next to it with the quote, its source, locator, verification state
   and stance; Escape or moving away closes it. On a narrow screen a tap shows the same under the
   marker, scrolled into view. The marker's link still leads to the entry in the References.

   Folding: the References list each source in a <details>, sent open so that a reader without
   this script sees every quote; this script folds them (an "Expand all" button unfolds them) and
   on a phone folds the sections after the first. Whatever a link or the address's fragment
   points to is unfolded first, so a target is never hidden; printing unfolds everything.

   The "≈" mark of a claim that sources give less (or more) precisely: a toggle that unfolds the
   note in place. Without this script it is a link to the note, which CSS shows as the target. */
(function () {
  "use strict";

  var PANEL_ID = "footnote-panel";
  var CARD_ID = "footnote-preview";
  var HOVER_DELAY = 250;
  var LEAVE_DELAY = 200;
  var narrow = window.matchMedia("(max-width: 50rem)");
  var phone = window.matchMedia("(max-width: 40rem)");
  var pointer = window.matchMedia("(hover: hover) and (pointer: fine)");
  var untilFound = "onbeforematch" in document.documentElement;

  function entryFor(link) {
    return document.getElementById(link.getAttribute("href").slice(1));
  }

  /* The reference entry of a marker as a card or panel: its source (title, publisher, kind), the
     entry itself (quote, locator, stance, the claims citing it) and whether it was checked. */
  function noteFor(entry, id, className, role) {
    var note = document.createElement(className === "footnote-panel" ? "span" : "div");
    note.id = id;
    note.className = className;
    note.setAttribute("role", role);
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
      note.appendChild(title);
    }
    var copy = entry.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    var body = document.createElement("span");
    body.className = "panel-entry";
    while (copy.firstChild) {
      body.appendChild(copy.firstChild);
    }
    note.appendChild(body);
    var checked = reference && reference.querySelector(".checked");
    if (checked) {
      var state = document.createElement("span");
      state.className = "panel-checked";
      state.textContent = checked.textContent;
      note.appendChild(state);
    }
    var more = document.createElement("a");
    more.href = "#" + entry.id;
    more.className = "panel-more";
    more.textContent = "In the references";
    note.appendChild(more);
    return note;
  }

  // The phone's panel, under the marker --------------------------------------------------------

  function closePanel() {
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

  function openPanel(link, entry) {
    closeCard();
    var opener = closePanel();
    if (opener === link) {
      return;  // a second tap closes it
    }
    var panel = noteFor(entry, PANEL_ID, "footnote-panel", "note");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "panel-close";
    button.setAttribute("aria-label", "Close");
    button.textContent = "×";
    button.addEventListener("click", function () {
      var opener = closePanel();
      if (opener) {
        opener.focus();
      }
    });
    panel.appendChild(button);
    link.closest("sup").after(panel);
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", PANEL_ID);
    // Into view, the marker kept on the screen: the least scrolling that shows the panel's end.
    var below = panel.getBoundingClientRect().bottom - window.innerHeight + 8;
    if (below > 0) {
      window.scrollBy(0, Math.max(0, Math.min(below, link.getBoundingClientRect().top - 8)));
    }
  }

  // The card next to a marker, on hover or keyboard focus --------------------------------------

  var cardLink = null;
  var openTimer = 0;
  var closeTimer = 0;

  function closeCard() {
    window.clearTimeout(openTimer);
    window.clearTimeout(closeTimer);
    var card = document.getElementById(CARD_ID);
    if (card) {
      card.remove();
    }
    if (cardLink) {
      cardLink.removeAttribute("aria-describedby");
    }
    var link = cardLink;
    cardLink = null;
    return link;
  }

  function place(card, link) {
    var mark = link.getBoundingClientRect();
    var gap = 6;
    var room = { below: window.innerHeight - mark.bottom - gap * 2, above: mark.top - gap * 2 };
    var side = card.offsetHeight <= room.below || room.below >= room.above ? "below" : "above";
    if (card.offsetHeight > room[side]) {
      card.style.maxHeight = Math.max(room[side], 120) + "px";
    }
    var width = card.offsetWidth;
    var left = Math.min(Math.max(8, mark.left), document.documentElement.clientWidth - width - 8);
    var top = side === "below" ? mark.bottom + gap : mark.top - gap - card.offsetHeight;
    card.style.left = (left + window.scrollX) + "px";
    card.style.top = (top + window.scrollY) + "px";
  }

  function openCard(link) {
    if (cardLink === link) {
      return;
    }
    closeCard();
    var entry = entryFor(link);
    if (!entry || link.getAttribute("aria-expanded") === "true") {
      return;
    }
    var card = noteFor(entry, CARD_ID, "footnote-preview", "tooltip");
    card.querySelectorAll("a").forEach(function (a) { a.tabIndex = -1; });  // the marker keeps the focus
    card.addEventListener("mouseenter", function () { window.clearTimeout(closeTimer); });
    card.addEventListener("mouseleave", leave);
    // Inside <main>, so that it belongs to the page's landmarks; nothing there is positioned, so
    // its place is counted from the document's corner.
    (document.querySelector("main") || document.body).appendChild(card);
    place(card, link);
    link.setAttribute("aria-describedby", CARD_ID);
    cardLink = link;
  }

  function leave() {
    window.clearTimeout(openTimer);
    window.clearTimeout(closeTimer);
    closeTimer = window.setTimeout(function () {
      if (cardLink && cardLink !== document.activeElement) {
        closeCard();
      }
    }, LEAVE_DELAY);
  }

  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("sup.footnote a");
    if (!link || !pointer.matches) {
      return;
    }
    window.clearTimeout(closeTimer);
    window.clearTimeout(openTimer);
    openTimer = window.setTimeout(function () { openCard(link); }, HOVER_DELAY);
  });

  document.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest("sup.footnote a");
    if (link && !link.contains(event.relatedTarget)) {
      leave();
    }
  });

  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("sup.footnote a");
    if (link && link.matches(":focus-visible")) {
      openCard(link);
    } else if (cardLink && !(event.target.closest && event.target.closest("#" + CARD_ID))) {
      closeCard();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (cardLink && event.target === cardLink) {
      leave();
    }
  });

  window.addEventListener("resize", function () {
    var card = document.getElementById(CARD_ID);
    if (card && cardLink) {
      card.style.maxHeight = "";
      place(card, cardLink);  // beside its marker in the new layout
    }
  });

  // Folding: the sources of the References, the sections on a phone ----------------------------

  var sources = Array.prototype.slice.call(document.querySelectorAll("ol.references > li > details"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".profile > section > .section-body"));

  function setSection(body, open) {
    if (open) {
      body.removeAttribute("hidden");
    } else if (untilFound) {
      body.setAttribute("hidden", "until-found");  // find in page still finds what it holds
    } else {
      body.hidden = true;
    }
    var button = body.parentNode.querySelector("h2 > button.section-toggle");
    if (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  function foldSections(fold) {
    sections.forEach(function (body, index) {
      var heading = body.parentNode.querySelector("h2");
      var button = heading.querySelector("button.section-toggle");
      if (fold && !button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "section-toggle";
        button.setAttribute("aria-controls", body.id);
        while (heading.firstChild) {
          button.appendChild(heading.firstChild);
        }
        heading.appendChild(button);
        button.addEventListener("click", function () {
          setSection(body, body.hasAttribute("hidden"));
        });
        setSection(body, index === 0 || body.contains(hashTarget()));
      } else if (!fold && button) {
        while (button.firstChild) {
          heading.appendChild(button.firstChild);
        }
        button.remove();
        setSection(body, true);
      }
    });
  }

  function hashTarget() {
    try {
      var id = decodeURIComponent(window.location.hash.slice(1));
      return id ? document.getElementById(id) : null;
    } catch (error) {
      return null;  // a malformed fragment points nowhere
    }
  }

  // Unfold whatever holds the element, so that it is never hidden under a fold.
  function reveal(element) {
    for (var node = element; node; node = node.parentElement) {
      if (node.matches("details") && !node.open) {
        node.open = true;
      } else if (node.matches(".section-body") && node.hasAttribute("hidden")) {
        setSection(node, true);
      }
    }
  }

  sections.forEach(function (body) {
    body.addEventListener("beforematch", function () { setSection(body, true); });
  });

  var target = hashTarget();
  sources.forEach(function (details) {
    details.open = Boolean(target && details.contains(target));
  });
  if (phone.matches) {
    foldSections(true);
  }
  phone.addEventListener("change", function () { foldSections(phone.matches); });
  if (target) {
    // A reload would put the reader back where the page was scrolled before, under the folds as
    // they were then; the fragment is what they asked for.
    if ("scrollRestoration" in history) {
      history.scrollRestoration = "manual";
    }
    reveal(target);
    target.scrollIntoView();
  }

  var references = document.querySelector("ol.references");
  if (references && sources.length) {
    var expand = document.createElement("button");
    expand.type = "button";
    expand.className = "expand-all";
    expand.setAttribute("aria-pressed", "false");
    expand.textContent = "Expand all";
    expand.addEventListener("click", function () {
      var open = expand.getAttribute("aria-pressed") !== "true";
      sources.forEach(function (details) { details.open = open; });
      expand.setAttribute("aria-pressed", open ? "true" : "false");
    });
    references.before(expand);
  }

  window.addEventListener("hashchange", function () {
    var element = hashTarget();
    if (element) {
      reveal(element);
      element.scrollIntoView();
    }
  });

  var folded = [];
  window.addEventListener("beforeprint", function () {
    folded = Array.prototype.filter.call(document.querySelectorAll("details"), function (details) {
      return !details.open;
    });
    folded.forEach(function (details) { details.open = true; });
    sections.forEach(function (body) {
      if (body.hasAttribute("hidden")) {
        folded.push(body);
        body.removeAttribute("hidden");
      }
    });
  });
  window.addEventListener("afterprint", function () {
    folded.forEach(function (element) {
      if (element.matches("details")) {
        element.open = false;
      } else {
        setSection(element, false);
      }
    });
    folded = [];
  });

  // The "≈" marks, and the clicks ---------------------------------------------------------------

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
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var entry = entryFor(link);
    if (entry && narrow.matches && link.matches("sup.footnote a")) {
      event.preventDefault();
      openPanel(link, entry);
      return;
    }
    closeCard();
    if (entry) {
      reveal(entry);  // before the browser scrolls to it
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === " " && event.target.matches && event.target.matches("a.precision-mark")) {
      event.preventDefault();  // a button answers the space bar too
      togglePrecision(event.target);
    } else if (event.key === "Escape") {
      if (closeCard()) {
        return;
      }
      var opener = closePanel();
      if (opener) {
        opener.focus();
      }
    }
  });
})();
