"""The original sketch as an external worker: squares of 0..limit-1, checkpointed by checkpointd.

The sketch kept {"counter": n, "data": [0, 1, ..., (n-1)**2]} in a pickle file; here the same state
is a JSON checkpoint held by the service, and the worker serves jobs of kind seed-squares.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
import time

from .client import CheckpointdError, Client, LeaseLost, ProblemError, TransportError

KIND = "seed-squares"
STATE_VERSION = 1
DESCRIPTION = "The original sketch as an external Python worker: squares of 0..limit-1."
PARAMETERS = [
    {"name": "limit", "type": "integer", "defaultValue": 100, "minimum": 0, "maximum": 10000,
     "description": "How many squares to compute."},
    {"name": "delayMs", "type": "integer", "defaultValue": 500, "minimum": 0, "maximum": 60000,
     "description": "Simulated work before each iteration, in milliseconds."},
]

_STOPPED = object()
_SLICE = 0.05  # how long a stop can go unnoticed while sleeping or waiting for the service


def initial_state():
    return {"counter": 0, "data": []}


def step(state):
    """The next state, built whole and never by changing `state`: the caller swaps it in with one
    assignment, so whenever work stops the state is the old one or the new one, never a counter
    without its square (the sketch's resume appended a square twice)."""
    counter = state["counter"]
    return {"counter": counter + 1, "data": state["data"] + [counter * counter]}


def state_problem(checkpoint):
    """Why a checkpoint cannot be resumed from, or None if it can."""
    if checkpoint.get("stateVersion") != STATE_VERSION:
        return f"checkpoint has state version {checkpoint.get('stateVersion')}; this worker reads {STATE_VERSION}"
    state = checkpoint.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("counter"), int):
        return "checkpoint state has no integer counter"
    if state.get("data") != [i * i for i in range(state["counter"])]:
        return f"checkpoint state's data is not the squares of 0..{state['counter'] - 1}"
    return None


def _stderr(line):
    print(line, file=sys.stderr, flush=True)


class SquaresWorker:
    """Declares seed-squares, then claims and runs its jobs until stop() (or one job, with once)."""

    def __init__(self, client, name, wait=20, lease_ttl=None, once=False, log=_stderr):
        self.client = client
        self.name = name
        self.wait = wait
        self.lease_ttl = lease_ttl
        self.once = once
        self.log = log
        self.state = None  # the running job's state, replaced whole at each step
        self._stopping = False

    def stop(self):
        """Asks the worker to stop: the running job is released at its current iteration."""
        # Only a flag: this runs in a signal handler, where taking a lock (an Event takes one) could
        # deadlock against the main thread it interrupted while holding that lock.
        self._stopping = True

    @property
    def stopping(self):
        return self._stopping

    def run(self):
        """Serves jobs; returns the process exit code."""
        try:
            declared = self._idle(lambda: self.client.declare_kind(KIND, DESCRIPTION, PARAMETERS, STATE_VERSION, total_param="limit"))
            if declared is _STOPPED:
                return 0
            self.log(f"declared {KIND}; worker {self.name} claiming from {self.client.base_url}")
            while not self._stopping:
                job = self._idle(lambda: self.client.claim(self.name, [KIND], self.wait, self.lease_ttl))
                if job is _STOPPED:
                    break
                if job is not None:
                    self._serve(job)
                    if self.once:
                        break
        except ProblemError as e:  # the service refuses the declaration or the claim itself
            self.log(f"giving up: {e}")
            return 1
        self.log(f"worker {self.name} stopped")
        return 0

    def _idle(self, call):
        """Runs a call that can block for long (a long-poll, a retried request) in a helper thread,
        so that a stop while idle is honoured at once. Retries an unreachable service forever."""
        backoff = 1.0
        while not self._stopping:
            box = {}
            done = threading.Event()

            def target():
                try:
                    box["value"] = call()
                except BaseException as e:  # handed to the main thread below
                    box["error"] = e
                finally:
                    done.set()

            threading.Thread(target=target, name="checkpointd-idle", daemon=True).start()
            while not done.wait(_SLICE):
                if self._stopping:
                    # The call is left behind. Should a claim win a job after all, nobody will work
                    # on it: its lease lapses after the TTL and the job is taken over from there.
                    return _STOPPED
            error = box.get("error")
            if error is None:
                return box["value"]
            if not (isinstance(error, TransportError) or (isinstance(error, ProblemError) and error.transient)):
                raise error
            self.log(f"service unavailable ({error}); trying again in {backoff:.0f}s")
            if not self._sleep(backoff):
                break
            backoff = min(backoff * 2, 30.0)
        return _STOPPED

    def _sleep(self, seconds, job=None):
        """Waits in short slices: True when the time is up, False as soon as work must stop."""
        end = time.monotonic() + seconds
        while not (self._stopping or (job is not None and (job.stop_requested or job.lost))):
            left = end - time.monotonic()
            if left <= 0:
                return True
            time.sleep(min(left, _SLICE))
        return False

    def _serve(self, job):
        try:
            self._work(job)
        except LeaseLost:
            self.log(f"lease lost on {job.id}")
        except (TransportError, ProblemError) as e:
            if isinstance(e, ProblemError) and not e.transient:
                # The service refused a request: the same request would be refused on every retry.
                self._fail(job, str(e), retryable=False)
            else:
                job.abandon()
                self.log(f"abandoned {job.id} ({e}): it resumes from its last checkpoint once the lease lapses")
        except Exception as e:  # a bug here: let the service's attempts and backoff deal with it
            self._fail(job, f"{type(e).__name__}: {e}", retryable=True)
        finally:
            self.state = None

    def _work(self, job):
        limit = int(job.params["limit"])
        delay = int(job.params["delayMs"]) / 1000.0
        if job.resume is None:
            state = initial_state()
            self.log(f"claimed {job.id} at iteration 0 (no checkpoint)")
        else:
            problem = state_problem(job.resume)
            if problem:
                self._fail(job, problem, retryable=False)
                return
            state = job.resume["state"]
            self.log(f"claimed {job.id} at iteration {state['counter']} (checkpoint {job.resume['seq']})")
        self.state = state

        while state["counter"] < limit:
            if not self._sleep(delay, job):
                break
            state = step(state)
            self.state = state
            job.progress(state["counter"])
            # No checkpoint at the end: the success that follows is durable itself.
            if state["counter"] < limit and job.checkpoint_due(state["counter"]):
                answer = job.checkpoint(state["counter"], state, STATE_VERSION)
                self.log(f"checkpointed {job.id} seq {answer.get('seq', job.seq)} at iteration {state['counter']}")
        else:
            job.succeed({"data": state["data"]}, state["counter"])
            self.log(f"succeeded {job.id}")
            return

        if job.lost:  # the heartbeat thread heard it first
            raise LeaseLost(job.id)
        why = "stopping" if self._stopping else f"{(job.stop_requested or 'stop').lower()} requested"
        counter = state["counter"]
        # A state already checkpointed is durable: sending it again would only add a duplicate.
        final = None if counter == (job.checkpointed_iteration or 0) else state
        job.release(counter, final, STATE_VERSION)
        self.log(f"released {job.id} at iteration {counter} ({why})")

    def _fail(self, job, error, retryable):
        try:
            job.fail(error, retryable)
            self.log(f"failed {job.id}: {error}")
        except LeaseLost:
            self.log(f"lease lost on {job.id}")
        except CheckpointdError as e:
            job.abandon()
            self.log(f"abandoned {job.id}: could not report its failure ({error}): {e}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="checkpointd-squares-worker",
        description=f"Serves checkpointd jobs of kind {KIND}: the original squares sketch as an external worker.")
    parser.add_argument("--url", default=os.environ.get("CHECKPOINTD_URL") or "http://127.0.0.1:8080",
                        help="the service (default: $CHECKPOINTD_URL, else http://127.0.0.1:8080)")
    parser.add_argument("--name", default=f"{socket.gethostname()}-{os.getpid()}",
                        help="this worker's name in job leases (default: <hostname>-<pid>)")
    parser.add_argument("--wait", type=int, default=20, help="claim long-poll, in seconds (default: 20)")
    parser.add_argument("--lease-ttl", type=float, default=None, help="lease TTL to ask for, in seconds")
    parser.add_argument("--once", action="store_true", help="serve one job, then exit")
    args = parser.parse_args(argv)

    worker = SquaresWorker(Client(args.url), args.name, args.wait, args.lease_ttl, args.once)

    def on_signal(signum, frame):
        if worker.stopping:
            raise KeyboardInterrupt  # a second signal: do not wait for the release any longer
        worker.stop()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        return worker.run()
    except KeyboardInterrupt:
        _stderr("interrupted again: exiting without releasing")
        return 130


if __name__ == "__main__":
    sys.exit(main())
