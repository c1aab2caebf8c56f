import os
import queue
import signal
import subprocess
import sys
import threading
import time
import unittest

from checkpointd import Client, RetryPolicy
from checkpointd.squares import DESCRIPTION, KIND, PARAMETERS, STATE_VERSION, SquaresWorker, main

from .fakeserver import FakeServer
from .test_client import squares_state, wait_for

WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "squares_worker.py")


def squares(n):
    return [i * i for i in range(n)]


class WorkerTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeServer().__enter__()
        self.addCleanup(self.fake.__exit__)
        self.lines = []

    def worker(self, log=None, **kw):
        client = Client(self.fake.url, retry=RetryPolicy(attempts=3, initial_backoff=0.01), timeout=5)
        return SquaresWorker(client, "test-worker", wait=1, once=True, log=log or self.lines.append, **kw)

    def start(self, worker):
        """Runs the worker in a thread; returns a function that waits for its exit code."""
        codes = []
        thread = threading.Thread(target=lambda: codes.append(worker.run()), daemon=True)
        thread.start()

        def join(timeout=5.0):
            thread.join(timeout)
            self.assertFalse(thread.is_alive(), "the worker did not stop")
            return codes[0]
        return join

    def declared(self):
        """Declares the kind the way the worker does, so jobs can be queued before it starts."""
        self.worker().client.declare_kind(KIND, DESCRIPTION, PARAMETERS, STATE_VERSION)

    def logged(self, prefix):
        return [line for line in self.lines if line.startswith(prefix)]

    def test_a_job_runs_to_its_exact_result(self):
        self.declared()
        job_id = self.fake.enqueue(params={"limit": 12, "delayMs": 0})
        self.assertEqual(self.worker().run(), 0)
        job = self.fake.job(job_id)
        self.assertEqual((job["status"], job["result"]), ("SUCCEEDED", {"data": squares(12)}))
        cps = [(b["seq"], b["iteration"], b["state"]) for _, b in self.fake.writes(job_id, "checkpoints")]
        self.assertEqual(cps, [(1, 5, squares_state(5)), (2, 10, squares_state(10))])
        self.assertEqual(self.logged("claimed"), [f"claimed {job_id} at iteration 0 (no checkpoint)"])
        self.assertEqual(self.logged("checkpointed"), [f"checkpointed {job_id} seq 1 at iteration 5",
                                                       f"checkpointed {job_id} seq 2 at iteration 10"])
        self.assertEqual(self.logged("succeeded"), [f"succeeded {job_id}"])

    def test_resuming_from_a_checkpoint_at_5_appends_each_square_once(self):
        self.declared()
        job_id = self.fake.enqueue(params={"limit": 12, "delayMs": 0},
                                   checkpoint={"seq": 1, "iteration": 5, "stateVersion": 1, "state": squares_state(5)})
        self.worker().run()
        self.assertEqual(self.fake.job(job_id)["result"], {"data": squares(12)})
        self.assertEqual([(b["seq"], b["iteration"]) for _, b in self.fake.writes(job_id, "checkpoints")], [(2, 10)])
        self.assertEqual(self.logged("claimed"), [f"claimed {job_id} at iteration 5 (checkpoint 1)"])

    def test_a_stop_mid_run_releases_the_exact_current_state_and_a_resume_finishes_exactly(self):
        self.declared()
        job_id = self.fake.enqueue(params={"limit": 40, "delayMs": 10}, every_iterations=1000)
        worker = self.worker()
        join = self.start(worker)
        wait_for(lambda: (worker.state or {}).get("counter", 0) >= 7)
        worker.stop()
        self.assertEqual(join(), 0)

        job = self.fake.job(job_id)
        self.assertEqual(job["status"], "QUEUED")
        (action, release), = self.fake.writes(job_id, "release")
        n = release["iteration"]
        self.assertGreaterEqual(n, 7)
        self.assertEqual((release["seq"], release["state"]), (1, squares_state(n)))
        self.assertEqual(self.fake.latest_checkpoint(job_id)["state"], squares_state(n))
        self.assertEqual(self.logged("released"), [f"released {job_id} at iteration {n} (stopping)"])

        self.lines.clear()
        self.worker().run()
        self.assertEqual(self.fake.job(job_id)["result"], {"data": squares(40)})
        self.assertEqual(self.logged("claimed"), [f"claimed {job_id} at iteration {n} (checkpoint 1)"])

    def test_a_pause_heard_at_a_checkpoint_releases_at_once(self):
        self.declared()
        job_id = self.fake.enqueue(params={"limit": 50, "delayMs": 0})
        self.fake.request_stop(job_id, "PAUSE")
        self.worker().run()
        job = self.fake.job(job_id)
        self.assertEqual((job["status"], job["iteration"]), ("PAUSED", 5))
        (_, release), = self.fake.writes(job_id, "release")
        self.assertNotIn("state", release, "the state was just checkpointed")
        self.assertEqual(self.logged("released"), [f"released {job_id} at iteration 5 (pause requested)"])

    def test_a_lost_lease_drops_the_job(self):
        self.declared()
        job_id = self.fake.enqueue(params={"limit": 50, "delayMs": 0})

        def log(line):
            self.lines.append(line)
            if line.startswith("checkpointed"):
                self.fake.take_over(job_id)
        self.assertEqual(self.worker(log=log).run(), 0)
        writes = self.fake.writes(job_id)
        self.assertEqual([(a, b.get("seq")) for a, b in writes], [("checkpoints", 1), ("checkpoints", 2)])
        self.assertEqual(self.logged("lease lost"), [f"lease lost on {job_id}"])
        self.assertEqual(self.fake.latest_checkpoint(job_id)["seq"], 1)

    def test_a_checkpoint_it_cannot_read_fails_the_job(self):
        self.declared()
        job_id = self.fake.enqueue(params={"limit": 12, "delayMs": 0},
                                   checkpoint={"seq": 1, "iteration": 5, "stateVersion": 1,
                                               "state": {"counter": 5, "data": [0, 1, 4, 9, 16, 16]}})
        self.worker().run()
        job = self.fake.job(job_id)
        self.assertEqual(job["status"], "FAILED")
        self.assertIn("not the squares", job["error"])

    def test_a_stop_while_idle_is_prompt(self):
        worker = self.worker()
        worker.wait = 5
        join = self.start(worker)
        wait_for(lambda: any(p == "/workers/claim" for _, p, _ in self.fake.requests))
        started = time.monotonic()
        worker.stop()
        self.assertEqual(join(), 0)
        self.assertLess(time.monotonic() - started, 0.5)

    def test_an_unknown_option_is_a_usage_error(self):
        with open(os.devnull, "w") as devnull:
            stderr, sys.stderr = sys.stderr, devnull
            try:
                with self.assertRaises(SystemExit) as caught:
                    main(["--no-such-option"])
            finally:
                sys.stderr = stderr
        self.assertEqual(caught.exception.code, 2)


class SignalTest(unittest.TestCase):
    """The runnable file, uninstalled, in its own process, stopped by real signals."""

    def setUp(self):
        self.fake = FakeServer().__enter__()
        self.addCleanup(self.fake.__exit__)

    def spawn(self):
        proc = subprocess.Popen([sys.executable, WORKER_SCRIPT, "--url", self.fake.url, "--once", "--wait", "5"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                cwd=os.path.dirname(WORKER_SCRIPT))
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.addCleanup(proc.stderr.close)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in proc.stderr], daemon=True).start()
        seen = []

        def expect(prefix, timeout=5.0):
            deadline = time.monotonic() + timeout
            while True:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                seen.append(line)
                if line.startswith(prefix):
                    return line
        return proc, expect, seen

    def test_sigint_mid_run_releases_the_current_iteration_and_exits_0(self):
        proc, expect, seen = self.spawn()
        expect("declared")
        job_id = self.fake.enqueue(params={"limit": 400, "delayMs": 10})
        expect(f"checkpointed {job_id} seq 1 at iteration 5")
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(5), 0)
        released = expect(f"released {job_id} at iteration ")
        n = int(released.split()[4])
        job = self.fake.job(job_id)
        self.assertEqual((job["status"], job["iteration"]), ("QUEUED", n))
        self.assertEqual(self.fake.latest_checkpoint(job_id)["state"], squares_state(n))

    def test_sigterm_while_idle_exits_0_promptly(self):
        proc, expect, seen = self.spawn()
        expect("declared")
        wait_for(lambda: any(p == "/workers/claim" for _, p, _ in self.fake.requests))
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(5), 0)
        self.assertLess(time.monotonic() - started, 1.0)


if __name__ == "__main__":
    unittest.main()
