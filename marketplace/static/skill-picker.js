/*
 * Skill picker: enhances the rows rendered by templates/macros/skills.html.
 *
 * - Each skill box becomes an ARIA 1.2 combobox (list autocomplete) fed by GET /api/skills?q=.
 *   Picking a suggestion fills the hidden skill_id; typing again clears it, so the server
 *   falls back to resolving the typed label.
 * - "Add another skill" clones a blank row with the next WTForms index; "Remove" drops a row.
 * Without this script the rows still work: people type names and the server resolves them.
 */
(function () {
  "use strict";
  if (window.skillPickerLoaded) { return; } // the macro emits the script once per field list
  window.skillPickerLoaded = true;

  var DEBOUNCE_MS = 150;
  var LIMIT = 10;
  var uid = 0;

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function announce(fieldset, message) {
    var status = fieldset.querySelector("[data-skill-status]");
    if (status) { status.textContent = message; }
  }

  /* ------------------------------------------------------------------ combobox */

  function Combobox(input, hidden, fieldset) {
    this.input = input;
    this.hidden = hidden;
    this.fieldset = fieldset;
    this.url = fieldset.getAttribute("data-suggest-url") || "/api/skills";
    this.results = [];
    this.active = -1;
    this.cache = {};
    this.controller = null;
    this.lastQuery = null;

    uid += 1;
    this.listbox = document.createElement("ul");
    this.listbox.id = "skill-listbox-" + uid;
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", "Skill suggestions");
    this.listbox.className = "dropdown-menu w-100 shadow-sm skill-suggestions";
    this.listbox.style.maxHeight = "20rem";
    this.listbox.style.overflowY = "auto";
    input.insertAdjacentElement("afterend", this.listbox);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    input.setAttribute("autocomplete", "off");

    var self = this;
    this.fetchSoon = debounce(function () { self.fetch(); }, DEBOUNCE_MS);
    input.addEventListener("input", function () { self.onInput(); });
    input.addEventListener("keydown", function (event) { self.onKeyDown(event); });
    input.addEventListener("blur", function () { setTimeout(function () { self.close(); }, 120); });
    // mousedown would move focus away from the input before click picks the option
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.pick(Number(option.getAttribute("data-index"))); }
    });
  }

  Combobox.prototype.onInput = function () {
    this.hidden.value = ""; // the typed text no longer names the picked skill
    if (this.input.value.trim().length < 1) {
      this.results = [];
      this.close();
      return;
    }
    this.fetchSoon();
  };

  Combobox.prototype.fetch = function () {
    var query = this.input.value.trim();
    if (!query) { return; }
    if (this.cache[query]) { this.show(this.cache[query], query); return; }
    if (this.controller) { this.controller.abort(); }
    this.controller = window.AbortController ? new AbortController() : null;
    var self = this;
    var url = this.url + "?q=" + encodeURIComponent(query) + "&limit=" + LIMIT;
    fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: this.controller ? this.controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        self.cache[query] = data.results || [];
        if (self.input.value.trim() === query) { self.show(self.cache[query], query); }
      })
      .catch(function () { /* aborted or offline: typing still works without suggestions */ });
  };

  Combobox.prototype.show = function (results, query) {
    this.results = results;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.listbox.textContent = "";
    var self = this;
    results.forEach(function (skill, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-option-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.className = "dropdown-item text-wrap";
      option.style.cursor = "pointer";
      var name = document.createElement("span");
      name.textContent = skill.name;
      option.appendChild(name);
      if (skill.alias) {
        var alias = document.createElement("span");
        alias.className = "small ms-1";
        alias.textContent = "(matches “" + skill.alias + "”)";
        option.appendChild(alias);
      }
      if (skill.category) {
        var category = document.createElement("span");
        category.className = "d-block small text-body-secondary skill-category";
        category.textContent = skill.category;
        option.appendChild(category);
      }
      self.listbox.appendChild(option);
    });
    if (results.length) {
      this.open();
      announce(this.fieldset, results.length + (results.length === 1 ? " suggestion" : " suggestions") +
        " for " + query + ". Use the up and down arrow keys to choose.");
    } else {
      this.close();
      announce(this.fieldset, "No skills match " + query + ".");
    }
  };

  Combobox.prototype.open = function () {
    this.listbox.classList.add("show");
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    this.listbox.classList.remove("show");
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.isOpen = function () {
    return this.input.getAttribute("aria-expanded") === "true";
  };

  Combobox.prototype.highlight = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (!options.length) { return; }
    index = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    this.active = index;
    this.input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.pick = function (index) {
    var skill = this.results[index];
    if (!skill) { return; }
    this.input.value = skill.name;
    this.hidden.value = String(skill.id);
    this.input.classList.remove("is-invalid");
    this.close();
    announce(this.fieldset, skill.name + " chosen.");
    this.input.focus();
  };

  Combobox.prototype.onKeyDown = function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!this.isOpen()) {
          if (this.results.length) { this.open(); } else { this.fetch(); return; }
          if (event.altKey) { return; }
        }
        this.highlight(this.active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!this.isOpen() && this.results.length) { this.open(); }
        if (this.isOpen()) { this.highlight(this.active < 0 ? -1 : this.active - 1); }
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault(); // choose the suggestion instead of submitting the form
          this.pick(this.active);
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.hidden.value = "";
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  /* ------------------------------------------------------------------ rows */

  function enhanceRow(row, fieldset) {
    var input = row.querySelector("input[name$='-skill_name']");
    var hidden = row.querySelector("input[data-skill-id]") || row.querySelector("input[name$='-skill_id']");
    if (input && hidden && !input.hasAttribute("data-enhanced")) {
      input.setAttribute("data-enhanced", "");
      new Combobox(input, hidden, fieldset);
    }
    var remove = row.querySelector("[data-skill-remove]");
    if (remove) {
      remove.hidden = false;
      remove.addEventListener("click", function () { removeRow(row, fieldset); });
    }
  }

  function rowIndex(row, prefix) {
    var field = row.querySelector("[name^='" + prefix + "-']");
    var match = field && field.name.slice(prefix.length + 1).match(/^(\d+)-/);
    return match ? Number(match[1]) : -1;
  }

  function renumber(fieldset) {
    var rows = fieldset.querySelectorAll("[data-skill-row]");
    rows.forEach(function (row, position) {
      row.querySelectorAll("[data-row-number]").forEach(function (span) {
        span.textContent = String(position + 1);
      });
    });
    var add = fieldset.querySelector("[data-skill-add]");
    var max = Number(fieldset.getAttribute("data-max-rows") || 0);
    if (add) { add.disabled = max > 0 && rows.length >= max; }
  }

  function blankRow(template, prefix, index) {
    var row = template.cloneNode(true);
    var old = new RegExp("^" + prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-\\d+-");
    var fresh = prefix + "-" + index + "-";
    row.querySelectorAll("[data-skill-error]").forEach(function (el) { el.remove(); });
    row.querySelectorAll("input, select, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(old, fresh)); }
      });
      el.removeAttribute("aria-describedby");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("data-enhanced");
      el.classList.remove("is-invalid");
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else if (el.tagName === "INPUT") { el.value = ""; el.setAttribute("value", ""); }
    });
    return row;
  }

  function addRow(fieldset, template, prefix) {
    var list = fieldset.querySelector("[data-skill-rows-list]");
    var next = Number(fieldset.getAttribute("data-next-index"));
    var row = blankRow(template, prefix, next);
    fieldset.setAttribute("data-next-index", String(next + 1));
    list.appendChild(row);
    enhanceRow(row, fieldset);
    renumber(fieldset);
    var input = row.querySelector("input[name$='-skill_name']");
    if (input) { input.focus(); }
  }

  function removeRow(row, fieldset) {
    var rows = fieldset.querySelectorAll("[data-skill-row]");
    var name = row.querySelector("input[name$='-skill_name']");
    var label = name && name.value.trim() ? name.value.trim() : "Empty skill row";
    if (rows.length <= 1) {
      // keep one row to type into; just clear it
      row.querySelectorAll("input").forEach(function (el) { el.value = ""; });
      row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
      if (name) { name.focus(); }
    } else {
      var position = Array.prototype.indexOf.call(rows, row);
      var next = rows[position + 1] || rows[position - 1];
      row.remove();
      var focusTarget = next.querySelector("input[name$='-skill_name']");
      if (focusTarget) { focusTarget.focus(); }
    }
    renumber(fieldset);
    announce(fieldset, label + " removed.");
  }

  function enhanceFieldset(fieldset) {
    if (fieldset.hasAttribute("data-enhanced")) { return; }
    fieldset.setAttribute("data-enhanced", "");
    var prefix = fieldset.getAttribute("data-prefix");
    var rows = fieldset.querySelectorAll("[data-skill-row]");
    if (!prefix || !rows.length) { return; }
    var maxIndex = -1;
    rows.forEach(function (row) { maxIndex = Math.max(maxIndex, rowIndex(row, prefix)); });
    fieldset.setAttribute("data-next-index", String(maxIndex + 1));
    var template = blankRow(rows[0], prefix, 0); // taken before any row is enhanced
    rows.forEach(function (row) { enhanceRow(row, fieldset); });
    var add = fieldset.querySelector("[data-skill-add]");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () { addRow(fieldset, template, prefix); });
    }
    renumber(fieldset);
  }

  function init() {
    document.querySelectorAll("[data-skill-rows]").forEach(enhanceFieldset);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
