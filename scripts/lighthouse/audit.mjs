// Lighthouse for scripts/lighthouse.py: one Node process for a whole run of audits, driving the
// Chromium that the script started (its DevTools port is the one argument).
//
// Starting Lighthouse's command line for each audit cost about 5 s of its 12: Node's start, and
// about 3 s between writing the report and exiting. Here each request is one line of JSON,
// {"url": ..., "categories": [...], "audits": [...]}, and each answer one line: the categories'
// scores, the named audits' numeric values and the host's benchmark index, or the error.
// Lighthouse's default mobile settings apply, and it resets the browser's storage before each
// audit, as the command line does.

import readline from "node:readline";
import lighthouse from "lighthouse";

const port = Number(process.argv[2]);

async function waitForChromium(timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/json/version`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no Chromium answers on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function figures(lhr, audits) {
  return {
    categories: Object.fromEntries(
      Object.entries(lhr.categories).map(([name, category]) => [name, category.score]),
    ),
    audits: Object.fromEntries(audits.map((name) => [name, lhr.audits[name].numericValue])),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

async function audit({ url, categories, audits }) {
  try {
    const result = await lighthouse(url, {
      port,
      onlyCategories: categories,
      logLevel: "error",
      disableFullPageScreenshot: true,
    });
    const failure = result?.lhr?.runtimeError;
    return failure ? { error: `${failure.code}: ${failure.message}` } : figures(result.lhr, audits);
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
}

await waitForChromium();
for await (const line of readline.createInterface({ input: process.stdin })) {
  process.stdout.write(`${JSON.stringify(await audit(JSON.parse(line)))}\n`);
}
process.exit(0);
