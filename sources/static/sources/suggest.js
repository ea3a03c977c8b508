/* The evidence finder at the citation rows of the admin (issue 16).
 *
 * A citation row whose quote box carries data-suggest-claim (a saved person, position or event:
 * sources/suggest.py) gets a "Suggest quotes" button once a source is picked. It asks
 * GET <data-suggest-url>?claim=...&field=... for the passages of that source's archived text that
 * best back the row's claim and lists them, best first; picking one fills the row's quote and
 * locator. Rows are found by their form prefix, so rows added after the page loaded work too.
 */
(function () {
  "use strict";

  var SUFFIX = "-quote";

  function isTemplate(name) {
    return name.indexOf("__prefix__") !== -1 || /(^|-)empty-/.test(name);
  }

  function rowField(prefix, name) {
    return document.getElementById("id_" + prefix + "-" + name);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function Row(quote) {
    this.quote = quote;
    this.prefix = quote.name.slice(0, -SUFFIX.length);
    this.cache = {};
    this.box = element("div", "suggest-quotes");
    this.button = element("button", "button suggest-button", "Suggest quotes");
    this.button.type = "button";
    this.status = element("span", "suggest-status");
    this.status.setAttribute("role", "status");
    this.list = element("ol", "suggest-list");
    this.list.hidden = true;
    this.box.append(this.button, this.status, this.list);
    quote.insertAdjacentElement("afterend", this.box);
    this.button.addEventListener("click", this.show.bind(this));
    this.update();
  }

  Row.prototype.source = function () {
    var select = rowField(this.prefix, "source");
    return select ? select.value : "";
  };

  Row.prototype.url = function () {
    var source = this.source();
    if (!source) return null;
    var params = new URLSearchParams({ claim: this.quote.dataset.suggestClaim });
    var field = rowField(this.prefix, "field");
    if (field && field.value) params.set("field", field.value);
    var base = this.quote.dataset.suggestUrl.replace("/SOURCE/", "/" + encodeURIComponent(source) + "/");
    return base + "?" + params.toString();
  };

  Row.prototype.needsField = function () {
    var field = rowField(this.prefix, "field");
    return this.quote.dataset.suggestClaim.indexOf("person:") === 0 && field && !field.value;
  };

  Row.prototype.update = function () {
    this.box.hidden = !this.source();
    this.list.hidden = true;
    this.list.replaceChildren();
    this.status.textContent = "";
    this.button.hidden = false;
  };

  Row.prototype.fetch = function () {
    var url = this.url();
    if (!this.cache[url]) {
      this.cache[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.error || "The server refused (" + response.status + ").");
            return body.suggestions;
          });
        });
      var cache = this.cache;
      this.cache[url].catch(function () { delete cache[url]; });
    }
    return this.cache[url];
  };

  /* After a pick: look ahead, and offer the button only for a source that has something to say. */
  Row.prototype.check = function () {
    this.update();
    if (!this.source() || this.needsField()) return;
    var row = this;
    this.fetch().then(function (suggestions) {
      if (!suggestions.length) {
        row.button.hidden = true;
        row.status.textContent = "This source's archived text has no passage for this claim (or no text).";
      }
    }, function () {});
  };

  Row.prototype.show = function () {
    if (this.needsField()) {
      this.status.textContent = "First choose the fact this citation backs.";
      return;
    }
    var row = this;
    this.status.textContent = "Looking…";
    this.fetch().then(function (suggestions) {
      row.list.replaceChildren();
      suggestions.forEach(function (suggestion) { row.list.append(row.item(suggestion)); });
      row.list.hidden = !suggestions.length;
      row.status.textContent = suggestions.length
        ? "Best first. Pick one to fill the quote and locator."
        : "No passage of this source's archived text matches this claim.";
    }, function (error) {
      row.status.textContent = error.message;
    });
  };

  Row.prototype.item = function (suggestion) {
    var item = element("li", "suggest-item");
    var pick = element("button", "suggest-pick");
    pick.type = "button";
    pick.append(element("q", "", suggestion.quote));
    var meta = element("span", "suggest-meta");
    meta.append(element("span", "suggest-locator", suggestion.locator || "no section"));
    if (suggestion.matched.length) {
      meta.append(element("span", "suggest-matched", "matches: " + suggestion.matched.join(", ")));
    }
    item.append(pick, meta);
    pick.addEventListener("click", this.pick.bind(this, suggestion));
    return item;
  };

  Row.prototype.pick = function (suggestion) {
    this.quote.value = suggestion.quote;
    var locator = rowField(this.prefix, "locator");
    if (locator) locator.value = (suggestion.locator || "").slice(0, 200);
    [this.quote, locator].forEach(function (input) {
      if (input) {
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    this.list.hidden = true;
    this.status.textContent = "Quote and locator filled from the source.";
  };

  var rows = new WeakMap();

  function rowFor(prefix) {
    var quote = document.getElementById("id_" + prefix + SUFFIX);
    if (!quote || !quote.dataset.suggestClaim || isTemplate(quote.name)) return null;
    if (!rows.has(quote)) rows.set(quote, new Row(quote));
    return rows.get(quote);
  }

  function changed(event) {
    var target = event.target;
    if (!target || !target.id || target.id.indexOf("id_") !== 0) return;
    var match = /^id_(.+)-(source|field)$/.exec(target.id);
    if (!match) return;
    var row = rowFor(match[1]);
    if (row) row.check();
  }

  function start() {
    document.querySelectorAll("textarea[data-suggest-claim]").forEach(function (quote) {
      if (!isTemplate(quote.name)) rowFor(quote.name.slice(0, -SUFFIX.length));
    });
    // select2 (the admin's autocomplete) announces a pick through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", "select", changed);
    } else {
      document.addEventListener("change", changed);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
