/* Search results that quote prose (run on the search page, before Sphinx's search starts).
 *
 * Sphinx quotes each result page's text around the first place a search word occurs, or from the
 * page's start if none does. It looks for the words as stemmed ("graviti" for "gravity"), which
 * the text seldom contains, so many results quoted the page's buttons (".ipynb"); the first place
 * was often a data table or code; and a result found by an index entry, whose anchor holds no
 * text, broke the list. Here a page's text leaves out tables, code, outputs and buttons; a result
 * anchored on an empty target quotes what follows it, and one on a glossary term its definition;
 * and the quote is around the first whole word as typed (or else as stemmed).
 */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (typeof Search === "undefined") return;
  var NOT_PROSE = "table, pre, script, style, .cell_input, .cell_output, .bd-header-article, "
    + ".headerlink, mjx-container, .onlyprint";  // (.onlyprint: the title and contents, for print)
  var typed = (new URLSearchParams(window.location.search).get("q") || "")
    .toLowerCase().split(/\s+/).filter(Boolean);

  function escaped(word) { return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // The text after `target` to the end of its section (an index entry's anchor is empty).
  function textAfter(target) {
    var section = target.closest("section") || target.parentNode;
    var range = target.ownerDocument.createRange();
    range.setStartBefore(target);
    range.setEndAfter(section.lastChild || section);
    return range.toString();
  }

  Search.htmlToText = function (htmlString, anchor) {
    var html = new DOMParser().parseFromString(htmlString, "text/html");
    html.querySelectorAll(NOT_PROSE).forEach(function (element) { element.remove(); });
    var main = html.querySelector('[role="main"]');
    if (!main) return "";
    var target = anchor ? main.querySelector(anchor) : null;
    var text = !target ? main.textContent
      : target.textContent.trim() ? target.textContent : textAfter(target);
    if (target && target.tagName === "DT") {  // a glossary term: with its definition
      for (var next = target.nextElementSibling; next; next = next.nextElementSibling) {
        text += " " + next.textContent;
        if (next.tagName === "DD") break;
      }
    }
    return text.replace(/\s+/g, " ").trim();
  };

  Search.makeSearchSummary = function (htmlText, keywords, anchor) {
    var text = Search.htmlToText(htmlText, anchor);
    var words = typed.concat(Array.from(keywords));
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) {
      var found = new RegExp("\\b" + escaped(words[i]), "i").exec(text);
      if (found) at = found.index;
    }
    var start = Math.max(at - 120, 0);
    var summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent = (start > 0 ? "..." : "") + text.substr(start, 240).trim()
      + (start + 240 < text.length ? "..." : "");
    return summary;
  };
});
