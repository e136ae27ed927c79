/**
 * The widget's style sheet, inside its shadow root (so the portal's CSS cannot break it). A portal
 * themes it with the `--pm-*` custom properties, which cross the shadow boundary.
 */
export const CSS = `
:host {
  display: block; font-family: var(--pm-font, system-ui, sans-serif); color: var(--pm-text, #1d2733);
  background: var(--pm-bg, #fff); border: 1px solid var(--pm-border, #d6dde6); border-radius: var(--pm-radius, 10px);
  padding: 16px;
}
h2 { font-size: 1.05rem; margin: 0 0 4px; }
.sub { color: var(--pm-muted, #5b6b7c); font-size: .85rem; margin: 0 0 12px; }
.status { float: right; font-size: .75rem; color: var(--pm-muted, #5b6b7c); }
.status.live::before { content: "● "; color: var(--pm-accent, #0a7d5a); }
ol { list-style: none; margin: 0; padding: 0; }
li.match { padding: 10px 0; border-top: 1px solid var(--pm-border, #d6dde6); }
li.match.new { animation: flash 2s ease-out; }
@keyframes flash { from { background: var(--pm-highlight, #e5f6ef); } to { background: transparent; } }
.name { font-weight: 600; }
.meta { font-size: .8rem; color: var(--pm-muted, #5b6b7c); }
.badge {
  font-size: .7rem; background: var(--pm-accent, #0a7d5a); color: #fff; border-radius: 8px; padding: 1px 6px;
  margin-left: 6px;
}
.reasons { margin: 4px 0 0; padding-left: 18px; font-size: .8rem; }
.score { float: right; font-variant-numeric: tabular-nums; color: var(--pm-accent, #0a7d5a); font-weight: 600; }
button {
  font: inherit; font-size: .8rem; border: 1px solid var(--pm-accent, #0a7d5a); color: var(--pm-accent, #0a7d5a);
  background: transparent; border-radius: 6px; padding: 3px 10px; cursor: pointer; margin-top: 6px;
}
button:disabled { opacity: .6; cursor: default; }
.team { margin-top: 12px; font-size: .85rem; }
.error { color: #b3261e; }
li.refused { padding: 10px 0; border-top: 1px solid var(--pm-border, #d6dde6); }
.status.refused { color: #b3261e; }
`;
