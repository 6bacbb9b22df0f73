// The review desk's keys (templates/django/admin/desk/desk.html). Without this file the desk
// still works: every action is a form or a link. With it, decisions are posted in the
// background and the next item is focused at once; the server answers JSON when asked for it.
(function () {
  "use strict";
  const desk = document.querySelector("[data-desk]");
  const list = desk && desk.querySelector(".desk-list");
  if (!list) return;
  const pane = desk.querySelector(".desk-pane-article");
  const status = desk.querySelector(".desk-status");
  const help = desk.querySelector(".desk-help");
  const search = desk.querySelector(".desk-search-input");
  const token = desk.querySelector("input[name=csrfmiddlewaretoken]");
  const moves = desk.querySelectorAll(".desk-move [data-move]");
  let hasMore = desk.dataset.hasMore === "1";
  let loadingMore = null;
  const inFlight = new Set(); // decisions posted and not yet answered
  let stateTimer = null;
  // Milliseconds from each move or decision key to the next item shown, one entry per press:
  // the desk's own measure of how fast it answers (articles/admin/desk/__init__.py). The
  // browser tests and bench/desk.py read it.
  window.deskTimings = [];

  desk.querySelectorAll("[data-js-only]").forEach((element) => { element.hidden = false; });
  desk.classList.add("has-keys"); // the Previous/Next links give way to the keys (desk.css)

  // Single-key shortcuts, per editor (remembered in this browser): "on", "off", or "alt"
  // (only with Alt+Shift held). The `?` panel sets it (WCAG 2.1.4).
  const keysSetting = `newsroom.desk.keys.${desk.dataset.user || ""}`;
  const keyModes = ["on", "alt", "off"];
  const storedMode = () => { try { return localStorage.getItem(keysSetting); } catch (e) { return null; } };
  let keyMode = keyModes.includes(storedMode()) ? storedMode() : "on";
  function setKeyMode(mode) {
    keyMode = keyModes.includes(mode) ? mode : "on";
    try { localStorage.setItem(keysSetting, keyMode); } catch (e) { /* kept for this page */ }
    help.querySelectorAll("input[name=desk-key-mode]").forEach((input) => { input.checked = input.value === keyMode; });
  }
  setKeyMode(keyMode);
  help.addEventListener("change", (event) => {
    if (event.target.name === "desk-key-mode") { setKeyMode(event.target.value); say(event.target.dataset.said); }
  });
  // Closing the panel, or leaving the search box, gives the focus back to the current item.
  function focusCurrent() {
    const item = current();
    const link = item && item.querySelector(".desk-item-link");
    if (link && link.offsetParent !== null) link.focus({ preventScroll: true });
    else if (pane.querySelector(".desk-headline")) pane.querySelector(".desk-headline").focus({ preventScroll: true });
  }
  help.addEventListener("close", () => {
    // Unless a key pressed meanwhile (`/`) has put the focus somewhere of its own.
    const at = document.activeElement;
    if (!at || at === document.body || help.contains(at) || at.closest(".desk-keys")) focusCurrent();
  });

  const items = () => Array.from(list.querySelectorAll(".desk-item:not([hidden])"));
  const current = () => list.querySelector('.desk-item[aria-current="true"]');
  const itemFor = (id) => list.querySelector(`.desk-item[data-article-id="${id}"]`);
  const say = (message) => { status.textContent = message; };

  function show(item) {
    const before = current();
    if (before) before.removeAttribute("aria-current");
    item.setAttribute("aria-current", "true");
    pane.replaceChildren(item.querySelector("template.desk-detail").content.cloneNode(true));
    const note = item.querySelector(".desk-item-note");
    const paneNote = pane.querySelector(".desk-note");
    if (paneNote && !note.hidden) {
      paneNote.textContent = note.textContent;
      paneNote.hidden = false;
    }
    const link = item.querySelector(".desk-item-link");
    if (link.offsetParent !== null) {
      link.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    } else {
      // A phone: no list, one item at a time.
      pane.querySelector(".desk-headline").focus({ preventScroll: true });
      window.scrollTo(0, desk.querySelector(".desk-pane").offsetTop);
    }
    history.replaceState(null, "", link.href);
    const all = items();
    const index = all.indexOf(item);
    moves.forEach((move) => {
      const target = all[index + Number(move.dataset.move)];
      if (target) move.href = target.querySelector(".desk-item-link").href;
      else move.removeAttribute("href");
    });
    if (all.length - index < 8) loadMore();
    clearTimeout(stateTimer);
    stateTimer = setTimeout(checkState, 150);
  }

  function move(step) {
    const all = items();
    const target = all[all.indexOf(current()) + step];
    if (target) show(target);
    else if (step > 0 && hasMore) loadMore().then(() => { const next = items()[all.length]; if (next) show(next); });
    else say(step > 0 ? "That is the last waiting item." : "That is the first item.");
    return Boolean(target);
  }

  function addItems(html, before) {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    holder.content.querySelectorAll(".desk-item").forEach((item) => {
      const old = itemFor(item.dataset.articleId);
      if (old && !old.hidden) item.remove();
      else if (old) old.replaceWith(item);
    });
    if (before) list.insertBefore(holder.content, before);
    else list.append(holder.content);
  }

  function loadMore() {
    if (!hasMore) return Promise.resolve();
    if (loadingMore) return loadingMore;
    const last = list.querySelector(".desk-item:last-child");
    const params = new URLSearchParams(desk.dataset.query);
    params.set("after", last.dataset.articleId);
    loadingMore = fetch(`${desk.dataset.itemsUrl}?${params}`, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(response.statusText);
        hasMore = response.headers.get("X-Desk-More") === "1";
        return response.text();
      })
      .then((html) => addItems(html))
      .catch(() => say("More items could not be loaded; reload the page to try again."))
      .finally(() => { loadingMore = null; });
    return loadingMore;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
    }).then((response) => response.json().catch(() => ({ ok: false, message: `The server answered ${response.status}.` }))
      .then((answer) => ({ status: response.status, ...answer })));
  }

  function mark(item, css, message) {
    item.classList.add(css);
    const note = item.querySelector(".desk-item-note");
    note.textContent = message;
    note.hidden = false;
    if (item === current()) {
      const paneNote = pane.querySelector(".desk-note");
      paneNote.textContent = message;
      paneNote.hidden = false;
    }
  }

  function decide(decision) {
    const item = current();
    if (!item || item.classList.contains("is-pending")) return;
    const form = item.querySelector("template.desk-detail").content.querySelector("form.desk-decide");
    if (!form) { say("Deciding needs the permission to publish."); return; }
    if (!form.querySelector(`button[value="${decision}"]`)) { say("Publish all (a) is for a story's entry."); return; }
    if (!confirmed(item, decision)) return;
    const data = new FormData(form);
    data.set("decision", decision);
    if (item.dataset.bigStory) data.set("confirmed", "1");
    item.classList.add("is-pending");
    item.classList.remove("has-error");
    // The next item at once; the answer comes later.
    if (!move(1)) move(-1);
    // getAttribute: a form in a <template> has no base URL to resolve `form.action` against.
    const posting = post(form.getAttribute("action"), data);
    inFlight.add(posting);
    posting.finally(() => inFlight.delete(posting)).catch(() => {});
    posting.then((answer) => {
      item.classList.remove("is-pending");
      if (answer.ok) {
        item.hidden = true;
        item.removeAttribute("aria-current");
      } else if (answer.status === 409) {
        mark(item, "is-decided-elsewhere", answer.message);
      } else {
        mark(item, "has-error", `Not recorded: ${answer.message}`);
      }
      say(answer.message);
    }).catch(() => {
      item.classList.remove("is-pending");
      mark(item, "has-error", "Not recorded: the server could not be reached. Try again.");
      say("Not recorded: the server could not be reached.");
    });
  }

  function undo(form) {
    const data = new FormData(form || desk.querySelector("form.desk-undo"));
    data.set("query", desk.dataset.query);
    // "My last decision" is the one just made: wait until every decision posted has landed,
    // or the server would take back the one before it.
    Promise.allSettled([...inFlight]).then(
      () => post(desk.querySelector("form.desk-undo").getAttribute("action"), data)
    ).then((answer) => {
      say(answer.message);
      if (!answer.ok) return;
      addItems(answer.html, current());
      answer.ids.forEach((id) => {
        const item = itemFor(id);
        if (item) { item.hidden = false; item.classList.remove("is-pending", "has-error", "is-decided-elsewhere"); item.querySelector(".desk-item-note").hidden = true; }
      });
      // A story's entry is found by its first waiting article, which may be any of the ids.
      const first = answer.ids.map(itemFor).find(Boolean);
      if (first) show(first);
    }).catch(() => say("Undo failed: the server could not be reached."));
  }

  function checkState() {
    // Not while this editor's own decisions post: they would only race the write (and on
    // SQLite wait for its lock); the check comes once they have landed.
    if (inFlight.size) { clearTimeout(stateTimer); stateTimer = setTimeout(checkState, 150); return; }
    const all = items();
    const start = Math.max(all.indexOf(current()), 0);
    const ids = all.slice(start, start + 5)
      .filter((item) => !item.classList.contains("is-pending"))
      .map((item) => item.dataset.articleId);
    if (!ids.length) return;
    fetch(`${desk.dataset.stateUrl}?ids=${ids.join(",")}`, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((answer) => {
        Object.entries(answer.decided).forEach(([id, note]) => {
          const item = itemFor(id);
          // An item this editor decided meanwhile is hidden already: not someone else's.
          const settled = item && (item.hidden || item.classList.contains("is-pending") || item.classList.contains("is-decided-elsewhere"));
          if (item && !settled) {
            mark(item, "is-decided-elsewhere", note);
          }
        });
      })
      .catch(() => {});
  }

  function openSchedule() {
    const details = pane.querySelector("details.desk-schedule");
    if (!details) { say("A schedule is for one article: list every article (g), then press s."); return; }
    details.open = true;
    details.querySelector("input[name=publish_at]").focus();
  }

  // A decision on a big story is asked once: the first press says what it would decide, a
  // second press of the same key on the same entry decides.
  let armed = null;
  function confirmed(item, decision) {
    const big = item.dataset.bigStory;
    if (!big || decision === "publish") return true;
    if (armed && armed.item === item && armed.decision === decision) { armed = null; return true; }
    armed = { item, decision };
    const key = decision === "all" ? "a" : "x";
    say(`${decision === "all" ? "Publish" : "Keep unpublished"} all of this story: ${big}? Press ${key} again to decide, any other key not to.`);
    return false;
  }

  function follow(selector, newTab, within) {
    const link = (within || pane).querySelector(selector);
    if (!link) return;
    if (newTab) window.open(link.href, "_blank", "noopener,noreferrer");
    else window.location.href = link.href;
  }

  const keys = {
    j: () => move(1), ArrowDown: () => move(1),
    k: () => move(-1), ArrowUp: () => move(-1),
    p: () => decide("publish"), x: () => decide("keep"), a: () => decide("all"),
    z: () => undo(), s: openSchedule, g: () => follow("a.desk-group-toggle", false, desk),
    m: () => pane.querySelector("form.desk-near-merge button")?.click(),
    o: () => follow("a.desk-source", true), e: () => follow("a.desk-edit", false),
    "/": () => { search.focus(); search.select(); },
    "?": () => (help.open ? help.close() : help.showModal()),
  };
  const timed = new Set(["j", "k", "ArrowDown", "ArrowUp", "p", "x", "a"]);

  function press(key, startedAt) {
    keys[key]();
    if (timed.has(key)) {
      requestAnimationFrame(() => window.deskTimings.push(performance.now() - startedAt));
    }
  }

  // With Alt+Shift held, `event.key` is whatever the layout makes of it: read the key itself
  // (Alt+Shift+/ is `?`; the search box is a Tab away, or the Search button).
  function keyOf(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      return event.ctrlKey || event.metaKey || event.altKey || event.shiftKey ? null : event.key;
    }
    if (keyMode === "off" || event.ctrlKey || event.metaKey) return null;
    if (keyMode === "alt") {
      if (!(event.altKey && event.shiftKey)) return null;
      if (event.code === "Slash") return "?";
      return /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : null;
    }
    return event.altKey ? null : event.key;
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input:not([type=radio]):not([type=checkbox]), select, textarea, [contenteditable]")) {
      if (event.key === "Escape" && !help.contains(event.target)) {
        event.target.blur();  // back to the keys, at the current item
        focusCurrent();
      }
      return;
    }
    const key = keyOf(event);
    if (armed && key !== (armed.decision === "all" ? "a" : "x")) { armed = null; }
    if (!key || !(key in keys)) return;
    if (help.open && key !== "?") return;
    event.preventDefault();
    press(key, event.timeStamp);
  });

  desk.addEventListener("click", (event) => {
    const button = event.target.closest("[data-desk-key]");
    const link = event.target.closest(".desk-item-link, .desk-move [data-move]");
    if (button) {
      press(button.dataset.deskKey, performance.now());
    } else if (link && !(event.ctrlKey || event.metaKey || event.shiftKey || event.button)) {
      event.preventDefault();
      if (link.dataset.move) move(Number(link.dataset.move));
      else show(link.closest(".desk-item"));
    }
  });

  desk.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form.desk-decide")) {
      event.preventDefault();
      decide(event.submitter ? event.submitter.value : "publish");
    } else if (form.matches("form.desk-undo")) {
      event.preventDefault();
      undo(form);
    } else if (form.matches("form.desk-schedule-form")) {
      event.preventDefault();
      schedule(form);
    }
  });

  // `s`: the schedule is a decision. A bad value is said beside the boxes, the item stays;
  // a good one publishes the item to go live then, and the desk moves on as for `p`.
  function schedule(form) {
    const item = current();
    const error = form.querySelector(".desk-schedule-error");
    const posting = post(form.getAttribute("action"), new FormData(form));
    inFlight.add(posting); // `z` pressed now waits for it, and takes it back
    posting.finally(() => inFlight.delete(posting)).catch(() => {});
    posting.then((answer) => {
      if (answer.ok) {
        error.hidden = true;
        if (item) { item.hidden = true; item.removeAttribute("aria-current"); }
        const all = items();
        const next = all.find((other) => other.dataset.articleId === form.querySelector("input[name=next]")?.value) || all[0];
        if (next) show(next);
        say(answer.message);
        return;
      }
      error.textContent = answer.message;
      error.hidden = false;
      say(answer.message);
      const box = form.querySelector("input[name=publish_at]");
      box.setAttribute("aria-invalid", "true");
      box.focus();
    }).catch(() => say("Not recorded: the server could not be reached."));
  }

  const first = current();
  if (first) {
    // The server rendered the pane; give the list focus so the keys start from here.
    first.querySelector(".desk-item-link").focus({ preventScroll: true });
    if (items().length - items().indexOf(first) < 8) loadMore();
    stateTimer = setTimeout(checkState, 150);
  }
  desk.dataset.keysReady = "1"; // the keys answer from now on (browser tests wait for this)
})();
