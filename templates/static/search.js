// The search page. Served by a web server, Pagefind answers; opened from disk, where its module
// cannot load, the site's own small index (search/pages.js, sitegen/searchdata.py) does. Either
// way the typed query stays in the box, results link inside the site wherever it lives (a sub-path
// too), and a search with no results points to the topics and to the help page.
"use strict";

(() => {
  const app = document.getElementById("search-app");
  const form = document.querySelector(".search-page form");
  const input = document.getElementById("search-q");
  const status = app.querySelector(".search-status");
  const list = app.querySelector(".search-results");
  const help = app.querySelector(".search-help");
  const MAX = 10;

  // How much a match counts in Pagefind. The keywords (glossary words, warning signs a page
  // explains) and the description are metadata: searched, never shown in an excerpt.
  const RANKING = { metaWeights: { title: 5, about: 5, keywords: 2, description: 1.5 } };

  // Resolve against the page, not this script, so a site under a sub-path stays inside it.
  const here = (path) => new URL(path, document.baseURI);

  let engine = null;

  async function pagefindEngine() {
    const pagefind = await import(here(app.dataset.pagefind).href);
    await pagefind.options({ baseUrl: here(app.dataset.base).pathname, ranking: RANKING, excerptLength: 26 });
    return async (query) => {
      const found = await ranked(pagefind, query);
      const data = await Promise.all(found.slice(0, MAX).map((r) => r.data()));
      const shown = data.map((d) => ({ url: d.url, title: d.meta.title, excerpt: marked(d.excerpt), description: d.meta.description }));
      return { shown, total: found.length };
    };
  }

  // Pagefind finds the pages that hold every word. Patients type more words than a page holds
  // ("questions for my doctor"), so each word is also searched alone and a page's score is the
  // sum of its scores: the pages with every word still come first, then those with most of them.
  async function ranked(pagefind, query) {
    const whole = (await pagefind.search(query)).results;
    const words = [...new Set(terms(query).filter((w) => w.length > 2))];
    if (words.length < 2) return whole;
    const pages = new Map(whole.map((r) => [r.id, { result: r, score: r.score }]));
    for (const word of words) {
      for (const r of (await pagefind.search(word)).results) {
        const page = pages.get(r.id) || { result: r, score: 0 };
        page.score += r.score;
        pages.set(r.id, page);
      }
    }
    return [...pages.values()].sort((a, b) => b.score - a.score).map((p) => p.result);
  }

  // Pagefind's excerpt is the page's text, escaped, with <mark> around the matches: read it as
  // text and marks, never as HTML.
  function marked(excerpt) {
    const pieces = [];
    const re = /<mark>(.*?)<\/mark>/g;
    let last = 0;
    let m;
    const entities = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" };
    const text = (s) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name) => entities[name]);
    while ((m = re.exec(excerpt))) {
      pieces.push([text(excerpt.slice(last, m.index)), false], [text(m[1]), true]);
      last = re.lastIndex;
    }
    pieces.push([text(excerpt.slice(last)), false]);
    return pieces.some(([, mark]) => mark) ? pieces : null;
  }

  // From disk ---------------------------------------------------------------------------------
  // The pages' text in fields, each match weighted like Pagefind's: title, keywords, headings,
  // what it is about, other keywords, warning signs, summary, description, body.
  const FIELDS = { t: 6, a: 5, k: 2, h: 3, s: 3, p: 2, d: 2, b: 1 };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function terms(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // A word matches a query term that starts it ("fract" finds "fracture"), or one that shares
  // most of its beginning, as a crude stemmer would ("débiles" finds "debilita", "fractures" "fracture").
  function matches(word, term) {
    if (word.startsWith(term)) return true;
    let same = 0;
    while (same < word.length && same < term.length && word[same] === term[same]) same += 1;
    return same >= 5 && same >= 0.7 * Math.min(word.length, term.length);
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  async function diskEngine() {
    await loadScript(here(app.dataset.fallback).href);
    const pages = window.sitegenSearch.pages.map((page) => ({
      page,
      words: Object.fromEntries(Object.keys(FIELDS).map((f) => [f, terms(page[f] || "")])),
    }));
    return async (query) => {
      const typed = [...new Set(terms(query))];
      const long = typed.filter((term) => term.length > 2);  // "can't" is "can" and "t": the "t" would match all
      const wanted = long.length ? long : typed;
      if (!wanted.length) return { shown: [], total: 0 };
      // A word on nearly every page ("de", "the") counts for almost nothing (BM25's inverse document frequency).
      const idf = Object.fromEntries(wanted.map((term) => {
        const having = pages.filter((p) => Object.values(p.words).some((ws) => ws.some((w) => matches(w, term)))).length;
        return [term, Math.log(1 + (pages.length - having + 0.5) / (having + 0.5))];
      }));
      const scored = pages.map((p) => {
        let score = 0;
        let found = 0;
        for (const term of wanted) {
          let termScore = 0;
          for (const [field, weight] of Object.entries(FIELDS)) {
            const count = p.words[field].filter((w) => matches(w, term)).length;
            termScore += weight * (count / (count + 1.2));  // saturates: ten mentions are not ten times one
          }
          if (termScore > 0) found += 1;
          score += idf[term] * termScore;
        }
        return { p, found, score };
      }).filter((s) => s.found > 0);
      // As with Pagefind (ranked), the scores of the words add up: pages with more of them come first.
      const best = scored.sort((a, b) => b.score - a.score || b.found - a.found || a.p.page.o - b.p.page.o);
      const shown = best.slice(0, MAX).map(({ p }) => ({
        url: here(p.page.u).href, title: p.page.t, excerpt: excerptOf(p.page, wanted), description: p.page.d,
      }));
      return { shown, total: best.length };
    };
  }

  // About 26 words of the page's own text around its first match, the matches marked.
  function excerptOf(page, wanted) {
    const text = [page.p, page.b, page.s].join(" ");
    const words = text.split(/\s+/).filter(Boolean);
    const at = words.findIndex((w) => terms(w).some((t) => wanted.some((q) => matches(t, q))));
    if (at < 0) return null;
    const start = Math.max(0, at - 8);
    const pieces = [];
    for (const w of words.slice(start, start + 26)) {
      const hit = terms(w).some((t) => wanted.some((q) => matches(t, q)));
      pieces.push([w + " ", hit]);
    }
    if (start > 0) pieces.unshift(["… ", false]);
    return pieces;
  }

  // Showing results ---------------------------------------------------------------------------
  function item(result) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.title;
    const excerpt = document.createElement("p");
    for (const [text, mark] of result.excerpt || [[result.description, false]]) {
      if (mark) {
        const m = document.createElement("mark");
        m.textContent = text;
        excerpt.append(m);
      } else {
        excerpt.append(text);
      }
    }
    li.append(link, excerpt);
    return li;
  }

  function show(text, none = false) {
    status.textContent = text;
    if (help) help.hidden = !none;
  }

  async function run(query) {
    list.replaceChildren();
    if (!query.trim()) return show("");
    show(app.dataset.loading);
    try {
      engine = engine || (await pagefindEngine().catch(diskEngine));
      const { shown, total: count } = await engine(query);
      list.replaceChildren(...shown.map(item));
      show(count === 0 ? app.dataset.none : count === 1 ? app.dataset.one : app.dataset.count.replace("{count}", count),
           count === 0);
    } catch (error) {
      show(app.dataset.error, true);
    }
  }

  app.hidden = false;
  const query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    } catch (error) {
      // some browsers refuse it for a page opened from disk: the results show all the same
    }
    run(input.value);
  });
  run(query);
})();
