// Search with Pagefind: loaded only on the search page, and only fetches the index when someone searches.
const app = document.getElementById("search-app");
const form = document.querySelector(".search-page form");
const input = document.getElementById("search-q");
const status = app.querySelector(".search-status");
const list = app.querySelector(".search-results");
let pagefind = null;

async function load() {
  if (!pagefind) {
    pagefind = await import(app.dataset.pagefind);
    await pagefind.options({ baseUrl: app.dataset.base });
  }
  return pagefind;
}

function show(text) {
  status.textContent = text;
}

function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  const excerpt = document.createElement("p");
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text and adds only <mark>
  li.append(link, excerpt);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) return show("");
  show(app.dataset.loading);
  try {
    const search = await (await load()).search(query);
    const found = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
    list.replaceChildren(...found.map(item));
    const count = search.results.length;
    show(count === 0 ? app.dataset.none : count === 1 ? app.dataset.one : app.dataset.count.replace("{count}", count));
  } catch (error) {
    show(app.dataset.error);
  }
}

app.hidden = false;
const query = new URLSearchParams(location.search).get("q") || "";
input.value = query;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  run(input.value);
});
run(query);
