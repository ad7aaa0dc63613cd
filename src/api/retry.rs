//! Retry decisions: whether a failed request is sent again, after what delay,
//! and with which idempotency key. The caller supplies the randomness and
//! the remaining time, so every decision is deterministic and testable.

use std::fmt;

use super::error::ApiError;

/// Retry limits. The backoff defaults (full jitter from 0.5 s, capped at 8 s)
/// follow Coasty's example client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Maximum number of retries after the first attempt.
    pub max_retries: u32,
    /// Backoff ceiling of the first retry, in ms. It doubles on each retry.
    pub base_delay_ms: u64,
    /// Upper bound of the backoff ceiling, in ms.
    pub max_delay_ms: u64,
    /// Maximum `Retry-After` the client honours, in ms. A longer wait stops
    /// the retries.
    pub max_retry_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            max_retry_after_ms: 60_000,
        }
    }
}

/// Fields of a decoded error response that the retry decision reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailedResponse<'a> {
    /// HTTP status code.
    pub status: u16,
    /// Error code, such as `RATE_LIMITED`, when the body had one.
    pub code: Option<&'a str>,
    /// Whether the error may succeed on a retry.
    pub retryable: bool,
    /// Wait the server requested, in seconds.
    pub retry_after_seconds: Option<u64>,
    /// `Some(false)` when a retry must use a new idempotency key.
    pub retry_with_same_idempotency_key: Option<bool>,
}

impl<'a> From<&'a ApiError> for FailedResponse<'a> {
    fn from(error: &'a ApiError) -> Self {
        FailedResponse {
            status: error.status,
            code: error.code.as_deref(),
            retryable: error.retryable,
            retry_after_seconds: error.retry_after_seconds,
            retry_with_same_idempotency_key: error.retry_with_same_idempotency_key,
        }
    }
}

/// Result of one attempt, as far as the retry decision needs it.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// The server responded with an error status.
    Response(FailedResponse<'a>),
    /// The request failed before a response arrived (DNS, TCP, TLS, reset).
    NetworkError,
    /// The request timed out.
    Timeout,
}

impl<'a> From<&'a ApiError> for Outcome<'a> {
    /// Wraps a decoded error as [`Outcome::Response`].
    fn from(error: &'a ApiError) -> Self {
        Outcome::Response(error.into())
    }
}

/// Next step after a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Another attempt after `delay_ms`.
    Retry {
        /// Wait before the next attempt, in ms.
        delay_ms: u64,
        /// Whether the next attempt needs a fresh `Idempotency-Key`, because
        /// the server asked for one with `retry_with_same_idempotency_key: false`.
        new_idempotency_key: bool,
    },
    /// End of the retries. The caller reports the last error.
    Stop {
        /// Reason for stopping. Its `Display` is a sentence for the final error.
        reason: StopReason,
    },
}

/// Reason a request is not retried. `attempts` counts every attempt made,
/// including the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The error is final, for example a validation error.
    NotRetryable {
        /// Attempts made.
        attempts: u32,
        /// HTTP status of the last response.
        status: u16,
        /// Error code of the last response, if it had one.
        code: Option<String>,
    },
    /// The method is not idempotent and no `Idempotency-Key` was sent, so a
    /// retry could perform the operation twice.
    MissingIdempotencyKey {
        /// Attempts made.
        attempts: u32,
        /// HTTP method of the request, upper case.
        method: String,
    },
    /// The policy's `max_retries` was reached.
    RetriesExhausted {
        /// Attempts made.
        attempts: u32,
    },
    /// The server's `Retry-After` is longer than `max_retry_after_ms`.
    RetryAfterTooLong {
        /// Attempts made.
        attempts: u32,
        /// Wait the server requested, in seconds.
        retry_after_seconds: u64,
        /// Policy limit, in ms.
        max_retry_after_ms: u64,
    },
    /// The delay would pass the caller's deadline.
    DeadlineExceeded {
        /// Attempts made.
        attempts: u32,
        /// Delay the next retry needed, in ms.
        delay_ms: u64,
        /// Time left before the deadline, in ms.
        remaining_deadline_ms: u64,
    },
}

impl StopReason {
    /// Returns the number of attempts made, including the first.
    pub fn attempts(&self) -> u32 {
        match self {
            StopReason::NotRetryable { attempts, .. }
            | StopReason::MissingIdempotencyKey { attempts, .. }
            | StopReason::RetriesExhausted { attempts }
            | StopReason::RetryAfterTooLong { attempts, .. }
            | StopReason::DeadlineExceeded { attempts, .. } => *attempts,
        }
    }
}

impl fmt::Display for StopReason {
    /// Writes `gave up after N attempts: <reason>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let attempts = self.attempts();
        let noun = if attempts == 1 { "attempt" } else { "attempts" };
        write!(f, "gave up after {attempts} {noun}: ")?;
        match self {
            StopReason::NotRetryable { status, code, .. } => match code {
                Some(code) => write!(f, "HTTP {status} {code} is not retryable"),
                None => write!(f, "HTTP {status} is not retryable"),
            },
            StopReason::MissingIdempotencyKey { method, .. } => write!(
                f,
                "a {method} without an Idempotency-Key is not retried because a retry \
                 could perform it twice. Send an Idempotency-Key to allow retries"
            ),
            StopReason::RetriesExhausted { attempts } => write!(
                f,
                "the retry limit of {} retries is reached",
                attempts.saturating_sub(1)
            ),
            StopReason::RetryAfterTooLong {
                retry_after_seconds,
                max_retry_after_ms,
                ..
            } => {
                write!(
                    f,
                    "the server asked to wait {retry_after_seconds} s, above the "
                )?;
                if max_retry_after_ms % 1_000 == 0 {
                    write!(f, "{} s cap", max_retry_after_ms / 1_000)
                } else {
                    write!(f, "{max_retry_after_ms} ms cap")
                }
            }
            StopReason::DeadlineExceeded {
                delay_ms,
                remaining_deadline_ms,
                ..
            } => write!(
                f,
                "the next retry in {delay_ms} ms would pass the deadline \
                 ({remaining_deadline_ms} ms left)"
            ),
        }
    }
}

/// Methods that HTTP defines as idempotent (RFC 9110, section 9.2.2), so
/// repeating them is safe without an idempotency key.
const IDEMPOTENT_METHODS: [&str; 6] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"];

impl RetryPolicy {
    /// Decides whether to retry after a failed attempt.
    ///
    /// The checks run in this order, and the first that fails stops:
    /// 1. The outcome is retryable: a decoded error whose `retryable` is true,
    ///    a network error or a timeout.
    /// 2. The method is idempotent, or the request carries an idempotency key.
    ///    POST, PATCH and unknown methods need a key.
    /// 3. `retries_done` is below `max_retries`.
    /// 4. A `Retry-After` on the error is at most `max_retry_after_ms`, and then
    ///    replaces the backoff delay. Otherwise the delay is
    ///    `random_unit * min(max_delay_ms, base_delay_ms * 2^retries_done)`.
    /// 5. The delay fits in `remaining_deadline_ms`, when a deadline is given.
    ///
    /// `random_unit` is a number in [0, 1). Values outside that range are
    /// clamped, and NaN reads as 0.
    pub fn decide(
        &self,
        retries_done: u32,
        outcome: Outcome,
        method: &str,
        has_idempotency_key: bool,
        random_unit: f64,
        remaining_deadline_ms: Option<u64>,
    ) -> Decision {
        let attempts = retries_done.saturating_add(1);
        let stop = |reason| Decision::Stop { reason };

        let error = match outcome {
            Outcome::Response(error) => Some(error),
            Outcome::NetworkError | Outcome::Timeout => None,
        };
        if let Some(error) = error.filter(|error| !error.retryable) {
            return stop(StopReason::NotRetryable {
                attempts,
                status: error.status,
                code: error.code.map(str::to_owned),
            });
        }

        let method = method.trim_ascii().to_ascii_uppercase();
        if !has_idempotency_key && !IDEMPOTENT_METHODS.contains(&method.as_str()) {
            return stop(StopReason::MissingIdempotencyKey { attempts, method });
        }

        if retries_done >= self.max_retries {
            return stop(StopReason::RetriesExhausted { attempts });
        }

        let retry_after_seconds = error.and_then(|error| error.retry_after_seconds);
        let delay_ms = match retry_after_seconds {
            Some(seconds) => {
                let requested_ms = seconds.saturating_mul(1_000);
                if requested_ms > self.max_retry_after_ms {
                    return stop(StopReason::RetryAfterTooLong {
                        attempts,
                        retry_after_seconds: seconds,
                        max_retry_after_ms: self.max_retry_after_ms,
                    });
                }
                requested_ms
            }
            None => self.backoff_ms(retries_done, random_unit),
        };

        if let Some(remaining) = remaining_deadline_ms {
            if delay_ms > remaining {
                return stop(StopReason::DeadlineExceeded {
                    attempts,
                    delay_ms,
                    remaining_deadline_ms: remaining,
                });
            }
        }

        let new_idempotency_key = has_idempotency_key
            && error.is_some_and(|error| error.retry_with_same_idempotency_key == Some(false));
        Decision::Retry {
            delay_ms,
            new_idempotency_key,
        }
    }

    /// Computes the full-jitter backoff delay for the next retry, in ms.
    fn backoff_ms(&self, retries_done: u32, random_unit: f64) -> u64 {
        let factor = 1u64.checked_shl(retries_done).unwrap_or(u64::MAX);
        let ceiling = self
            .base_delay_ms
            .saturating_mul(factor)
            .min(self.max_delay_ms);
        let unit = if random_unit.is_nan() {
            0.0
        } else {
            random_unit.clamp(0.0, 1.0)
        };
        // An f64 has 53 bits of mantissa, so ceilings above 2^53 ms lose
        // precision here, which no realistic policy reaches.
        (unit * ceiling as f64) as u64
    }
}
