// The same calls as contentgen-llm-bench, through the official OpenAI Node SDK (openai@6), against
// the same mock server. Prints one JSON line. CPU: process.cpuUsage() (all threads of the process).
import OpenAI from "openai";
import { readFileSync } from "node:fs";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, v, i, all) => {
  if (v.startsWith("--")) pairs.push([v.slice(2), all[i + 1] && !all[i + 1].startsWith("--") ? all[i + 1] : "true"]);
  return pairs;
}, []));
const url = args.url;
const calls = Number(args.calls ?? 1000);
const concurrency = Number(args.concurrency ?? 1);
const warmup = Number(args.warmup ?? 200);
const maxTokens = Number(args["max-tokens"] ?? 64);

const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "bench-key", maxRetries: 0 });
const request = {
  model: "gpt-bench",
  messages: [
    { role: "system", content: "You are a helpful writer." },
    { role: "user", content: "Write a short paragraph about benchmarks." },
  ],
  max_tokens: maxTokens,
};

let failed = 0;
async function run(n) {
  let next = 0;
  async function worker() {
    while (next < n) {
      next++;
      try {
        await client.chat.completions.create(request);
      } catch (e) {
        if (failed++ < 3) console.error("call failed:", e.message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}

await run(Math.min(warmup, calls));
failed = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await run(calls);
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({
  client: "openai-node@" + JSON.parse(readFileSync(new URL("./node_modules/openai/package.json", import.meta.url))).version,
  calls, concurrency, failed,
  wall_s: +wall.toFixed(3),
  calls_per_s: +(calls / wall).toFixed(1),
  cpu_us_per_call: +(cpuSeconds / calls * 1e6).toFixed(1),
  user_us_per_call: +(cpu.user / calls).toFixed(1),
  sys_us_per_call: +(cpu.system / calls).toFixed(1),
  max_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
}));
process.exit(failed === 0 ? 0 : 1);
