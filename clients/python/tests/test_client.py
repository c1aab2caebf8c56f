import socket
import time
import unittest

from checkpointd import Client, Job, LeaseLost, ProblemError, RetryPolicy, TransportError
from checkpointd.squares import PARAMETERS

from .fakeserver import FakeServer


def no_sleep_client(url, attempts=4, slept=None):
    sleep = slept.append if slept is not None else (lambda s: None)
    return Client(url, retry=RetryPolicy(attempts=attempts, sleep=sleep), timeout=5)


def squares_state(n):
    return {"counter": n, "data": [i * i for i in range(n)]}


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeServer().__enter__()
        self.addCleanup(self.fake.__exit__)
        self.client = no_sleep_client(self.fake.url)
        self.client.declare_kind("seed-squares", "test kind", PARAMETERS, 1)

    def claim(self, **kw):
        job = self.client.claim("w1", ["seed-squares"], wait_seconds=1, **kw)
        self.assertIsNotNone(job)
        self.addCleanup(job.abandon)  # stops its heartbeat thread whatever the test did
        return job

    def test_claim_answers_none_after_the_wait_when_no_job_comes(self):
        started = time.monotonic()
        self.assertIsNone(self.client.claim("w1", ["seed-squares"], wait_seconds=0.2))
        self.assertGreaterEqual(time.monotonic() - started, 0.15)

    def test_claim_returns_the_job_with_defaults_lease_and_checkpoint(self):
        job_id = self.fake.enqueue(params={"limit": 30}, every_iterations=None, every_seconds=2.5,
                                   checkpoint={"seq": 4, "iteration": 20, "stateVersion": 1, "state": squares_state(20)})
        job = self.claim(heartbeat=False)
        self.assertEqual(job.id, job_id)
        self.assertEqual(job.params, {"limit": 30, "delayMs": 500})
        self.assertEqual((job.every_iterations, job.every_seconds), (None, 2.5))
        self.assertEqual(job.resume["state"], squares_state(20))
        self.assertEqual((job.seq, job.checkpointed_iteration), (4, 20))
        self.assertEqual(job.lease["worker"], "w1")

    def test_declare_kind_is_idempotent_and_conflicts_are_problems(self):
        self.assertEqual(self.client.declare_kind("seed-squares", "test kind", PARAMETERS, 1)["runs"], "external")
        with self.assertRaises(ProblemError) as caught:
            self.client.declare_kind("squares", "taken", PARAMETERS, 1)
        e = caught.exception
        self.assertEqual((e.status, e.type), (409, "/problems/kind-conflict"))
        self.assertIn("built-in", e.detail)
        self.assertFalse(e.transient or e.lease_lost)

    def test_invalid_field_errors_are_parsed(self):
        with self.assertRaises(ProblemError) as caught:
            self.client.declare_kind("x", "bad", [{"name": "limit"}], 0)
        e = caught.exception
        self.assertEqual(e.status, 400)
        self.assertEqual([x["field"] for x in e.errors], ["parameters[0]", "stateVersion"])
        self.assertIn("stateVersion: must be an integer >= 1", str(e))

    def test_checkpoints_are_numbered_from_the_claim_and_a_resend_makes_no_second_one(self):
        job_id = self.fake.enqueue(checkpoint={"seq": 4, "iteration": 20, "stateVersion": 1, "state": squares_state(20)})
        job = self.claim(heartbeat=False)
        self.assertEqual(job.checkpoint(25, squares_state(25))["seq"], 5)
        # The service commits the next one but the answer is lost: the client resends the same seq.
        self.fake.drop_answers.add("checkpoints")
        self.assertEqual(job.checkpoint(30, squares_state(30))["seq"], 6)
        self.assertEqual(job.checkpoint(35, squares_state(35))["seq"], 7)
        sent = [b["seq"] for _, b in self.fake.writes(job_id, "checkpoints")]
        self.assertEqual(sent, [5, 6, 6, 7])
        self.assertEqual([c["checkpoint"]["seq"] for c in self.fake.job(job_id)["checkpoints"]], [4, 5, 6, 7])
        self.assertEqual(self.fake.latest_checkpoint(job_id)["state"], squares_state(35))

    def test_succeed_is_resent_after_a_lost_answer(self):
        job_id = self.fake.enqueue(params={"limit": 3})
        job = self.claim(heartbeat=False)
        self.fake.drop_answers.add("succeed")
        self.assertEqual(job.succeed({"data": [0, 1, 4]}, 3)["status"], "SUCCEEDED")
        self.assertEqual(len(self.fake.writes(job_id, "succeed")), 2)
        self.assertTrue(job.closed)

    def test_a_claim_whose_answer_was_lost_is_resent_and_gets_the_same_job(self):
        first = self.fake.enqueue()
        second = self.fake.enqueue()
        self.fake.drop_answers.add("claim")
        job = self.claim(heartbeat=False)
        self.assertEqual(job.id, first)
        self.assertEqual(self.fake.job(second)["status"], "QUEUED")
        claims = [r for r in self.fake.requests if r[1] == "/workers/claim"]
        self.assertEqual(len(claims), 2)

    def test_lease_lost_drops_the_job_and_nothing_more_is_sent(self):
        job_id = self.fake.enqueue()
        job = self.claim(heartbeat=False)
        self.fake.take_over(job_id)
        with self.assertRaises(LeaseLost):
            job.checkpoint(5, squares_state(5))
        self.assertTrue(job.lost)
        before = len(self.fake.writes(job_id))
        for write in (lambda: job.heartbeat(6), lambda: job.release(6, squares_state(6)), lambda: job.succeed({}, 6)):
            with self.assertRaises(LeaseLost):
                write()
        self.assertEqual(len(self.fake.writes(job_id)), before)

    def test_a_503_is_retried_after_its_retry_after(self):
        slept = []
        client = no_sleep_client(self.fake.url, slept=slept)
        self.fake.enqueue()
        self.fake.fail_next(503, retry_after=2)
        job = client.claim("w1", ["seed-squares"], wait_seconds=1, heartbeat=False)
        self.assertIsNotNone(job)
        self.assertEqual(slept, [2.0])

    def test_retries_are_bounded(self):
        slept = []
        client = no_sleep_client(self.fake.url, attempts=3, slept=slept)
        self.fake.fail_next(500, times=5)
        with self.assertRaises(ProblemError) as caught:
            client.claim("w1", ["seed-squares"], wait_seconds=1)
        self.assertEqual(caught.exception.status, 500)
        self.assertTrue(caught.exception.transient)
        self.assertEqual(len(slept), 2)
        self.assertEqual(len(self.fake.requests), 1 + 3)  # the declaration, then three tries

    def test_connection_refused_is_retried_then_reported(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        slept = []
        with self.assertRaises(TransportError):
            no_sleep_client(f"http://127.0.0.1:{port}", attempts=3, slept=slept).claim("w1", ["x"], 1)
        self.assertEqual(len(slept), 2)

    def test_heartbeats_renew_the_lease_and_surface_a_stop_request(self):
        job_id = self.fake.enqueue()
        job = self.claim(lease_ttl_seconds=0.3)  # renewed about every 0.1 s
        time.sleep(0.6)  # twice the TTL: the lease would have lapsed without heartbeats
        self.assertGreaterEqual(len(self.fake.writes(job_id, "heartbeat")), 3)
        self.assertEqual(self.fake.job(job_id)["status"], "RUNNING")
        self.fake.request_stop(job_id, "PAUSE")
        wait_for(lambda: job.stop_requested == "PAUSE")
        self.assertEqual(job.release(0)["status"], "PAUSED")
        beats = len(self.fake.writes(job_id, "heartbeat"))
        time.sleep(0.25)
        self.assertEqual(len(self.fake.writes(job_id, "heartbeat")), beats, "heartbeats after the release")

    def test_the_heartbeat_thread_notices_a_lost_lease(self):
        job_id = self.fake.enqueue()
        job = self.claim(lease_ttl_seconds=0.3)
        self.fake.take_over(job_id)
        wait_for(lambda: job.lost)
        with self.assertRaises(LeaseLost):
            job.checkpoint(5, squares_state(5))


class CheckpointPolicyTest(unittest.TestCase):
    class StubClient:
        def call(self, method, path, body=None, timeout=None):
            return {"seq": body.get("seq"), "lease": {"token": "t", "ttlSeconds": 12.0}, "stopRequested": None}

    def job(self, every_iterations, every_seconds, resume=None):
        self.now = 100.0
        claim = {"job": {"id": "j", "checkpoint": {"everyIterations": every_iterations, "everySeconds": every_seconds}},
                 "lease": {"token": "t", "ttlSeconds": 12.0}, "checkpoint": resume}
        return Job(self.StubClient(), claim, clock=lambda: self.now)

    def test_every_iterations_counts_from_the_last_checkpoint(self):
        job = self.job(5, None, resume={"seq": 1, "iteration": 5, "stateVersion": 1, "state": {}})
        self.assertEqual([i for i in range(5, 16) if job.checkpoint_due(i)], [10, 11, 12, 13, 14, 15])
        job.checkpoint(12, {})
        self.assertEqual(job.seq, 2)
        self.assertFalse(job.checkpoint_due(16))
        self.assertTrue(job.checkpoint_due(17))

    def test_every_seconds_counts_time_since_the_last_checkpoint(self):
        job = self.job(None, 2.5)
        self.assertFalse(job.checkpoint_due(1000))
        self.now += 2.5
        self.assertTrue(job.checkpoint_due(1))
        self.assertFalse(job.checkpoint_due(0), "no new iteration, nothing to save")
        job.checkpoint(3, {})
        self.now += 1
        self.assertFalse(job.checkpoint_due(4))

    def test_whichever_comes_first(self):
        job = self.job(10, 1.0)
        self.assertFalse(job.checkpoint_due(3))
        self.assertTrue(job.checkpoint_due(10))
        self.now += 1.0
        self.assertTrue(job.checkpoint_due(3))


def wait_for(condition, timeout=3.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


if __name__ == "__main__":
    unittest.main()
