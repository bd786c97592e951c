// Keeps a view current: follows an event stream and refreshes on each event; when the stream is not there (404) or breaks,
// refreshes on a modest interval instead, and tries the stream again after a while. An event can arrive before the state it
// announces is readable, so each burst of events is followed by a second read, and a slow poll runs even while live.
import { follow, ProblemError } from "./api.js";

/**
 * Starts following. refresh() is called (at most every 300 ms) after events and on each poll; status(text) says how the view
 * is kept current. Returns a function that stops everything.
 */
export function keepCurrent({ path, refresh, status, pollMs = 5000, isDone = () => false }) {
  const controller = new AbortController();
  let pending = null;
  let trailing = null;
  let timer = null;
  let safety = null;
  let stopped = false;

  const schedule = () => {
    if (stopped) {
      return;
    }
    if (pending === null) {
      pending = setTimeout(async () => {
        pending = null;
        await refresh();
      }, 300);
    }
    clearTimeout(trailing);
    trailing = setTimeout(refresh, 2000);
  };

  const poll = (retryStreamAfter) => {
    status(`Refreshing every ${Math.round(pollMs / 1000)} s`);
    let waited = 0;
    timer = setInterval(async () => {
      if (stopped) {
        return;
      }
      await refresh();
      waited += pollMs;
      if (retryStreamAfter && waited >= retryStreamAfter && !isDone()) {
        clearInterval(timer);
        timer = null;
        connect();
      }
    }, pollMs);
  };

  const connect = async () => {
    if (stopped || isDone()) {
      return;
    }
    try {
      await follow(path, {
        signal: controller.signal,
        onOpen: () => {
          status("Live");
          schedule(); // catch up on anything missed before the stream opened
          clearInterval(safety);
          safety = setInterval(() => !stopped && refresh(), pollMs * 2);
        },
        onEvent: schedule,
      });
      // The server ended the stream (a run's stream ends with the run).
      clearInterval(safety);
      await refresh();
      if (!isDone() && !stopped) {
        poll(30_000);
      } else {
        status("Finished");
      }
    } catch (error) {
      clearInterval(safety);
      if (stopped || error?.name === "AbortError") {
        return;
      }
      // No stream here (404), or it broke: poll, and look for the stream again later unless it does not exist.
      poll(error instanceof ProblemError && error.status === 404 ? 0 : 30_000);
    }
  };

  connect();
  return () => {
    stopped = true;
    controller.abort();
    clearTimeout(pending);
    clearTimeout(trailing);
    clearInterval(timer);
    clearInterval(safety);
  };
}
