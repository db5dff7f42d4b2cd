// The article page for reviewers. The page works without this script; it only saves clicks.
// j / k: next / previous fact (the text scrolls to its number) · a: accept · r: reject · e: edit ·
// x: select for a bulk action · n: next article. Clicking a highlighted number makes its fact current.
// Selecting a number in the text fills the "Add a missed fact" form with its offsets.
(function () {
  const cards = () => Array.from(document.querySelectorAll("aside.facts section.fact"));
  const panel = document.getElementById("facts");
  const articleId = (window.location.pathname.match(/^\/articles\/(\d+)/) || [])[1];
  const seenKey = `vnfacts-seen-${articleId}`;
  const seen = new Set(JSON.parse(sessionStorage.getItem(seenKey) || "[]"));
  let index = -1;

  function markOf(card) { return card && document.getElementById(card.dataset.mark); }

  function setCurrent(i, { scrollText = true } = {}) {
    const list = cards();
    if (!list.length) return;
    index = Math.max(0, Math.min(i, list.length - 1));
    const card = list[index];
    document.querySelectorAll(".current").forEach((el) => el.classList.remove("current"));
    card.classList.add("current");
    const mark = markOf(card);
    if (mark) mark.classList.add("current");
    if (card.dataset.fact) { seen.add(card.dataset.fact); sessionStorage.setItem(seenKey, JSON.stringify([...seen])); }
    // The panel scrolls on its own (it is sticky): bring the card into it without moving the page.
    if (panel && getComputedStyle(panel).position === "sticky") {
      const top = card.offsetTop - panel.offsetTop;
      if (top < panel.scrollTop || top + card.offsetHeight > panel.scrollTop + panel.clientHeight) {
        panel.scrollTop = Math.max(0, top - 40);
      }
      card.focus({ preventScroll: true });
    } else {
      card.focus({ preventScroll: true });
      if (!scrollText) card.scrollIntoView({ block: "nearest" });
    }
    if (scrollText && mark) mark.scrollIntoView({ block: "center" });
  }

  function press(action) {
    const el = cards()[index];
    if (!el) return;
    const button = el.querySelector(`form.decide button[value="${action}"]`);
    if (button) button.click();
  }

  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") setCurrent(index + 1);
    else if (event.key === "k") setCurrent(index - 1);
    else if (event.key === "a") press("accept");
    else if (event.key === "r") press("reject");
    else if (event.key === "e") { const d = cards()[index]?.querySelector("details.edit"); if (d) d.open = true; }
    else if (event.key === "x") { const c = cards()[index]?.querySelector("input[name=fact]"); if (c) c.checked = !c.checked; }
    else if (event.key === "n") { const next = document.getElementById("next-article"); if (next) next.click(); }
    else return;
    event.preventDefault();
  });

  // A click on a highlighted number makes its fact current (in both panes), without a jump of the page.
  document.querySelectorAll("article.text mark[data-card]").forEach((mark) => {
    mark.addEventListener("click", (event) => {
      event.preventDefault();
      const i = cards().findIndex((el) => el.id === mark.dataset.card);
      if (i >= 0) setCurrent(i, { scrollText: false });
    });
  });

  // "Accept looked-at pending": tick every pending fact that was current at some point on this page.
  const acceptSeen = document.getElementById("accept-seen");
  if (acceptSeen) acceptSeen.addEventListener("click", () => {
    cards().forEach((card) => {
      const box = card.querySelector("input[name=fact]");
      if (box && seen.has(card.dataset.fact) && card.classList.contains("status-pending")) box.checked = true;
    });
  });

  // Select a number in the text: its offsets in the cleaned text go to the add form.
  const text = document.getElementById("text");
  const add = document.getElementById("add");
  function offsetIn(paragraph, node, offset) {
    const range = document.createRange();
    range.setStart(paragraph, 0);
    range.setEnd(node, offset);
    return Number(paragraph.dataset.offset) + range.toString().length;
  }
  function parseNumber(s) {
    let t = s.replace(/[^\d.,]/g, "");
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^\d+,\d+$/.test(t)) t = t.replace(",", ".");
    else t = t.replace(/,/g, "");
    return t;
  }
  if (text && add) text.addEventListener("mouseup", () => {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return;
    const range = sel.getRangeAt(0);
    const para = (n) => (n.nodeType === 1 ? n : n.parentElement).closest("p[data-offset]");
    const p1 = para(range.startContainer), p2 = para(range.endContainer);
    if (!p1 || p1 !== p2) return;
    const raw = range.toString();
    const lead = raw.length - raw.trimStart().length, trail = raw.length - raw.trimEnd().length;
    const start = offsetIn(p1, range.startContainer, range.startOffset) + lead;
    const end = offsetIn(p1, range.endContainer, range.endOffset) - trail;
    const chosen = raw.trim();
    if (!/\d/.test(chosen) || end <= start) return;
    const form = add.querySelector("form");
    form.start.value = start; form.end.value = end; form.selected.value = chosen;
    document.getElementById("add-selected").textContent = chosen;
    if (!form.value.value) form.value.value = parseNumber(chosen);
    add.open = true;
  });

  const hash = window.location.hash.match(/^#([fa]\d+)$/);
  if (hash) {
    const i = cards().findIndex((el) => el.id === hash[1]);
    if (i >= 0) setCurrent(i, { scrollText: false });
  }
})();
