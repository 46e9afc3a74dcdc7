// karnameh serve: reloads this page when a rebuild changes it, keeping the scroll position,
// and shows or removes the content error overlay. Added by the server only, never by `build`.
(() => {
  const version = document.currentScript.dataset.version;
  const scrollKey = "karnameh-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    addEventListener("load", restore);
    document.fonts.ready.then(restore);
  }
  const reload = () => {
    sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
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
