// Canned responses in a reply box, for chats and e-mails alike: typing "/" and a shortcut
// lists the matches as buttons, the picker inserts any of them, and Enter on a typed
// shortcut takes the first match (the caller decides what Enter does otherwise).

export class CannedResponses {
  /**
   * @param {Array} canned the tenant's canned responses ({canned_id, shortcut, title, body})
   * @param {HTMLTextAreaElement} box the reply box
   * @param {HTMLElement} list where the matches are listed (a <ul>)
   * @param {HTMLSelectElement} picker the "insert a canned response" select
   * @param {Function} onInsert called after a response was put in the box
   */
  constructor(canned, box, list, picker, onInsert = () => {}) {
    this.canned = canned;
    this.box = box;
    this.list = list;
    this.picker = picker;
    this.onInsert = onInsert;
    for (const item of canned) {
      const option = document.createElement("option");
      option.value = item.canned_id;
      option.textContent = "/" + item.shortcut + " — " + item.title;
      picker.append(option);
    }
    picker.addEventListener("change", () => {
      const chosen = canned.find((c) => c.canned_id === picker.value);
      picker.value = "";
      if (chosen) this.insert(chosen);
    });
    box.addEventListener("input", () => this.suggest());
  }

  /** The responses whose shortcut starts with what follows a "/" that is all the box holds. */
  matches() {
    const typed = /^\/([a-z0-9_-]*)$/.exec(this.box.value);
    if (!typed) return [];
    return this.canned.filter((c) => c.shortcut.startsWith(typed[1]));
  }

  suggest() {
    const found = this.matches();
    this.list.replaceChildren();
    this.list.hidden = found.length === 0;
    for (const item of found.slice(0, 8)) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button quiet";
      button.textContent = "/" + item.shortcut + " — " + item.title;
      button.addEventListener("click", () => this.insert(item));
      li.append(button);
      this.list.append(li);
    }
  }

  /** Enter on a typed shortcut: inserts the first match; false if there is none. */
  insertFirst() {
    const first = this.matches()[0];
    if (!first) return false;
    this.insert(first);
    return true;
  }

  insert(item) {
    this.box.value = item.body;
    this.suggest();
    this.box.focus();
    this.onInsert(item);
  }
}
