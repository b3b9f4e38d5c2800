// The API's field errors in the user's language. Each error of a problem carries a stable
// `type` and its `params` (pydantic's error type and context, or the code of an error the
// API raised on purpose; docs/service.md lists them); a known type becomes a sentence in the
// page's language with the parameters filled in, an unknown one keeps the server's message.
// What the form knows adds to it: the help text of the field (what a pattern expects, in
// words) and the labels of a select's choices.
import { formatNumber, language, t } from "./i18n.js";

/** "a, b or c" in the page's language. */
function anyOf(items) {
  try {
    return new Intl.ListFormat(language, { type: "disjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}

function number(value) {
  return typeof value === "number" ? formatNumber(value) : String(value);
}

/** What a control tells about itself: its help text and, for a select, its choices. */
export function contextOf(control) {
  const context = { hint: "", choices: [], kind: "" };
  if (!control) return context;
  context.kind = control.dataset.type || "";
  const ids = (control.getAttribute("aria-describedby") || "").split(" ")
    .filter((id) => id.endsWith("-help"));
  const group = control.closest("fieldset[aria-describedby]");
  if (group) ids.push(...group.getAttribute("aria-describedby").split(" "));
  for (const id of ids) {
    const help = document.getElementById(id);
    if (help && help.textContent.trim()) {
      context.hint = help.textContent.trim();
      break;
    }
  }
  if (control.matches("select")) {
    context.choices = [...control.options]
      .filter((option) => option.value !== "")
      .map((option) => option.textContent.trim());
  }
  return context;
}

const NOT_A_NUMBER = new Set(["float_parsing", "float_type", "decimal_parsing", "decimal_type"]);
const NOT_A_WHOLE_NUMBER = new Set(["int_parsing", "int_type", "int_from_float"]);
const NOT_A_DATE = new Set(["date_parsing", "date_from_datetime_parsing", "date_type"]);
const NOT_A_TIME = new Set(["time_parsing", "time_type"]);

/** The sentence for one error, or null when its type is not one this module knows. */
function sentence(type, params, context) {
  if (context.kind === "hours") {
    // every mistake in a day's opening hours is one: the spans are not written as expected
    return t("Write the hours as 08:00-17:00; separate several spans with commas.");
  }
  switch (type) {
    case "missing":
      return t("Please fill this in.");
    case "string_too_short":
      return params.min_length > 1
        ? t("Too short: use at least {min} characters.", { min: number(params.min_length) })
        : t("Please fill this in.");
    case "string_too_long":
      // TRANSLATORS: {max} is a number of characters, such as 200
      return t("Too long: use at most {max} characters.", { max: number(params.max_length) });
    case "too_short":
      return t("Too few entries: give at least {min}.", { min: number(params.min_length) });
    case "too_long":
      return t("Too many entries: give at most {max}.", { max: number(params.max_length) });
    case "string_pattern_mismatch":
      return context.hint
        ? t("This does not match the expected pattern. {hint}", { hint: context.hint })
        : t("This does not match the expected pattern.");
    case "greater_than":
      return t("Must be more than {limit}.", { limit: number(params.gt) });
    case "greater_than_equal":
      return t("Must be {limit} or more.", { limit: number(params.ge) });
    case "less_than":
      return t("Must be less than {limit}.", { limit: number(params.lt) });
    case "less_than_equal":
      return t("Must be {limit} or less.", { limit: number(params.le) });
    case "email":
      return t("This is not a valid e-mail address.");
    case "literal_error":
    case "enum": {
      const choices = context.choices.length ? context.choices : params.choices || [];
      return choices.length
        ? t("Please choose one of: {choices}.", { choices: anyOf(choices) })
        : null;
    }
    case "bool_parsing":
    case "bool_type":
      return t("Please choose yes or no.");
    case "string_type":
      return t("Please enter text.");
    case "extra_forbidden":
      return t("This field is not expected here.");
    case "json_invalid":
      return t("The request is not valid JSON.");
    case "unknown_time_zone":
      return t("Unknown time zone “{value}”; use a name like Europe/Riga.", {
        value: params.value,
      });
    case "taken":
      return t("“{value}” is taken already; choose another.", { value: params.value });
    case "password_too_short":
      return t("A password needs at least {min} characters; this one has {length}.", {
        min: number(params.min_length),
        length: number(params.length),
      });
    case "password_too_long":
      return t("A password may have at most {max} characters; this one has {length}.", {
        max: number(params.max_length),
        length: number(params.length),
      });
    case "password_contains_username":
      return t("A password may not contain the username; choose another one.");
    case "proficiency_range":
      return t("Skill levels go from {min} to {max}.", {
        min: number(params.min),
        max: number(params.max),
      });
    default:
      if (NOT_A_NUMBER.has(type)) return t("Please enter a number, such as 80 or 12.5.");
      if (NOT_A_WHOLE_NUMBER.has(type)) return t("Please enter a whole number, such as 3.");
      if (NOT_A_DATE.has(type)) return t("Please enter dates as 2026-12-25.");
      if (NOT_A_TIME.has(type)) return t("Please enter a time as 08:00.");
      return null;
  }
}

/** One error `{type, params, message}` in the page's language, or its message as sent. */
export function errorText(error, context = contextOf(null)) {
  const params = error.params || {};
  return (error.type && sentence(error.type, params, context)) || error.message || "";
}
