// The chat's hooks, as a module of their own: pages need no inline script, so the chat runs
// under a Content-Security-Policy of script-src 'self'. Modules run in document order, and this
// one comes before the leptos-live shim, which reads window.lvHooks when it starts.

window.lvHooks = {
  // Clears the message field once the message is posted; Enter sends, Shift+Enter breaks lines.
  ChatForm: {
    mounted() {
      const field = this.el.querySelector("textarea");
      this.handleEvent("posted", () => {
        this.el.reset();
        field.focus();
      });
      field.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey) {
          e.preventDefault();
          this.el.requestSubmit();
        }
      });
    },
  },
  // Shows the newest messages on entry.
  ScrollBottom: {
    mounted() {
      this.el.scrollTop = this.el.scrollHeight;
    },
  },
};
