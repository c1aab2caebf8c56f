"""HTTP client for checkpointd's external-worker protocol (Python standard library only)."""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

log = logging.getLogger("checkpointd")


class CheckpointdError(Exception):
    """Base class of everything this client raises on purpose."""


class ProblemError(CheckpointdError):
    """The service answered an error (an application/problem+json body, RFC 9457)."""

    def __init__(self, status, type=None, title=None, detail=None, errors=None, retry_after=None):
        self.status = status
        self.type = type or "about:blank"
        self.title = title
        self.detail = detail
        self.errors = errors or []  # [{"field": ..., "message": ...}] for invalid fields
        self.retry_after = retry_after  # seconds, from a Retry-After header
        super().__init__(self._message())

    @property
    def transient(self):
        """True when trying again later may work: the request itself was not at fault."""
        return self.status >= 500 or self.status == 429

    @property
    def lease_lost(self):
        return self.status == 409 and self.type.endswith("lease-lost")

    def _message(self):
        text = f"{self.status} {self.title or 'error'}"
        if self.detail:
            text += f": {self.detail}"
        for e in self.errors:
            if isinstance(e, dict):
                text += f"; {e.get('field')}: {e.get('message')}"
        return text

    @classmethod
    def from_response(cls, status, raw, retry_after=None):
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = None
        if not isinstance(body, dict):
            # Not a problem document (a proxy's HTML page, say): keep a readable piece of it.
            text = raw.decode("utf-8", "replace").strip()[:300]
            return cls(status, detail=text or None, retry_after=retry_after)
        return cls(status, body.get("type"), body.get("title"), body.get("detail"), body.get("errors"), retry_after)


class TransportError(CheckpointdError):
    """No answer from the service (refused, reset, timed out), after every retry."""


class LeaseLost(CheckpointdError):
    """This worker no longer holds the job: it must drop it and write nothing more for it."""

    def __init__(self, job_id, detail=None):
        self.job_id = job_id
        self.detail = detail
        super().__init__(f"lease lost on job {job_id}" + (f": {detail}" if detail else ""))


class JobClosed(CheckpointdError):
    """The job was already succeeded, failed, released or abandoned by this worker."""


def _retry_after_seconds(value):
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:  # the other form allowed: an HTTP date
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RetryPolicy:
    """Bounded retries for failures that say nothing about the request itself: no connection, a
    reset, a timeout, a 5xx or 429 (waiting what Retry-After asks, up to max_retry_after)."""

    def __init__(self, attempts=6, initial_backoff=0.25, max_backoff=4.0, max_retry_after=30.0, sleep=time.sleep):
        self.attempts = max(1, attempts)  # including the first try
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.sleep = sleep

    def delay(self, retry, retry_after=None):
        """Seconds to wait before retry number `retry` (0 for the first)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        base = min(self.max_backoff, self.initial_backoff * 2**retry)
        # Jitter: workers that lost the service at the same moment should not all come back at once.
        return base * random.uniform(0.5, 1.0)


class Client:
    """One checkpointd service. Thread-safe: it keeps no per-request state."""

    def __init__(self, base_url, retry=None, timeout=10.0):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        # Direct connections, ignoring http_proxy: a proxy set up for downloads would otherwise take
        # a worker's traffic to a service on the same host or network.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def declare_kind(self, name, description, parameters=(), state_version=1, total_param=None):
        """Declares (idempotently) a kind that external workers run; returns the kind as stored.
        total_param names the integer parameter that says how many iterations a job takes."""
        body = {"description": description, "parameters": list(parameters), "stateVersion": state_version}
        if total_param is not None:
            body["totalParam"] = total_param
        return self.call("PUT", "/kinds/" + urllib.parse.quote(name, safe=""), body)

    def claim(self, worker, kinds, wait_seconds=20, lease_ttl_seconds=None, heartbeat=True):
        """Waits up to wait_seconds for a job of one of `kinds`; returns a Job, or None if none came.
        With heartbeat=True the job's lease is renewed in the background until it is finished."""
        body = {"worker": worker, "kinds": list(kinds), "waitSeconds": wait_seconds}
        if lease_ttl_seconds is not None:
            body["leaseTtlSeconds"] = lease_ttl_seconds
        # The service holds the request up to wait_seconds, so the socket must wait longer than that.
        # One key for every try of this claim: a claim resent after its answer was lost gets the job
        # it leased, instead of a second one while the first waits out its lease.
        answer = self.call("POST", "/workers/claim", body, timeout=wait_seconds + self.timeout,
                           headers={"Idempotency-Key": uuid.uuid4().hex})
        if answer is None:
            return None
        job = Job(self, answer)
        if heartbeat:
            job.start_heartbeat()
        return job

    def call(self, method, path, body=None, timeout=None, headers=None):
        """One request, retried per the retry policy; the decoded JSON answer, or None for 204."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        retry = 0
        while True:
            retry_after = None
            try:
                return self._send(method, path, data, timeout or self.timeout, headers)
            except ProblemError as e:
                if not e.transient or retry + 1 >= self.retry.attempts:
                    raise
                retry_after = e.retry_after
            except (OSError, http.client.HTTPException) as e:
                # Refused, reset, timed out, or closed before the answer. The request may have been
                # carried out: every write this client retries is safe to repeat (see Job).
                if retry + 1 >= self.retry.attempts:
                    raise TransportError(f"{method} {self.base_url}{path}: {e}") from e
            self.retry.sleep(self.retry.delay(retry, retry_after))
            retry += 1

    def _send(self, method, path, data, timeout, extra_headers=None):
        headers = {"Accept": "application/json, application/problem+json", **(extra_headers or {})}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with self._opener.open(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as e:
            with e:
                raw = e.read()
            retry_after = _retry_after_seconds(e.headers.get("Retry-After") if e.headers else None)
            raise ProblemError.from_response(e.code, raw, retry_after) from None
        if status == 204 or not raw:
            return None
        return json.loads(raw.decode("utf-8"))


class Job:
    """A job this worker holds a lease on, as a claim returned it.

    Every write goes through one lock, so the background heartbeat and the work loop's checkpoints
    never overlap on the wire: each request carries the latest lease token, a checkpoint's seq is
    taken and advanced atomically, and no heartbeat goes out after the job is finished or lost.
    Flags such as stop_requested and lost are plain attributes, read without the lock.
    """

    # The service's own default when a job names no policy; only used if a claim carries none.
    DEFAULT_EVERY_ITERATIONS = 5

    def __init__(self, client, claim, clock=time.monotonic):
        job = claim["job"]
        self.id = job["id"]
        self.kind = job.get("kind")
        self.params = job.get("params") or {}
        self.total = job.get("total")
        self.attempts = job.get("attempts")
        self.max_attempts = job.get("maxAttempts")
        policy = job.get("checkpoint") or {}
        self.every_iterations = policy.get("everyIterations")
        self.every_seconds = policy.get("everySeconds")
        if self.every_iterations is None and self.every_seconds is None:
            self.every_iterations = self.DEFAULT_EVERY_ITERATIONS
        # The checkpoint to resume from: None, or {"seq", "iteration", "stateVersion", "state"}.
        self.resume = claim.get("checkpoint")
        self.lease = claim["lease"]

        self._client = client
        self._clock = clock
        self._wire = threading.Lock()
        self.seq = self.resume["seq"] if self.resume else 0  # newest durable checkpoint's seq
        self.checkpointed_iteration = self.resume["iteration"] if self.resume else None
        self.iteration = self.resume["iteration"] if self.resume else 0  # latest known progress
        self._since_iteration = self.iteration  # the policy counts from the last checkpoint or the claim
        self._since_time = clock()
        self._renewed_at = clock()
        self.stop_requested = None  # None, "PAUSE" or "CANCEL", as the latest answer said
        self.lost = False
        self.closed = False
        self._heartbeat_stop = threading.Event()
        self._heartbeat_thread = None

    # -- the checkpoint policy --------------------------------------------------------------

    def progress(self, iteration):
        """Records progress (no request): the next heartbeat reports it."""
        self.iteration = iteration

    def checkpoint_due(self, iteration):
        """True once every_iterations steps, or every_seconds, have passed since the last checkpoint."""
        since = iteration - self._since_iteration
        if since <= 0:  # nothing new since then: a checkpoint would store the same state again
            return False
        if self.every_iterations is not None and since >= self.every_iterations:
            return True
        return self.every_seconds is not None and self._clock() - self._since_time >= self.every_seconds

    # -- writes -----------------------------------------------------------------------------

    def heartbeat(self, iteration=None):
        """Renews the lease; returns the stop request, if any."""
        self._post("heartbeat", {"iteration": self.iteration if iteration is None else iteration})
        return self.stop_requested

    def checkpoint(self, iteration, state, state_version=1):
        """Saves a checkpoint, durable when this returns; returns the answer ({"seq", "iteration", ...}).
        Retried with the same seq, so a resend after a lost answer never makes a second checkpoint."""
        body = {"iteration": iteration, "state": state, "stateVersion": state_version}
        return self._post("checkpoints", body, numbered=True)

    def succeed(self, result, iteration):
        """Finishes the job with its result; returns the job. Safe to retry (the service says so)."""
        return self._post("succeed", {"iteration": iteration, "result": result}, final=True)

    def fail(self, error, retryable=True):
        """Reports a failure; the service retries the job (if retryable and attempts remain) or fails it."""
        return self._post("fail", {"error": str(error), "retryable": bool(retryable)}, final=True)

    def release(self, iteration, state=None, state_version=1):
        """Gives the job back (QUEUED at once, or PAUSED/CANCELLED if that was asked). With a state,
        the service first saves it as a final checkpoint, so no work is lost."""
        body = {"iteration": iteration}
        if state is not None:
            body.update(state=state, stateVersion=state_version)
        return self._post("release", body, numbered=state is not None, final=True)

    def abandon(self):
        """Stops heartbeats and drops the job without telling the service (which cannot be reached,
        say): its lease lapses after the TTL and the job resumes elsewhere from its last checkpoint."""
        self.closed = True
        self._heartbeat_stop.set()
        self._join_heartbeat()

    def _post(self, action, body, numbered=False, final=False):
        try:
            with self._wire:
                return self._post_locked(action, body, numbered, final)
        finally:
            if self.closed:
                # Outside the lock: the heartbeat thread may be waiting for it, and will then see closed.
                self._join_heartbeat()

    def _post_locked(self, action, body, numbered, final):
        if self.lost:
            raise LeaseLost(self.id, "already lost")
        if self.closed:
            raise JobClosed(f"job {self.id} is already finished here")
        body = dict(body, lease=self.lease["token"])
        if numbered:
            # Taken here and advanced only on success, so every retry of this write resends it. After
            # an error the next checkpoint reuses it: should the failed one have landed after all,
            # with another state, the service refuses that one (a 409 problem, not a silent overwrite).
            body["seq"] = self.seq + 1
        sent = self._clock()
        try:
            answer = self._client.call("POST", f"/jobs/{self.id}/{action}", body) or {}
        except ProblemError as e:
            if not e.lease_lost:
                raise
            self.lost = self.closed = True
            self._heartbeat_stop.set()
            raise LeaseLost(self.id, e.detail) from None
        if final:
            self.closed = True
            self._heartbeat_stop.set()
            return answer
        if "lease" in answer:
            self.lease = answer["lease"]
            self._renewed_at = sent  # the service renewed it no earlier than this
        if "stopRequested" in answer:
            self.stop_requested = answer["stopRequested"]
        self.iteration = max(self.iteration, body.get("iteration", 0))
        if numbered:
            self.seq = answer.get("seq", body["seq"])
            self.checkpointed_iteration = body["iteration"]
            self._since_iteration, self._since_time = body["iteration"], sent
        return answer

    # -- the heartbeat thread ---------------------------------------------------------------

    def start_heartbeat(self):
        """Renews the lease in a background thread at about a third of its TTL, until the job is
        finished, released or lost; a stop request it hears is left in stop_requested."""
        if self._heartbeat_thread is None:
            self._heartbeat_thread = threading.Thread(
                target=self._heartbeat_loop, name=f"heartbeat-{self.id}", daemon=True)
            self._heartbeat_thread.start()

    def _interval(self):
        ttl = self.lease.get("ttlSeconds") or 12.0
        return max(float(ttl) / 3, 0.05)

    def _heartbeat_loop(self):
        while True:
            wait = self._renewed_at + self._interval() - self._clock()
            if wait > 0:
                if self._heartbeat_stop.wait(wait):
                    return
                continue  # look again: a checkpoint may have renewed the lease meanwhile
            try:
                self.heartbeat()
            except (LeaseLost, JobClosed):
                return
            except CheckpointdError as e:
                log.warning("heartbeat for job %s failed: %s", self.id, e)
                if self._heartbeat_stop.wait(self._interval() / 2):  # try again soon, not in a tight loop
                    return

    def _join_heartbeat(self):
        thread = self._heartbeat_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
