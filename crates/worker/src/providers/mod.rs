//! The AI providers behind one trait: [`openai::OpenAi`] (any Chat Completions API: OpenAI,
//! vLLM, llama.cpp server, Ollama) and, with the `local-model` feature, `local::Local` (a GGUF
//! model inside this process). The `static` provider needs no trait: it is the analysis alone
//! ([`hivesync_docs::static_answer`]).
//!
//! A provider turns one prompt into an [`Answer`] and says how a failure should be treated:
//! [`ProviderError::retry_delay`] is the one place that decides what is retried (429 within the
//! bound, 5xx, timeouts, malformed or schema-violating answers) and what never is (quota,
//! refusals, truncation, other 4xx).

use std::time::Duration;

use hivesync_docs::prompt::Prompt;
use hivesync_docs::{Analysis, Answer, Usage};

#[cfg(feature = "local-model")]
pub mod local;
pub mod openai;

/// One answered prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The parsed answer.
    pub answer: Answer,
    /// Tokens the call used.
    pub usage: Usage,
}

/// Why a provider call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    /// HTTP 429 other than a used-up quota; `retry_after` from `retry-after-ms`/`retry-after`.
    #[error("the AI provider is rate-limiting requests")]
    RateLimited {
        /// How long the provider asked to wait.
        retry_after: Option<Duration>,
    },
    /// HTTP 429 `insufficient_quota`: the account has no credit left.
    #[error("the AI provider's quota is used up (insufficient_quota)")]
    QuotaExhausted,
    /// HTTP 5xx.
    #[error("the AI provider failed (HTTP {0})")]
    Server(u16),
    /// No answer within the request timeout.
    #[error("the AI provider did not answer in time")]
    Timeout,
    /// The provider could not be reached.
    #[error("the AI provider could not be reached")]
    Unreachable,
    /// HTTP 4xx other than 429: the request itself is wrong (or the key is).
    #[error("the AI provider rejected the request (HTTP {status}: {message})")]
    Rejected {
        /// Status.
        status: u16,
        /// The provider's message, shortened.
        message: String,
    },
    /// The model refused (`message.refusal`).
    #[error("the model refused to document this file: {0}")]
    Refused(String),
    /// The answer was cut off (`finish_reason: length`).
    #[error("the model's answer was cut off at the output limit")]
    Truncated,
    /// Not JSON, or not the schema, or naming symbols that were not asked about, or below the
    /// quality thresholds.
    #[error("the answer was malformed: {0}")]
    Malformed(String),
    /// The local model failed.
    #[error("the local model failed: {0}")]
    Local(String),
}

impl ProviderError {
    /// How long to wait before the one retry, or `None` when retrying cannot help (or the
    /// provider asks to wait longer than `max_wait`).
    pub fn retry_delay(&self, max_wait: Duration) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after } => {
                let wait = retry_after.unwrap_or(Duration::from_secs(1));
                (wait <= max_wait).then_some(wait)
            }
            ProviderError::Server(_) | ProviderError::Timeout | ProviderError::Unreachable => {
                Some(Duration::from_millis(500).min(max_wait))
            }
            ProviderError::Malformed(_) => Some(Duration::ZERO),
            ProviderError::QuotaExhausted
            | ProviderError::Rejected { .. }
            | ProviderError::Refused(_)
            | ProviderError::Truncated
            | ProviderError::Local(_) => None,
        }
    }

    /// The reason a user reads when the job fails with this error (after `attempts` calls).
    pub fn user_reason(&self, attempts: u32, timeout: Duration) -> String {
        let twice = if attempts > 1 { " twice" } else { "" };
        match self {
            ProviderError::RateLimited { retry_after } => match retry_after {
                Some(d) => format!(
                    "the AI provider is rate-limiting requests; please retry in {} s",
                    d.as_secs().max(1)
                ),
                None => "the AI provider is rate-limiting requests; please retry in a minute".into(),
            },
            ProviderError::QuotaExhausted => "the AI provider's quota is used up (insufficient_quota); retrying will not help until the operator adds credit".into(),
            ProviderError::Server(status) => format!(
                "the AI provider failed{twice} (HTTP {status}); please retry later"
            ),
            ProviderError::Timeout => format!(
                "the AI provider did not answer within {} s{twice}; please retry or send a smaller file",
                timeout.as_secs()
            ),
            ProviderError::Unreachable => format!(
                "the AI provider could not be reached{twice}; please retry later"
            ),
            ProviderError::Rejected { status, message } => format!(
                "the AI provider rejected the request (HTTP {status}: {message}); please report this to the operator"
            ),
            ProviderError::Refused(why) => format!("the model refused to document this file: {why}"),
            ProviderError::Truncated => "the model's answer was cut off at its output limit; send a smaller file or ask for the short style".into(),
            ProviderError::Malformed(why) => format!(
                "the model's answer was unusable{twice} ({why}); please retry"
            ),
            ProviderError::Local(why) => format!("the local model failed: {why}"),
        }
    }
}

/// Something that writes documentation prose for a prompt.
pub trait DocsProvider: Send + Sync {
    /// `openai` or `local`.
    fn name(&self) -> &'static str;
    /// The model answering.
    fn model(&self) -> &str;
    /// Answers one prompt about `analysis`'s symbols.
    fn complete(
        &self,
        prompt: &Prompt,
        analysis: &Analysis,
        chunk_text: &str,
    ) -> impl std::future::Future<Output = Result<Completion, ProviderError>> + Send;
}
