/* ITAS-Assistent website widget: one <script> tag, a floating button and a chat panel in a Shadow DOM.
 * Plain JS, no build step. Data is only ever rendered through textContent / createElement.
 * The server fills in STRINGS (German texts from ui/strings.py), CSS (widget.css) and MAX_TURNS when serving
 * this file. */
(function () {
  "use strict";

  var STRINGS = /*ITAS_STRINGS*/ {} /*END*/;
  var CSS = /*ITAS_CSS*/ "" /*END*/;

  // For deferred classic scripts currentScript is still set while the script runs.
  var script = document.currentScript;
  if (!script || !script.src || window.__itasAssistantLoaded) {
    return;
  }
  window.__itasAssistantLoaded = true;

  var scriptUrl = new URL(script.src, document.baseURI);
  var API_BASE = scriptUrl.origin + scriptUrl.pathname.replace(/\/widget\.js$/, "");
  var TITLE = script.getAttribute("data-title") || STRINGS.title || "ITAS-Assistent";
  var COLOR = /^#[0-9a-f]{3,8}$/i.test(script.getAttribute("data-color") || "")
    ? script.getAttribute("data-color")
    : "#005ca9";
  var POSITION = script.getAttribute("data-position") === "left" ? "left" : "right";
  var MAX_TURNS = /*ITAS_MAX_TURNS*/ 10 /*END*/; // history turns the API accepts (api.max_history_turns)

  function t(key, values) {
    var text = STRINGS[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  // Only links to this assistant's own server, over http(s): never javascript:, data: or another host.
  function sourceUrl(path) {
    try {
      var url = new URL(String(path || ""), API_BASE + "/");
      var base = new URL(API_BASE + "/");
      if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === base.origin) {
        return url.href;
      }
    } catch (err) {
      /* invalid URL: no link */
    }
    return null;
  }

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      name === "close"
        ? "M6 6l12 12M18 6L6 18"
        : "M4 5h16v10H9l-5 4z"
    );
    svg.appendChild(path);
    return svg;
  }

  // ---- DOM ------------------------------------------------------------------------------------
  var host = el("div", { id: "itas-assistant-widget" });
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(el("style", {}, CSS));
  }

  var wrap = el("div", { class: "itas pos-" + POSITION });
  wrap.style.setProperty("--itas-color", COLOR);
  var launcher = el("button", {
    type: "button",
    class: "launcher",
    "aria-label": t("open"),
    "aria-expanded": "false",
    "aria-controls": "itas-panel",
  });
  launcher.appendChild(icon("chat"));

  var panel = el("div", {
    id: "itas-panel",
    class: "panel",
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": "itas-title",
  });
  panel.hidden = true;
  var header = el("div", { class: "header" });
  header.appendChild(el("h2", { id: "itas-title" }, TITLE));
  var closeBtn = el("button", { type: "button", class: "close", "aria-label": t("close") });
  closeBtn.appendChild(icon("close"));
  header.appendChild(closeBtn);

  var notice = el("p", { class: "notice" }, t("sample"));
  notice.hidden = true;
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions text" });
  log.appendChild(el("p", { class: "intro" }, t("intro")));

  var form = el("form", { class: "form" });
  var label = el("label", { for: "itas-input", class: "sr-only" }, t("inputLabel"));
  var input = el("input", {
    id: "itas-input",
    type: "text",
    autocomplete: "off",
    maxlength: "2000",
    placeholder: t("placeholder"),
  });
  var sendBtn = el("button", { type: "submit", class: "send" }, t("send"));
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendBtn);

  // "Ihre Branche?": the next message is a business description, answered by the sector check.
  var sectorBtn = el("button", { type: "button", class: "chip", id: "itas-sector-entry" }, t("sectorEntry"));
  var sectorMode = false;

  panel.appendChild(header);
  panel.appendChild(notice);
  panel.appendChild(log);
  panel.appendChild(sectorBtn);
  panel.appendChild(form);
  wrap.appendChild(panel);
  wrap.appendChild(launcher);
  root.appendChild(wrap);

  // ---- Open / close / keyboard ------------------------------------------------------------------
  var history = []; // page-session memory only: no cookies, no web storage
  var busy = false;
  var healthChecked = false;

  function setOpen(open) {
    panel.hidden = !open;
    wrap.classList.toggle("open", open);
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      input.focus();
      checkHealth();
    } else {
      launcher.focus();
    }
  }

  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("button, a[href], input, [tabindex]:not([tabindex='-1'])"),
      function (node) {
        return !node.disabled && node.offsetParent !== null;
      }
    );
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden);
  });
  closeBtn.addEventListener("click", function () {
    setOpen(false);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      return;
    }
    if (event.key !== "Tab") {
      return;
    }
    // aria-modal: keep Tab inside the panel while it is open.
    var items = focusables();
    if (!items.length) {
      return;
    }
    var first = items[0];
    var last = items[items.length - 1];
    var active = root.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  });

  function checkHealth() {
    if (healthChecked) {
      return;
    }
    healthChecked = true;
    fetch(API_BASE + "/api/health", { credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        notice.hidden = !(data && data.sample_corpus);
      })
      .catch(function () {
        /* the question itself reports connection problems */
      });
  }

  // ---- Messages ---------------------------------------------------------------------------------
  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(role, text) {
    var item = el("div", { class: "msg " + role });
    item.appendChild(el("span", { class: "sr-only" }, (role === "user" ? t("you") : t("assistant")) + ": "));
    var body = el("div", { class: "text" }, text);
    item.appendChild(body);
    log.appendChild(item);
    scrollDown();
    return { item: item, body: body };
  }

  function renderCitations(message, citations) {
    if (!citations || !citations.length) {
      return;
    }
    var box = el("div", { class: "sources" });
    box.appendChild(el("p", { class: "sources-title" }, t("sources")));
    var list = el("ol", {});
    citations.forEach(function (c) {
      var li = el("li", { value: String(Number(c.n) || 0) });
      var href = sourceUrl(c.url);
      var label = "[" + (Number(c.n) || 0) + "] " + String(c.title || "");
      var link = href
        ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, label)
        : el("span", {}, label);
      li.appendChild(link);
      var meta = [c.version ? t("version", { version: c.version }) : "", c.date || "", c.page ? t("page", { page: c.page }) : ""]
        .filter(Boolean)
        .join(" · ");
      if (meta) {
        li.appendChild(el("span", { class: "meta" }, " – " + meta));
      }
      if (c.superseded_by) {
        li.appendChild(el("span", { class: "superseded" }, t("superseded", { version: c.superseded_by })));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    message.item.appendChild(box);
    scrollDown();
  }

  function showError(message, text) {
    message.item.classList.add("error");
    message.body.textContent = text;
  }

  // ---- Streaming --------------------------------------------------------------------------------
  function parseEvent(block) {
    var event = "message";
    var data = [];
    block.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) {
        event = line.slice(6).trim();
      } else if (line.indexOf("data:") === 0) {
        data.push(line.slice(5).replace(/^ /, ""));
      }
    });
    if (!data.length) {
      return null;
    }
    try {
      return { event: event, data: JSON.parse(data.join("\n")) };
    } catch (err) {
      return null;
    }
  }

  function errorFor(response) {
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (body) {
        var detail = body && typeof body.detail === "string" ? body.detail : "";
        if (response.status === 429) {
          return detail || t("rateLimited", { seconds: response.headers.get("Retry-After") || "60" });
        }
        if (response.status === 403) {
          return detail || t("forbidden");
        }
        return detail || t("failed");
      });
  }

  function handle(state, parsed) {
    if (parsed.event === "delta" && parsed.data && typeof parsed.data.text === "string") {
      state.text += parsed.data.text;
      state.message.body.textContent = state.text;
    } else if (parsed.event === "citations") {
      state.citations = parsed.data;
    } else if (parsed.event === "done" && parsed.data) {
      state.done = parsed.data;
    } else if (parsed.event === "error") {
      state.error = (parsed.data && parsed.data.detail) || t("failed");
    }
  }

  function readStream(response, state) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        buffer += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
        buffer = buffer.replace(/\r\n/g, "\n");
        var cut;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          var parsed = parseEvent(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (parsed) {
            handle(state, parsed);
            scrollDown();
          }
        }
        return chunk.done ? state : pump();
      });
    }
    return pump();
  }

  function finish(state, question) {
    if (state.error || !state.done) {
      showError(state.message, state.error || t("failed"));
      return;
    }
    var answer = String(state.done.answer || "");
    state.message.body.textContent = answer; // `done` is authoritative (it may replace the deltas)
    if (state.done.note) {
      state.message.item.appendChild(el("p", { class: "note" }, state.done.note));
    }
    renderCitations(state.message, state.done.citations || state.citations);
    history.push({ role: "user", content: question });
    history.push({ role: "assistant", content: answer });
    history = history.slice(-MAX_TURNS);
  }

  function ask(question) {
    busy = true;
    sendBtn.disabled = true;
    addMessage("user", question);
    var message = addMessage("assistant", t("thinking"));
    var state = { message: message, text: "", citations: null, done: null, error: null };
    log.setAttribute("aria-busy", "true");
    return fetch(API_BASE + "/api/chat/stream", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ question: question, history: history }),
    })
      .then(function (response) {
        if (!response.ok || !response.body) {
          return errorFor(response).then(function (text) {
            showError(message, text);
          });
        }
        return readStream(response, state).then(function () {
          finish(state, question);
        });
      })
      .catch(function () {
        showError(message, t("network"));
      })
      .then(function () {
        busy = false;
        sendBtn.disabled = false;
        log.setAttribute("aria-busy", "false");
        scrollDown();
      });
  }

  sectorBtn.addEventListener("click", function () {
    sectorMode = true;
    input.placeholder = t("sectorPlaceholder");
    addMessage("assistant", t("sectorIntro"));
    input.focus();
  });

  function getJson(response) {
    return response.ok ? response.json() : errorFor(response).then(function (text) {
      throw new Error(text);
    });
  }

  function askSector(text) {
    busy = true;
    sendBtn.disabled = true;
    addMessage("user", text);
    var message = addMessage("assistant", t("thinking"));
    return fetch(API_BASE + "/api/sectors/match", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text }),
    })
      .then(getJson)
      .then(function (found) {
        var best = found && found.sectors && found.sectors[0];
        if (!best) {
          message.body.textContent = t("sectorNone");
          return null;
        }
        return fetch(API_BASE + "/api/sectors/" + encodeURIComponent(best.code), { credentials: "omit" })
          .then(getJson)
          .then(function (view) {
            var passages = [];
            (view.groups || []).forEach(function (group) {
              passages = passages.concat(group.passages || []);
            });
            passages = passages.slice(0, 4);
            var lines = [t("sectorFound", { code: view.code, title: view.title })];
            passages.forEach(function (p, i) {
              lines.push("[" + (i + 1) + "] " + String(p.quote || ""));
            });
            message.body.textContent = lines.join("\n");
            renderCitations(message, passages.map(function (p, i) {
              return { n: i + 1, title: p.title, version: p.version, date: p.date, page: p.page, url: p.url, superseded_by: p.superseded_by };
            }));
          });
      })
      .catch(function (err) {
        showError(message, (err && err.message) || t("network"));
      })
      .then(function () {
        busy = false;
        sendBtn.disabled = false;
        scrollDown();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    if (sectorMode && input.value.trim()) {
      var description = input.value.trim();
      sectorMode = false;
      input.value = "";
      input.placeholder = t("placeholder");
      askSector(description);
      return;
    }
    var question = input.value.trim();
    if (!question) {
      input.setAttribute("aria-invalid", "true");
      addMessage("assistant error", t("empty"));
      return;
    }
    input.removeAttribute("aria-invalid");
    input.value = "";
    ask(question);
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
