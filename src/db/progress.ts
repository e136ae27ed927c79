/**
 * A progress reporter for long work: a one-line bar on a terminal, plain lines (every 10%)
 * otherwise, so logs of CI and cron jobs stay readable.
 */
export function progress(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(out.isTTY);
  let last = -1;
  return (done: number) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    if (tty) {
      const bar = '█'.repeat(Math.floor(pct / 4)).padEnd(25, '░');
      out.write(`\r${label} ${bar} ${pct}% (${done}/${total})${done >= total ? '\n' : ''}`);
    } else if (pct % 10 === 0) {
      out.write(`${label}: ${pct}% (${done}/${total})\n`);
    }
  };
}
