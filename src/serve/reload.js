// karnameh serve: reloads this page when a rebuild changes it, keeping the scroll position,
// and shows or removes the content error overlay. Added by the server only, never by `build`.
(() => {
  const version = document.currentScript.dataset.version;
  // Where the reader is: the first element with an id in view, and how far down the view it
  // is. Kept across the reload, so that the same row stays in place even when what is above
  // it (a finding more in the panel) grew or shrank.
  const scrollKey = "karnameh-scroll:" + location.pathname;
  // an element in a folded panel or a hidden tip has no box (its top reads 0): never a place
  const hasBox = (element) => element.getClientRects().length > 0;
  // a sticky header stays where the view is whatever the scroll: never a place either
  const stuck = (element) => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).position === "sticky") return true;
    }
    return false;
  };
  // the browser's own restoring (to the old offset) would undo ours
  history.scrollRestoration = "manual";
  const saved = JSON.parse(sessionStorage.getItem(scrollKey) || "null");
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    const restore = () => {
      const anchor = saved.id && document.getElementById(saved.id);
      if (anchor && hasBox(anchor)) window.scrollBy(0, anchor.getBoundingClientRect().top - saved.top);
      else window.scrollTo(saved.x, saved.y);
    };
    restore();
    addEventListener("load", restore);
    document.fonts.ready.then(restore);
  }
  const place = () => {
    for (const element of document.querySelectorAll("main [id]")) {
      const top = element.getBoundingClientRect().top;
      // findings are numbered in page order: a new one renumbers those after it
      if (element.id.startsWith("finding-")) continue;
      if (hasBox(element) && top > -1 && top < innerHeight && !stuck(element)) return { id: element.id, top, x: scrollX, y: scrollY };
    }
    return { id: null, top: 0, x: scrollX, y: scrollY };
  };
  const reload = () => {
    sessionStorage.setItem(scrollKey, JSON.stringify(place()));
    location.reload();
  };
  // The overlay the reader closed stays closed until the error changes (its key changes).
  const keyOf = (html) => (html && /data-key="([0-9a-f]+)"/.exec(html)?.[1]) || null;
  let shown = document.getElementById("karnameh-overlay")?.dataset.key ?? null;
  let dismissed = null;
  const showOverlay = (html) => {
    const key = keyOf(html);
    if (key === shown || (key !== null && key === dismissed)) return;
    document.getElementById("karnameh-overlay")?.remove();
    if (html) document.body.insertAdjacentHTML("beforeend", html);
    shown = key;
  };
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".karnameh-overlay-close")) return;
    document.getElementById("karnameh-overlay")?.remove();
    dismissed = shown;
    shown = null;
  });
  // The server says what the page is now; only a page whose bytes changed reloads.
  const compare = async () => {
    try {
      const response = await fetch(location.href, { method: "HEAD", cache: "no-store" });
      const now = response.headers.get("x-karnameh-version");
      if (now && now !== version) reload();
    } catch (_) {
      // the server went away: the socket reconnects and asks again
    }
  };
  let wait = 250;
  const connect = () => {
    const socket = new WebSocket(
      (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__karnameh/events");
    socket.onopen = () => { wait = 250; };
    socket.onmessage = (event) => {
      const state = JSON.parse(event.data);
      showOverlay(state.overlay);
      compare();
    };
    socket.onclose = () => {
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 2000);
    };
  };
  connect();
})();
