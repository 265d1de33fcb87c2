// Loaded in <head> before the page paints: styles keyed on .js apply from the first frame.
// (A file, not an inline <script>: the Content-Security-Policy allows no inline script.)
document.documentElement.className = "js";
