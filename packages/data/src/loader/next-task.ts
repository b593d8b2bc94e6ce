/**
 * Resolves in a later task of the event loop, so timers, I/O and worker messages waiting there
 * run first (a microtask would not let them). A MessageChannel message is such a task in
 * browsers, workers and Node alike, without setTimeout's 4 ms clamp in browsers; the channel is
 * closed once used so it never keeps a Node process alive.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
