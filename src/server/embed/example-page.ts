/** Key texts a page may carry: a publishable key's alphabet, nothing that could leave the attribute. */
const KEY_TEXT = /^pk_[A-Za-z0-9_-]{1,100}$/;

/**
 * /embed/example.html: a sample portal page that embeds the widget with one script and one
 * element, and, where a publishable key allows the page's origin, that key (as a portal's page
 * would carry its own). Only a publishable key is ever written into it: it is a public page.
 */
export function examplePortalPage(challengeId: string | undefined, publishableKey?: string): string {
  const id = challengeId ? challengeId.replace(/[^0-9a-f-]/gi, '') : '';
  const key = publishableKey && KEY_TEXT.test(publishableKey) ? ` api-key="${publishableKey}"` : '';
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wetenschapsknooppunt Twente · partners voor onze uitdaging</title>
<style>
  body { font-family: Georgia, serif; margin: 0; background: #f4f1ea; color: #222; }
  header { background: #24475e; color: #fff; padding: 18px 32px; }
  main { max-width: 760px; margin: 24px auto; padding: 0 16px; }
  partner-matches { --pm-accent: #24475e; --pm-font: system-ui, sans-serif; margin-top: 16px; }
</style>
</head>
<body>
<header><strong>Wetenschapsknooppunt Twente</strong> · open schooling</header>
<main>
  <h1>Wie helpt onze leerlingen verder?</h1>
  <p>Deze partners passen bij de uitdaging van onze school.
    De lijst werkt zichzelf bij zodra een nieuwe partner past.</p>
  <script src="/embed/matches.js"></script>
  <partner-matches challenge-id="${id}" limit="5" lang="nl"${key}></partner-matches>
</main>
</body>
</html>`;
}
