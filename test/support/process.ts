import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, createServer } from "node:net";

/** The real entry point as an operator runs it, in a child process (tsx, or the compiled build). */
export function run(
  env: Record<string, string>,
  args: string[] = [],
  entry = ["--import", "tsx", "src/main.ts"],
) {
  const child = spawn(process.execPath, [...entry, ...args], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  return { child, output: () => out };
}

/**
 * Resolves once the process prints the API's address (it listens only after every role started),
 * or rejects when it exits first. The ceiling is generous: a loaded CI machine starts slowly, and
 * the signal, not the clock, is what the test waits for.
 */
export function listening(child: ChildProcess, output: () => string, ceilingMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (/API: http:\/\//.test(output())) done(resolve);
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`no start within ${ceilingMs} ms:\n${output()}`))),
      ceilingMs,
    );
    const onExit = (code: number | null) =>
      done(() => reject(new Error(`exited with ${code}:\n${output()}`)));
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off("data", check);
      child.off("exit", onExit);
      then();
    };
    child.stdout?.on("data", check);
    child.once("exit", onExit);
    check();
  });
}

export async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, "exit");
  return code as number | null;
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}
