// Headset's chat widget for a client company's site: one script tag,
//   <script src="https://headset.example/widget.js" data-widget="wk_..." async></script>
// adds a frame in the corner holding the launcher button and, once opened, the chat. The
// chat runs in Headset's own page inside that frame, so the site's CSS and scripts cannot
// change or read it. Optional attributes: data-lang="nl" (start language), data-position=
// "left" (bottom-left corner). Plain script, no dependencies, nothing left on `window`.
(function () {
  "use strict";
  var script = document.currentScript ||
    document.querySelector("script[data-widget][src*='widget.js']");
  if (!script || !script.dataset.widget) return;
  var origin = new URL(script.src, location.href).origin;
  var url = new URL("/chat/" + encodeURIComponent(script.dataset.widget), origin);
  url.searchParams.set("embed", "1");
  if (script.dataset.lang) url.searchParams.set("lang", script.dataset.lang);
  var side = script.dataset.position === "left" ? "left" : "right";

  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = "Chat";
  frame.setAttribute("data-headset-chat", "");
  frame.setAttribute("allow", "clipboard-write; microphone; autoplay");
  var base = "position:fixed;bottom:0;" + side + ":0;border:0;margin:0;padding:0;" +
    "background:transparent;color-scheme:light;z-index:2147483000;max-width:100vw;";
  var isOpen = false;

  function place() {
    var phone = window.innerWidth <= 480;
    if (!isOpen) {
      frame.style.cssText = base + "width:260px;height:84px;";
    } else if (phone) {
      frame.style.cssText = base + "width:100vw;height:100%;top:0;";
    } else {
      frame.style.cssText = base + "width:400px;height:min(640px,calc(100vh - 16px));" +
        "bottom:8px;" + side + ":8px;box-shadow:0 4px 20px rgba(0,0,0,.3);border-radius:8px;";
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data || {};
    if (data.headset !== "chat") return;
    if (typeof data.title === "string") frame.title = data.title;
    if (typeof data.open === "boolean") {
      isOpen = data.open;
      place();
    }
  });
  window.addEventListener("resize", place);
  place();

  function add() { document.body.appendChild(frame); }
  if (document.body) add();
  else document.addEventListener("DOMContentLoaded", add);
})();
