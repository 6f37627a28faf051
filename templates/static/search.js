// Site search, built on Pagefind's browser API. Progressive enhancement only: without this
// file (or without JavaScript, or opened from file://) the header's search form is a plain
// form whose action is the glossary index.
//
// The index holds each word with keys of our own (explainer/searchkeys.py): the word, the
// word less a particle, the glossary term it belongs to, each wrapped in MARK; a key that is
// not a shown word starts with JOIN. A query is turned into the same keys here, with the
// table pagefind/keys.json (term forms and the particle rules of explainer/korean.py), so
// that 사과 finds 사과를 and not 사과나무, and an English or spaced form finds its term.
// Only the shown words are shown, without MARK. While a word is being typed (the query does not
// end with a space), a query that finds nothing as whole words is tried again with its last word
// as the start of a word: 도서 finds 도서관, 도서관ㅇ finds 도서관의.
(function () {
  "use strict";

  // ---- queries -> keys ----------------------------------------------------------------

  function words(text, table) {
    const plain = text.normalize("NFC").toLowerCase().split(table.mark).join("");
    return plain.match(/[\p{L}\p{N}]+/gu) || [];
  }

  // korean.particle_allowed, for a word followed by a space (the end of a query).
  function particleAllowed(stem, particle, table) {
    if (table.sentenceFinal.includes(particle)) return false;
    return !([...stem].length === 1 && [...particle].length === 1 && !table.shortNounParticles.includes(particle));
  }

  // The key of the term whose form `text` is (letters and digits only), maybe with a particle after it.
  function termKey(text, table) {
    const forms = table.forms;
    if (Object.hasOwn(forms, text)) return forms[text];
    for (const particle of table.particles) {
      if (text.length > particle.length && text.endsWith(particle)) {
        const stem = text.slice(0, -particle.length);
        if (Object.hasOwn(forms, stem) && particleAllowed(stem, particle, table)) return forms[stem];
      }
    }
    return null;
  }

  // A word that is no term's form, less the particle it ends in (구글과 -> 구글), longest
  // particle first, by the rules the index used (searchkeys.stems): every word of the index
  // carries its stems as keys, so the bare noun finds the word with any particle. A word
  // with no particle stays as written.
  function stem(word, table) {
    for (let k = table.particles.length - 1; k >= 0; k--) { // the table lists them shortest first
      const particle = table.particles[k];
      if (word.length > particle.length && word.endsWith(particle)) {
        const noun = word.slice(0, -particle.length);
        if (particleAllowed(noun, particle, table)) return noun;
      }
    }
    return word;
  }

  // Turn a query into keys: runs of words that spell a term's form (with any spacing, maybe a
  // particle after it) become the term's key; other words match whole words only (사과 never
  // finds 사과2), less a particle, so a word still being typed finds nothing until it is whole.
  function queryKeys(query, table) {
    const list = words(query, table).slice(0, 12);
    const keys = [];
    for (let i = 0; i < list.length;) {
      let found = null;
      for (let j = list.length; j > i && !found; j--) {
        const key = termKey(list.slice(i, j).join(""), table);
        if (key !== null) found = [key, j];
      }
      keys.push(found ? found[0] : stem(list[i], table));
      i = found ? found[1] : i + 1;
    }
    return keys;
  }

  // What a word still being typed may be the start of: the word, and, when its last letter may
  // still change (a Korean input method shows 도석 on the way to 도서관, 도서관ㅇ on the way to
  // 도서관의), the word without what is being composed.
  function partials(word) {
    const found = [word];
    const last = word.charCodeAt(word.length - 1);
    if (last >= 0x3131 && last <= 0x318e && word.length > 1) {
      found.push(word.slice(0, -1)); // a lone consonant or vowel
    } else if (last >= 0xac00 && last <= 0xd7a3 && (last - 0xac00) % 28 !== 0) {
      found.push(word.slice(0, -1) + String.fromCharCode(last - ((last - 0xac00) % 28))); // its final consonant dropped
    }
    return found;
  }

  // The keys of a query whose last word is a start of a word: the other words as whole words, the
  // last as a start (MARK before it, none after, so that Pagefind finds the words it begins).
  function prefixKeys(query, prefix, table) {
    const list = words(query, table);
    list.pop();
    return [...queryKeys(list.join(" "), table).map((key) => table.mark + key + table.mark), table.mark + prefix];
  }

  // The words of an indexed text as shown: keys that are not words left out, MARK removed.
  function shownText(text, table) {
    return text.split(" ").filter((word) => !word.startsWith(table.join + table.mark))
      .map((word) => word.split(table.mark).join("")).join(" ");
  }

  // ---- the engine: Pagefind plus the keys -------------------------------------------------

  class Engine {
    constructor(bundle, root) {
      this.bundle = new URL(bundle, document.baseURI).href;
      this.root = root; // the site root relative to this page, for result links
      this.ready = null;
      this.loads = 0; // how many times the index was forgotten: each load after that imports a module of its own
      this.retired = Promise.resolve(); // the forgotten index, until it is destroyed
    }

    load() {
      if (!this.ready) {
        this.ready = Promise.all([
          fetch(this.bundle + "keys.json").then((response) => {
            if (!response.ok) throw new Error("keys.json: " + response.status);
            return response.json();
          }),
          // A module is imported once per address, so a reloaded index asks for pagefind.js?load=N: a
          // module of its own, which the destruction of the one before cannot reach; that destruction
          // ends before the new one starts.
          this.retired.then(() => import(this.bundle + "pagefind.js" + (this.loads ? "?load=" + this.loads : ""))).then(async (pagefind) => {
            // a term's page has its forms in the field `headword` (explainer/search.py): a match there outweighs the text
            await pagefind.options({ basePath: this.bundle, excerptLength: 24, ranking: { metaWeights: { headword: 20 } } });
            await pagefind.init();
            return pagefind;
          }),
        ]).then(([table, pagefind]) => {
          this.table = table;
          this.pagefind = pagefind;
          return this;
        });
        this.ready.catch(() => { this.ready = null; });
      }
      return this.ready;
    }

    // Forget the loaded index (the preview server wrote a new one, or a part of it went missing):
    // the next search loads it afresh.
    reset() {
      const loaded = this.ready;
      this.ready = null;
      this.loads += 1;
      if (loaded) this.retired = loaded.then((engine) => engine.pagefind.destroy()).catch(() => {});
    }

    wrap(key) {
      return this.table.mark + key + this.table.mark;
    }

    // Search: {total, page(start, count)}; page() loads results in rank order as
    // {url, title, kind, excerpt: [[text, isHit], …]}.
    async search(query) {
      await this.load();
      const keys = queryKeys(query, this.table);
      let found = keys.length ? (await this.pagefind.search(keys.map((key) => this.wrap(key)).join(" "))).results : [];
      const last = words(query, this.table).pop();
      if (!found.length && last && !/\s$/u.test(query)) { // the last word may be half typed
        for (const prefix of partials(last)) {
          found = (await this.pagefind.search(prefixKeys(query, prefix, this.table).join(" "))).results;
          if (found.length) break;
        }
      }
      return {
        total: found.length,
        page: async (start, count) => {
          const data = await Promise.all(found.slice(start, start + count).map((result) => result.data()));
          return data.map((one) => this.describe(one));
        },
      };
    }

    describe(data) {
      const meta = data.meta || {};
      const title = shownText(meta.title || "", this.table);
      return {
        url: this.root + (meta.link || ""),
        title: title,
        kind: meta.kind || "page",
        excerpt: this.excerpt(data, title),
      };
    }

    // About 24 shown words of the result's text around its best hit, as [text, isHit] pieces.
    // Pagefind counts every word of the indexed text, keys too: a hit on a key is a hit on
    // the shown word before it, and where the key is written in that word (사과 in 사과를,
    // Meta in (Meta)의) only that part is marked. The result's title, shown above the excerpt,
    // is not repeated in it: the excerpt comes from the text after the title when it can.
    excerpt(data, title = "", length = 24) {
      const { join, mark } = this.table;
      const words = data.content.split(" ");
      const shown = [];
      const owner = [];
      for (const word of words) {
        if (!word.startsWith(join + mark) || !shown.length) shown.push(word.split(mark).join(""));
        owner.push(shown.length - 1);
      }
      const hits = new Map(); // shown word -> the keys that hit it ("" for the word itself)
      for (const location of data.locations || []) {
        const word = words[location] || "";
        const key = word.startsWith(join + mark) ? word.slice(join.length).split(mark)[1] : "";
        hits.set(owner[location], (hits.get(owner[location]) || []).concat([key]));
      }
      const body = afterTitle(shown, title); // where the text after the title starts
      let best = body < shown.length ? body : 0;
      let score = -1;
      for (const location of data.weighted_locations || []) {
        const at = owner[location.location] || 0;
        if (at >= body && location.balanced_score > score) { score = location.balanced_score; best = at; }
      }
      const first = body < shown.length ? body : 0;
      const start = Math.max(first, Math.min(best - Math.floor(length / 3), shown.length - length));
      const end = Math.min(shown.length, start + length);
      const pieces = start > 0 ? [["… ", false]] : [];
      for (let i = start; i < end; i++) {
        pieces.push(...marked(shown[i], hits.get(i)));
        if (i + 1 < end) pieces.push([" ", false]);
      }
      if (end < shown.length) pieces.push([" …", false]);
      return pieces;
    }
  }

  // The index of the first shown word after the title, when the text starts with the title (a
  // page's heading, a fact's claim, maybe after the fact's date); 0 when it does not.
  function afterTitle(shown, title) {
    const want = title.split(" ").filter(Boolean);
    if (!want.length) return 0;
    const plain = (word) => word.replace(/[.\u2060]+$/u, "").split("\u2060").join("");
    for (let at = 0; at <= Math.min(8, shown.length - want.length); at++) {
      if (want.every((word, i) => plain(shown[at + i]) === plain(word))) return at + want.length;
    }
    return 0;
  }

  // A shown word as [text, isHit] pieces: where a key that hit it is written in it, that part;
  // else the word from its first to its last letter or digit (not the punctuation around it).
  function marked(word, keys) {
    if (!keys) return [[word, false]];
    const lower = word.normalize("NFC").toLowerCase();
    let at = -1;
    let end = -1;
    for (const key of keys) {
      at = key && lower.length === word.length ? lower.indexOf(key) : -1;
      if (at >= 0) { end = at + key.length; break; }
    }
    if (at < 0) {
      const letters = [...word.matchAll(/[\p{L}\p{N}]/gu)];
      if (!letters.length) return [[word, true]];
      at = letters[0].index;
      end = letters[letters.length - 1].index + letters[letters.length - 1][0].length;
    }
    return [[word.slice(0, at), false], [word.slice(at, end), true], [word.slice(end), false]].filter(([text]) => text);
  }

  window.explainerSearch = { Engine, queryKeys, shownText, particleAllowed, fill };

  // A label with its {n} or {q} filled in (split and join: a query may hold "$&", which replace() would read).
  function fill(label, name, value) {
    return label.split("{" + name + "}").join(value);
  }

  // ---- the search box ---------------------------------------------------------------------

  const form = document.querySelector("form.site-search");
  if (!form) return;
  const input = form.querySelector("input[type=search]");
  const status = form.querySelector(".search-status"); // the live region, read out; not shown
  const panel = form.querySelector(".search-panel");
  const summary = form.querySelector(".search-summary"); // the same words, shown
  const list = form.querySelector(".search-results");
  const more = form.querySelector(".search-more");
  const PAGE = 10;
  let current = { total: 0, page: async () => [] };
  const text = form.dataset;
  const engine = new Engine(text.searchBundle, text.searchRoot);
  let latest = 0;
  let timer = 0;
  let failed = false; // Pagefind could not load (e.g. a page opened from file://)

  // The summary shows at once; the live region speaks once typing pauses, not at every key.
  let speaking = 0;
  function say(message) {
    summary.textContent = message;
    clearTimeout(speaking);
    if (!message) status.textContent = "";
    else speaking = setTimeout(() => { status.textContent = message; }, 600);
  }

  function links() {
    return Array.from(list.querySelectorAll("a"));
  }

  function show(open) {
    panel.hidden = !open || !summary.textContent;
  }

  function append(results) {
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = result.url;
      const kind = document.createElement("span");
      kind.className = "search-kind search-kind-" + result.kind;
      kind.textContent = kindLabel(result.kind);
      link.append(kind);
      const title = document.createElement("span");
      title.className = "search-title";
      title.textContent = result.title;
      const excerpt = document.createElement("span");
      excerpt.className = "search-excerpt";
      for (const [piece, hit] of result.excerpt) {
        if (hit) {
          const mark = document.createElement("mark");
          mark.textContent = piece;
          excerpt.append(mark);
        } else {
          excerpt.append(piece);
        }
      }
      link.append(title, excerpt);
      item.append(link);
      list.append(item);
    }
  }

  // What a result is (a fact, a term, a source, a page), in the site's words.
  function kindLabel(kind) {
    return { fact: text.labelFact, term: text.labelTerm, source: text.labelSource, home: text.labelHome }[kind] || text.labelPage;
  }

  // The "more results" button: shown while results are left, it adds the next ones and moves
  // focus to the first of them.
  function offerMore() {
    const left = current.total - list.childElementCount;
    more.hidden = left <= 0;
    more.textContent = fill(text.labelMore, "n", String(Math.min(PAGE, left)));
  }

  function render(found, first, query) {
    current = found;
    list.replaceChildren();
    append(first);
    const message = found.total === 0 ? text.labelNone : fill(text.labelCount, "n", String(found.total));
    say(fill(message, "q", query));
    offerMore();
    list.dataset.query = query; // what the results are for (tests wait for it)
    show(true);
  }

  async function find(query) {
    const attempt = async () => {
      const found = await engine.search(query);
      return [found, await found.page(0, PAGE)];
    };
    try {
      return await attempt();
    } catch (error) {
      engine.reset(); // an index replaced under the page (the preview server's) loads afresh, once
      return await attempt();
    }
  }

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      list.replaceChildren();
      current = { total: 0, page: async () => [] };
      delete list.dataset.query;
      more.hidden = true;
      say("");
      show(false);
      return;
    }
    try {
      const [found, first] = await find(input.value.trimStart()); // a space at the end: the last word is whole
      failed = false;
      if (ticket === latest) render(found, first, query); // else a newer query is under way
    } catch (error) {
      failed = true;
      if (ticket === latest) {
        say(text.labelUnavailable);
        show(true);
      }
    }
  }

  // The preview server wrote a new index (explainer/reload.py sends this): search it from now on.
  window.addEventListener("explainer:search-index", () => {
    engine.reset();
    if (input.value.trim()) run();
  });

  input.addEventListener("focus", () => {
    engine.load().catch(() => {
      failed = true;
      say(text.labelUnavailable);
      show(true);
    });
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });

  form.addEventListener("submit", async (event) => {
    // Enter (or the button) shows the results and moves to the first of them (Enter again opens
    // it); when search cannot run, the form opens the glossary.
    if (failed) return;
    event.preventDefault();
    clearTimeout(timer);
    await run();
    show(true);
    const first = links()[0];
    if (first) first.focus();
  });

  // On a narrow screen the form is a panel the header's search button opens: typing starts at once.
  form.addEventListener("toggle", (event) => {
    if (event.newState === "open") input.focus();
  });

  form.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      show(true);
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1].focus();
    } else if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      show(false);
      input.focus();
    }
  });

  more.addEventListener("click", async () => {
    const before = list.childElementCount;
    append(await current.page(before, PAGE));
    const first = links()[before];
    if (first) first.focus(); // before the button may hide, so that focus stays in the results
    offerMore();
  });

  form.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) show(false);
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) show(false);
  });
  form.addEventListener("focusin", (event) => {
    // coming back to the box from elsewhere shows the results again (Escape inside keeps them closed)
    if (input.value.trim() && !form.contains(event.relatedTarget)) show(true);
  });
})();
