"""Python client for checkpointd's external workers: declare a kind, claim jobs, checkpoint, finish."""

from .client import (
    CheckpointdError,
    Client,
    Job,
    JobClosed,
    LeaseLost,
    ProblemError,
    RetryPolicy,
    TransportError,
)

__all__ = [
    "CheckpointdError",
    "Client",
    "Job",
    "JobClosed",
    "LeaseLost",
    "ProblemError",
    "RetryPolicy",
    "TransportError",
]
__version__ = "0.1.0"
