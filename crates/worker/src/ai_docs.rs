//! Running one claimed AI documentation job: reuse the document of an identical earlier input
//! (no provider call), else analyse the file, ask the tier's provider (one retry for the whole
//! job: a retryable provider failure or a document below the quality thresholds), assemble the
//! document with the comments inserted by `hivesync_docs`, store `ai-docs/{job_id}.json` (one
//! retry) and call the backend back.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hivesync_core::storage_keys::StorageKey;
use hivesync_core::wire::{AiDocsInput, CallbackBody, CallbackJob};
use hivesync_core::{JobKind, Secret};
use hivesync_docs::prompt::{plan_chunks, prompts};
use hivesync_docs::{
    Analysis, Answer, ContextFile, Document, Mode, Options, ProviderInfo, Style, Usage, assemble,
};
use hivesync_store::queue::Claimed;

use crate::backend::BackendError;
use crate::context::{Ctx, JobOutcome};
use crate::providers::DocsProvider;
use crate::providers::openai::OpenAi;
use crate::runner::{deliver, fail_in_store, keep_lease, lease_lost_signal, upload};

/// The thresholds a document must reach (else it counts as malformed output).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gates {
    /// Least completeness (0..1).
    pub min_completeness: f64,
    /// Least truthfulness (0..1).
    pub min_truthfulness: f64,
}

/// How one document is generated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Most tokens of file text per provider request (larger files are split).
    pub chunk_tokens: usize,
    /// Longest `Retry-After` waited for before the one retry.
    pub max_retry_wait: Duration,
    /// The request timeout (for the failure reason).
    pub timeout: Duration,
    /// The quality gates.
    pub gates: Gates,
}

impl Settings {
    /// The settings of `[ai_docs]`.
    pub fn from_config(c: &hivesync_core::config::AiDocsConfig) -> Self {
        Self {
            chunk_tokens: c.chunk_tokens as usize,
            max_retry_wait: Duration::from_secs(c.max_retry_after_seconds),
            timeout: Duration::from_secs(c.request_timeout_seconds),
            gates: Gates {
                min_completeness: c.min_completeness,
                min_truthfulness: c.min_truthfulness,
            },
        }
    }
}

/// Generates the document of `source` with `provider`: every chunk's prompt answered (exactly
/// one retry in the whole job, for a retryable failure or a document below the gates), the
/// answers assembled. The error is the reason the user reads.
pub async fn generate<P: DocsProvider>(
    provider: &P,
    analysis: &Analysis,
    source: &str,
    context: &[ContextFile],
    options: Options,
    settings: &Settings,
    count: &(dyn Fn(&str) -> usize + Sync),
) -> Result<Document, String> {
    let chunks = plan_chunks(analysis, source, settings.chunk_tokens, count);
    let prompts = prompts(analysis, &chunks, context, &options);
    let mut attempts = 0u32;
    let mut retried = false;
    let mut usage = Usage::default();
    loop {
        let mut answers: Vec<Answer> = Vec::with_capacity(chunks.len());
        for (prompt, chunk) in prompts.iter().zip(&chunks) {
            loop {
                attempts += 1;
                match provider.complete(prompt, analysis, &chunk.text).await {
                    Ok(c) => {
                        usage.prompt_tokens += c.usage.prompt_tokens;
                        usage.completion_tokens += c.usage.completion_tokens;
                        answers.push(c.answer);
                        break;
                    }
                    Err(e) => match e.retry_delay(settings.max_retry_wait) {
                        Some(wait) if !retried => {
                            tracing::warn!(
                                provider = provider.name(),
                                "provider call failed, retrying once in {} ms: {e}",
                                wait.as_millis()
                            );
                            retried = true;
                            tokio::time::sleep(wait).await;
                        }
                        _ => {
                            tracing::warn!(
                                provider = provider.name(),
                                attempts,
                                "provider call failed: {e}"
                            );
                            return Err(e.user_reason(attempts, settings.timeout));
                        }
                    },
                }
            }
        }
        let info = ProviderInfo {
            name: provider.name().to_owned(),
            model: provider.model().to_owned(),
            attempts,
            usage,
            analysis_only: false,
            cached_from: None,
        };
        let doc = assemble(analysis, source, &answers, &options, info).map_err(|e| {
            tracing::error!("assembling the document failed: {e}");
            "the documentation could not be inserted without changing code; please report this file"
                .to_owned()
        })?;
        let g = settings.gates;
        if doc.quality.passes(g.min_completeness, g.min_truthfulness) {
            return Ok(doc);
        }
        let why = format!(
            "completeness {:.2} (needs {:.2}), truthfulness {:.2} (needs {:.2})",
            doc.quality.completeness,
            g.min_completeness,
            doc.quality.truthfulness,
            g.min_truthfulness
        );
        if retried {
            return Err(format!(
                "the model's documentation fell below the quality thresholds{} ({why}); please retry",
                if attempts > 1 { " twice" } else { "" }
            ));
        }
        tracing::warn!(
            provider = provider.name(),
            "document below the quality thresholds ({why}); asking once more"
        );
        retried = true;
    }
}

/// The analysis-only document.
pub fn static_document(
    analysis: &Analysis,
    source: &str,
    options: Options,
) -> Result<Document, String> {
    let info = ProviderInfo {
        name: "static".into(),
        model: "analysis".into(),
        attempts: 0,
        usage: Usage::default(),
        analysis_only: true,
        cached_from: None,
    };
    let mut doc = assemble(
        analysis,
        source,
        &[hivesync_docs::static_answer(analysis)],
        &options,
        info,
    )
    .map_err(|e| {
        tracing::error!("assembling the document failed: {e}");
        "the documentation could not be inserted without changing code; please report this file"
            .to_owned()
    })?;
    doc.warnings.insert(
        0,
        "analysis only: no AI provider is configured for your tier, so this document describes what the parser found".into(),
    );
    Ok(doc)
}

/// The AI providers this worker can use.
#[derive(Default)]
pub(crate) struct Providers {
    /// `HIVESYNC_AI_API_KEY`.
    pub api_key: Option<Secret>,
    /// The embedded model, loaded on first use.
    #[cfg(feature = "local-model")]
    pub local: std::sync::OnceLock<Result<crate::providers::local::Local, String>>,
}

fn options(input: &AiDocsInput) -> Options {
    Options {
        style: if input.style == "long" {
            Style::Long
        } else {
            Style::Short
        },
        mode: if input.mode == "diff" {
            Mode::Diff
        } else {
            Mode::Doc
        },
    }
}

/// Copies the stored document of an earlier job with the same input key, when there is one.
async fn from_cache(ctx: &Ctx, claimed: &Claimed, cache_key: &str) -> Option<Document> {
    let (from, key) = match ctx.store.cached_ai_doc(cache_key, claimed.job.id).await {
        Ok(Some(hit)) => hit,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!(job = %claimed.job.id, "cache lookup failed: {e}");
            return None;
        }
    };
    let key = StorageKey::parse(&key).ok()?;
    let bytes = ctx.objects.get(&key).await.ok()?;
    let mut doc: Document = serde_json::from_slice(&bytes).ok()?;
    doc.provider.cached_from = Some(from.to_string());
    doc.provider.attempts = 0;
    doc.provider.usage = Usage::default();
    tracing::info!(job = %claimed.job.id, from = %from, "identical input documented before: reusing its document");
    Some(doc)
}

/// Produces the job's document (no upload).
async fn produce(ctx: &Arc<Ctx>, input: AiDocsInput) -> Result<Document, String> {
    let options = options(&input);
    let path = input.path.clone();
    let content = Arc::new(input.content);
    let source = content.clone();
    let analysis = tokio::task::spawn_blocking(move || hivesync_docs::analyze(&path, &source))
        .await
        .map_err(|_| "the analysis crashed on this file; please report it".to_owned())?
        .map_err(|e| {
            format!(
                "{} could not be parsed ({e}); fix the syntax error and retry",
                input.path
            )
        })?;
    let context: Vec<ContextFile> = input
        .context
        .into_iter()
        .map(|c| ContextFile {
            path: c.path,
            content: c.content,
        })
        .collect();
    let cfg = &ctx.config.ai_docs;
    let settings = Settings::from_config(cfg);
    match input.provider.as_str() {
        "static" => static_document(&analysis, &content, options),
        "openai" => {
            let provider = OpenAi::new(
                &cfg.openai_base_url,
                ctx.providers.api_key.clone(),
                &input.model,
                settings.timeout,
                cfg.max_output_tokens,
            );
            generate(
                &provider,
                &analysis,
                &content,
                &context,
                options,
                &settings,
                &hivesync_docs::tokens::o200k_count,
            )
            .await
        }
        "local" => local(ctx, &analysis, &content, &context, options, &settings).await,
        other => Err(format!(
            "this worker does not know the AI provider `{other}`; please report this"
        )),
    }
}

#[cfg(feature = "local-model")]
async fn local(
    ctx: &Arc<Ctx>,
    analysis: &Analysis,
    content: &str,
    context: &[ContextFile],
    options: Options,
    settings: &Settings,
) -> Result<Document, String> {
    let c = ctx.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        c.providers
            .local
            .get_or_init(|| {
                let cfg = &c.config.ai_docs;
                crate::providers::local::Local::load(
                    std::path::Path::new(&cfg.local_model_path),
                    c.worker_type == hivesync_core::WorkerType::Gpu,
                    cfg.local_max_new_tokens,
                )
            })
            .clone()
    })
    .await
    .map_err(|_| "the local model crashed while loading".to_owned())?;
    let model = loaded.map_err(|e| {
        tracing::error!(worker = %ctx.id, "the local model cannot be loaded: {e}");
        "the local AI model is not available on this worker; please report this to the operator"
            .to_owned()
    })?;
    let count = |t: &str| model.count_tokens(t);
    generate(
        &model, analysis, content, context, options, settings, &count,
    )
    .await
}

#[cfg(not(feature = "local-model"))]
async fn local(
    ctx: &Arc<Ctx>,
    _analysis: &Analysis,
    _content: &str,
    _context: &[ContextFile],
    _options: Options,
    _settings: &Settings,
) -> Result<Document, String> {
    tracing::error!(worker = %ctx.id, "a job asks for the local model but this worker was built without the `local-model` feature");
    Err(
        "the local AI model is not available on this worker; please report this to the operator"
            .into(),
    )
}

/// Runs a claimed AI documentation job to its end; returns how it ended.
pub(crate) async fn run_ai_docs(ctx: Arc<Ctx>, claimed: Claimed) -> JobOutcome {
    let job_id = claimed.job.id;
    let (lease_lost_tx, mut lease_lost) = tokio::sync::watch::channel(false);
    let keeper = tokio::spawn(keep_lease(ctx.clone(), claimed.clone(), lease_lost_tx));
    let work = async {
        let spec = claimed
            .ai_docs
            .clone()
            .ok_or_else(|| "this worker cannot run this job kind".to_owned())?;
        let input: AiDocsInput = serde_json::from_str(&spec.input)
            .map_err(|_| "the job's input is damaged; please retry".to_owned())?;
        let doc = match from_cache(&ctx, &claimed, &spec.cache_key).await {
            Some(doc) => doc,
            None => produce(&ctx, input).await?,
        };
        let bytes = serde_json::to_vec(&doc).expect("documents serialize");
        let key = StorageKey::AiDoc(job_id);
        upload(&ctx, &key, Bytes::from(bytes), false, "documentation")
            .await
            .map_err(|f| f.reason)?;
        Ok::<_, String>(key)
    };
    let result = tokio::select! {
        r = work => r,
        () = lease_lost_signal(&mut lease_lost) => {
            tracing::warn!(worker = %ctx.id, job = %job_id, "lease lost; abandoning the job");
            keeper.abort();
            return JobOutcome::Abandoned;
        }
    };
    let outcome = finish(&ctx, &claimed, result).await;
    keeper.abort();
    outcome
}

/// Calls the backend back; a refused or undeliverable report still fails the job at once.
async fn finish(ctx: &Ctx, claimed: &Claimed, result: Result<StorageKey, String>) -> JobOutcome {
    let job = CallbackJob {
        job_id: claimed.job.id,
        worker_id: &ctx.id,
        kind: JobKind::AiDocs,
        platform: None,
        tier: claimed.job.tier,
    };
    let body = match &result {
        Ok(key) => CallbackBody::docs_stored(job, key.as_path()),
        Err(reason) => CallbackBody::failed(job, reason),
    };
    let reason = match deliver(ctx, claimed, &body).await {
        Ok(()) if result.is_ok() => return JobOutcome::Succeeded,
        Ok(()) => return JobOutcome::Failed,
        Err(BackendError::Refused(status)) => format!(
            "{} (the backend refused the worker's report, HTTP {status})",
            result
                .as_ref()
                .err()
                .map_or("the documentation was stored", String::as_str)
        ),
        Err(BackendError::Unreachable(_)) => {
            "the worker could not reach the backend to deliver the result; please retry".to_owned()
        }
    };
    fail_in_store(
        ctx,
        &claimed.job,
        &reason,
        hivesync_store::queue::FailureCause::Worker,
    )
    .await;
    JobOutcome::Failed
}
