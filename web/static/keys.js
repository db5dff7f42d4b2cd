// Keyboard shortcuts for reviewers. The pages work without this script; it only saves clicks.
// j / k: next / previous fact · a: accept · r: reject · e: open the edit form · n: next article.
(function () {
  const facts = () => Array.from(document.querySelectorAll("section.fact"));
  let index = -1;
  function focus(i) {
    const list = facts();
    if (!list.length) return;
    index = Math.max(0, Math.min(i, list.length - 1));
    list.forEach((el) => el.classList.remove("current"));
    list[index].classList.add("current");
    list[index].focus();
    list[index].scrollIntoView({ block: "nearest" });
  }
  function press(action) {
    const el = facts()[index];
    if (!el) return;
    const button = el.querySelector(`form.decide button[value="${action}"]`);
    if (button) button.click();
  }
  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") focus(index + 1);
    else if (event.key === "k") focus(index - 1);
    else if (event.key === "a") press("accept");
    else if (event.key === "r") press("reject");
    else if (event.key === "e") { const d = facts()[index]?.querySelector("details.edit"); if (d) d.open = true; }
    else if (event.key === "n") { const next = document.getElementById("next-article"); if (next) next.click(); }
    else return;
    event.preventDefault();
  });
  const hash = window.location.hash.match(/^#f(\d+)$/);
  if (hash) {
    const i = facts().findIndex((el) => el.id === `f${hash[1]}`);
    if (i >= 0) focus(i);
  }
})();
