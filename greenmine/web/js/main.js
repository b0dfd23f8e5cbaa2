// The officers' page: wires the language switch, the token, and the three sections.

import { setToken, token } from "./api.js";
import { apply, currentLang, setLang, t } from "./i18n.js";
import { initMines } from "./mines.js";
import { initRouting } from "./routing.js";
import { initTargets } from "./targets.js";

function initLanguage() {
  const button = document.getElementById("lang-switch");
  const label = () => {
    button.textContent = t("switchTo");
    button.lang = currentLang() === "en" ? "zh-CN" : "en";
    button.setAttribute("aria-label", t("switchToLabel"));
  };
  button.addEventListener("click", () => setLang(currentLang() === "en" ? "zh" : "en"));
  document.addEventListener("langchange", label);
  label();
}

function initToken() {
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  const state = document.getElementById("token-state");
  const show = () => {
    state.textContent = `(${t(token() ? "signedIn" : "signedOut")})`;
    state.classList.toggle("on", Boolean(token()));
  };
  const change = (value) => {
    setToken(value.trim());
    input.value = "";
    show();
    document.dispatchEvent(new Event("tokenchange"));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    change(input.value);
    document.getElementById("signin").open = false;
  });
  document.getElementById("token-clear").addEventListener("click", () => change(""));
  document.addEventListener("langchange", show);
  show();
}

apply();
initLanguage();
initToken();
initRouting();
initMines();
initTargets();
