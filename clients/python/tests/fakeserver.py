"""An in-memory checkpointd that speaks the external-worker protocol, for tests.

Deliberately strict where the real service may be lenient (a checkpoint's seq must be the next
one), so that client bugs show up here first.
"""

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUILT_IN_KINDS = {"squares", "pi", "primes"}


class FakeServer:
    def __init__(self):
        self.cond = threading.Condition()
        self.kinds = {}
        self.jobs = {}  # id -> job record (dict), in creation order
        self.requests = []  # (method, path, body) of every request, faulted ones included
        self.faults = []  # (status, headers, body) answered, in order, instead of the next requests
        self.drop_answers = set()  # actions ("checkpoints", ...) carried out once, then answered by a closed connection
        self.epoch = 0
        self.closed = False
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        # A short poll interval: shutdown() waits for it, once per test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- what tests do to it ----------------------------------------------------------------

    def enqueue(self, kind="seed-squares", params=None, every_iterations=5, every_seconds=None,
                checkpoint=None, max_attempts=3):
        with self.cond:
            defaults = {p["name"]: p.get("defaultValue") for p in self.kinds.get(kind, {}).get("parameters", [])}
            params = dict(defaults, **(params or {}))
            job = {"id": str(uuid.uuid4()), "kind": kind, "params": params,
                   "checkpoint": {"everyIterations": every_iterations, "everySeconds": every_seconds},
                   "total": params.get("limit"), "attempts": 0, "maxAttempts": max_attempts,
                   "status": "QUEUED", "requested": None, "lease": None, "checkpoints": [],
                   "iteration": checkpoint["iteration"] if checkpoint else 0, "result": None, "error": None,
                   "finishedBy": None}
            if checkpoint:
                job["checkpoints"].append({"checkpoint": dict(checkpoint), "answer": None})
            self.jobs[job["id"]] = job
            self.cond.notify_all()
            return job["id"]

    def job(self, job_id):
        with self.cond:
            return json.loads(json.dumps(self.jobs[job_id]))  # a copy

    def latest_checkpoint(self, job_id):
        with self.cond:
            cps = self.jobs[job_id]["checkpoints"]
            return dict(cps[-1]["checkpoint"]) if cps else None

    def request_stop(self, job_id, what):
        with self.cond:
            self.jobs[job_id]["requested"] = what

    def take_over(self, job_id):
        """Another worker takes the job: the current lease token stops working."""
        with self.cond:
            self._lease(self.jobs[job_id], "someone-else", 12.0)

    def fail_next(self, status=503, times=1, retry_after=None):
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {"type": "/problems/unavailable", "title": "Service Unavailable", "status": status,
                "detail": "try again later"}
        with self.cond:
            self.faults.extend([(status, headers, body)] * times)

    def writes(self, job_id, action=None):
        """The bodies of the requests made for a job, optionally for one action only."""
        with self.cond:
            prefix = f"/jobs/{job_id}/"
            return [(p[len(prefix):], b) for m, p, b in self.requests
                    if p.startswith(prefix) and (action is None or p == prefix + action)]

    # -- the protocol -----------------------------------------------------------------------

    def _lease(self, job, worker, ttl):
        self.epoch += 1
        job["status"] = "RUNNING"
        job["lease"] = {"token": uuid.uuid4().hex, "epoch": self.epoch, "worker": worker, "ttlSeconds": float(ttl),
                        "expires": time.monotonic() + ttl}

    def _lease_json(self, job):
        lease = job["lease"]
        expires = time.time() + (lease["expires"] - time.monotonic())
        return {"token": lease["token"], "epoch": lease["epoch"], "worker": lease["worker"],
                "expiresAt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(expires)) + "Z",
                "ttlSeconds": lease["ttlSeconds"]}

    def _reap(self):
        now = time.monotonic()
        for job in self.jobs.values():
            if job["status"] == "RUNNING" and job["lease"]["expires"] <= now:
                job["status"], job["lease"] = "QUEUED", None

    def _job_json(self, job):
        keys = ("id", "kind", "params", "checkpoint", "status", "requested", "iteration", "result", "error",
                "attempts", "maxAttempts")
        return {k: job[k] for k in keys}

    def handle(self, method, path, body, headers=None):
        """Returns (status, headers, body or None); a None status closes the connection unanswered."""
        with self.cond:
            self.requests.append((method, path, body))
            if self.faults:
                return self.faults.pop(0)
        m = re.fullmatch(r"/kinds/([^/]+)", path)
        if m and method == "PUT":
            return self._declare(m.group(1), body)
        if path == "/workers/claim" and method == "POST":
            answer = self._claim(body, (headers or {}).get("Idempotency-Key"))
            if answer[0] < 300 and "claim" in self.drop_answers:
                self.drop_answers.discard("claim")
                return None, {}, None
            return answer
        m = re.fullmatch(r"/jobs/([^/]+)/(heartbeat|checkpoints|succeed|fail|release)", path)
        if m and method == "POST":
            with self.cond:
                answer = self._write(m.group(1), m.group(2), body)
                if answer[0] < 300 and m.group(2) in self.drop_answers:
                    self.drop_answers.discard(m.group(2))
                    return None, {}, None
                return answer
        return _problem(404, "not-found", "Not Found", f"no such resource: {method} {path}")

    def _declare(self, name, body):
        errors = []
        if not isinstance(body.get("description"), str):
            errors.append({"field": "description", "message": "must be a string"})
        for i, p in enumerate(body.get("parameters", [])):
            if not isinstance(p, dict) or "name" not in p or p.get("type") not in ("integer", "number", "string"):
                errors.append({"field": f"parameters[{i}]", "message": "needs a name and a type"})
        if not isinstance(body.get("stateVersion"), int) or body["stateVersion"] < 1:
            errors.append({"field": "stateVersion", "message": "must be an integer >= 1"})
        if errors:
            return _problem(400, "invalid-request", "Invalid request", "the kind definition is invalid", errors=errors)
        if name in BUILT_IN_KINDS:
            return _problem(409, "kind-conflict", "Conflict", f"{name} is a built-in kind")
        kind = {"name": name, "description": body["description"], "parameters": body.get("parameters", []),
                "runs": "external", "stateVersion": body["stateVersion"]}
        with self.cond:
            old = self.kinds.get(name)
            if old == kind:
                return 200, {}, kind
            if old and any(j["kind"] == name and j["status"] in ("QUEUED", "RUNNING", "PAUSED")
                           for j in self.jobs.values()):
                return _problem(409, "kind-conflict", "Conflict", f"{name} changed while it has unfinished jobs")
            self.kinds[name] = kind
            return (201 if old is None else 200), {}, kind

    def _claim(self, body, key=None):
        deadline = time.monotonic() + float(body.get("waitSeconds", 20))
        with self.cond:
            while True:
                self._reap()
                for job in self.jobs.values():
                    # as the service: a claim resent with its key gets the job that claim leased
                    resent = key is not None and job["status"] == "RUNNING" and job.get("claimKey") == key \
                        and job["lease"]["worker"] == body["worker"]
                    if resent or (job["status"] == "QUEUED" and job["kind"] in body["kinds"]):
                        if not resent:
                            self._lease(job, body["worker"], float(body.get("leaseTtlSeconds") or 12.0))
                            job["claimKey"] = key
                        latest = job["checkpoints"][-1]["checkpoint"] if job["checkpoints"] else None
                        answer = {"job": {k: job[k] for k in ("id", "kind", "params", "checkpoint", "total",
                                                             "attempts", "maxAttempts")},
                                  "lease": self._lease_json(job), "checkpoint": latest}
                        return 200, {}, json.loads(json.dumps(answer))
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return 204, {}, None
                self.cond.wait(min(left, 0.05))  # wake up now and then to reap lapsed leases

    def _write(self, job_id, action, body):
        job = self.jobs.get(job_id)
        if job is None:
            return _problem(404, "not-found", "Not Found", f"no job {job_id}")
        token = body.get("lease")
        if action == "succeed" and job["status"] == "SUCCEEDED" and job["finishedBy"] == token:
            return 200, {}, self._job_json(job)  # a resend after the success landed
        self._reap()
        if job["status"] != "RUNNING" or job["lease"]["token"] != token:
            return _problem(409, "lease-lost", "Lease lost", f"this worker no longer holds job {job_id}")
        lease = job["lease"]
        if action in ("heartbeat", "checkpoints"):
            lease["expires"] = time.monotonic() + lease["ttlSeconds"]
        if "iteration" in body:
            job["iteration"] = body["iteration"]
        if action == "heartbeat":
            return 200, {}, {"lease": self._lease_json(job), "stopRequested": job["requested"]}
        if action == "checkpoints" or (action == "release" and body.get("state") is not None):
            problem = self._save_checkpoint(job, body)
            if problem:
                return problem
        if action == "checkpoints":
            return job["last_checkpoint_answer"]
        job["lease"], job["finishedBy"] = None, token
        if action == "succeed":
            job["status"], job["result"] = "SUCCEEDED", body["result"]
        elif action == "fail":
            job["error"] = body["error"]
            retry = body.get("retryable") and job["attempts"] + 1 < job["maxAttempts"]
            job["attempts"] += 1
            job["status"] = "QUEUED" if retry else "FAILED"
        else:
            job["status"] = {"PAUSE": "PAUSED", "CANCEL": "CANCELLED"}.get(job["requested"], "QUEUED")
            job["requested"] = None
        self.cond.notify_all()
        return 200, {}, self._job_json(job)

    def _save_checkpoint(self, job, body):
        cps = job["checkpoints"]
        last = cps[-1]["checkpoint"]["seq"] if cps else 0
        seq = body.get("seq", last + 1)
        new = {"seq": seq, "iteration": body["iteration"], "stateVersion": body.get("stateVersion", 1),
               "state": body["state"]}
        for cp in cps:
            if cp["checkpoint"]["seq"] == seq:
                if cp["checkpoint"] == new and cp["answer"] is not None:
                    job["last_checkpoint_answer"] = (200, {}, cp["answer"])  # the same body again
                    return None
                return _problem(409, "checkpoint-conflict", "Conflict", f"checkpoint {seq} exists with another state")
        if seq != last + 1:
            return _problem(409, "checkpoint-conflict", "Conflict", f"expected seq {last + 1}, got {seq}")
        answer = {"seq": seq, "iteration": body["iteration"], "lease": self._lease_json(job),
                  "stopRequested": job["requested"]}
        cps.append({"checkpoint": new, "answer": answer})
        job["last_checkpoint_answer"] = (201, {}, answer)
        return None


def _problem(status, type_, title, detail, errors=None):
    body = {"type": f"/problems/{type_}", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return status, {}, body


def _handler(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else {}
            status, headers, answer = server.handle(self.command, self.path, body, self.headers)
            if status is None:  # carried out, but the answer never arrives
                self.close_connection = True
                return
            data = b"" if answer is None else json.dumps(answer).encode()
            try:
                self.send_response(status)
                if data:
                    self.send_header("Content-Type", "application/problem+json" if status >= 400 else "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the worker went away mid long-poll (a test stopped it)

        do_PUT = do_POST = _serve

        def log_message(self, *args):  # keep test output clean
            pass

    return Handler
